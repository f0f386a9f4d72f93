/**
 * Stored items (as the repositories write them) of six 2021-xinxiang units, with every score
 * computed by hand in scores.test.ts and again through the API in
 * test/integration/scores-api.test.ts (the same data, seeded there through the routes).
 *
 * | unit | activities | participants | co-org. | counties | on time | news | media | vol. | hours | joint | online |
 * |---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|
 * | hongqi-kx (A) | 3 | 900 | 3 | 2 | 2/3 | 4 | 2 | 15 | 50 | 2 | 1 |
 * | city-jyj (B) | 2 | 1800 | 2 | 2 | 1 | 4 | 1 | 15 | 100 | 1 | 1 |
 * | weihui-kx (C) | 1 | 300 | 0 | 1 | 1 | 1 | 0 | 0 | 0 | 1 | 0 |
 * | weibin-kx (E), muye-kx (F) | 1 | 200 | 1 | 1 | 1 | 2 | 0 | 2 | 5 | 0 | 0 |
 * | huojia-slj (D) | 0 | | | | | | | | | | |
 *
 * A's third activity is registered after the registration deadline (`registration-late`, 1
 * point). A and B are reviewed; C has no work summary.
 */
import type { StoredItem } from '../../../shared/export/rows';

export const C = '2021-xinxiang';
const BEFORE = '2021-09-02T01:00:00.000Z';
const LATE = '2021-09-25T02:00:00.000Z';

interface Act {
  id: string;
  org: string;
  county: string;
  kind: 'main-venue' | 'joint-action';
  jointAction?: string;
  format: 'offline' | 'online' | 'hybrid';
  actual: number;
  co: string[];
  volunteers?: { count: number; hours: number };
  news: string[];
  photos?: number;
  submittedAt?: string;
  title: string;
}

export const ACTIVITIES: Act[] = [
  { id: 'a1', org: 'hongqi-kx', county: 'hongqi', kind: 'joint-action', jointAction: 'carbon', format: 'offline', actual: 300, co: ['甲学会', '乙学会'], volunteers: { count: 10, hours: 40 }, news: ['https://news.example.cn/a1', 'https://news.example.cn/a1b'], photos: 2, title: '碳中和科普进社区' },
  { id: 'a2', org: 'hongqi-kx', county: 'hongqi', kind: 'main-venue', format: 'online', actual: 500, co: ['乙学会', '丙协会'], volunteers: { count: 5, hours: 10 }, news: ['https://news.example.cn/a2'], title: '云上科普日直播' },
  { id: 'a3', org: 'hongqi-kx', county: 'weibin', kind: 'joint-action', jointAction: 'water', format: 'offline', actual: 100, co: [], news: ['https://news.example.cn/a3'], submittedAt: LATE, title: '节水知识讲座' },
  { id: 'b1', org: 'city-jyj', county: 'city', kind: 'joint-action', jointAction: 'youth-education', format: 'offline', actual: 1500, co: ['丁中学'], volunteers: { count: 15, hours: 100 }, news: ['https://news.example.cn/b1', 'https://news.example.cn/b1b'], photos: 1, title: '青少年科技教育周' },
  { id: 'b2', org: 'city-jyj', county: 'muye', kind: 'main-venue', format: 'hybrid', actual: 300, co: ['丁中学', '戊小学'], news: ['https://news.example.cn/b2', 'https://news.example.cn/b2b'], title: '科学实验开放日' },
  { id: 'c1', org: 'weihui-kx', county: 'weihui', kind: 'joint-action', jointAction: 'carbon', format: 'offline', actual: 300, co: [], news: ['https://news.example.cn/c1'], title: '=HYPERLINK("x")低碳生活' },
  { id: 'e1', org: 'weibin-kx', county: 'weibin', kind: 'main-venue', format: 'offline', actual: 200, co: ['己协会'], volunteers: { count: 2, hours: 5 }, news: ['https://news.example.cn/e1', 'https://news.example.cn/e1b'], title: '科普讲座' },
  { id: 'f1', org: 'muye-kx', county: 'muye', kind: 'main-venue', format: 'offline', actual: 200, co: ['己协会'], volunteers: { count: 2, hours: 5 }, news: ['https://news.example.cn/f1', 'https://news.example.cn/f1b'], title: '科普讲座' },
];

export const REVIEWS = {
  'hongqi-kx': { scores: { mobilization: 80, publicity: 70, highlights: 90, volunteering: 60, online: 50 }, distinctiveActivityIds: ['a1'] },
  'city-jyj': { scores: { mobilization: 60, publicity: 90, highlights: 70, volunteering: 80, online: 100 }, distinctiveActivityIds: ['b1'] },
} as const;

export const SUMMARY_UNITS = ['hongqi-kx', 'city-jyj', 'weibin-kx', 'muye-kx'];

export function storedItems(): Record<'activities' | 'results' | 'media' | 'summaries' | 'flags' | 'organizations' | 'reviews' | 'extensions', StoredItem[]> {
  const activities = ACTIVITIES.map((a) => ({
    pk: `ACT#${a.id}`,
    sk: 'A',
    entity: 'Activity',
    activityId: a.id,
    campaignId: C,
    organizationId: a.org,
    status: 'completed',
    version: 3,
    createdAt: BEFORE,
    submittedAt: a.submittedAt ?? '2021-09-03T01:00:00.000Z',
    completedAt: '2021-09-20T01:00:00.000Z',
    title: a.title,
    kind: a.kind,
    ...(a.jointAction ? { jointAction: a.jointAction } : {}),
    format: a.format,
    county: a.county,
    startsAt: '2021-10-01T01:00:00.000Z',
    expectedParticipants: 50,
    ...(a.format === 'offline' ? {} : { onlineUrl: `https://live.example.cn/${a.id}` }),
    ...(a.volunteers ? { volunteers: a.volunteers } : {}),
    coOrganizers: a.co,
  }));
  const results = ACTIVITIES.map((a) => ({ entity: 'Results', activityId: a.id, campaignId: C, organizationId: a.org, actualParticipants: a.actual, newsLinks: a.news, version: 1 }));
  const media = ACTIVITIES.flatMap((a) => [
    ...Array.from({ length: a.photos ?? 0 }, (_, i) => ({
      entity: 'Media',
      mediaId: `${a.id}-p${i}`,
      subject: { type: 'activity', activityId: a.id, campaignId: C, organizationId: a.org },
      kind: 'photo',
      status: 'accepted',
    })),
    // Neither counts: one refused, one pending.
    { entity: 'Media', mediaId: `${a.id}-r`, subject: { type: 'activity', activityId: a.id, campaignId: C, organizationId: a.org }, kind: 'photo', status: 'rejected' },
    { entity: 'Media', mediaId: `${a.id}-q`, subject: { type: 'activity', activityId: a.id, campaignId: C, organizationId: a.org }, kind: 'video', status: 'pending' },
  ]);
  const summaries = SUMMARY_UNITS.map((o) => ({ entity: 'Summary', campaignId: C, organizationId: o, text: '工作总结', version: 1 }));
  const flags = [
    { entity: 'Flag', flagId: 'f-late', campaignId: C, organizationId: 'hongqi-kx', activityId: 'a3', code: 'registration-late', milestone: 'registration', waived: false },
    // 0 points, and waived ones never count.
    { entity: 'Flag', flagId: 'f-inactive', campaignId: C, organizationId: 'huojia-slj', code: 'organization-inactive', milestone: 'registration', waived: false },
    { entity: 'Flag', flagId: 'f-waived', campaignId: C, organizationId: 'city-jyj', activityId: 'b1', code: 'results-late', milestone: 'completion', waived: true },
  ];
  const reviews = Object.entries(REVIEWS).map(([o, r]) => ({ entity: 'Review', campaignId: C, organizationId: o, version: 1, scores: r.scores, distinctiveActivityIds: [...r.distinctiveActivityIds] }));
  return { activities, results, media, summaries, flags, organizations: [], reviews, extensions: [] };
}

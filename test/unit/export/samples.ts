/** Stored items as the repositories write them, and an in-memory ExportSource over them (pages of 2). */
import type { ExportSource, Pages } from '../../../shared/export/readers';
import type { StoredItem } from '../../../shared/export/rows';

export const CAMPAIGN = '2021-xinxiang';

export const activityItem = (over: Record<string, unknown> = {}): StoredItem => ({
  pk: 'ACT#a1',
  sk: 'A',
  gsi2pk: `CAMP#${CAMPAIGN}#ACT`,
  gsi2sk: '2021-09-01T02:00:00.000Z#a1',
  entity: 'Activity',
  activityId: 'a1',
  campaignId: CAMPAIGN,
  organizationId: 'hongqi-kx',
  status: 'completed',
  version: 4,
  createdAt: '2021-09-01T02:00:00.000Z',
  createdBy: 'u1',
  updatedAt: '2021-09-20T03:00:00.000Z',
  updatedBy: 'u1',
  submittedAt: '2021-09-02T02:00:00.000Z',
  completedAt: '2021-09-20T03:00:00.000Z',
  openFlags: 1,
  title: '科普进社区 🌱',
  description: '=HYPERLINK("http://evil.example","点我")',
  kind: 'joint-action',
  jointAction: 'carbon',
  contentThemes: ['green-development', 'science-spirit'],
  format: 'hybrid',
  startsAt: '2021-09-15T09:00:00+08:00',
  endsAt: '2021-09-15T11:30:00+08:00',
  county: 'hongqi',
  audiences: ['community'],
  venue: { name: '红旗区科技馆', address: '新乡市红旗区, "科技路" 1号' },
  expectedParticipants: 300,
  maxOnSite: 150,
  epidemicPlan: '测温、扫码、佩戴口罩，间隔一米以上入场。',
  onlineUrl: 'https://live.example.cn/a1',
  volunteers: { count: 12, hours: 30.5 },
  coOrganizers: ['新乡市科技馆', '+红旗区图书馆'],
  branded: true,
  contact: { name: '张三', phone: '13800000000' },
  ...over,
});

export const resultsItem = (over: Record<string, unknown> = {}): StoredItem => ({
  pk: 'ACT#a1',
  sk: 'RESULTS',
  gsi2pk: `CAMP#${CAMPAIGN}#RESULTS`,
  gsi2sk: 'a1',
  entity: 'Results',
  campaignId: CAMPAIGN,
  organizationId: 'hongqi-kx',
  activityId: 'a1',
  version: 2,
  actualParticipants: 420,
  newsLinks: ['https://news.example.cn/1', 'https://news.example.cn/2'],
  onlineUrl: 'https://live.example.cn/a1/replay',
  highlights: '首次\n线上线下结合',
  updatedAt: '2021-09-20T03:00:00.000Z',
  updatedBy: 'u1',
  ...over,
});

export const mediaItem = (over: Record<string, unknown> = {}): StoredItem => ({
  pk: 'ACT#a1',
  sk: 'MEDIA#m1',
  gsi2pk: `CAMP#${CAMPAIGN}#MEDIA`,
  gsi2sk: '2021-09-16T01:00:00.000Z#m1',
  entity: 'Media',
  campaignId: CAMPAIGN,
  organizationId: 'hongqi-kx',
  mediaId: 'm1',
  subject: { type: 'activity', campaignId: CAMPAIGN, organizationId: 'hongqi-kx', activityId: 'a1' },
  kind: 'photo',
  fileName: '现场.jpg',
  declaredContentType: 'image/jpeg',
  declaredSize: 2048,
  objectKey: `uploads/${CAMPAIGN}/hongqi-kx/a1/m1`,
  status: 'accepted',
  createdAt: '2021-09-16T01:00:00.000Z',
  createdBy: 'u1',
  sha256: 'ab'.repeat(32),
  capturedAt: '2021-09-15T09:30:00',
  warnings: ['capture_date_outside_campaign_year'],
  ...over,
});

export const summaryItem = (over: Record<string, unknown> = {}): StoredItem => ({
  pk: `CAMP#${CAMPAIGN}#UNIT#hongqi-kx`,
  sk: 'SUMMARY',
  gsi2pk: `CAMP#${CAMPAIGN}#SUMMARY`,
  gsi2sk: 'hongqi-kx',
  entity: 'Summary',
  campaignId: CAMPAIGN,
  organizationId: 'hongqi-kx',
  version: 1,
  text: '今年共举办活动 3 场，"科普进社区"反响热烈。',
  documentMediaIds: ['d1'],
  submittedAt: '2021-10-20T02:00:00.000Z',
  updatedAt: '2021-10-21T02:00:00.000Z',
  updatedBy: 'u1',
  ...over,
});

export const flagItem = (over: Record<string, unknown> = {}): StoredItem => ({
  pk: 'ACT#a1',
  sk: 'FLAG#registration#registration-late',
  gsi1pk: `CAMP#${CAMPAIGN}#FLAG`,
  gsi1sk: '2021-09-25T00:00:00.000Z#f1',
  entity: 'Flag',
  flagId: 'f1',
  campaignId: CAMPAIGN,
  organizationId: 'hongqi-kx',
  activityId: 'a1',
  code: 'registration-late',
  milestone: 'registration',
  raisedAt: '2021-09-25T00:00:00.000Z',
  lateBySeconds: 3600,
  waived: false,
  ...over,
});

export const addedOrganizationItem = (over: Record<string, unknown> = {}): StoredItem => ({
  pk: `CAMP#${CAMPAIGN}#ORGS`,
  sk: 'ORG#new-society',
  entity: 'Organization',
  campaignId: CAMPAIGN,
  organizationId: 'new-society',
  name: '新乡市新学会',
  nameEn: 'Xinxiang New Society',
  county: 'hongqi',
  type: 'society',
  listedAt: '2021-09-05T02:00:00.000Z',
  listedBy: 'admin',
  ...over,
});

async function* inPages(items: readonly StoredItem[], size = 2): Pages {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

/** An ExportSource over fixed items, two per page. */
export function memorySource(data: {
  activities?: StoredItem[];
  results?: StoredItem[];
  media?: StoredItem[];
  summaries?: StoredItem[];
  flags?: StoredItem[];
  organizations?: StoredItem[];
}): ExportSource {
  return {
    activities: () => inPages(data.activities ?? []),
    results: () => inPages(data.results ?? []),
    media: () => inPages(data.media ?? []),
    summaries: () => inPages(data.summaries ?? []),
    flags: () => inPages(data.flags ?? []),
    addedOrganizations: () => inPages(data.organizations ?? []),
  };
}

/** A small campaign's worth of items: two activities (one with results, media and flags), a summary. */
export function sampleData() {
  return {
    activities: [activityItem(), activityItem({ activityId: 'a2', pk: 'ACT#a2', createdAt: '2021-09-03T02:00:00.000Z', status: 'draft', title: '-10 度实验', venue: undefined, volunteers: undefined, submittedAt: undefined, completedAt: undefined, openFlags: undefined })],
    results: [resultsItem()],
    media: [
      mediaItem(),
      mediaItem({ mediaId: 'm2', kind: 'video', createdAt: '2021-09-16T02:00:00.000Z', capturedAt: undefined, warnings: undefined }),
      mediaItem({ mediaId: 'm3', status: 'rejected', reason: 'type_mismatch', createdAt: '2021-09-16T03:00:00.000Z' }),
      mediaItem({ mediaId: 'm4', status: 'pending', createdAt: '2021-09-16T04:00:00.000Z' }),
      mediaItem({
        mediaId: 'd1',
        kind: 'document',
        subject: { type: 'summary', campaignId: CAMPAIGN, organizationId: 'hongqi-kx' },
        fileName: '@总结.pdf',
        declaredContentType: 'application/pdf',
        createdAt: '2021-10-20T01:00:00.000Z',
        capturedAt: undefined,
      }),
    ],
    summaries: [summaryItem()],
    flags: [
      flagItem(),
      flagItem({ flagId: 'f2', code: 'not-published-in-advance', raisedAt: '2021-09-25T00:00:01.000Z', waived: true, waivedReason: '系统故障', waivedAt: '2021-09-26T00:00:00.000Z' }),
      flagItem({ flagId: 'f3', activityId: undefined, code: 'summary-missing', milestone: 'completion', raisedAt: '2021-10-23T00:00:00.000Z', lateBySeconds: undefined }),
    ],
    organizations: [addedOrganizationItem()],
  };
}

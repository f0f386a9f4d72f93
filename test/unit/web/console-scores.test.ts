// The console's scores and reviews logic, without a browser: rank groups (one rank number per
// tie), the commendation list downloaded from the scores page (the very file an export writes:
// same bytes from the scores view as from the report), the review queue (stable order, own unit
// never offered) and the review merge after a 412.
import { xinxiang2021 } from '../../../shared/campaigns/2021-xinxiang';
import { loadCampaign } from '../../../shared/domain/campaign';
import { commendationListCsv } from '../../../shared/export/commendation-list';
import { commendationsCsv } from '../../../shared/export/score-files';
import { parseCsv } from '../../../shared/http/csv';
import { scoresView } from '../../../shared/http/score-views';
import { ScoringFacts, type ScoreReport } from '../../../shared/domain/scoring-facts';
import { nextUnreviewed, reviewProgress, reviewQueue, type QueueInput } from '../../../web/src/components/console/review-queue';
import { differingItems, emptyReview, mergeReview, reviewFromApi, reviewToApi, type ReviewValues } from '../../../web/src/components/console/review-values';
import { commendationCsvFromScores, commendationFileName } from '../../../web/src/components/console/score-csv';
import { formatFigure, groupByRank, hasRegisteredActivity, type ScoresView } from '../../../web/src/components/console/score-ranking';
import { storedItems } from '../scores/scores-data';

const campaign = loadCampaign(xinxiang2021);

function report(extra: (data: ReturnType<typeof storedItems>) => void = () => undefined): ScoreReport {
  const data = storedItems();
  extra(data);
  const facts = new ScoringFacts(campaign);
  data.activities.forEach((i) => facts.activity(i));
  data.results.forEach((i) => facts.result(i));
  data.media.forEach((i) => facts.medium(i));
  data.flags.forEach((i) => facts.flag(i));
  data.summaries.forEach((i) => facts.summary(i));
  data.reviews.forEach((i) => facts.review(i));
  return facts.report();
}
/** The body of GET …/scores as the browser receives it (JSON). */
const viewOf = (r: ScoreReport) => JSON.parse(JSON.stringify(scoresView(r, { readMs: 1, scoreMs: 1 }, new Date('2021-10-23T02:00:00Z')))) as ScoresView;

describe('Module: console ranking', () => {
  it('groups equal ranks into one group with one rank number, listed by organization id, whatever order they come in', () => {
    // Prepare
    const units = [
      { organizationId: 'd', rank: 4 },
      { organizationId: 'c', rank: 2 },
      { organizationId: 'a', rank: 1 },
      { organizationId: 'b', rank: 2 },
    ];
    // Act
    const groups = groupByRank(units);
    // Assess
    expect(groups.map((g) => [g.rank, g.tied, g.units.map((u) => u.organizationId)])).toEqual([
      [1, false, ['a']],
      [2, true, ['b', 'c']],
      [4, false, ['d']],
    ]);
    expect(groupByRank([])).toEqual([]);
  });

  it('groups the API’s own tie (weibin-kx and muye-kx on equal totals) as one rank', () => {
    // Prepare
    const view = viewOf(report());
    // Act
    const groups = groupByRank(view.units.filter(hasRegisteredActivity));
    // Assess
    const tied = groups.filter((g) => g.tied);
    expect(tied).toHaveLength(1);
    expect(tied[0]!.units.map((u) => u.organizationId)).toEqual(['muye-kx', 'weibin-kx']);
    expect(groups.map((g) => g.rank)).toEqual([...new Set(view.units.filter(hasRegisteredActivity).map((u) => u.rank))]);
    expect(view.units.find((u) => u.organizationId === 'huojia-slj')).toMatchObject({ reviewed: false });
    expect(hasRegisteredActivity(view.units.find((u) => u.organizationId === 'huojia-slj')!)).toBe(false);
    // What the reviewer judges rides with each indicator that has a reviewer share.
    expect(view.indicators.find((i) => i.indicatorId === 'highlights')?.reviewerAsks).toEqual({ zh: '特色鲜明、实效显著的做法', en: 'Distinctive, effective practice' });
    expect(view.indicators.find((i) => i.indicatorId === 'scale')).not.toHaveProperty('reviewerAsks');
  });

  it('writes figures as people read them', () => {
    expect(formatFigure('on-time-rate', 2 / 3)).toBe('67%');
    expect(formatFigure('participants', 900)).toBe('900');
    expect(formatFigure('participants', undefined)).toBe('—');
  });
});

describe('Module: the commendation list downloaded from the scores page', () => {
  it('is byte for byte the commendations.csv an export writes, from the scores view alone', () => {
    // Prepare
    const r = report();
    // Act
    const fromView = commendationCsvFromScores(viewOf(r), campaign.counties, 'zh');
    // Assess
    expect(fromView).toBe(commendationsCsv(r, 'zh'));
    expect(commendationCsvFromScores(viewOf(r), campaign.counties, 'en')).toBe(commendationsCsv(r, 'en'));
  });

  it('is Excel-safe: a BOM, CRLF line ends, the Chinese header, formulas neutralised, units and activities listed', () => {
    // Prepare
    const csv = commendationCsvFromScores(viewOf(report()), campaign.counties, 'zh');
    // Act
    const rows = parseCsv(csv.slice(1));
    // Assess
    expect(csv.startsWith('\uFEFF名单,名次,单位编号,单位名称')).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.replaceAll('\r\n', '').includes('\n')).toBe(false);
    const overall = rows.filter((row) => row[0] === '总排名');
    expect(overall.map((row) => row[2])).toEqual(expect.arrayContaining(['hongqi-kx', 'city-jyj']));
    expect(overall.find((row) => row[2] === 'hongqi-kx')).toEqual(expect.arrayContaining(['红旗区科协', '科协', '红旗区']));
    // c1's title starts with "=": written as text, never a formula.
    const activity = rows.find((row) => row[0] === '特色活动');
    expect(activity).toBeDefined();
    expect(rows.flat().some((cell) => /^[=+\-@]/.test(cell))).toBe(false);
    expect(commendationFileName('2021-xinxiang', 'zh')).toBe('表扬推荐名单-2021-xinxiang.csv');
  });

  it('tells a tie of activities once, and the commendation list made from the view is still the export’s, byte for byte', () => {
    // Prepare: every unit alike; two reviews alike, each marking its unit's activity.
    const facts = new ScoringFacts(campaign);
    const units = ['hongqi-kx', 'weibin-kx', 'muye-kx'];
    for (const organizationId of campaign.organizations.map((o) => o.organizationId)) {
      facts.activity({
        entity: 'Activity', activityId: `${organizationId}-a0`, campaignId: campaign.id, organizationId, status: 'registered',
        createdAt: '2021-09-01T01:00:00.000Z', submittedAt: '2021-09-03T01:00:00.000Z', title: '科普进社区', kind: 'main-venue', format: 'offline', county: 'hongqi', startsAt: '2021-10-01T01:00:00.000Z',
      });
    }
    for (const organizationId of units) {
      facts.review({ entity: 'Review', campaignId: campaign.id, organizationId, scores: { mobilization: 80, publicity: 80, highlights: 90, volunteering: 80, online: 80 }, distinctiveActivityIds: [`${organizationId}-a0`] });
    }
    const report = facts.report();
    // Act
    const view = viewOf(report);
    // Assess
    expect(view.commendations.activityTies).toEqual([{ group: 0, rank: 1, activityIds: units.map((u) => `${u}-a0`).sort() }]);
    expect(view.commendations.activities.map((a) => a.tie)).toEqual([{ group: 0 }, { group: 0 }, { group: 0 }]);
    expect(view.commendations.activities[0]).not.toHaveProperty('tiedWith');
    for (const language of ['zh', 'en'] as const) {
      expect(commendationCsvFromScores(view, campaign.counties, language)).toBe(commendationsCsv(report, language));
    }
    expect(commendationsCsv(report, 'zh')).toContain('与 muye-kx-a0、weibin-kx-a0 并列');
  });

  it('neutralises a formula in a unit name and a tie explanation as well', () => {
    // Act
    const csv = commendationListCsv({
      counties: [],
      unitOf: () => ({ name: '=cmd|"/c calc"!A1', type: 'other', county: null }),
      commendations: { units: [{ organizationId: '@x', rank: 1, total: 5, tie: { explanation: { zh: '+1', en: '+1' } } }], byType: [], activities: [] },
    });
    // Assess
    const [, row] = parseCsv(csv.slice(1));
    expect(row).toEqual(['总排名', '1', "'@x", '\'=cmd|"/c calc"!A1', '其他单位', '', '5.00', "'+1", '', '', '', '']);
  });
});

describe('Module: the review queue', () => {
  const units: QueueInput[] = [
    { organizationId: 'c', name: 'C', reviewed: false, active: true },
    { organizationId: 'idle', name: 'Idle', reviewed: false, active: false },
    { organizationId: 'a', name: 'A', reviewed: true, active: true },
    { organizationId: 'own', name: 'Own', reviewed: false, active: true },
    { organizationId: 'b', name: 'B', reviewed: false, active: true },
  ];
  const order = ['own', 'a', 'b', 'c', 'idle'];

  it('keeps the campaign’s order, active units first, and marks the reviewer’s own unit', () => {
    // Act
    const queue = reviewQueue(units, order, 'own');
    // Assess
    expect(queue.map((u) => u.organizationId)).toEqual(['own', 'a', 'b', 'c', 'idle']);
    expect(queue.filter((u) => u.own).map((u) => u.organizationId)).toEqual(['own']);
    expect(reviewProgress(queue)).toEqual({ reviewed: 1, total: 3 });
  });

  it('offers the next unreviewed active unit after the current one, wrapping round, never the own unit, a reviewed or an idle one', () => {
    // Prepare
    const queue = reviewQueue(units, order, 'own');
    // Act / Assess
    expect(nextUnreviewed(queue)?.organizationId).toBe('b');
    expect(nextUnreviewed(queue, 'b')?.organizationId).toBe('c');
    expect(nextUnreviewed(queue, 'c')?.organizationId).toBe('b');
    expect(nextUnreviewed(queue, 'own')?.organizationId).toBe('b');
    expect(nextUnreviewed(queue, 'unknown')?.organizationId).toBe('b');
    const done = reviewQueue(units.map((u) => ({ ...u, reviewed: u.organizationId !== 'own' })), order, 'own');
    expect(nextUnreviewed(done)).toBeUndefined();
    expect(nextUnreviewed(reviewQueue([units[0]!], order, 'own'), 'c')).toBeUndefined();
  });
});

describe('Module: review values', () => {
  const ids = ['mobilization', 'publicity', 'highlights'];
  const review = (scores: Record<string, number | undefined>, comment = '', marks: string[] = []): ReviewValues => ({
    scores: { ...emptyReview(ids).scores, ...scores },
    comment,
    distinctiveActivityIds: marks,
  });

  it('sends the scores given, the comment when there is one and the marks, and reads a stored review back', () => {
    // Act
    const body = reviewToApi(review({ mobilization: 80, publicity: undefined }, '  '));
    // Assess
    expect(body).toEqual({ scores: { mobilization: 80 }, distinctiveActivityIds: [] });
    expect(reviewToApi({ ...review({ highlights: 0 }, '好'), scores: { highlights: 0, publicity: null } })).toEqual({
      scores: { highlights: 0 },
      comment: '好',
      distinctiveActivityIds: [],
    });
    expect(reviewFromApi({ scores: { mobilization: 70 }, comment: '评语', distinctiveActivityIds: ['x'] }, ids)).toEqual(review({ mobilization: 70 }, '评语', ['x']));
  });

  it('after a 412, keeps what I changed over theirs and their changes to the rest', () => {
    // Prepare: both started from base; I changed publicity and marked y; they changed the comment, highlights and marked z, unmarked x
    const base = review({ mobilization: 60, publicity: 60, highlights: 60 }, '原评语', ['x']);
    const mine = review({ mobilization: 60, publicity: 95, highlights: 60 }, '原评语', ['x', 'y']);
    const theirs = review({ mobilization: 60, publicity: 60, highlights: 85 }, '同事的评语', ['z']);
    // Act
    const merged = mergeReview(base, mine, theirs);
    // Assess
    expect(merged).toEqual(review({ mobilization: 60, publicity: 95, highlights: 85 }, '同事的评语', ['z', 'y']));
    expect(differingItems(theirs, mine)).toEqual(new Set(['scores.publicity', 'scores.highlights', 'comment', 'distinctiveActivityIds']));
    expect(differingItems(merged, merged).size).toBe(0);
  });

  it('after a 412, my removal of a mark and my cleared score win as changes too', () => {
    // Prepare
    const base = review({ mobilization: 60 }, '', ['x', 'y']);
    const mine = review({ mobilization: undefined }, '我的评语', ['y']);
    const theirs = review({ mobilization: 70 }, '', ['x', 'y']);
    // Act
    const merged = mergeReview(base, mine, theirs);
    // Assess
    expect(merged).toEqual(review({ mobilization: undefined }, '我的评语', ['y']));
  });
});

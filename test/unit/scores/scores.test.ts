// The scores recomputed from stored items (shared/use-cases/scores.ts): the figures of each unit,
// every indicator score computed by hand (docs/scoring.md §2), ties, a unit with nothing, flags
// (waived ones never count), reviews and their marks, extensions, the same items under other
// weights, and who may read them.
import { xinxiang2021 } from '../../../shared/campaigns/2021-xinxiang';
import { loadCampaign, type Campaign } from '../../../shared/domain/campaign';
import type { Pages } from '../../../shared/export/readers';
import type { StoredItem } from '../../../shared/export/rows';
import type { Principal, Role } from '../../../shared/auth/principal';
import { fixedCampaignCatalog } from '../../../shared/repositories/cached-campaign-catalog';
import { getScores, recomputeScores } from '../../../shared/use-cases/scores';
import { ScoringFacts } from '../../../shared/domain/scoring-facts';
import type { ScoringSource } from '../../../shared/export/readers';
import { otherCampaign } from '../../fixtures/campaign-other';
import { storedItems } from './scores-data';

const xinxiang = loadCampaign(xinxiang2021);
/** The same units and counties under 2030-lindau's weights (every indicator but 亮点 computed from data). */
const reweighted = loadCampaign({ ...xinxiang2021, indicators: otherCampaign.indicators });

async function* inPages(items: readonly StoredItem[], size = 2): Pages {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

function memorySource(data = storedItems()): ScoringSource {
  return {
    activities: () => inPages(data.activities),
    results: () => inPages(data.results),
    media: () => inPages(data.media),
    summaries: () => inPages(data.summaries),
    flags: () => inPages(data.flags),
    addedOrganizations: () => inPages(data.organizations),
    reviews: () => inPages(data.reviews),
    extensions: () => inPages(data.extensions),
  };
}

const who = (roles: Role[], orgId = 'city-kx', city = 'xinxiang'): Principal => ({ sub: `u-${roles.join('-')}`, orgId, roles: new Set(roles), city });
// Who may read: the read model empty (its figures are held equal to the recomputation in scores-read-model.test.ts).
const deps = (campaign: Campaign = xinxiang, data = storedItems()) => ({
  campaigns: fixedCampaignCatalog([campaign]),
  source: memorySource(data),
  model: { campaignTotals: async () => [], lateScored: async () => [] },
  activities: { items: async () => [] },
});
const scoresOf = async (campaign: Campaign = xinxiang, data = storedItems()) => recomputeScores(campaign, memorySource(data));
const unit = (report: Awaited<ReturnType<typeof scoresOf>>, id: string) => {
  const u = report.scores.units.find((x) => x.organizationId === id);
  if (!u) throw new Error(`no ${id}`);
  return u;
};
const points = (u: ReturnType<typeof unit>) => Object.fromEntries(u.indicators.map((i) => [i.indicatorId, i.score]));

describe('Scores: recomputed from the stored items (2021-xinxiang)', () => {
  it('figures each unit from its registered activities, results, accepted media and extensions', async () => {
    const report = await scoresOf();
    expect(unit(report, 'hongqi-kx').figures).toEqual({
      'registered-activities': 3,
      participants: 900, // actual participants where results give them
      'co-organizers': 3, // 甲 乙 丙, distinct
      'counties-covered': 2,
      'on-time-rate': 2 / 3, // a3 registered after 2021-09-24
      'news-links': 4,
      'accepted-media': 2, // refused and pending media do not count
      volunteers: 15,
      'volunteer-hours': 50,
      'joint-actions-covered': 2,
      'online-activities-with-url': 1,
    });
    expect(report.scores.maxima).toMatchObject({ 'registered-activities': 3, participants: 1800, 'co-organizers': 3, 'accepted-media': 2, 'volunteer-hours': 100 });
    expect(report.read).toMatchObject({ activities: 8, results: 8, flags: 3, summaries: 4, reviews: 2 });
  });

  it('scores every indicator as computed by hand, the penalty, the total and the rank', async () => {
    const report = await scoresOf();
    const a = unit(report, 'hongqi-kx');
    expect(points(a)).toEqual({
      mobilization: 12.8, // 15 × (0.6 × (3/3 + 2/2 + 0.6667)/3 + 0.4 × 0.80) = 12.8001
      scale: 15, // 20 × (3/3 + 900/1800)/2
      publicity: 13.65, // 15 × (0.7 × (4/4 + 2/2)/2 + 0.3 × 0.70)
      highlights: 13.5, // 15 × 0.90
      volunteering: 7.2, // 10 × (0.8 × (15/15 + 50/100)/2 + 0.2 × 0.60)
      'joint-actions': 15, // 15 × 2/2
      online: 9, // 10 × (0.8 × 1/1 + 0.2 × 0.50)
    });
    expect([a.subtotal, a.penalty.points, a.total, a.rank]).toEqual([86.15, 1, 85.15, 1]);
    expect(a.penalty.flags).toEqual({ 'registration-late': 1 });

    const b = unit(report, 'city-jyj');
    expect(points(b)).toEqual({
      mobilization: 11.6, // 15 × (0.6 × (2/3 + 1 + 1)/3 + 0.4 × 0.60) = 58/5
      scale: 16.67, // 20 × (2/3 + 1)/2 = 16.666…
      publicity: 11.93, // 15 × (0.7 × (4/4 + 1/2)/2 + 0.3 × 0.90) = 11.925 → half up
      highlights: 10.5,
      volunteering: 9.6, // 10 × (0.8 × 1 + 0.2 × 0.80)
      'joint-actions': 7.5, // 15 × 1/2
      online: 10, // 10 × (0.8 + 0.2 × 1.00)
    });
    // The waived results-late costs nothing.
    expect([b.subtotal, b.penalty.points, b.total, b.rank]).toEqual([77.8, 0, 77.8, 2]);

    const c = unit(report, 'weihui-kx');
    expect(points(c)).toEqual({ mobilization: 4.5, scale: 5, publicity: 1.31, highlights: 0, volunteering: 0, 'joint-actions': 7.5, online: 0 });
    expect([c.total, c.rank]).toEqual([18.31, 3]);
    expect(c.missing.map((m) => m.code)).toEqual(['no-summary', 'reviewer-scores']);
  });

  it('ties two units with equal totals, each naming the other, and ranks the next after both', async () => {
    const report = await scoresOf();
    const [e, f] = [unit(report, 'weibin-kx'), unit(report, 'muye-kx')];
    // 15 × 0.6 × (1/3 + 1/2 + 1)/3 = 5.50; 20 × (1/3 + 200/1800)/2 = 4.44; 15 × 0.7 × (2/4)/2 = 2.625 → 2.63; 10 × 0.8 × (2/15 + 5/100)/2 = 0.7333 → 0.73
    expect(points(e)).toEqual({ mobilization: 5.5, scale: 4.44, publicity: 2.63, highlights: 0, volunteering: 0.73, 'joint-actions': 0, online: 0 });
    expect([e.total, e.rank, f.total, f.rank]).toEqual([13.3, 4, 13.3, 4]);
    expect(e.tie?.tiedWith).toEqual(['muye-kx']);
    expect(f.tie?.tiedWith).toEqual(['weibin-kx']);
    expect(e.tie?.explanation.zh).toContain('并列第 4 名，其后单位为第 6 名');
    // Listed by organization id within the tie.
    const order = report.scores.units.map((u) => u.organizationId);
    expect(order.indexOf('muye-kx')).toBeLessThan(order.indexOf('weibin-kx'));
  });

  it('lists every unit of the campaign, one with no activity at 0 (its 0-point flag changes nothing), missing what it lacks', async () => {
    const report = await scoresOf();
    expect(report.scores.units).toHaveLength(xinxiang.organizations.length);
    const d = unit(report, 'huojia-slj');
    expect([d.total, d.rank, d.penalty.points]).toEqual([0, 6, 0]);
    expect(d.missing.map((m) => m.code)).toEqual(['no-registered-activity', 'reviewer-scores']);
    expect(d.tie?.tiedWith).toHaveLength(xinxiang.organizations.length - 6);
  });

  it('commends the best units overall and per type (ties at the cut included), and the activities reviewers marked', async () => {
    const { commendations } = await scoresOf();
    expect(commendations.units.map((u) => [u.organizationId, u.rank])).toEqual([
      ['hongqi-kx', 1],
      ['city-jyj', 2],
      ['weihui-kx', 3],
      ['muye-kx', 4],
      ['weibin-kx', 4],
    ]);
    const association = commendations.byType.find((t) => t.organizationType === 'association');
    expect(association?.units.map((u) => [u.organizationId, u.rank])).toEqual([
      ['hongqi-kx', 1],
      ['weihui-kx', 2],
      ['muye-kx', 3],
      ['weibin-kx', 3],
    ]);
    expect(commendations.byType.map((t) => t.organizationType)).toEqual(['association', 'department']);
    expect(commendations.activities.map((a) => [a.activityId, a.rank, a.marks, a.highlights, a.title])).toEqual([
      ['a1', 1, 1, 90, '碳中和科普进社区'],
      ['b1', 2, 1, 70, '青少年科技教育周'],
    ]);
  });

  it('counts an extension of the registration deadline in the on-time rate', async () => {
    const data = storedItems();
    data.extensions.push({ entity: 'Extension', campaignId: 'x', organizationId: 'hongqi-kx', milestone: 'registration', until: '2021-09-30T15:59:59.999Z' });
    expect(unit(await scoresOf(xinxiang, data), 'hongqi-kx').figures['on-time-rate']).toBe(2 / 3); // another campaign's: ignored
    data.extensions.push({ entity: 'Extension', campaignId: '2021-xinxiang', organizationId: 'hongqi-kx', activityId: 'a3', milestone: 'registration', until: '2021-09-30T15:59:59.999Z' });
    const a = unit(await scoresOf(xinxiang, data), 'hongqi-kx');
    expect(a.figures['on-time-rate']).toBe(1);
    // The flag raised at submit stays until an admin waives it.
    expect(a.penalty.points).toBe(1);
  });

  it('scores a unit added at run time, and ignores marks on activities of another unit', async () => {
    const data = storedItems();
    data.organizations.push({ entity: 'Organization', organizationId: 'xx-society', name: '新乡市科普学会', county: 'hongqi', type: 'society' });
    data.activities.push({ ...(data.activities[0] as StoredItem), activityId: 'x1', organizationId: 'xx-society', title: '学会活动' });
    (data.reviews[0] as { distinctiveActivityIds: string[] }).distinctiveActivityIds.push('b2');
    const report = await scoresOf(xinxiang, data);
    expect(report.scores.units).toHaveLength(xinxiang.organizations.length + 1);
    expect(unit(report, 'xx-society').figures['registered-activities']).toBe(1);
    expect(report.units.get('xx-society')?.name).toBe('新乡市科普学会');
    expect(report.commendations.activities.map((a) => a.activityId)).toEqual(['a1', 'b1']);
  });
});

describe('Scores: the same items under other weights', () => {
  it('changes the ranking as computed by hand (city-jyj first)', async () => {
    const report = await scoresOf(reweighted);
    const [a, b, c, e] = ['hongqi-kx', 'city-jyj', 'weihui-kx', 'weibin-kx'].map((id) => unit(report, id)) as [ReturnType<typeof unit>, ReturnType<typeof unit>, ReturnType<typeof unit>, ReturnType<typeof unit>];
    // 5 × 3/3, 40 × 900/1800, 5 × 4/4, 10 × 0.90, 10 × 50/100, 10 × 2/2, 20 × 1/1; − 1
    expect(points(a)).toEqual({ mobilization: 5, scale: 20, publicity: 5, highlights: 9, volunteering: 5, 'joint-actions': 10, online: 20 });
    expect([a.total, a.rank]).toEqual([73, 2]);
    // 5 × 2/3 = 3.33, 40, 5, 10 × 0.70, 10, 10 × 1/2, 20
    expect(points(b)).toEqual({ mobilization: 3.33, scale: 40, publicity: 5, highlights: 7, volunteering: 10, 'joint-actions': 5, online: 20 });
    expect([b.total, b.rank]).toEqual([90.33, 1]);
    // 0, 40 × 300/1800 = 6.67, 5 × 1/4 = 1.25, 0, 0, 5, 0
    expect([c.total, c.rank]).toEqual([12.92, 3]);
    // 5 × 1/3 = 1.67, 40 × 200/1800 = 4.44, 5 × 2/4 = 2.50, 0, 10 × 5/100 = 0.50
    expect([e.total, e.rank]).toEqual([9.11, 4]);
    // Only 亮点 is the reviewer's here.
    expect(unit(report, 'weihui-kx').missing.find((m) => m.code === 'reviewer-scores')).toMatchObject({ indicators: ['highlights'] });
  });
});

describe('Scores: who reads them', () => {
  it.each([
    [['reviewer'], 'city-kx'],
    [['admin'], 'city-kx'],
  ] as Array<[Role[], string]>)('answers %j', async (roles, orgId) => {
    await expect(getScores({ principal: who(roles, orgId), campaignId: xinxiang.id }, deps())).resolves.toBeDefined();
  });

  it.each([
    [['organizer'], 'hongqi-kx'],
    [['organizer'], 'city-kx'],
    [['analyst'], 'city-kx'],
  ] as Array<[Role[], string]>)('refuses %j of %s with 403', async (roles, orgId) => {
    await expect(getScores({ principal: who(roles, orgId), campaignId: xinxiang.id }, deps())).rejects.toMatchObject({ status: 403 });
  });

  it('answers 404 for an unknown campaign', async () => {
    await expect(getScores({ principal: who(['admin']), campaignId: 'no-such' }, deps())).rejects.toMatchObject({ status: 404 });
  });

  it('answers 404 to a reviewer or an admin of another city, as for a missing campaign', async () => {
    for (const roles of [['reviewer'], ['admin']] as Role[][]) {
      await expect(getScores({ principal: who(roles, 'city-kx', 'anyang'), campaignId: xinxiang.id }, deps())).rejects.toMatchObject({ status: 404 });
    }
  });

  it('reads a closed campaign’s scores', async () => {
    const closed = loadCampaign(xinxiang2021, 'closed');
    await expect(getScores({ principal: who(['reviewer']), campaignId: closed.id }, deps(closed))).resolves.toBeDefined();
  });

  it('ignores items of another campaign or entity', () => {
    const facts = new ScoringFacts(xinxiang);
    facts.activity({ activityId: 'z', campaignId: 'other', organizationId: 'hongqi-kx', createdAt: '2021-09-01T00:00:00Z', status: 'registered', submittedAt: '2021-09-02T00:00:00Z' });
    facts.flag({ campaignId: 'other', organizationId: 'hongqi-kx', code: 'results-missing', waived: false });
    expect(facts.report().read).toMatchObject({ activities: 0, flags: 0 });
  });
});

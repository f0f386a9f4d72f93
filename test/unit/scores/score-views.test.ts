// The body of GET …/scores (shared/http/score-views.ts), issue 17 items 6 and 7:
// - a tie is described once per group (`ties`, each tied entry naming its group), so 130 units
//   tied at 0 give an answer that grows linearly with the units (it was 1 MB, 86% tie lists, and
//   about 345 tied units passed Lambda's 6 MB); ranks and ties stay right;
// - a reviewer's own unit's review is withheld from them, as GET …/review withholds it.
import { xinxiang2021 } from '../../../shared/campaigns/2021-xinxiang';
import { loadCampaign } from '../../../shared/domain/campaign';
import { TIE_NAMES_LISTED } from '../../../shared/domain/scoring';
import { scoresView } from '../../../shared/http/score-views';
import { reviewWithheldFor } from '../../../shared/use-cases/scores';
import { ScoringFacts, type ScoreReport } from '../../../shared/domain/scoring-facts';
import { storedItems } from './scores-data';

const campaign = loadCampaign(xinxiang2021);
const C = campaign.id;
const AT = new Date('2021-10-23T02:00:00Z');
const TIMINGS = { readMs: 1, scoreMs: 1 };

/** The campaign's 130 units plus `added` units added at run time; each with `activities` identical registered activities. */
function tiedReport(added: number, activities: number): ScoreReport {
  const facts = new ScoringFacts(campaign);
  for (let n = 0; n < added; n++) {
    facts.organization({ entity: 'Organization', organizationId: `added-${String(n).padStart(4, '0')}`, name: `新增单位 ${n}`, county: 'hongqi', type: 'society' });
  }
  const units = [...campaign.organizations.map((o) => o.organizationId), ...Array.from({ length: added }, (_, n) => `added-${String(n).padStart(4, '0')}`)];
  for (const organizationId of units) {
    for (let a = 0; a < activities; a++) {
      facts.activity({
        entity: 'Activity',
        activityId: `${organizationId}-a${a}`,
        campaignId: C,
        organizationId,
        status: 'registered',
        createdAt: '2021-09-01T01:00:00.000Z',
        submittedAt: '2021-09-03T01:00:00.000Z',
        title: '科普进社区',
        kind: 'main-venue',
        format: 'offline',
        county: 'hongqi',
        startsAt: '2021-10-01T01:00:00.000Z',
      });
    }
  }
  return facts.report();
}

const body = (report: ScoreReport, withheld?: string) => JSON.parse(JSON.stringify(scoresView(report, TIMINGS, AT, withheld ? { withheld } : {}))) as ReturnType<typeof scoresView>;
const bytes = (report: ScoreReport) => Buffer.byteLength(JSON.stringify(scoresView(report, TIMINGS, AT)));

describe('Function: scoresView, ties', () => {
  it('describes 130 units tied at 0 as one group, each unit naming it, ranks all 1', () => {
    // Act
    const view = body(tiedReport(0, 0));
    // Assess
    expect(view.units).toHaveLength(130);
    expect(view.ties).toEqual([{ group: 0, rank: 1, total: 0, organizationIds: [...campaign.organizations.map((o) => o.organizationId)].sort() }]);
    expect(view.units.map((u) => u.organizationId)).toEqual(view.ties[0]!.organizationIds);
    for (const u of view.units) {
      expect([u.rank, u.tie?.group]).toEqual([1, 0]);
      expect(u.tie?.explanation.zh).toBe('与另外 129 个单位总分相同（0.00 分），并列第 1 名。总分按百分之一分比较，同分不再细分先后，并列单位按单位编号排列。');
      expect(u.tie?.explanation.en).toMatch(/^Tied with 129 other units on 0\.00 points: all share rank 1\./);
      expect(u.tie).not.toHaveProperty('tiedWith');
    }
  });

  it('grows linearly with the units: 130 and 260 tied units, with and without commended ties', () => {
    for (const activities of [0, 1]) {
      // Act
      const [n130, n260, n520] = [0, 130, 390].map((added) => bytes(tiedReport(added, activities))) as [number, number, number];
      // Assess: doubling the units about doubles the answer (the square would quadruple it), and a unit costs a bounded size.
      expect(n260 / n130).toBeLessThan(2.1);
      expect(n520 / n260).toBeLessThan(2.1);
      expect(n130 / 130).toBeLessThan(activities ? 4_500 : 3_000);
      // 130 tied units answered 1 MB before (8 KB a unit); 345 passed Lambda's 6 MB.
      expect(n520).toBeLessThan(3 * 1024 * 1024);
    }
  });

  it('names up to three others in a small tie, as before, and a group per tie of the ranking and of each commendation list', () => {
    // Prepare: weibin-kx and muye-kx tie at 4 among the units with activities; the rest tie at 0.
    const facts = new ScoringFacts(campaign);
    const data = storedItems();
    data.activities.forEach((i) => facts.activity(i));
    data.results.forEach((i) => facts.result(i));
    data.media.forEach((i) => facts.medium(i));
    data.flags.forEach((i) => facts.flag(i));
    data.summaries.forEach((i) => facts.summary(i));
    data.reviews.forEach((i) => facts.review(i));
    // Act
    const view = body(facts.report());
    // Assess
    const tied = view.units.filter((u) => u.tie !== null);
    expect(view.ties.map((t) => [t.group, t.rank, t.organizationIds.length])).toEqual([
      [0, 4, 2],
      [1, 6, 125],
    ]);
    expect(view.ties[0]!.organizationIds).toEqual(['muye-kx', 'weibin-kx']);
    for (const u of tied) expect(view.ties[u.tie!.group]!.organizationIds).toContain(u.organizationId);
    expect(view.units.find((u) => u.organizationId === 'weibin-kx')?.tie?.explanation.zh).toContain(`与 muye-kx 总分相同`);
    expect(TIE_NAMES_LISTED).toBe(3);
    // The commendation list's own ties: muye-kx and weibin-kx at 4 overall; none per type here.
    expect(view.commendations.ties).toEqual([{ group: 0, rank: 4, total: view.ties[0]!.total, organizationIds: ['muye-kx', 'weibin-kx'] }]);
    expect(view.commendations.units.filter((u) => u.tie).map((u) => [u.organizationId, u.tie?.group])).toEqual([
      ['muye-kx', 0],
      ['weibin-kx', 0],
    ]);
    expect(view.commendations.byType.every((t) => Array.isArray(t.ties))).toBe(true);
    expect(view.commendations.activities.map((a) => a.tie)).toEqual([null, null]);
    expect(view.commendations.activityTies).toEqual([]);
  });
});

describe('Function: scoresView, a reviewer’s own unit (issue 17 item 7)', () => {
  const report = () => {
    const facts = new ScoringFacts(campaign);
    const data = storedItems();
    data.activities.forEach((i) => facts.activity(i));
    data.results.forEach((i) => facts.result(i));
    data.media.forEach((i) => facts.medium(i));
    data.summaries.forEach((i) => facts.summary(i));
    data.reviews.forEach((i) => facts.review(i));
    return facts.report();
  };

  it('withholds from a reviewer their own unit, never from an admin', () => {
    expect(reviewWithheldFor({ sub: 'r', orgId: 'hongqi-kx', roles: new Set(['reviewer']), city: 'xinxiang' })).toBe('hongqi-kx');
    expect(reviewWithheldFor({ sub: 'a', orgId: 'hongqi-kx', roles: new Set(['reviewer', 'admin']), city: 'xinxiang' })).toBeUndefined();
    expect(reviewWithheldFor({ sub: 'a', orgId: 'city-kx', roles: new Set(['admin']), city: 'xinxiang' })).toBeUndefined();
  });

  it('leaves out the unit’s reviewer scores, the points they make, what is missing of them and its activities’ 效果亮点 score', () => {
    // Act
    const open = body(report());
    const hidden = body(report(), 'hongqi-kx');
    // Assess
    const [before, after] = [open, hidden].map((v) => v.units.find((u) => u.organizationId === 'hongqi-kx')!);
    expect(before!.indicators.some((i) => i.reviewer !== null)).toBe(true);
    expect(after).toMatchObject({ reviewWithheld: true, total: before!.total, rank: before!.rank, subtotal: before!.subtotal });
    expect(after!.indicators.map((i) => [i.indicatorId, i.reviewer, i.score])).toEqual(
      before!.indicators.map((i) => [i.indicatorId, null, i.computedShare < 1 ? null : i.score]),
    );
    expect(after!.missing.some((m) => m.code === 'reviewer-scores')).toBe(false);
    const a1 = (v: typeof open) => v.commendations.activities.find((a) => a.organizationId === 'hongqi-kx');
    expect(a1(open)?.highlights).toEqual(expect.any(Number));
    expect(a1(hidden)?.highlights).toBeNull();
    // Every other unit as anyone sees it.
    expect(hidden.units.filter((u) => u.organizationId !== 'hongqi-kx')).toEqual(open.units.filter((u) => u.organizationId !== 'hongqi-kx'));
    expect(open.units.some((u) => 'reviewWithheld' in u)).toBe(false);
  });
});

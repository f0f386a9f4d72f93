// The evaluation (docs/scoring.md): the worked example reproduced to the hundredth, the same
// units under another campaign's weights, ties, units with nothing, penalties, the
// commendation list, and properties of the formula.
import fc from 'fast-check';
import { DEFAULT_PENALTY, INDICATOR_IDS, loadCampaign, METRIC_IDS, type Campaign, type IndicatorId, type OrganizationType } from '../../../shared/domain/campaign';
import { FLAG_CODES, type FlagCode } from '../../../shared/domain/flags';
import type { UnitFigures } from '../../../shared/domain/rules';
import {
  commendations,
  scoreCampaign,
  type CampaignScores,
  type UnitScore,
  type UnitScoringInput,
} from '../../../shared/domain/scoring';
import { xinxiang2021 } from '../../../shared/campaigns/2021-xinxiang';
import { otherCampaign } from '../../fixtures/campaign-other';

const xinxiang = loadCampaign(xinxiang2021);
const lindau = loadCampaign(otherCampaign);

/** Figures in METRIC_IDS order. */
const figures = (
  ...v: [activities: number, participants: number, coOrganizers: number, counties: number, onTime: number, news: number, media: number, volunteers: number, hours: number, joint: number, online: number]
): UnitFigures => Object.fromEntries(METRIC_IDS.map((m, i) => [m, v[i]])) as UnitFigures;
const ZERO_FIGURES = figures(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

const unit = (organizationId: string, over: Partial<UnitScoringInput> = {}): UnitScoringInput => ({
  organizationId,
  organizationType: 'association',
  figures: ZERO_FIGURES,
  summarySubmitted: true,
  ...over,
});
const byId = (scores: CampaignScores, id: string): UnitScore => {
  const u = scores.units.find((x) => x.organizationId === id);
  if (!u) throw new Error(`no ${id}`);
  return u;
};
const indicatorScores = (u: UnitScore) => Object.fromEntries(u.indicators.map((i) => [i.indicatorId, i.score]));

// The four units of the worked example in docs/scoring.md, §5.
const WORKED: UnitScoringInput[] = [
  unit('hongqi-kx', {
    organizationType: 'association',
    figures: figures(4, 1200, 6, 2, 0.75, 8, 20, 30, 120, 3, 1),
    unwaivedFlags: { 'registration-late': 1 },
    reviewerScores: { mobilization: 80, publicity: 70, highlights: 90, volunteering: 60, online: 50 },
  }),
  unit('city-jyj', {
    organizationType: 'department',
    figures: figures(2, 2400, 3, 4, 1, 4, 40, 10, 60, 1, 2),
    reviewerScores: { mobilization: 60, publicity: 90, highlights: 70, volunteering: 80, online: 100 },
  }),
  unit('weihui-kx', {
    organizationType: 'association',
    figures: figures(1, 300, 0, 1, 1, 2, 5, 0, 0, 1, 0),
    unwaivedFlags: { 'summary-missing': 1 },
    summarySubmitted: false,
  }),
  unit('huojia-slj', { organizationType: 'department', unwaivedFlags: { 'organization-inactive': 1 }, summarySubmitted: false }),
];

describe('Scoring: the worked example of docs/scoring.md (2021-xinxiang)', () => {
  const scores = scoreCampaign(xinxiang, WORKED);

  it('takes the maxima over the units as divisors', () => {
    expect(scores.maxima).toEqual(figures(4, 2400, 6, 4, 1, 8, 40, 30, 120, 3, 2));
  });

  it('normalises each figure by the maximum, the on-time rate as it is', () => {
    expect(byId(scores, 'city-jyj').normalised).toEqual(figures(0.5, 1, 0.5, 1, 1, 0.5, 1, 1 / 3, 0.5, 1 / 3, 1));
    expect(byId(scores, 'huojia-slj').normalised).toEqual(ZERO_FIGURES);
  });

  it('computes each indicator score to the hundredth, as in the table', () => {
    expect(indicatorScores(byId(scores, 'hongqi-kx'))).toEqual({
      mobilization: 11.55, // 15 × (0.6 × (1 + 1/2 + 3/4)/3 + 0.4 × 0.80) = 15 × 0.77
      scale: 15, // 20 × (1 + 1/2)/2
      publicity: 11.03, // 15 × (0.7 × (1 + 1/2)/2 + 0.3 × 0.70) = 11.025 → 11.03 (half up)
      highlights: 13.5, // 15 × 0.90
      volunteering: 9.2, // 10 × (0.8 × 1 + 0.2 × 0.60)
      'joint-actions': 15, // 15 × 3/3
      online: 5, // 10 × (0.8 × 1/2 + 0.2 × 0.50)
    });
    expect(indicatorScores(byId(scores, 'city-jyj'))).toEqual({
      mobilization: 11.1, // 15 × (0.6 × (1/2 + 1 + 1)/3 + 0.4 × 0.60) = 15 × 0.74
      scale: 15, // 20 × (1/2 + 1)/2
      publicity: 11.93, // 15 × (0.7 × (1/2 + 1)/2 + 0.3 × 0.90) = 11.925 → 11.93
      highlights: 10.5, // 15 × 0.70
      volunteering: 4.93, // 10 × (0.8 × (1/3 + 1/2)/2 + 0.2 × 0.80) = 4.9333…
      'joint-actions': 5, // 15 × 1/3
      online: 10, // 10 × (0.8 × 1 + 0.2 × 1.00)
    });
    expect(indicatorScores(byId(scores, 'weihui-kx'))).toEqual({
      mobilization: 3.75, // 15 × 0.6 × (0 + 1/4 + 1)/3
      scale: 3.75, // 20 × (1/4 + 1/8)/2
      publicity: 1.97, // 15 × 0.7 × (1/4 + 1/8)/2 = 1.96875 → 1.97
      highlights: 0,
      volunteering: 0,
      'joint-actions': 5,
      online: 0,
    });
    expect(indicatorScores(byId(scores, 'huojia-slj'))).toEqual(Object.fromEntries(INDICATOR_IDS.map((i) => [i, 0])));
  });

  it('would get 11.025 and 11.925 wrong in floating point (why the scorer uses exact fractions)', () => {
    expect(15 * (0.7 * 0.75 + (1 - 0.7) * 0.7)).toBe(11.024999999999999);
    expect((15 * (0.7 * 0.75 + (1 - 0.7) * 0.7)).toFixed(2)).toBe('11.02');
    expect((15 * (0.7 * 0.75 + (1 - 0.7) * 0.9)).toFixed(2)).toBe('11.92');
  });

  it('adds up, takes off the penalty and ranks: 79.28, 68.46, 12.47, 0', () => {
    expect(scores.units.map((u) => [u.organizationId, u.subtotal, u.penalty.points, u.total, u.rank, u.tie])).toEqual([
      ['hongqi-kx', 80.28, 1, 79.28, 1, null],
      ['city-jyj', 68.46, 0, 68.46, 2, null],
      ['weihui-kx', 14.47, 2, 12.47, 3, null],
      ['huojia-slj', 0, 0, 0, 4, null],
    ]);
    expect(byId(scores, 'hongqi-kx').penalty).toEqual({ flags: { 'registration-late': 1 }, points: 1, capped: false });
    expect(byId(scores, 'huojia-slj').penalty).toEqual({ flags: { 'organization-inactive': 1 }, points: 0, capped: false });
  });

  it('says what is missing', () => {
    const codes = (id: string) => byId(scores, id).missing.map((m) => ('indicators' in m ? `${m.code}:${m.indicators.join(',')}` : m.code));
    expect(codes('hongqi-kx')).toEqual([]);
    expect(codes('weihui-kx')).toEqual(['no-summary', 'reviewer-scores:mobilization,publicity,highlights,volunteering,online']);
    // A unit with no registered activity owes no summary (R10).
    expect(codes('huojia-slj')).toEqual(['no-registered-activity', 'reviewer-scores:mobilization,publicity,highlights,volunteering,online']);
    expect(byId(scores, 'huojia-slj').missing[0]?.message).toEqual({ zh: '没有已登记的活动', en: 'no registered activity' });
  });

  it('shows the computed and reviewer parts it used', () => {
    const a = byId(scores, 'hongqi-kx').indicators;
    expect(a.map((i) => [i.indicatorId, i.computed, i.reviewer])).toEqual([
      ['mobilization', 0.75, 80],
      ['scale', 0.75, null],
      ['publicity', 0.75, 70],
      ['highlights', null, 90],
      ['volunteering', 1, 60],
      ['joint-actions', 1, null],
      ['online', 0.5, 50],
    ]);
  });
});

describe('Scoring: the same units under other weights (2030-lindau)', () => {
  // Lindau weighs participants 40, online 20, and leaves only 效果亮点 to the reviewer.
  //   city-jyj:  5×3/6 + 40×2400/2400 + 5×4/8 + 10×0.70 + 10×60/120 + 10×1/3 + 20×2/2
  //            = 2.5 + 40 + 2.5 + 7 + 5 + 3.33 + 20 = 80.33
  //   hongqi-kx: 5×6/6 + 40×1200/2400 + 5×8/8 + 10×0.90 + 10×120/120 + 10×3/3 + 20×1/2
  //            = 5 + 20 + 5 + 9 + 10 + 10 + 10 = 69, − 1 (registration-late) = 68
  //   weihui-kx: 0 + 40×300/2400 + 5×2/8 + 0 + 0 + 10×1/3 + 0 = 5 + 1.25 + 3.33 = 9.58, − 2 = 7.58
  const scores = scoreCampaign(lindau, WORKED);

  it('puts city-jyj first where 2021-xinxiang put hongqi-kx first', () => {
    expect(scores.units.map((u) => [u.organizationId, u.total, u.rank])).toEqual([
      ['city-jyj', 80.33, 1],
      ['hongqi-kx', 68, 2],
      ['weihui-kx', 7.58, 3],
      ['huojia-slj', 0, 4],
    ]);
    expect(scoreCampaign(xinxiang, WORKED).units.map((u) => u.organizationId).slice(0, 2)).toEqual(['hongqi-kx', 'city-jyj']);
  });

  it('computes every indicator of it by hand', () => {
    expect(indicatorScores(byId(scores, 'city-jyj'))).toEqual({
      mobilization: 2.5, scale: 40, publicity: 2.5, highlights: 7, volunteering: 5, 'joint-actions': 3.33, online: 20,
    });
    expect(indicatorScores(byId(scores, 'hongqi-kx'))).toEqual({
      mobilization: 5, scale: 20, publicity: 5, highlights: 9, volunteering: 10, 'joint-actions': 10, online: 10,
    });
    expect(byId(scores, 'weihui-kx').subtotal).toBe(9.58);
  });

  it('ignores reviewer scores of indicators Lindau does not leave to the reviewer, and asks only for 效果亮点', () => {
    expect(byId(scores, 'hongqi-kx').indicators.find((i) => i.indicatorId === 'publicity')?.reviewer).toBeNull();
    expect(byId(scores, 'weihui-kx').missing.map((m) => ('indicators' in m ? m.indicators : m.code))).toEqual(['no-summary', ['highlights']]);
  });
});

describe('Scoring: ties (competition ranking 1, 2, 2, 4)', () => {
  const scale = (activities: number) => figures(activities, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0);
  // scale = 20 × (n/4 + 0)/2 and mobilization = 15 × 0.6 × (0 + 0 + 1)/3 = 3 for everyone.
  const scores = scoreCampaign(xinxiang, [
    unit('d', { figures: scale(1) }), // 3 + 2.5
    unit('c', { figures: scale(2) }), // 3 + 5
    unit('b', { figures: scale(2) }), // 3 + 5
    unit('a', { figures: scale(4) }), // 3 + 10
  ]);

  it('gives equal totals the same rank and skips the ranks they use', () => {
    expect(scores.units.map((u) => [u.organizationId, u.total, u.rank])).toEqual([
      ['a', 13, 1],
      ['b', 8, 2],
      ['c', 8, 2],
      ['d', 5.5, 4],
    ]);
  });

  it('explains the tie in Chinese and English', () => {
    expect(byId(scores, 'b').tie).toEqual({
      tiedWith: ['c'],
      explanation: {
        zh: '与 c 总分相同（8.00 分），并列第 2 名，其后单位为第 4 名。总分按百分之一分比较，同分不再细分先后，并列单位按单位编号排列。',
        en: 'Tied with c on 8.00 points: all share rank 2 and the next unit is ranked 4. Totals are compared to the hundredth of a point; equal totals are not separated, and tied units are listed by organization id.',
      },
    });
    expect(byId(scores, 'c').tie?.tiedWith).toEqual(['b']);
    expect(byId(scores, 'a').tie).toBeNull();
  });

  it('ties at the bottom without naming a next rank', () => {
    const bottom = scoreCampaign(xinxiang, [unit('x', { figures: scale(1) }), unit('y'), unit('z')]);
    expect(bottom.units.map((u) => [u.organizationId, u.rank])).toEqual([['x', 1], ['y', 2], ['z', 2]]);
    expect(byId(bottom, 'y').tie?.explanation.en).toBe(
      'Tied with z on 0.00 points: all share rank 2. Totals are compared to the hundredth of a point; equal totals are not separated, and tied units are listed by organization id.',
    );
  });

  it('ranks on the printed hundredths: totals that round alike tie', () => {
    // p: 20 × (1/3 + 1000000/3000003)/2 = 6.666663…, q: 20 × (1/3 + 1/3)/2 = 6.666666…: both print
    // 6.67, so they tie although their exact values differ.
    const near = scoreCampaign(xinxiang, [
      unit('p', { figures: figures(1, 1_000_000, 0, 0, 0, 0, 0, 0, 0, 0, 0) }),
      unit('q', { figures: figures(1, 1_000_001, 0, 0, 0, 0, 0, 0, 0, 0, 0) }),
      unit('r', { figures: figures(3, 3_000_003, 0, 0, 0, 0, 0, 0, 0, 0, 0) }),
    ]);
    expect(near.units.map((u) => [u.organizationId, u.total, u.rank])).toEqual([['r', 20, 1], ['p', 6.67, 2], ['q', 6.67, 2]]);
  });
});

describe('Scoring: units with nothing', () => {
  it('scores a unit with no activities 0 on every computed part, keeps its reviewer part', () => {
    const scores = scoreCampaign(xinxiang, [
      unit('busy', { figures: figures(2, 100, 1, 1, 1, 1, 1, 1, 1, 1, 1) }),
      unit('idle', { reviewerScores: { mobilization: 50, publicity: 0, highlights: 0, volunteering: 0, online: 0 } }),
    ]);
    const idle = byId(scores, 'idle');
    expect(idle.indicators.map((i) => i.computed)).toEqual([0, 0, 0, null, 0, 0, 0]);
    expect(idle.total).toBe(3); // 15 × 0.4 × 0.50
    expect(idle.missing.map((m) => m.code)).toEqual(['no-registered-activity']);
  });

  it('gives an all-zero campaign 0 everywhere, never NaN, everyone tied first', () => {
    const scores = scoreCampaign(xinxiang, [unit('a'), unit('b'), unit('c')]);
    expect(scores.maxima).toEqual(ZERO_FIGURES);
    for (const u of scores.units) {
      expect(Object.values(u.normalised).every((v) => v === 0)).toBe(true);
      expect(u.indicators.map((i) => i.score)).toEqual([0, 0, 0, 0, 0, 0, 0]);
      expect([u.total, u.rank]).toEqual([0, 1]);
    }
    expect(byId(scores, 'a').tie?.tiedWith).toEqual(['b', 'c']);
  });

  it('scores no units as an empty list', () => {
    expect(scoreCampaign(xinxiang, []).units).toEqual([]);
  });
});

describe('Scoring: penalty for unwaived flags', () => {
  const full = figures(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1);
  const perfect = { mobilization: 100, publicity: 100, highlights: 100, volunteering: 100, online: 100 };
  const total = (unwaivedFlags: UnitScoringInput['unwaivedFlags']) =>
    scoreCampaign(xinxiang, [unit('u', { figures: full, reviewerScores: perfect, unwaivedFlags })]).units[0];

  it('costs 1 point per late flag and 2 per missing one, so late is never worse than missing', () => {
    expect(total({})?.total).toBe(100);
    expect(total({ 'results-late': 1 })?.total).toBe(99);
    expect(total({ 'results-missing': 1 })?.total).toBe(98);
    expect(total({ 'summary-late': 1, 'not-published-in-advance': 2 })?.total).toBe(97);
    for (const code of ['results', 'summary'] as const) {
      expect(xinxiang.penalty.points[`${code}-late`]).toBeLessThan(xinxiang.penalty.points[`${code}-missing`]);
    }
    expect(xinxiang.penalty).toEqual(DEFAULT_PENALTY);
  });

  it(`is capped at ${xinxiang.penalty.cap} points`, () => {
    expect(total({ 'registration-late': 7, 'results-missing': 3 })?.penalty).toEqual({
      flags: { 'registration-late': 7, 'results-missing': 3 },
      points: 10,
      capped: true,
    });
    expect(total({ 'registration-late': 7, 'results-missing': 3 })?.total).toBe(90);
  });

  it('is the campaign’s: other points per code and another cap change the totals, and no penalty is left out of the definition', () => {
    const strict = loadCampaign({ ...xinxiang2021, id: '2021-strict', penalty: { points: { ...DEFAULT_PENALTY.points, 'results-late': 3, 'organization-inactive': 5 }, cap: 4 } });
    const score = (unwaivedFlags: UnitScoringInput['unwaivedFlags']) => scoreCampaign(strict, [unit('u', { figures: full, reviewerScores: perfect, unwaivedFlags })]).units[0];
    expect(score({ 'results-late': 1 })?.total).toBe(97);
    expect(score({ 'organization-inactive': 1 })?.penalty).toEqual({ flags: { 'organization-inactive': 1 }, points: 4, capped: true });
    // A definition without a penalty gets the default; one with a code missing or a negative point is refused.
    const { penalty: _p, ...withoutPenalty } = xinxiang2021;
    expect(loadCampaign({ ...withoutPenalty, id: '2021-default' } as typeof xinxiang2021).penalty).toEqual(DEFAULT_PENALTY);
    const { 'summary-late': _s, ...partial } = DEFAULT_PENALTY.points;
    expect(() => loadCampaign({ ...xinxiang2021, id: '2021-partial', penalty: { points: partial as typeof DEFAULT_PENALTY.points, cap: 10 } })).toThrow(/penalty\.points\.summary-late/);
    expect(() => loadCampaign({ ...xinxiang2021, id: '2021-negative', penalty: { points: { ...DEFAULT_PENALTY.points, 'results-late': -1 }, cap: 10 } })).toThrow(/penalty\.points\.results-late/);
  });

  it('never takes a total below 0', () => {
    const u = scoreCampaign(xinxiang, [unit('u', { figures: figures(1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), unwaivedFlags: { 'results-missing': 5 } })]).units[0];
    expect([u?.subtotal, u?.penalty.points, u?.total]).toEqual([10, 10, 0]);
  });
});

describe('Scoring: exact reading of the inputs', () => {
  it('takes the on-time rate to four decimals, half up (2/3 → 0.6667)', () => {
    // mobilization = 15 × 0.6 × (0 + 0 + r)/3 = 3r = 3 × 0.6667 = 2.0001 → 2.00.
    const u = scoreCampaign(xinxiang, [unit('u', { figures: figures(3, 0, 0, 0, 2 / 3, 0, 0, 0, 0, 0, 0) })]).units[0];
    expect(u?.normalised['on-time-rate']).toBe(0.6667);
    expect(u?.indicators[0]?.score).toBe(2);
  });

  it('reads a reviewer score as the decimal it is (4.3 is 43/10)', () => {
    // highlights 15 × 4.3/100 = 0.645 → 0.65; in floating point 15 × (4.3/100) is 0.64499999…
    const u = scoreCampaign(xinxiang, [unit('u', { reviewerScores: { highlights: 4.3 } })]).units[0];
    expect(u?.indicators.find((i) => i.indicatorId === 'highlights')?.score).toBe(0.65);
    expect(Math.round(15 * (4.3 / 100) * 100) / 100).toBe(0.64);
  });

  it.each([
    ['a negative figure', { figures: { ...ZERO_FIGURES, participants: -1 } }],
    ['a non-finite figure', { figures: { ...ZERO_FIGURES, volunteers: Number.NaN } }],
    ['an on-time rate above 1', { figures: { ...ZERO_FIGURES, 'on-time-rate': 1.5 } }],
    ['a reviewer score above 100', { reviewerScores: { highlights: 100.5 } }],
    ['a fractional flag count', { unwaivedFlags: { 'results-late': 0.5 } }],
  ] as const)('refuses %s', (_what, over) => {
    expect(() => scoreCampaign(xinxiang, [unit('u', over as Partial<UnitScoringInput>)])).toThrow(RangeError);
  });

  it('refuses a unit given twice', () => {
    expect(() => scoreCampaign(xinxiang, [unit('u'), unit('u')])).toThrow(/given twice/);
  });
});

describe('Commendation (表扬)', () => {
  const scores = scoreCampaign(xinxiang, [
    ...WORKED,
    unit('weibin-kx', { organizationType: 'association', figures: figures(2, 2400, 3, 4, 1, 4, 40, 10, 60, 1, 2), reviewerScores: WORKED[1]?.reviewerScores }),
    unit('city-kjj', { organizationType: 'department', reviewerScores: { mobilization: 100, publicity: 100, highlights: 100, volunteering: 100, online: 100 } }),
  ]);
  // weibin-kx has city-jyj's figures and review: 68.46 too. city-kjj has no activity:
  // 15×0.4 + 15×0.3 + 15 + 10×0.2 + 10×0.2 = 29.5 from the reviewer alone, above weihui-kx's
  // 12.47, but it is not eligible.

  it('lists the best units overall, keeping a tie at the cut', () => {
    const list = commendations(scores, [], { topUnits: 2, topActivities: 0 });
    expect(list.units.map((u) => [u.organizationId, u.total, u.rank])).toEqual([
      ['hongqi-kx', 79.28, 1],
      ['city-jyj', 68.46, 2],
      ['weibin-kx', 68.46, 2],
    ]);
    expect(list.units[1]?.tie?.tiedWith).toEqual(['weibin-kx']);
  });

  it('ranks within each organization type, only units with a registered activity', () => {
    const list = commendations(scores, [], { topUnits: 1, topActivities: 0 });
    expect(list.byType.map((t) => [t.organizationType, t.units.map((u) => [u.organizationId, u.rank])])).toEqual([
      ['association', [['hongqi-kx', 1]]],
      ['department', [['city-jyj', 1]]],
    ]);
    expect(scores.units.find((u) => u.organizationId === 'city-kjj')?.total).toBe(29.5);
    expect(list.units.some((u) => u.organizationId === 'city-kjj')).toBe(false);
    const two = commendations(scores, [], { topUnits: 2, topActivities: 0 });
    expect(two.byType[0]?.units.map((u) => [u.organizationId, u.rank, u.tie])).toEqual([
      ['hongqi-kx', 1, null],
      ['weibin-kx', 2, null],
    ]);
  });

  it('explains a tie within a type', () => {
    const tied = scoreCampaign(xinxiang, [
      unit('x', { figures: figures(1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0) }),
      unit('y', { figures: figures(1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0) }),
    ]);
    expect(commendations(tied, [], { topUnits: 1, topActivities: 0 }).byType[0]?.units[0]?.tie?.explanation.zh).toBe(
      '在科协类单位中，与 y 总分相同（10.00 分），并列第 1 名。总分按百分之一分比较，同分不再细分先后，并列单位按单位编号排列。',
    );
  });

  it('orders distinctive activities by marks, then the unit’s 效果亮点 score, then the unit’s total', () => {
    const marks = [
      { organizationId: 'weihui-kx', activityId: 'w1' }, // unreviewed unit, 2 marks
      { organizationId: 'weihui-kx', activityId: 'w1' },
      { organizationId: 'city-jyj', activityId: 'j1' }, // highlights 70, total 68.46
      { organizationId: 'weibin-kx', activityId: 'b1' }, // highlights 70, total 68.46: tied with j1
      { organizationId: 'hongqi-kx', activityId: 'h1' }, // highlights 90
      { organizationId: 'nobody', activityId: 'z1' }, // not a scored unit: ignored
    ];
    const list = commendations(scores, marks, { topActivities: 3, topUnits: 0 });
    expect(list.activities.map((a) => [a.activityId, a.marks, a.highlights, a.unitTotal, a.rank, a.tiedWith])).toEqual([
      ['w1', 2, null, 12.47, 1, []],
      ['h1', 1, 90, 79.28, 2, []],
      ['b1', 1, 70, 68.46, 3, ['j1']],
      ['j1', 1, 70, 68.46, 3, ['b1']],
    ]);
    expect(commendations(scores, marks, { topActivities: 1, topUnits: 0 }).activities.map((a) => a.activityId)).toEqual(['w1']);
    expect(list.units).toEqual([]);
  });

  it('refuses a negative cut', () => {
    expect(() => commendations(scores, [], { topUnits: -1, topActivities: 0 })).toThrow(RangeError);
  });
});

// --- properties ---------------------------------------------------------------------------

const TYPES: OrganizationType[] = ['association', 'department', 'school'];
const figuresArb: fc.Arbitrary<UnitFigures> = fc
  .record({
    n: fc.integer({ min: 0, max: 20 }),
    onTime: fc.integer({ min: 0, max: 20 }),
    rest: fc.array(fc.integer({ min: 0, max: 5000 }), { minLength: 9, maxLength: 9 }),
  })
  .map(({ n, onTime, rest }) => {
    const [participants, co, counties, news, media, volunteers, hours, joint, online] = rest as number[];
    const rate = n === 0 ? 0 : Math.min(onTime, n) / n;
    return figures(n, participants!, co!, counties!, rate, news!, media!, volunteers!, hours!, joint!, online!);
  });
const reviewArb = fc.option(
  fc.record(Object.fromEntries(INDICATOR_IDS.map((i) => [i, fc.oneof(fc.integer({ min: 0, max: 100 }), fc.double({ min: 0, max: 100, noNaN: true }))])) as Record<IndicatorId, fc.Arbitrary<number>>, {
    requiredKeys: [],
  }),
  { nil: undefined },
);
const flagsArb = fc.dictionary(fc.constantFrom(...FLAG_CODES), fc.integer({ min: 0, max: 4 }), { maxKeys: 4 }) as fc.Arbitrary<Partial<Record<FlagCode, number>>>;
const unitsArb = fc
  .array(
    fc.record({
      organizationType: fc.constantFrom(...TYPES),
      figures: figuresArb,
      unwaivedFlags: flagsArb,
      reviewerScores: reviewArb,
      summarySubmitted: fc.boolean(),
    }),
    { minLength: 1, maxLength: 6 },
  )
  .map((us) => us.map((u, i): UnitScoringInput => ({ ...u, organizationId: `u${i}` })));
const campaignArb = fc.constantFrom<Campaign>(xinxiang, lindau);
const totals = (s: CampaignScores) => Object.fromEntries(s.units.map((u) => [u.organizationId, [u.total, u.rank]]));

describe('Scoring: properties', () => {
  it('keeps every indicator within 0..weight and every total within 0..100', () => {
    fc.assert(
      fc.property(campaignArb, unitsArb, (campaign, units) => {
        for (const u of scoreCampaign(campaign, units).units) {
          expect(u.total).toBeGreaterThanOrEqual(0);
          expect(u.total).toBeLessThanOrEqual(100);
          u.indicators.forEach((i) => expect(i.score).toBeLessThanOrEqual(i.weight));
          expect(Math.round(u.total * 100)).toBe(Math.max(0, Math.round(u.subtotal * 100) - u.penalty.points * 100));
        }
      }),
    );
  });

  it('ranks 1 + the number of units with a strictly higher total', () => {
    fc.assert(
      fc.property(campaignArb, unitsArb, (campaign, units) => {
        const s = scoreCampaign(campaign, units).units;
        for (const u of s) expect(u.rank).toBe(1 + s.filter((v) => v.total > u.total).length);
      }),
    );
  });

  it('does not change anyone’s total or rank when a unit with nothing joins', () => {
    fc.assert(
      fc.property(campaignArb, unitsArb, (campaign, units) => {
        const before = totals(scoreCampaign(campaign, units));
        const after = totals(scoreCampaign(campaign, [...units, unit('zero', { summarySubmitted: false })]));
        delete after.zero;
        expect(after).toEqual(before);
      }),
    );
  });

  it('never lowers a unit’s total when one of its figures rises', () => {
    fc.assert(
      fc.property(
        campaignArb,
        unitsArb,
        fc.nat(),
        fc.constantFrom(...METRIC_IDS),
        fc.integer({ min: 1, max: 5000 }),
        (campaign, units, pick, metric, raise) => {
          const k = pick % units.length;
          const u = units[k] as UnitScoringInput;
          const value = metric === 'on-time-rate' ? Math.min(1, u.figures[metric] + raise / 5000) : u.figures[metric] + raise;
          const raised = units.map((x, i) => (i === k ? { ...x, figures: { ...x.figures, [metric]: value } } : x));
          const before = byId(scoreCampaign(campaign, units), u.organizationId).total;
          expect(byId(scoreCampaign(campaign, raised), u.organizationId).total).toBeGreaterThanOrEqual(before);
        },
      ),
    );
  });

  it('does not depend on the order the units come in', () => {
    fc.assert(
      fc.property(campaignArb, unitsArb, fc.nat(), (campaign, units, shift) => {
        const k = shift % units.length;
        const rotated = [...units.slice(k), ...units.slice(0, k)];
        expect(scoreCampaign(campaign, rotated)).toEqual(scoreCampaign(campaign, units));
      }),
    );
  });

  it('does not change when one figure is multiplied for every unit (only the ratio to the best counts)', () => {
    fc.assert(
      fc.property(
        campaignArb,
        unitsArb,
        fc.constantFrom(...METRIC_IDS.filter((m) => m !== 'on-time-rate')),
        fc.integer({ min: 2, max: 7 }),
        (campaign, units, metric, factor) => {
          const scaled = units.map((u) => ({ ...u, figures: { ...u.figures, [metric]: u.figures[metric] * factor } }));
          expect(totals(scoreCampaign(campaign, scaled))).toEqual(totals(scoreCampaign(campaign, units)));
        },
      ),
    );
  });
});

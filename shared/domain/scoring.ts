/**
 * The evaluation (评价): per organizing unit, the seven indicators' scores, a penalty for
 * unwaived flags, the weighted total, the rank, and what is missing; and the commendation
 * list (表扬). Pure: the caller brings each unit's figures (rules.ts `unitFigures`), its
 * unwaived flag counts, its reviewer scores and whether its work summary is in.
 *
 * The formula, every constant and a worked example are in docs/scoring.md; the unit tests
 * reproduce that example exactly. Arithmetic is exact: every input number is read as the
 * decimal it prints as (0.7 is 7/10, 33.33 is 3333/100), fractions are kept as bigint
 * ratios, and each indicator score is rounded once, half up, to hundredths of a point. The
 * subtotal and the total are sums of those hundredths, so a reader adding the printed
 * indicator scores gets the printed total, and ranks compare exactly what is printed.
 */
import { METRIC_IDS, ORGANIZATION_TYPE_NAMES, ORGANIZATION_TYPES, type Bilingual, type Campaign, type IndicatorId, type MetricId, type OrganizationType } from './campaign';
import { FLAG_CODES, type FlagCode } from './flags';
import type { UnitFigures } from './rules';

// --- constants --------------------------------------------------------------------------



/** The on-time rate is taken to this many decimals (a percentage to two decimals), half up. */
export const ON_TIME_RATE_DECIMALS = 4;

/** The scale of a reviewer's score (review.schema.ts `REVIEW_LIMITS.score`): 0..100. */
export const REVIEWER_SCALE = 100;

/** The indicator whose reviewer score orders distinctive activities (效果亮点: 特色鲜明、实效显著). */
export const DISTINCTIVENESS_INDICATOR: IndicatorId = 'highlights';

// --- exact fractions --------------------------------------------------------------------

/** A fraction n/d, d > 0, in lowest terms (the scores only ever hold non-negative ones). */
interface Q {
  readonly n: bigint;
  readonly d: bigint;
}

const gcd = (a: bigint, b: bigint): bigint => {
  let [x, y] = [a < 0n ? -a : a, b < 0n ? -b : b];
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
};
const frac = (n: bigint, d: bigint = 1n): Q => {
  const g = gcd(n, d) || 1n;
  return { n: n / g, d: d / g };
};
const ZERO = frac(0n);
const add = (a: Q, b: Q): Q => frac(a.n * b.d + b.n * a.d, a.d * b.d);
const sub = (a: Q, b: Q): Q => frac(a.n * b.d - b.n * a.d, a.d * b.d);
const mul = (a: Q, b: Q): Q => frac(a.n * b.n, a.d * b.d);
const div = (a: Q, b: Q): Q => (b.n === 0n ? ZERO : frac(a.n * b.d, a.d * b.n));
const pow10 = (k: number): bigint => 10n ** BigInt(k);
/** floor(a / b) for b > 0. */
const floorDiv = (a: bigint, b: bigint): bigint => (a >= 0n ? a / b : -((-a + b - 1n) / b));
/** Rounded half up to `decimals` decimals, as a count of 10^-decimals. */
const roundHalfUp = (x: Q, decimals: number): bigint => floorDiv(2n * x.n * pow10(decimals) + x.d, 2n * x.d);
/** For display only (the scores never go through a float). */
const toNumber = (x: Q): number => Number(x.n) / Number(x.d);

/** A finite, non-negative number, read exactly as the decimal it prints as. */
function exact(x: number, what: string): Q {
  const m = Number.isFinite(x) && x >= 0 ? /^(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/.exec(String(x)) : null;
  if (!m) throw new RangeError(`${what} must be a finite number >= 0, not ${x}`);
  const digits = m[2] ?? '';
  const exponent = Number(m[3] ?? '0') - digits.length;
  const n = BigInt(`${m[1]}${digits}`);
  return exponent >= 0 ? frac(n * pow10(exponent)) : frac(n, pow10(-exponent));
}

/** Hundredths of a point as a decimal string: 1103 → "11.03". */
const formatHundredths = (h: number): string => `${Math.floor(h / 100)}.${String(h % 100).padStart(2, '0')}`;

// --- input and output -------------------------------------------------------------------

/** What the scorer needs to know of one unit. */
export interface UnitScoringInput {
  readonly organizationId: string;
  readonly organizationType: OrganizationType;
  /** rules.ts `unitFigures` over the unit's activities. */
  readonly figures: UnitFigures;
  /** How many unwaived flags of each code the unit has (absent: none). */
  readonly unwaivedFlags?: Partial<Readonly<Record<FlagCode, number>>>;
  /** The reviewer's scores, 0..100, per indicator; absent when the unit is not reviewed yet. */
  readonly reviewerScores?: Partial<Readonly<Record<IndicatorId, number>>>;
  /** Whether the unit's work summary (工作总结) has been submitted. */
  readonly summarySubmitted: boolean;
}

export interface IndicatorScore {
  readonly indicatorId: IndicatorId;
  readonly weight: number;
  readonly computedShare: number;
  /** Mean of the indicator's normalised metrics, 0..1 (display; the score uses the exact fraction); null when it has none. */
  readonly computed: number | null;
  /** The reviewer's score, 0..100; null when not given, or not asked (computedShare 1). */
  readonly reviewer: number | null;
  /** Points, 0..weight, rounded half up to hundredths. */
  readonly score: number;
}

export type MissingItem =
  | { readonly code: 'no-registered-activity'; readonly message: Bilingual }
  | { readonly code: 'no-summary'; readonly message: Bilingual }
  | { readonly code: 'reviewer-scores'; readonly indicators: readonly IndicatorId[]; readonly message: Bilingual };

/** Units with the same total share a rank; this says with whom and what it means. */
export interface Tie {
  readonly tiedWith: readonly string[];
  readonly explanation: Bilingual;
}

export interface UnitScore {
  readonly organizationId: string;
  readonly organizationType: OrganizationType;
  /** The raw figures, as given. */
  readonly figures: UnitFigures;
  /** Each metric normalised to 0..1 across the campaign's units (display values). */
  readonly normalised: Readonly<Record<MetricId, number>>;
  /** One per indicator, in the campaign's order. */
  readonly indicators: readonly IndicatorScore[];
  /** Sum of the indicator scores. */
  readonly subtotal: number;
  readonly penalty: {
    /** The unwaived flags counted, per code (codes with none left out). */
    readonly flags: Partial<Readonly<Record<FlagCode, number>>>;
    /** Points taken off: min(cap, Σ count × points per code). */
    readonly points: number;
    readonly capped: boolean;
  };
  /** max(0, subtotal − penalty), hundredths of a point. */
  readonly total: number;
  /** Competition ranking (1, 2, 2, 4) on the total. */
  readonly rank: number;
  readonly tie: Tie | null;
  /** What data is absent; empty when nothing is. */
  readonly missing: readonly MissingItem[];
}

export interface CampaignScores {
  readonly campaignId: string;
  /** Per metric, the largest figure among the units (the normalisation divisor; on-time-rate is not divided). */
  readonly maxima: Readonly<Record<MetricId, number>>;
  /** Every unit, best first; tied units by organizationId. */
  readonly units: readonly UnitScore[];
}

// --- ranking ----------------------------------------------------------------------------

const compareIds = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
/** Larger first. */
const desc = (a: number, b: number): number => (a === b ? 0 : a > b ? -1 : 1);

/**
 * Competition ranking ("1224"): an item's rank is 1 + the number of items strictly better
 * (`better(a, b) < 0` when a is better); equal items share a rank. Listed best first, equal
 * items by id.
 */
function competitionRank<T>(items: readonly T[], better: (a: T, b: T) => number, idOf: (t: T) => string) {
  const sorted = [...items].sort((a, b) => better(a, b) || compareIds(idOf(a), idOf(b)));
  const ranked: Array<{ item: T; rank: number; group: T[] }> = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i + 1;
    while (j < sorted.length && better(sorted[i] as T, sorted[j] as T) === 0) j++;
    const group = sorted.slice(i, j);
    for (const item of group) ranked.push({ item, rank: i + 1, group });
    i = j;
  }
  return { ranked, count: sorted.length };
}

const TYPE_NAMES = ORGANIZATION_TYPE_NAMES;

/**
 * The most other units a tie's explanation names; a larger tie is told by its size. Each
 * explanation stays short however many units tie (130 units tied at 0 would otherwise repeat
 * 129 ids in each of 130 explanations: the answer grew with the square of the units).
 */
export const TIE_NAMES_LISTED = 3;

function tieOf(id: string, group: readonly string[], rank: number, totalHundredths: number, count: number, scope?: OrganizationType): Tie | null {
  if (group.length < 2) return null;
  const others = group.filter((g) => g !== id);
  const points = formatHundredths(totalHundredths);
  const next = rank + group.length;
  const after = next <= count;
  const zhScope = scope ? `在${TYPE_NAMES[scope].zh}类单位中，` : '';
  const enScope = scope ? ` among the units of type ${TYPE_NAMES[scope].en}` : '';
  const named = others.length <= TIE_NAMES_LISTED;
  return {
    tiedWith: others,
    explanation: {
      zh:
        `${zhScope}与${named ? ` ${others.join('、')} ` : `另外 ${others.length} 个单位`}总分相同（${points} 分），并列第 ${rank} 名` +
        (after ? `，其后单位为第 ${next} 名` : '') +
        '。总分按百分之一分比较，同分不再细分先后，并列单位按单位编号排列。',
      en:
        `Tied with ${named ? others.join(', ') : `${others.length} other units`} on ${points} points${enScope}: all share rank ${rank}` +
        (after ? ` and the next unit is ranked ${next}` : '') +
        '. Totals are compared to the hundredth of a point; equal totals are not separated, and tied units are listed by organization id.',
    },
  };
}

// --- scoring ----------------------------------------------------------------------------

const MISSING_MESSAGES = {
  'no-registered-activity': { zh: '没有已登记的活动', en: 'no registered activity' },
  'no-summary': { zh: '未提交工作总结', en: 'no work summary' },
} as const;

const ONE = frac(1n);
const isGreater = (a: Q, b: Q): boolean => sub(a, b).n > 0n;

function checkInputs(units: readonly UnitScoringInput[]): void {
  const seen = new Set<string>();
  for (const u of units) {
    const unit = `unit ${u.organizationId}`;
    if (seen.has(u.organizationId)) throw new RangeError(`${unit} is given twice`);
    seen.add(u.organizationId);
    if (!(ORGANIZATION_TYPES as readonly string[]).includes(u.organizationType)) {
      throw new RangeError(`${unit}: unknown organization type ${u.organizationType}`);
    }
    for (const [code, count] of Object.entries(u.unwaivedFlags ?? {})) {
      if (!(FLAG_CODES as readonly string[]).includes(code)) throw new RangeError(`${unit}: unknown flag code ${code}`);
      if (!Number.isSafeInteger(count) || (count as number) < 0) throw new RangeError(`${unit}: flag count ${code} must be an integer >= 0`);
    }
    for (const [indicator, score] of Object.entries(u.reviewerScores ?? {})) {
      if (score !== undefined && isGreater(exact(score, `${unit}: reviewer score ${indicator}`), frac(BigInt(REVIEWER_SCALE)))) {
        throw new RangeError(`${unit}: reviewer score ${indicator} must be at most ${REVIEWER_SCALE}`);
      }
    }
    for (const m of METRIC_IDS) exact(u.figures[m], `${unit}: ${m}`);
    if (u.figures['on-time-rate'] > 1) throw new RangeError(`${unit}: on-time-rate must be at most 1`);
  }
}

/** A unit's figures as exact fractions; the on-time rate taken to ON_TIME_RATE_DECIMALS, half up. */
function exactFigures(u: UnitScoringInput): Record<MetricId, Q> {
  const out = {} as Record<MetricId, Q>;
  for (const m of METRIC_IDS) {
    const v = exact(u.figures[m], `unit ${u.organizationId}: ${m}`);
    out[m] = m === 'on-time-rate' ? frac(roundHalfUp(v, ON_TIME_RATE_DECIMALS), pow10(ON_TIME_RATE_DECIMALS)) : v;
  }
  return out;
}

/**
 * Scores the units of a campaign against one another (normally every unit of the campaign;
 * one with no activity scores 0 on every computed part and changes no one else's score).
 *
 *   normalised(m) = figure / max over the units (0 when the max is 0); on-time-rate as is
 *   computed(i)   = mean of normalised(m) over the indicator's metrics
 *   reviewer(i)   = reviewer score / 100 (0 when not given: listed in `missing`)
 *   score(i)      = round½↑₀.₀₁( weight × (share × computed + (1 − share) × reviewer) )
 *   total         = max(0, Σ score(i) − min(penalty.cap, Σ flags × penalty.points))  (the campaign's penalty)
 *
 * Reviewer scores of indicators the campaign does not leave to the reviewer (share 1) are
 * ignored. Throws RangeError on a malformed input (negative or non-finite figure, a reviewer
 * score above 100, an on-time rate above 1, a unit given twice).
 */
export function scoreCampaign(campaign: Campaign, units: readonly UnitScoringInput[]): CampaignScores {
  checkInputs(units);
  const figures = units.map(exactFigures);
  const maxima = Object.fromEntries(
    METRIC_IDS.map((m) => [m, figures.reduce((best, f) => (isGreater(f[m], best) ? f[m] : best), ZERO)]),
  ) as Record<MetricId, Q>;
  const normalise = (m: MetricId, v: Q): Q => (m === 'on-time-rate' ? v : div(v, maxima[m]));
  const indicators = campaign.indicators.map((ind) => ({
    ...ind,
    weightQ: exact(ind.weight, `indicator ${ind.id} weight`),
    shareQ: exact(ind.computedShare, `indicator ${ind.id} computedShare`),
  }));

  const scored = units.map((u, k) => {
    const f = figures[k] as Record<MetricId, Q>;
    const unreviewed: IndicatorId[] = [];
    let subtotalHundredths = 0;
    const indicatorScores: IndicatorScore[] = indicators.map((ind) => {
      const computed =
        ind.metrics.length === 0
          ? null
          : div(
              ind.metrics.reduce((sum, m) => add(sum, normalise(m, f[m])), ZERO),
              frac(BigInt(ind.metrics.length)),
            );
      const asked = ind.computedShare < 1;
      const given = asked ? u.reviewerScores?.[ind.id] : undefined;
      if (asked && given === undefined) unreviewed.push(ind.id);
      const reviewer = given === undefined ? ZERO : div(exact(given, `reviewer score ${ind.id}`), frac(BigInt(REVIEWER_SCALE)));
      const part = add(mul(ind.shareQ, computed ?? ZERO), mul(sub(ONE, ind.shareQ), reviewer));
      const hundredths = Number(roundHalfUp(mul(ind.weightQ, part), 2));
      subtotalHundredths += hundredths;
      return {
        indicatorId: ind.id,
        weight: ind.weight,
        computedShare: ind.computedShare,
        computed: computed === null ? null : toNumber(computed),
        reviewer: given ?? null,
        score: hundredths / 100,
      };
    });

    const flags: Partial<Record<FlagCode, number>> = {};
    let penaltyPoints = 0;
    for (const code of FLAG_CODES) {
      const count = u.unwaivedFlags?.[code] ?? 0;
      if (count > 0) flags[code] = count;
      penaltyPoints += count * campaign.penalty.points[code];
    }
    const points = Math.min(penaltyPoints, campaign.penalty.cap);

    const missing: MissingItem[] = [];
    const hasActivity = u.figures['registered-activities'] > 0;
    if (!hasActivity) missing.push({ code: 'no-registered-activity', message: MISSING_MESSAGES['no-registered-activity'] });
    // A unit with no registered activity owes no summary (docs/domain.md R10).
    if (hasActivity && !u.summarySubmitted) missing.push({ code: 'no-summary', message: MISSING_MESSAGES['no-summary'] });
    if (unreviewed.length > 0) {
      missing.push({
        code: 'reviewer-scores',
        indicators: unreviewed,
        message: { zh: `评审尚未打分：${unreviewed.join('、')}`, en: `no reviewer score for ${unreviewed.join(', ')}` },
      });
    }

    return {
      input: u,
      normalised: Object.fromEntries(METRIC_IDS.map((m) => [m, toNumber(normalise(m, f[m]))])) as Record<MetricId, number>,
      indicators: indicatorScores,
      subtotalHundredths,
      penalty: { flags, points, capped: penaltyPoints > campaign.penalty.cap },
      totalHundredths: Math.max(0, subtotalHundredths - points * 100),
      missing,
    };
  });

  const { ranked, count } = competitionRank(scored, (a, b) => desc(a.totalHundredths, b.totalHundredths), (s) => s.input.organizationId);
  return {
    campaignId: campaign.id,
    maxima: Object.fromEntries(METRIC_IDS.map((m) => [m, toNumber(maxima[m])])) as Record<MetricId, number>,
    units: ranked.map(({ item: s, rank, group }) => ({
      organizationId: s.input.organizationId,
      organizationType: s.input.organizationType,
      figures: s.input.figures,
      normalised: s.normalised,
      indicators: s.indicators,
      subtotal: s.subtotalHundredths / 100,
      penalty: s.penalty,
      total: s.totalHundredths / 100,
      rank,
      tie: tieOf(s.input.organizationId, group.map((g) => g.input.organizationId), rank, s.totalHundredths, count),
      missing: s.missing,
    })),
  };
}

// --- commendation -----------------------------------------------------------------------

/** A reviewer's mark on one activity as distinctive (a review's `distinctiveActivityIds`). */
export interface DistinctiveMark {
  readonly activityId: string;
  readonly organizationId: string;
}

export interface CommendationOptions {
  /** Ranks commended overall and per organization type (ties at the cut are all included). */
  readonly topUnits: number;
  /** Ranks of distinctive activities listed (ties at the cut are all included). */
  readonly topActivities: number;
}

export interface CommendedUnit {
  readonly organizationId: string;
  readonly organizationType: OrganizationType;
  readonly total: number;
  /** Among the eligible units (overall, or of this type). */
  readonly rank: number;
  readonly tie: Tie | null;
}

export interface CommendedActivity {
  readonly activityId: string;
  readonly organizationId: string;
  /** How many reviews mark it distinctive. */
  readonly marks: number;
  /** Its unit's reviewer score on DISTINCTIVENESS_INDICATOR; null when not given. */
  readonly highlights: number | null;
  /** Its unit's total. */
  readonly unitTotal: number;
  readonly rank: number;
  readonly tiedWith: readonly string[];
}

export interface Commendations {
  readonly units: readonly CommendedUnit[];
  /** Per organization type present among the eligible units, in ORGANIZATION_TYPES order. */
  readonly byType: ReadonlyArray<{ readonly organizationType: OrganizationType; readonly units: readonly CommendedUnit[] }>;
  readonly activities: readonly CommendedActivity[];
}

/** A total back in hundredths (totals are whole hundredths / 100, so this is exact). */
const hundredthsOf = (points: number): number => Math.round(points * 100);

function topUnits(scores: readonly UnitScore[], top: number, scope?: OrganizationType): CommendedUnit[] {
  const { ranked, count } = competitionRank(scores, (a, b) => desc(hundredthsOf(a.total), hundredthsOf(b.total)), (u) => u.organizationId);
  return ranked
    .filter((r) => r.rank <= top)
    .map(({ item: u, rank, group }) => ({
      organizationId: u.organizationId,
      organizationType: u.organizationType,
      total: u.total,
      rank,
      tie: tieOf(u.organizationId, group.map((g) => g.organizationId), rank, hundredthsOf(u.total), count, scope),
    }));
}

/**
 * The commendation list (表扬): the best units overall and per organization type, among the
 * units with at least one registered activity; and the most distinctive activities, ordered
 * by how many reviews mark them, then their unit's reviewer score on 效果亮点, then their
 * unit's total (equal on all three: same rank, listed by activity id). A cut at rank N keeps
 * every unit or activity ranked N or better, so a tie at the cut makes the list longer.
 * Marks on activities of units not in `scores` are ignored.
 */
export function commendations(scores: CampaignScores, marks: readonly DistinctiveMark[], options: CommendationOptions): Commendations {
  for (const [name, n] of Object.entries(options)) {
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`${name} must be an integer >= 0`);
  }
  const eligible = scores.units.filter((u) => u.figures['registered-activities'] > 0);
  const byType = ORGANIZATION_TYPES.map((organizationType) => ({
    organizationType,
    units: topUnits(
      eligible.filter((u) => u.organizationType === organizationType),
      options.topUnits,
      organizationType,
    ),
  })).filter((t) => t.units.length > 0);

  const unitsById = new Map(scores.units.map((u) => [u.organizationId, u]));
  const counted = new Map<string, { activityId: string; organizationId: string; marks: number }>();
  for (const m of marks) {
    if (!unitsById.has(m.organizationId)) continue;
    const key = `${m.organizationId}\u0000${m.activityId}`;
    const seen = counted.get(key);
    counted.set(key, { activityId: m.activityId, organizationId: m.organizationId, marks: (seen?.marks ?? 0) + 1 });
  }
  const candidates = [...counted.values()].map((a) => {
    const unit = unitsById.get(a.organizationId) as UnitScore;
    const highlights = unit.indicators.find((i) => i.indicatorId === DISTINCTIVENESS_INDICATOR)?.reviewer ?? null;
    return { ...a, highlights, unitTotal: unit.total };
  });
  // Reviewer scores compare as the numbers they are (no arithmetic, so nothing to round).
  const better = (a: (typeof candidates)[number], b: (typeof candidates)[number]) =>
    desc(a.marks, b.marks) || desc(a.highlights ?? -1, b.highlights ?? -1) || desc(hundredthsOf(a.unitTotal), hundredthsOf(b.unitTotal));
  const { ranked } = competitionRank(candidates, better, (a) => `${a.activityId}\u0000${a.organizationId}`);
  const activities = ranked
    .filter((r) => r.rank <= options.topActivities)
    .map(({ item, rank, group }) => ({ ...item, rank, tiedWith: group.filter((g) => g !== item).map((g) => g.activityId) }));
  return { units: topUnits(eligible, options.topUnits), byType, activities };
}

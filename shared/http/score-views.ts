/** How reviews and scores are answered: instants in the campaign's zone, units and activities named. */
import * as z from '../domain/zod';
import { ORGANIZATION_TYPES, type Bilingual, type Campaign } from '../domain/campaign';
import { FLAG_CODES } from '../domain/flags';
import { personal } from '../domain/privacy';
import type { CommendedUnit, Tie } from '../domain/scoring';
import type { ReviewRecord } from '../repositories/review-repository';
import { reviewSchema } from '../schemas/review.schema';
import { id } from '../schemas/text';
import type { ScoreReport, ScoreTimings } from '../use-cases/scores';
import { bilingual, count, instant, type ViewOf } from '../schemas/output';
import { penaltySchema } from './penalty-view';
import { zoned } from './zoned-instant';

/** A review as stored: the request as validated, with its version and who wrote it when. */
export const reviewViewSchema = (c: Campaign) =>
  z.looseObject({
    ...reviewSchema(c).shape,
    distinctiveActivityIds: z.array(id()),
    campaignId: id(),
    organizationId: id(),
    version: count(),
    reviewedBy: z.meta(z.string(), { description: 'The reviewer who wrote this version (`sub`).', ...personal('actor', 'accountability') }),
    reviewedAt: instant(),
    firstReviewedAt: instant(),
    updatedAt: instant(),
  });
export type ReviewView = ViewOf<ReturnType<typeof reviewViewSchema>>;

export function reviewView(r: ReviewRecord, campaign: Campaign): ReviewView {
  return {
    campaignId: r.campaignId,
    organizationId: r.organizationId,
    version: r.version,
    scores: r.scores,
    ...(r.comment !== undefined ? { comment: r.comment } : {}),
    distinctiveActivityIds: r.distinctiveActivityIds ?? [],
    reviewedBy: r.reviewedBy,
    reviewedAt: zoned(r.reviewedAt, campaign),
    firstReviewedAt: zoned(r.firstReviewedAt, campaign),
    updatedAt: zoned(r.updatedAt, campaign),
  };
}

/** The body of `GET …/scores` (the formula in docs/scoring.md). */
function buildScoresViewSchema() {
  const tie = z.meta(
    z.nullable(z.looseObject({
      group: z.meta(count(), { description: 'The tie this unit is in: its index in the list’s `ties`, which names every unit of it once.' }),
      explanation: z.meta(bilingual(), { description: 'With whom (up to 3 others by id; a larger tie by its size), on what total, and the rank shared.' }),
    })),
    { description: 'Units with the same total (to the hundredth) share a rank (1, 2, 2, 4); null when not tied.' },
  );
  const ties = z.meta(
    z.array(
      z.looseObject({
        group: z.meta(count(), { description: 'Its index in this array (what a tied entry’s `tie.group` names).' }),
        rank: count(),
        total: z.number(),
        organizationIds: z.meta(z.array(id()), { description: 'Every unit of the tie, by organization id (the list’s order).' }),
      }),
    ),
    { description: 'Each tie of the list once, best first: the units sharing one rank (two or more).' },
  );
  const commended = z.looseObject({
    organizationId: id(),
    name: z.string(),
    county: z.nullable(z.string()),
    organizationType: z.enum(ORGANIZATION_TYPES),
    total: z.number(),
    rank: z.meta(count(), { description: 'Among the units with at least one registered activity (overall, or of this type).' }),
    tie,
  });
  return z.looseObject({
    campaignId: id(),
    computedAt: instant(),
    indicators: z.array(
      z.looseObject({
        indicatorId: z.string(),
        name: bilingual(),
        weight: z.number(),
        computedShare: z.number(),
        metrics: z.array(z.string()),
        reviewerAsks: z.meta(z.optional(bilingual()), { description: 'What the reviewer judges (indicators with computedShare < 1).' }),
      }),
    ),
    maxima: z.meta(z.record(z.string(), z.number()), { description: 'Per metric, the largest figure among the units (what each is divided by).' }),
    penalty: penaltySchema(),
    units: z.array(
      z.looseObject({
        organizationId: id(),
        name: z.string(),
        county: z.nullable(z.string()),
        type: z.enum(ORGANIZATION_TYPES),
        reviewed: z.boolean(),
        reviewWithheld: z.meta(z.optional(z.literal(true)), {
          description:
            'Present on the caller’s own unit when the caller is a reviewer and not an admin (as `GET …/review` refuses them its review): ' +
            'its reviewer scores, the points of each indicator with a reviewer share, and which reviewer scores are missing are left out.',
        }),
        figures: z.meta(z.record(z.string(), z.number()), { description: 'The raw figures (rules.ts `unitFigures`), per metric.' }),
        normalised: z.meta(z.record(z.string(), z.number()), { description: 'Each figure divided by the campaign’s maximum (the on-time rate as is), 0..1.' }),
        indicators: z.array(
          z.looseObject({
            indicatorId: z.string(),
            weight: z.number(),
            computedShare: z.number(),
            computed: z.meta(z.nullable(z.number()), { description: 'Computed part, 0..1 (mean of the normalised metrics).' }),
            reviewer: z.meta(z.nullable(z.number()), { description: 'The reviewer’s score, 0..100; null when not given or not asked.' }),
            score: z.meta(z.nullable(z.number()), {
              description: 'Points, 0..weight, rounded half up to 0.01; null only where the unit has `reviewWithheld` and the indicator a reviewer share.',
            }),
          }),
        ),
        subtotal: z.number(),
        penalty: z.looseObject({
          flags: z.meta(z.partialRecord(z.enum(FLAG_CODES), count()), { description: 'Unwaived flags per code (codes with none left out).' }),
          points: z.number(),
          capped: z.boolean(),
        }),
        total: z.meta(z.number(), { description: 'max(0, subtotal − penalty points), 0..100.' }),
        rank: count(),
        tie,
        missing: z.array(
          z.looseObject({
            code: z.enum(['no-registered-activity', 'no-summary', 'reviewer-scores']),
            indicators: z.optional(z.array(z.string())),
            message: bilingual(),
          }),
        ),
      }),
    ),
    ties,
    commendations: z.looseObject({
      units: z.meta(z.array(commended), { description: 'Best 10 ranks overall (a tie at the cut lengthens the list).' }),
      ties: z.meta(ties, { description: 'The ties of `commendations.units`, each once.' }),
      byType: z.meta(z.array(z.looseObject({ organizationType: z.enum(ORGANIZATION_TYPES), units: z.array(commended), ties })), {
        description: 'Best 3 ranks of each organization type present, each list with its ties.',
      }),
      activities: z.meta(
        z.array(
          z.looseObject({
            activityId: id(),
            title: z.nullable(z.string()),
            organizationId: id(),
            unitName: z.string(),
            county: z.nullable(z.string()),
            marks: count(),
            highlights: z.meta(z.nullable(z.number()), { description: 'Its unit’s 效果亮点 reviewer score; null when not given, or when the unit has `reviewWithheld`.' }),
            unitTotal: z.number(),
            rank: count(),
            tie: z.meta(z.nullable(z.looseObject({ group: z.meta(count(), { description: 'Its index in `activityTies`.' }) })), {
              description: 'Activities equal on marks, 效果亮点 and unit total share a rank; null when not tied.',
            }),
          }),
        ),
        { description: 'Best 10 ranks of the activities reviewers marked distinctive: by marks, then the unit’s 效果亮点 score, then its total.' },
      ),
      activityTies: z.meta(
        z.array(z.looseObject({ group: count(), rank: count(), activityIds: z.meta(z.array(id()), { description: 'Every activity of the tie (the list’s order).' }) })),
        { description: 'Each tie of `commendations.activities` once, best first.' },
      ),
    }),
    measured: z.looseObject({
      method: z.meta(z.enum(['recomputed-on-read', 'read-model']), {
        description: 'How the figures were had: recomputed from every item, or read from the scores read model (ADR 0038).',
      }),
      readMs: z.number(),
      scoreMs: z.number(),
      itemsRead: z.record(z.string(), count()),
    }),
  });
}

export const scoresViewSchema = buildScoresViewSchema();
export type ScoresView = ViewOf<typeof scoresViewSchema>;

/** A tie as the scores answer it: the group of every entry that shares it, told once. */
export interface TieGroupView {
  /** The group's index in its list's `ties` (what each tied entry's `tie.group` names). */
  readonly group: number;
  readonly rank: number;
}

/**
 * Groups a ranked list (best first, equal ranks adjacent, as the scorer lists them) into its ties:
 * each group of two or more entries with one rank is described once, and each of its entries
 * names the group by index. The answer grows with the number of entries, not its square.
 */
function tieGroups<T extends { readonly rank: number }, G>(entries: readonly T[], describe: (members: readonly T[], group: number) => G): { ties: G[]; groupOf: Map<T, number> } {
  const ties: G[] = [];
  const groupOf = new Map<T, number>();
  for (let i = 0; i < entries.length; ) {
    let j = i + 1;
    while (j < entries.length && entries[j]!.rank === entries[i]!.rank) j++;
    if (j - i > 1) {
      const members = entries.slice(i, j);
      for (const m of members) groupOf.set(m, ties.length);
      ties.push(describe(members, ties.length));
    }
    i = j;
  }
  return { ties, groupOf };
}

/** A ranked list of units (the ranking, or a commendation list) with its tie groups. */
function rankedUnits<U extends { readonly organizationId: string; readonly rank: number; readonly total: number; readonly tie: Tie | null }, V>(units: readonly U[], view: (u: U, tie: { group: number; explanation: Bilingual } | null) => V) {
  const { ties, groupOf } = tieGroups(units, (members, group) => ({ group, rank: members[0]!.rank, total: members[0]!.total, organizationIds: members.map((m) => m.organizationId) }));
  return {
    entries: units.map((u) => {
      const group = groupOf.get(u);
      return view(u, group !== undefined && u.tie ? { group, explanation: u.tie.explanation } : null);
    }),
    ties,
  };
}

/** Options of {@link scoresView}. */
export interface ScoresViewOptions {
  /**
   * The unit whose review the caller may not see (their own, as a reviewer who is not an admin;
   * scores.ts `reviewWithheldFor`): its reviewer scores, the points of each indicator with a
   * reviewer share (the reviewer score times a constant), which reviewer scores are missing, and
   * the 效果亮点 score of its distinctive activities are left out, and it carries `reviewWithheld`.
   */
  readonly withheld?: string;
}

/** The body of `GET /v1/campaigns/{c}/scores`. */
export function scoresView(report: ScoreReport, timings: ScoreTimings, computedAt: Date, options: ScoresViewOptions = {}): ScoresView {
  const { campaign, scores } = report;
  const { withheld } = options;
  const named = (u: CommendedUnit, tie: { group: number; explanation: Bilingual } | null) => {
    const info = report.units.get(u.organizationId);
    return { ...u, name: info?.name ?? u.organizationId, county: info?.county ?? null, tie };
  };
  const ranking = rankedUnits(scores.units, (u, tie) => {
    const info = report.units.get(u.organizationId);
    const hidden = u.organizationId === withheld;
    return {
      organizationId: u.organizationId,
      name: info?.name ?? u.organizationId,
      county: info?.county ?? null,
      type: u.organizationType,
      reviewed: report.reviewed.has(u.organizationId),
      ...(hidden ? { reviewWithheld: true as const } : {}),
      figures: u.figures,
      normalised: u.normalised,
      indicators: hidden ? u.indicators.map((i) => ({ ...i, reviewer: null, score: i.computedShare < 1 ? null : i.score })) : u.indicators,
      subtotal: u.subtotal,
      penalty: u.penalty,
      total: u.total,
      rank: u.rank,
      tie,
      missing: hidden ? u.missing.filter((m) => m.code !== 'reviewer-scores') : u.missing,
    };
  });
  const overall = rankedUnits(report.commendations.units, named);
  const activities = tieGroups(report.commendations.activities, (members, group) => ({ group, rank: members[0]!.rank, activityIds: members.map((m) => m.activityId) }));
  return {
    campaignId: campaign.id,
    computedAt: zoned(computedAt, campaign),
    indicators: campaign.indicators.map((i) => ({
      indicatorId: i.id,
      name: i.name,
      weight: i.weight,
      computedShare: i.computedShare,
      metrics: i.metrics,
      ...(i.reviewerAsks ? { reviewerAsks: i.reviewerAsks } : {}),
    })),
    maxima: scores.maxima,
    penalty: campaign.penalty,
    units: ranking.entries,
    ties: ranking.ties,
    commendations: {
      units: overall.entries,
      ties: overall.ties,
      byType: report.commendations.byType.map((t) => {
        const ofType = rankedUnits(t.units, named);
        return { organizationType: t.organizationType, units: ofType.entries, ties: ofType.ties };
      }),
      activities: report.commendations.activities.map((listed) => {
        const { tiedWith: _tiedWith, ...a } = listed;
        const group = activities.groupOf.get(listed);
        return {
          ...a,
          ...(a.organizationId === withheld ? { highlights: null } : {}),
          unitName: report.units.get(a.organizationId)?.name ?? a.organizationId,
          tie: group === undefined ? null : { group },
        };
      }),
      activityTies: activities.ties,
    },
    measured: {
      method: report.method,
      readMs: Math.round(timings.readMs * 10) / 10,
      scoreMs: Math.round(timings.scoreMs * 10) / 10,
      itemsRead: report.read,
    },
  };
}

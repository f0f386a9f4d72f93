/** How reviews and scores are answered: instants in the campaign's zone, units and activities named. */
import type { Campaign } from '../domain/campaign';
import { formatInstant } from '../domain/time';
import type { Bilingual } from '../domain/campaign';
import type { CommendedUnit, Tie } from '../domain/scoring';
import type { ReviewRecord } from '../repositories/review-repository';
import type { ScoreReport, ScoreTimings } from '../use-cases/scores';

const zoned = (iso: string, campaign: Campaign) => formatInstant(new Date(iso), campaign.timeZone);

export function reviewView(r: ReviewRecord, campaign: Campaign) {
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
export function scoresView(report: ScoreReport, timings: ScoreTimings, computedAt: Date, options: ScoresViewOptions = {}) {
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
    computedAt: formatInstant(computedAt, campaign.timeZone),
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

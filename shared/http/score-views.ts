/** How reviews and scores are answered: instants in the campaign's zone, units and activities named. */
import type { Campaign } from '../domain/campaign';
import { formatInstant } from '../domain/time';
import type { CommendedUnit } from '../domain/scoring';
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

/** The body of `GET /v1/campaigns/{c}/scores`. */
export function scoresView(report: ScoreReport, timings: ScoreTimings, computedAt: Date) {
  const { campaign, scores } = report;
  const named = (u: CommendedUnit) => {
    const info = report.units.get(u.organizationId);
    return { ...u, name: info?.name ?? u.organizationId, county: info?.county ?? null };
  };
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
    units: scores.units.map((u) => {
      const info = report.units.get(u.organizationId);
      return {
        organizationId: u.organizationId,
        name: info?.name ?? u.organizationId,
        county: info?.county ?? null,
        type: u.organizationType,
        reviewed: report.reviewed.has(u.organizationId),
        figures: u.figures,
        normalised: u.normalised,
        indicators: u.indicators,
        subtotal: u.subtotal,
        penalty: u.penalty,
        total: u.total,
        rank: u.rank,
        tie: u.tie,
        missing: u.missing,
      };
    }),
    commendations: {
      units: report.commendations.units.map(named),
      byType: report.commendations.byType.map((t) => ({ organizationType: t.organizationType, units: t.units.map(named) })),
      activities: report.commendations.activities.map((a) => ({ ...a, unitName: report.units.get(a.organizationId)?.name ?? a.organizationId })),
    },
    measured: {
      method: 'recomputed-on-read',
      readMs: Math.round(timings.readMs * 10) / 10,
      scoreMs: Math.round(timings.scoreMs * 10) / 10,
      itemsRead: report.read,
    },
  };
}

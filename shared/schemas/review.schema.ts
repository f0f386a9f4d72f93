/**
 * A reviewer's qualitative review of one organizing unit (`PUT .../organizations/{o}/review`):
 * `{ scores, comment?, distinctiveActivityIds? }`. `scores` has exactly one score (0..100) per
 * indicator the campaign leaves partly to the reviewer (`computedShare < 1`), all required;
 * any other key is `unrecognized_key`.
 */
import * as z from '../domain/zod';
import type { Campaign } from '../domain/campaign';
import { decimal, distinctList, id, longText, perCampaign } from './text';

/** Limits of a review. */
export const REVIEW_LIMITS = {
  score: { min: 0, max: 100 },
  comment: { max: 2000 },
  distinctiveActivityIds: { max: 20 },
} as const;

/** Ids of the indicators a reviewer scores in `campaign` (those with `computedShare < 1`). */
export const reviewedIndicatorIds = (campaign: Campaign): string[] =>
  campaign.indicators.filter((i) => i.computedShare < 1).map((i) => i.id);

function buildReviewSchema(campaign: Campaign) {
  const scores = Object.fromEntries(reviewedIndicatorIds(campaign).map((indicator) => [indicator, decimal(REVIEW_LIMITS.score)]));
  return z.strictObject({
    scores: z.strictObject(scores),
    comment: z.optional(longText(REVIEW_LIMITS.comment)),
    distinctiveActivityIds: z.optional(distinctList(id(), REVIEW_LIMITS.distinctiveActivityIds)),
  });
}

/** The review schema of one campaign. */
export type ReviewSchema = ReturnType<typeof buildReviewSchema>;
/** A review as validated. */
export type ReviewInput = z.output<ReviewSchema>;

/** The review schema for `campaign` (built once per campaign object). */
export const reviewSchema: (campaign: Campaign) => ReviewSchema = perCampaign(buildReviewSchema);

/**
 * An activity's progress and results (`PUT /v1/activities/{id}/results`, API.md "Results"):
 * `{ actualParticipants, newsLinks, onlineUrl?, highlights? }`. The PUT replaces the results
 * whole, so `actualParticipants` and `newsLinks` (possibly `[]`) are required. Whether the
 * results satisfy the completion rule is the domain's question, not the schema's.
 */
import * as z from '../domain/zod';
import { distinctList, httpsUrl, integer, longText, urlKey } from './text';

/** Limits of the results form. */
export const RESULTS_LIMITS = {
  actualParticipants: { min: 0, max: 10_000_000 },
  newsLinks: { max: 20 },
  highlights: { max: 2000 },
} as const;

/** The results body. News links are distinct as URLs (`https://a.cn` = `https://A.cn/`). */
export const resultsSchema = z.strictObject({
  actualParticipants: integer(RESULTS_LIMITS.actualParticipants),
  newsLinks: distinctList(httpsUrl(), { max: RESULTS_LIMITS.newsLinks.max, key: urlKey }),
  onlineUrl: z.optional(httpsUrl()),
  highlights: z.optional(longText(RESULTS_LIMITS.highlights)),
});

/** An activity's results as validated. */
export type ActivityResults = z.output<typeof resultsSchema>;

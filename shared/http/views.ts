/**
 * What the API answers of activities, their results and summaries: stored records in
 * the contract's shape, times in the campaign's zone (`+08:00` for Asia/Shanghai). Each view's
 * output schema sits beside it; the OpenAPI document publishes those schemas.
 */
import * as z from '../domain/zod';
import type { ActivityRecord, FlagRecord, ResultsRecord, SummaryRecord } from '../domain/activity';
import type { Campaign } from '../domain/campaign';
import { ACTIVITY_STATUSES } from '../domain/activity';
import { activitySchemas } from '../schemas/activity.schema';
import { resultsSchema } from '../schemas/results.schema';
import { summarySchema } from '../schemas/summary.schema';
import { id } from '../schemas/text';
import { flagSchema } from '../schemas/flag.schema';
import { flagView } from './flag-views';
import { mediaViewSchema } from './media-views';
import { count, instant, type ViewOf } from '../schemas/output';
import { zoned } from './zoned-instant';

/** The statuses an activity answers with (API.md: `draft` → `registered` → `completed`, or `withdrawn` from `registered`). */

export const resultsViewSchema = z.looseObject({ ...resultsSchema.shape, version: count(), updatedAt: instant() });
export type ResultsView = ViewOf<typeof resultsViewSchema>;

export function resultsView(r: ResultsRecord, campaign: Campaign): ResultsView {
  return { ...r, updatedAt: zoned(r.updatedAt, campaign) };
}

export const summaryViewSchema = z.looseObject({
  ...summarySchema.shape,
  campaignId: id(),
  organizationId: id(),
  version: count(),
  submittedAt: instant(),
  updatedAt: instant(),
});
export type SummaryView = ViewOf<typeof summaryViewSchema>;

export function summaryView(s: SummaryRecord, campaign: Campaign): SummaryView {
  return { ...s, submittedAt: zoned(s.submittedAt, campaign), updatedAt: zoned(s.updatedAt, campaign) };
}

/** An activity with its flags, media and results: the draft's fields and the server's. */
export const activityViewSchema = (c: Campaign) =>
  z.looseObject({
    ...activitySchemas(c).draft.shape,
    id: id(),
    activityId: id(),
    campaignId: id(),
    organizationId: id(),
    status: z.enum(ACTIVITY_STATUSES),
    version: count(),
    createdAt: instant(),
    updatedAt: instant(),
    submittedAt: z.optional(instant()),
    withdrawnAt: z.optional(instant()),
    withdrawnReason: z.optional(z.string()),
    flags: z.array(flagSchema),
    media: z.array(mediaViewSchema),
    results: z.nullable(resultsViewSchema),
  });
export type ActivityView = ViewOf<ReturnType<typeof activityViewSchema>>;

export function activityView(a: ActivityRecord, flags: readonly FlagRecord[], campaign: Campaign, results?: ResultsRecord): ActivityView {
  return {
    ...a.fields,
    id: a.activityId,
    activityId: a.activityId,
    campaignId: a.campaignId,
    organizationId: a.organizationId,
    status: a.status,
    version: a.version,
    createdAt: zoned(a.createdAt, campaign),
    updatedAt: zoned(a.updatedAt, campaign),
    ...(a.submittedAt ? { submittedAt: zoned(a.submittedAt, campaign) } : {}),
    ...(a.completedAt ? { completedAt: zoned(a.completedAt, campaign) } : {}),
    ...(a.withdrawnAt ? { withdrawnAt: zoned(a.withdrawnAt, campaign) } : {}),
    ...(a.withdrawnReason ? { withdrawnReason: a.withdrawnReason } : {}),
    flags: flags.map((f) => flagView(f, campaign)),
    media: [],
    results: results ? resultsView(results, campaign) : null,
  };
}

/**
 * SciDay's domain events, version 1: what later consumers (milestones, scoring, exports)
 * learn from the main table's stream. Past-tense detail types; the envelope's `id` is the
 * stream record's event id, so a consumer deduplicates on it.
 */
import * as z from '../../shared/domain/zod';
import { personal } from '../../shared/domain/privacy';

export const DOMAIN_EVENT_SOURCE = 'sciday.submissions';
export const DOMAIN_EVENT_VERSION = 1;

export const DETAIL_TYPES = ['activity.submitted', 'activity.updated', 'results.updated', 'summary.submitted'] as const;
export type DetailType = (typeof DETAIL_TYPES)[number];

const Instant = z.iso.datetime({ offset: true });

const ActivityDetail = z.object({
  activityId: z.string().check(z.minLength(1)),
  organizationId: z.string().check(z.minLength(1)),
  status: z.enum(['draft', 'registered', 'completed', 'withdrawn']),
  version: z.number().check(z.int(), z.positive()),
  changedFields: z.array(z.string()),
});
const ResultsDetail = z.object({
  activityId: z.string().check(z.minLength(1)),
  organizationId: z.string().check(z.minLength(1)),
  version: z.number().check(z.int(), z.positive()),
  newsLinks: z.number().check(z.int(), z.nonnegative()),
});
const SummaryDetail = z.object({ organizationId: z.string().check(z.minLength(1)), version: z.number().check(z.int(), z.positive()) });

const envelope = <T extends DetailType, D extends z.ZodMiniType>(detailType: T, detail: D) =>
  z.strictObject({
    id: z.string().check(z.minLength(1)),
    source: z.literal(DOMAIN_EVENT_SOURCE),
    detailType: z.literal(detailType),
    version: z.literal(DOMAIN_EVENT_VERSION),
    time: Instant,
    actor: z.meta(z.string().check(z.minLength(1)), personal('actor', 'accountability', 'message')),
    campaignId: z.string().check(z.minLength(1)),
    detail,
  });

export const ActivitySubmittedV1 = envelope('activity.submitted', ActivityDetail);
export const ActivityUpdatedV1 = envelope('activity.updated', ActivityDetail);
export const ResultsUpdatedV1 = envelope('results.updated', ResultsDetail);
export const SummarySubmittedV1 = envelope('summary.submitted', SummaryDetail);

export const DomainEventV1 = z.discriminatedUnion('detailType', [ActivitySubmittedV1, ActivityUpdatedV1, ResultsUpdatedV1, SummarySubmittedV1]);
export type DomainEvent = z.infer<typeof DomainEventV1>;

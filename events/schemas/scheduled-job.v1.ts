/**
 * The input EventBridge Scheduler (or the local scheduler) hands to `start-milestone` and
 * `start-reminders`, version 1. Built by shared/domain/schedules.ts; parsed at the edge so a
 * malformed schedule fails loudly instead of sweeping nothing.
 */
import * as z from '../../shared/domain/zod';
import { MILESTONE_IDS } from '../../shared/domain/campaign';
import type { ScheduledJob } from '../../shared/domain/schedules';

const Slug = z.string().check(z.regex(/^[a-z0-9][a-z0-9-]{0,63}$/));

export const ScheduledJobSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('milestone'), campaignId: Slug, milestone: z.enum(MILESTONE_IDS), scheduleId: z.string().check(z.minLength(1)) }),
  z.strictObject({
    type: z.literal('reminder'),
    campaignId: Slug,
    milestone: z.enum(MILESTONE_IDS),
    scheduleId: z.string().check(z.minLength(1)),
    daysBefore: z.number().check(z.int(), z.positive()),
    at: z.iso.datetime({ offset: true }),
  }),
  z.strictObject({ type: z.literal('reconcile') }),
]) satisfies z.ZodMiniType<ScheduledJob>;

export const parseScheduledJob = (event: unknown): ScheduledJob => z.parse(ScheduledJobSchema, event);

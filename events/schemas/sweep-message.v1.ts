/**
 * Messages on the `sweeps` queue, version 1: one per organizing unit of a milestone run (or a
 * reconciliation) or of a reminder. `sweep-unit` consumes them; each is idempotent, so the
 * queue's at-least-once delivery and a job run twice change nothing.
 */
import * as z from '../../shared/domain/zod';
import { MILESTONE_IDS } from '../../shared/domain/campaign';

const Slug = z.string().check(z.regex(/^[a-z0-9][a-z0-9-]{0,63}$/));
const Id = z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/));

export const SweepMessageSchema = z.discriminatedUnion('type', [
  /** Raise every flag the unit's passed milestones earn (as of each deadline). */
  z.strictObject({ version: z.literal(1), type: z.literal('sweep'), campaignId: Slug, organizationId: Id, runId: z.string().check(z.minLength(1)) }),
  /** Tell the unit what is still missing before `milestone` (one inbox message per reminder). */
  z.strictObject({
    version: z.literal(1),
    type: z.literal('remind'),
    campaignId: Slug,
    organizationId: Id,
    milestone: z.enum(MILESTONE_IDS),
    scheduleId: z.string().check(z.minLength(1)),
    at: z.iso.datetime({ offset: true }),
  }),
]);

export type SweepMessage = z.output<typeof SweepMessageSchema>;
export const parseSweepMessage = (body: string): SweepMessage => SweepMessageSchema.parse(JSON.parse(body));

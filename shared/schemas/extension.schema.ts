/**
 * The body of `POST /v1/campaigns/{campaignId}/extensions` (admin): `{ organizationId,
 * activityId?, milestone, until, reason }`. An extension moves that organization's (or
 * activity's) deadline of `milestone` to `until`, so `until` must be after the milestone's
 * own deadline (`until_not_after_deadline`). Whether the organization and activity exist is
 * the use case's question.
 */
import * as z from '../domain/zod';
import { MILESTONE_IDS, type Campaign, type MilestoneId } from '../domain/campaign';
import { customIssue } from '../domain/issues';
import { formatInstant, parseInstant } from '../domain/time';
import { everyObject, fieldsOf, id, isoInstant, perCampaign, reason } from './text';

function buildExtensionSchema(campaign: Campaign) {
  return z.strictObject({
    organizationId: id(),
    activityId: z.optional(id()),
    milestone: z.enum(MILESTONE_IDS),
    until: isoInstant(),
    reason: reason(),
  }).check(z.superRefine((value: unknown, ctx: z.core.$RefinementCtx<unknown>) => {
    const f = fieldsOf(value, ctx.issues);
    if (!f.valid('milestone') || !f.valid('until')) return;
    const { deadline } = campaign.milestones[f.get<MilestoneId>('milestone')];
    const until = parseInstant(f.get<string>('until'));
    if (until && until <= deadline) {
      ctx.addIssue(customIssue('until_not_after_deadline', ['until'], { deadline: formatInstant(deadline, campaign.timeZone) }));
    }
  }, everyObject));
}

/** The extension schema of one campaign. */
export type ExtensionSchema = ReturnType<typeof buildExtensionSchema>;
/** An extension request as validated. */
export type ExtensionInput = z.output<ExtensionSchema>;

/** The extension request schema for `campaign` (built once per campaign object). */
export const extensionSchema: (campaign: Campaign) => ExtensionSchema = perCampaign(buildExtensionSchema);

/**
 * Changes the fields of a draft or registered activity (JSON merge patch).
 *
 * Primary course:
 * 1. The caller is an organizer of the owning unit (404 / 403 otherwise).
 * 2. If-Match is present (428) and the activity is not completed nor withdrawn (409).
 * 3. The patch is valid, and the merged activity is still a valid draft, or, once
 *    registered, still a valid submission (422 with every failing field).
 * 4. Stored at version + 1 only if nobody changed it since If-Match's version (412).
 */
import type { Principal } from '../auth/principal';
import { mergePatch, type ActivityRecord } from '../domain/activity';
import type { Clock } from '../domain/clock';
import { safeParseFields } from '../domain/issues';
import { ConflictError, InvalidInputError } from '../errors';
import { checkIfMatch } from './if-match';
import type { ActivityRepository } from '../repositories/activity-repository';
import { activitySchemas } from '../schemas/activity.schema';
import { ownedActivity } from './activity-access';
import type { CampaignCatalog } from '../repositories/campaign-repository';

export async function updateActivity(
  input: { principal: Principal; activityId: string; ifMatch: number | undefined; body: unknown },
  deps: { activities: ActivityRepository; campaigns: CampaignCatalog; clock: Clock },
) {
  const { activity, flags, campaign } = await ownedActivity(input.principal, input.activityId, deps);
  checkIfMatch(input.ifMatch, { version: activity.version, required: true });
  if (activity.status === 'completed') throw new ConflictError('a completed activity can no longer be changed');
  if (activity.status === 'withdrawn') throw new ConflictError('a withdrawn activity can no longer be changed');
  const schemas = activitySchemas(campaign);
  const patch = safeParseFields(schemas.patch, input.body);
  if (!patch.success) throw new InvalidInputError('the change is not valid', patch.issues);
  const merged = mergePatch(activity.fields, patch.data as Record<string, unknown>);
  const check = safeParseFields(activity.status === 'draft' ? schemas.draft : schemas.submit, merged);
  if (!check.success) throw new InvalidInputError('the activity would no longer be valid', check.issues);
  const updated: ActivityRecord = {
    ...activity,
    version: activity.version + 1,
    updatedAt: deps.clock.now().toISOString(),
    updatedBy: input.principal.sub,
    fields: check.data as Record<string, unknown>,
  };
  await deps.activities.replace(updated, activity.version);
  return { activity: updated, flags, campaign };
}

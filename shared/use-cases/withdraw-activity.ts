/**
 * Withdraws a registered activity (ADR 0044): it leaves the public calendar, the registered counts,
 * the scores and the due index of the milestone sweeps. Its flags stay as they were raised.
 *
 * Primary course:
 * 1. The caller is an organizer of the owning unit (404 / 403 otherwise, as every change).
 * 2. If-Match is present (428) and names the stored version (412).
 * 3. The activity is registered (409 otherwise: a draft was never published, a completed one took place).
 * 4. The body is `{}` or `{ reason }` (422).
 * 5. Stored at version + 1 with `withdrawnAt` and the reason, only if unchanged since read (412);
 *    the stream audits it, and the read models follow.
 */
import type { Principal } from '../auth/principal';
import type { ActivityRecord } from '../domain/activity';
import type { Clock } from '../domain/clock';
import { safeParseFields } from '../domain/issues';
import { ConflictError, InvalidInputError } from '../errors';
import type { ActivityStore } from '../repositories/activity-repository';
import type { CampaignCatalog } from '../repositories/campaign-repository';
import { withdrawalSchema } from '../schemas/withdrawal.schema';
import { ownedActivity } from './activity-access';
import { checkIfMatch } from './if-match';

export async function withdrawActivity(
  input: { principal: Principal; activityId: string; ifMatch: number | undefined; body: unknown },
  deps: { activities: ActivityStore; campaigns: CampaignCatalog; clock: Clock },
) {
  const { activity, flags, campaign } = await ownedActivity(input.principal, input.activityId, deps);
  checkIfMatch(input.ifMatch, { version: activity.version, required: true });
  if (activity.status !== 'registered') throw new ConflictError(`only a registered activity can be withdrawn; this one is ${activity.status}`);
  const parsed = safeParseFields(withdrawalSchema, input.body);
  if (!parsed.success) throw new InvalidInputError('the withdrawal is not valid', parsed.issues);
  const now = deps.clock.now().toISOString();
  const withdrawn: ActivityRecord = {
    ...activity,
    status: 'withdrawn',
    version: activity.version + 1,
    withdrawnAt: now,
    ...(parsed.data.reason ? { withdrawnReason: parsed.data.reason } : {}),
    updatedAt: now,
    updatedBy: input.principal.sub,
  };
  await deps.activities.replace(withdrawn, activity.version);
  return { activity: withdrawn, flags, campaign };
}

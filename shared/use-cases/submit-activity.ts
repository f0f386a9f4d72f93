/**
 * Registers and publishes an activity (登记填报): full validation, status `registered`,
 * `submittedAt` set, and the lateness flags of the rules raised at once.
 *
 * Primary course:
 * 1. The caller is an organizer of the owning unit; the activity is still a draft (409).
 * 2. Its fields are a valid submission of the campaign (422 with every missing field).
 * 3. `registration-late` / `not-published-in-advance` are computed from the injected clock.
 * 4. Activity and flags are written together, only if unchanged since read (412).
 *
 * Once: the submitted activity carries the request's token (ADR 0025). A retry of the same
 * request (same Idempotency-Key and body) after its first attempt stored the submission, or the
 * SDK's retry of the write after a lost answer, answers with the stored submission (`repeated`).
 */
import type { Principal } from '../auth/principal';
import type { ActivityRecord, FlagRecord } from '../domain/activity';
import type { Clock } from '../domain/clock';
import { safeParseFields } from '../domain/issues';
import { flagsOnSubmit } from '../domain/rules';
import { raiseFlag } from './flags';
import { parseInstant } from '../domain/time';
import { ConflictError, InvalidInputError, StaleVersionError } from '../errors';
import { checkIfMatch } from './if-match';
import type { ActivityStore } from '../repositories/activity-repository';
import type { ExtensionSource } from '../repositories/extension-repository';
import { activitySchemas } from '../schemas/activity.schema';
import { ownedActivity } from './activity-access';
import type { CampaignCatalog } from '../repositories/campaign-repository';
import { randomWriteIdentity, type WriteIdentity } from './write-identity';

export async function submitActivity(
  input: { principal: Principal; activityId: string; ifMatch: number | undefined; write?: WriteIdentity },
  deps: { activities: ActivityStore; campaigns: CampaignCatalog; clock: Clock; extensions: ExtensionSource },
) {
  const write = input.write ?? randomWriteIdentity();
  const { activity, flags: existing, campaign } = await ownedActivity(input.principal, input.activityId, deps);
  if (write.keyed && activity.submitToken === write.token) return { activity, flags: existing, campaign, repeated: true };
  // A submit without If-Match submits whatever is stored; with one, only the version it names.
  checkIfMatch(input.ifMatch, { version: activity.version, required: false });
  if (activity.status !== 'draft') throw new ConflictError(`the activity is already ${activity.status}`);
  const parsed = safeParseFields(activitySchemas(campaign).submit, activity.fields);
  if (!parsed.success) throw new InvalidInputError('the activity is not complete enough to submit', parsed.issues);

  const now = deps.clock.now();
  const startsAt = parseInstant(String(parsed.data.startsAt));
  const extensions = await deps.extensions.forOrganization(campaign.id, activity.organizationId);
  const raised: FlagRecord[] = flagsOnSubmit(campaign, { ...activity, ...(startsAt ? { startsAt } : {}) }, now, extensions).map((f) => raiseFlag(campaign.id, f, now));
  const submitted: ActivityRecord = {
    ...activity,
    status: 'registered',
    version: activity.version + 1,
    submittedAt: now.toISOString(),
    updatedAt: now.toISOString(),
    updatedBy: input.principal.sub,
    fields: parsed.data as Record<string, unknown>,
    submitToken: write.token,
  };
  try {
    await deps.activities.saveWithFlags(submitted, activity.version, raised, { leavesDrafts: true });
  } catch (error) {
    // A lost answer retried by the SDK fails its own version condition: is the stored one ours?
    if (!(error instanceof StaleVersionError)) throw error;
    const stored = await ownedActivity(input.principal, input.activityId, deps);
    if (stored.activity.submitToken !== write.token) throw error;
    return { activity: stored.activity, flags: stored.flags, campaign, repeated: true };
  }
  return { activity: submitted, flags: [...existing, ...raised], campaign, repeated: false };
}

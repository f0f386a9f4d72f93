/**
 * Creates a draft activity for the caller's unit.
 *
 * Primary course:
 * 1. The campaign exists and the caller may see it (404 also for another city's campaign or a
 *    draft), it is not closed (409 `campaign_closed`), and the caller is an organizer of a unit
 *    listed in it.
 * 2. The body is a valid draft of that campaign (every failing field at once).
 * 3. The unit holds fewer drafts than the campaign's `caps.draftsPerUnit` (422
 *    `draft_limit_reached` naming the cap; issue 17, item 10), unless this is a retry of a request
 *    whose draft is already stored.
 * 4. The draft is stored at version 1, stamped with the injected clock, once: a retry of the same
 *    request (its write identity, ADR 0025) answers with the draft its first attempt stored, as
 *    that attempt answered it (version 1, its instants) even if it was edited since: the contract's
 *    replay of the first response, with no idempotency record (ADR 0049).
 */
import type { Principal } from '../auth/principal';
import type { ActivityRecord } from '../domain/activity';
import type { Clock } from '../domain/clock';
import { safeParseFields } from '../domain/issues';
import { ForbiddenError, InvalidInputError } from '../errors';
import { DraftCapReachedError, type ActivityRepository } from '../repositories/activity-repository';
import type { OrganizationDirectory } from '../repositories/organization-repository';
import { activitySchemas } from '../schemas/activity.schema';
import { campaignFor } from './activity-access';
import type { CampaignCatalog } from '../repositories/campaign-repository';
import { hasRole } from '../auth/principal';
import { createOnce, randomWriteIdentity, type Created, type WriteIdentity } from './write-identity';

export interface CreateActivityDeps {
  readonly campaigns: CampaignCatalog;
  readonly activities: ActivityRepository;
  readonly organizations: OrganizationDirectory;
  readonly clock: Clock;
  /** The new activity's id when the request brings no write identity (a random UUID by default). */
  readonly newId?: () => string;
}

export async function createActivity(
  input: { principal: Principal; campaignId: string; body: unknown; write?: WriteIdentity },
  deps: CreateActivityDeps,
): Promise<Created<ActivityRecord>> {
  const write = input.write ?? randomWriteIdentity(deps.newId);
  const campaign = await campaignFor(input.principal, deps.campaigns, input.campaignId, { write: true });
  if (!hasRole(input.principal, 'organizer')) throw new ForbiddenError('only organizers create activities');
  if (!(await deps.organizations.find(campaign, input.principal.orgId))) {
    throw new ForbiddenError(`unit ${input.principal.orgId} is not listed in campaign ${campaign.id}`);
  }
  const parsed = safeParseFields(activitySchemas(campaign).draft, input.body);
  if (!parsed.success) throw new InvalidInputError('the draft is not valid', parsed.issues);
  // The token binds the caller and the body: the same token means the same draft as first stored,
  // at its first instants (whatever edits came since).
  const earlier = async () => {
    const found = (await deps.activities.get(write.id))?.activity;
    if (found?.createToken !== write.token) return undefined;
    const first: ActivityRecord = { ...activity, organizationId: found.organizationId, createdAt: found.createdAt, updatedAt: found.createdAt };
    return first;
  };
  const cap = campaign.caps.draftsPerUnit;
  const now = deps.clock.now().toISOString();
  const activity: ActivityRecord = {
    activityId: write.id,
    campaignId: campaign.id,
    organizationId: input.principal.orgId,
    status: 'draft',
    version: 1,
    createdAt: now,
    createdBy: input.principal.sub,
    updatedAt: now,
    updatedBy: input.principal.sub,
    fields: parsed.data as Record<string, unknown>,
    createToken: write.token,
  };
  try {
    return await createOnce(write, activity, () => deps.activities.create(activity, cap), earlier);
  } catch (error) {
    if (!(error instanceof DraftCapReachedError)) throw error;
    throw new InvalidInputError(`the unit holds ${cap} drafts, the most the campaign allows: submit or finish some first`, [
      { path: '', code: 'draft_limit_reached', params: { max: cap } },
    ]);
  }
}

/**
 * A unit's inbox: the reminders and notices sent to it, newest first.
 *
 * Primary course:
 * 1. The campaign exists (404); the caller is an admin or an organizer of that very unit. An
 *    organizer of another unit is answered as if the unit were missing (404); reviewers and
 *    analysts may not read inboxes (403).
 * 2. The unit is listed in the campaign (404).
 * 3. One page of the unit's messages, newest first.
 */
import { hasRole, type Principal } from '../auth/principal';
import type { Campaign } from '../domain/campaign';
import type { InboxMessage } from '../domain/inbox';
import { ForbiddenError, NotFoundError } from '../errors';
import type { Page } from '../repositories/page';
import type { InboxReader } from '../repositories/inbox-repository';
import type { OrganizationDirectory } from '../repositories/organization-repository';
import { campaignFor } from './activity-access';
import type { CampaignCatalog } from '../repositories/campaign-repository';

export interface GetInboxDeps {
  readonly campaigns: CampaignCatalog;
  readonly organizations: OrganizationDirectory;
  readonly inbox: InboxReader;
}

export async function getInbox(
  input: { principal: Principal; campaignId: string; organizationId: string; limit: number; cursor?: string },
  deps: GetInboxDeps,
): Promise<{ page: Page<InboxMessage>; campaign: Campaign }> {
  const { principal, organizationId } = input;
  const campaign = await campaignFor(input.principal, deps.campaigns, input.campaignId);
  const ownOrganizer = hasRole(principal, 'organizer') && principal.orgId === organizationId;
  if (!hasRole(principal, 'admin') && !ownOrganizer) {
    // An organizer sees only its own unit: another one is answered exactly as a missing one.
    if (hasRole(principal, 'organizer') && !hasRole(principal, 'reviewer')) throw new NotFoundError(`organization ${organizationId} not found`);
    throw new ForbiddenError('only an admin or an organizer of the unit reads its inbox');
  }
  if (!(await deps.organizations.find(campaign, organizationId))) throw new NotFoundError(`organization ${organizationId} not found`);
  const page = await deps.inbox.list({
    campaignId: campaign.id,
    organizationId,
    limit: input.limit,
    ...(input.cursor ? { cursor: input.cursor } : {}),
  });
  return { page, campaign };
}

/**
 * Lists a campaign's activities: an organizer sees its own unit's; reviewers and admins
 * see all, or one unit's with `organizationId`.
 */
import { hasRole, type Principal } from '../auth/principal';
import { ForbiddenError } from '../errors';
import type { ActivityFilters, ActivityRepository } from '../repositories/activity-repository';
import { campaignFor } from './activity-access';
import type { CampaignCatalog } from '../repositories/campaign-repository';

export async function listActivities(
  input: { principal: Principal; campaignId: string; organizationId?: string; filters: ActivityFilters; limit: number; cursor?: string },
  deps: { activities: ActivityRepository; campaigns: CampaignCatalog },
) {
  const campaign = await campaignFor(input.principal, deps.campaigns, input.campaignId);
  const { principal } = input;
  let organizationId: string | undefined;
  if (hasRole(principal, 'reviewer', 'admin')) organizationId = input.organizationId;
  else if (hasRole(principal, 'organizer')) organizationId = principal.orgId;
  else throw new ForbiddenError('analysts read exports, not activities');
  const page = await deps.activities.list({
    campaignId: campaign.id,
    ...(organizationId ? { organizationId } : {}),
    filters: input.filters,
    limit: input.limit,
    ...(input.cursor ? { cursor: input.cursor } : {}),
  });
  return { page, campaign };
}

/**
 * Who may see and change an activity. Another unit's activity is answered exactly as a
 * missing one (404), so ids reveal nothing.
 */
import { hasRole, type Principal } from '../auth/principal';
import type { ActivityRecord, FlagRecord, ResultsRecord } from '../domain/activity';
import type { Campaign } from '../domain/campaign';
import { ForbiddenError, NotFoundError } from '../errors';
import type { ActivityRepository } from '../repositories/activity-repository';

export interface CampaignCatalog {
  find(campaignId: string): Campaign | undefined;
}

export function campaignOrNotFound(campaigns: CampaignCatalog, campaignId: string): Campaign {
  const campaign = campaigns.find(campaignId);
  if (!campaign) throw new NotFoundError(`campaign ${campaignId} not found`);
  return campaign;
}

/** Readers: the owning unit's organizers, reviewers and admins. */
export const canRead = (p: Principal, a: ActivityRecord): boolean =>
  hasRole(p, 'reviewer', 'admin') || (hasRole(p, 'organizer') && p.orgId === a.organizationId);

/** The activity, its flags and campaign, if `principal` may read it; 404 otherwise. */
export async function readableActivity(
  principal: Principal,
  activityId: string,
  deps: { activities: ActivityRepository; campaigns: CampaignCatalog },
): Promise<{ activity: ActivityRecord; flags: FlagRecord[]; results?: ResultsRecord; campaign: Campaign }> {
  const found = await deps.activities.get(activityId);
  if (!found || !canRead(principal, found.activity)) throw new NotFoundError(`activity ${activityId} not found`);
  return { ...found, campaign: campaignOrNotFound(deps.campaigns, found.activity.campaignId) };
}

/** The activity if `principal` is an organizer of its unit: 404 if they cannot see it, 403 if they can but do not own it. */
export async function ownedActivity(
  principal: Principal,
  activityId: string,
  deps: { activities: ActivityRepository; campaigns: CampaignCatalog },
) {
  const found = await readableActivity(principal, activityId, deps);
  if (!(hasRole(principal, 'organizer') && principal.orgId === found.activity.organizationId)) {
    throw new ForbiddenError('only an organizer of the owning unit may change an activity');
  }
  return found;
}

/**
 * Who may see and change an activity. Another unit's activity is answered exactly as a
 * missing one (404), so ids reveal nothing.
 */
import { hasRole, type Principal } from '../auth/principal';
import type { ActivityRecord, FlagRecord, ResultsRecord } from '../domain/activity';
import type { Campaign } from '../domain/campaign';
import { CampaignClosedError, ForbiddenError, NotFoundError } from '../errors';
import type { ActivityStore } from '../repositories/activity-repository';
import type { CampaignCatalog } from '../repositories/campaign-repository';

/** A campaign for the system's own jobs (schedules, queues): any status, any city; 404 when missing. */
export async function campaignOrNotFound(campaigns: CampaignCatalog, campaignId: string): Promise<Campaign> {
  const campaign = await campaigns.find(campaignId);
  if (!campaign) throw new NotFoundError(`campaign ${campaignId} not found`);
  return campaign;
}

/**
 * Whether `principal` may see `campaign` at all (ADR 0024): it is of their city, and a draft only
 * to its city's admins.
 */
export const campaignVisibleTo = (principal: Principal, campaign: Campaign): boolean =>
  principal.city === campaign.cityId && (campaign.status !== 'draft' || hasRole(principal, 'admin'));

/**
 * The campaign as `principal` may use it: 404 when it is missing, of another city, or a draft they
 * may not see (all three answer alike, so ids reveal nothing). With `write`, 409 when it is closed.
 */
export async function campaignFor(
  principal: Principal,
  campaigns: CampaignCatalog,
  campaignId: string,
  options: { readonly write?: boolean } = {},
): Promise<Campaign> {
  const campaign = await campaigns.find(campaignId);
  if (!campaign || !campaignVisibleTo(principal, campaign)) throw new NotFoundError(`campaign ${campaignId} not found`);
  if (options.write && campaign.status === 'closed') throw new CampaignClosedError(campaignId);
  return campaign;
}

/** Readers: the owning unit's organizers, reviewers and admins. */
export const canRead = (p: Principal, a: ActivityRecord): boolean =>
  hasRole(p, 'reviewer', 'admin') || (hasRole(p, 'organizer') && p.orgId === a.organizationId);

/** The activity, its flags and campaign, if `principal` may read it; 404 otherwise. */
export async function readableActivity(
  principal: Principal,
  activityId: string,
  deps: { activities: ActivityStore; campaigns: CampaignCatalog },
): Promise<{ activity: ActivityRecord; flags: FlagRecord[]; results?: ResultsRecord; campaign: Campaign }> {
  const found = await deps.activities.get(activityId);
  if (!found || !canRead(principal, found.activity)) throw new NotFoundError(`activity ${activityId} not found`);
  const campaign = await deps.campaigns.find(found.activity.campaignId);
  // Another city's activity is answered as a missing one.
  if (!campaign || !campaignVisibleTo(principal, campaign)) throw new NotFoundError(`activity ${activityId} not found`);
  return { ...found, campaign };
}

/** The activity if `principal` is an organizer of its unit: 404 if they cannot see it, 403 if they can but do not own it. */
export async function ownedActivity(
  principal: Principal,
  activityId: string,
  deps: { activities: ActivityStore; campaigns: CampaignCatalog },
) {
  const found = await readableActivity(principal, activityId, deps);
  if (!(hasRole(principal, 'organizer') && principal.orgId === found.activity.organizationId)) {
    throw new ForbiddenError('only an organizer of the owning unit may change an activity');
  }
  if (found.campaign.status === 'closed') throw new CampaignClosedError(found.campaign.id);
  return found;
}

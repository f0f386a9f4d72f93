/** The audit trail of an activity, oldest first, for whoever may read the activity. */
import type { Principal } from '../auth/principal';
import type { AuditRepository } from '../repositories/audit-repository';
import type { ActivityRepository } from '../repositories/activity-repository';
import { keys } from '../repositories/keys';
import { readableActivity, type CampaignCatalog } from './activity-access';

export async function getActivityHistory(
  input: { principal: Principal; activityId: string },
  deps: { activities: ActivityRepository; campaigns: CampaignCatalog; audit: AuditRepository },
) {
  const { campaign } = await readableActivity(input.principal, input.activityId, deps);
  const entries = await deps.audit.trail(keys.activity(input.activityId));
  return { entries: entries.sort((a, b) => a.at.localeCompare(b.at) || a.eventId.localeCompare(b.eventId)), campaign };
}

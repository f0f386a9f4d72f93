/** The audit trail of an activity and its results, oldest first, for whoever may read the activity. */
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
  const [activity, results] = await Promise.all([
    deps.audit.trail(keys.activity(input.activityId)),
    deps.audit.trail(keys.activityResults(input.activityId)),
  ]);
  const entries = [...activity.map((e) => ({ ...e, of: 'activity' as const })), ...results.map((e) => ({ ...e, of: 'results' as const }))];
  return { entries: entries.sort((a, b) => a.at.localeCompare(b.at) || a.eventId.localeCompare(b.eventId)), campaign };
}

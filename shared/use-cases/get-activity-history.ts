/**
 * The audit trail of an activity and its results, oldest first, for whoever may read the
 * activity: one page at a time (`limit` 1..100, `cursor`), since repeated PATCHes make the trail
 * grow without bound (issue 17, item 10). The two trails are merged by their sort key
 * (`<at>#<eventId>`, oldest first); the signed cursor holds the last key given and is valid for
 * this activity's history only (400 otherwise).
 */
import type { Principal } from '../auth/principal';
import { cursorScope, decodeCursor, encodeCursor } from '../repositories/page';
import type { AuditTrailPages } from '../repositories/audit-repository';
import type { ActivityRepository } from '../repositories/activity-repository';
import { keys } from '../repositories/keys';
import { readableActivity } from './activity-access';
import type { CampaignCatalog } from '../repositories/campaign-repository';

export async function getActivityHistory(
  input: { principal: Principal; activityId: string; limit: number; cursor?: string },
  deps: { activities: ActivityRepository; campaigns: CampaignCatalog; audit: AuditTrailPages },
) {
  const { campaign } = await readableActivity(input.principal, input.activityId, deps);
  const scope = cursorScope('activity-history', keys.activityPartition(input.activityId));
  const after = await decodeCursor(scope, input.cursor, ['sk']);
  const afterSk = after ? String(after.sk) : undefined;
  // One more than a page from each trail: enough to fill the page and see whether more follow.
  const [activity, results] = await Promise.all([
    deps.audit.trailPage(keys.activity(input.activityId), afterSk, input.limit + 1),
    deps.audit.trailPage(keys.activityResults(input.activityId), afterSk, input.limit + 1),
  ]);
  const merged = [...activity.map((e) => ({ ...e, of: 'activity' as const })), ...results.map((e) => ({ ...e, of: 'results' as const }))].sort(
    (a, b) => (a.sk < b.sk ? -1 : a.sk > b.sk ? 1 : 0),
  );
  const entries = merged.slice(0, input.limit);
  const last = entries.at(-1);
  const nextCursor = merged.length > input.limit && last ? await encodeCursor(scope, { sk: last.sk }) : null;
  return { entries, nextCursor, campaign };
}

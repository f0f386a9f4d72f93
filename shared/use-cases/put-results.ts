/**
 * Records an activity's results (信息完善); when they meet the completion rule for the
 * first time the activity becomes `completed`, late if after its completion deadline.
 *
 * Primary course:
 * 1. The caller is an organizer of the owning unit; the activity is registered (409 for a draft).
 * 2. Once results exist, If-Match must name their current version (428 / 412).
 * 3. The body is valid results (422 with every failing field).
 * 4. The completion rule is evaluated; results, the completed activity and a
 *    `results-late` flag are written in one transaction.
 */
import type { Principal } from '../auth/principal';
import type { ActivityRecord, FlagRecord, ResultsRecord } from '../domain/activity';
import type { Clock } from '../domain/clock';
import { safeParseFields } from '../domain/issues';
import { completionOf } from './complete-activity';
import type { MediaRepository } from '../repositories/media-repository';
import { ConflictError, InvalidInputError, StaleVersionError, VersionRequiredError } from '../errors';
import type { ActivityRepository } from '../repositories/activity-repository';
import { resultsSchema } from '../schemas/results.schema';
import { ownedActivity, type CampaignCatalog } from './activity-access';
import type { ExtensionSource } from './submit-activity';

export async function putResults(
  input: { principal: Principal; activityId: string; ifMatch: number | undefined; body: unknown },
  deps: { activities: ActivityRepository; campaigns: CampaignCatalog; clock: Clock; extensions: ExtensionSource; media: MediaRepository },
) {
  const found = await ownedActivity(input.principal, input.activityId, deps);
  const { activity, campaign } = found;
  if (activity.status === 'draft') throw new ConflictError('submit the activity before adding results');
  const current = found.results;
  if (current && input.ifMatch === undefined) throw new VersionRequiredError();
  if (input.ifMatch !== undefined && input.ifMatch !== (current?.version ?? 0)) throw new StaleVersionError(current?.version ?? 0);
  const parsed = safeParseFields(resultsSchema, input.body);
  if (!parsed.success) throw new InvalidInputError('the results are not valid', parsed.issues);

  const now = deps.clock.now();
  const results: ResultsRecord = {
    activityId: activity.activityId,
    version: (current?.version ?? 0) + 1,
    actualParticipants: parsed.data.actualParticipants,
    newsLinks: parsed.data.newsLinks,
    ...(parsed.data.onlineUrl ? { onlineUrl: parsed.data.onlineUrl } : {}),
    ...(parsed.data.highlights ? { highlights: parsed.data.highlights } : {}),
    updatedAt: now.toISOString(),
    updatedBy: input.principal.sub,
  };
  const media = await deps.media.list({ type: 'activity', campaignId: campaign.id, organizationId: activity.organizationId, activityId: activity.activityId });
  const extensions = activity.status === 'registered' ? await deps.extensions.forOrganization(campaign.id, activity.organizationId) : [];
  const done = completionOf(campaign, activity, { results, media }, now, extensions, input.principal.sub);
  const completed: { activity: ActivityRecord; expectedActivityVersion: number; flags: FlagRecord[] } | undefined = done
    ? { ...done, expectedActivityVersion: activity.version }
    : undefined;
  await deps.activities.putResults({
    campaignId: campaign.id,
    organizationId: activity.organizationId,
    results,
    expectedResultsVersion: current?.version,
    ...(completed ? { completed } : {}),
  });
  return {
    results,
    activity: completed?.activity ?? activity,
    flags: [...found.flags, ...(completed?.flags ?? [])],
    campaign,
  };
}

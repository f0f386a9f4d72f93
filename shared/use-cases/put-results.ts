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
 *
 * A retry of a PUT that was applied already (its answer lost) finds the same caller's same results
 * stored and answers them (`repeated`) instead of 412/428 (RFC 9110 §13.1.1, ADR 0026).
 */
import type { Principal } from '../auth/principal';
import type { ActivityRecord, FlagRecord, ResultsRecord } from '../domain/activity';
import type { Clock } from '../domain/clock';
import { safeParseFields } from '../domain/issues';
import { completionOf } from './complete-activity';
import type { MediaRepository } from '../repositories/media-repository';
import { ConflictError, InvalidInputError, StaleVersionError } from '../errors';
import { ifMatchFailure } from './if-match';
import type { ActivityRepository } from '../repositories/activity-repository';
import { resultsSchema } from '../schemas/results.schema';
import { ownedActivity } from './activity-access';
import type { CampaignCatalog } from '../repositories/campaign-repository';
import type { ExtensionSource } from '../repositories/extension-repository';

export async function putResults(
  input: { principal: Principal; activityId: string; ifMatch: number | undefined; body: unknown },
  deps: { activities: ActivityRepository; campaigns: CampaignCatalog; clock: Clock; extensions: ExtensionSource; media: MediaRepository },
) {
  const found = await ownedActivity(input.principal, input.activityId, deps);
  const { activity, campaign } = found;
  if (activity.status === 'draft') throw new ConflictError('submit the activity before adding results');
  if (activity.status === 'withdrawn') throw new ConflictError('a withdrawn activity takes no results');
  const current = found.results;
  const precondition = ifMatchFailure(input.ifMatch, { version: current?.version ?? 0, required: current !== undefined });
  const parsed = safeParseFields(resultsSchema, input.body);
  if (precondition) {
    // The same caller's same results are stored already: a retry of a PUT whose answer was lost
    // (RFC 9110 §13.1.1 lets a precondition that fails only because the change is applied answer 2xx).
    if (parsed.success && current && sameResults(current, parsed.data, input.principal.sub)) return { ...found, results: current, repeated: true };
    throw precondition;
  }
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
  try {
    await deps.activities.putResults({
      campaignId: campaign.id,
      organizationId: activity.organizationId,
      results,
      expectedResultsVersion: current?.version,
      ...(completed ? { completed } : {}),
    });
  } catch (error) {
    if (!(error instanceof StaleVersionError)) throw error;
    // Changed since read, unless by this very write (an answer lost and the write retried).
    const again = await ownedActivity(input.principal, input.activityId, deps);
    if (again.results && again.results.version === results.version && sameResults(again.results, parsed.data, input.principal.sub)) {
      return { ...again, results: again.results, repeated: true };
    }
    throw error;
  }
  return {
    results,
    activity: completed?.activity ?? activity,
    flags: [...found.flags, ...(completed?.flags ?? [])],
    campaign,
    repeated: false,
  };
}

/** Whether stored results are what `caller` asks to store (their content, written by them). */
function sameResults(stored: ResultsRecord, asked: ReturnType<typeof resultsSchema.parse>, caller: string): boolean {
  const content = (r: { actualParticipants?: unknown; newsLinks?: unknown; onlineUrl?: unknown; highlights?: unknown }) =>
    JSON.stringify([r.actualParticipants, r.newsLinks ?? [], r.onlineUrl ?? null, r.highlights ?? null]);
  return stored.updatedBy === caller && content(stored) === content(asked);
}

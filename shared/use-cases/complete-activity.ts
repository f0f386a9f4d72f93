/**
 * The completion rule, applied whenever an activity's evidence changes (results saved, a
 * photo or video accepted): a registered activity whose rule is now met becomes
 * `completed`, with `results-late` if that happens after its completion deadline.
 */
import { recordFacts, type ActivityRecord, type FlagRecord, type ResultsRecord } from '../domain/activity';
import type { Campaign } from '../domain/campaign';
import type { MediaRecord } from '../domain/media';
import { completionMet, flagOnCompletion, type ExtensionFacts } from '../domain/rules';
import { raiseFlag } from './flags';

/** Accepted photos and videos of an activity, as the completion rule counts them. */
export function acceptedEvidence(media: readonly MediaRecord[]): { photos: number; videos: number } {
  const accepted = media.filter((m) => m.status === 'accepted');
  return { photos: accepted.filter((m) => m.kind === 'photo').length, videos: accepted.filter((m) => m.kind === 'video').length };
}

/** The completed activity and its flags, or `undefined` when nothing changes. */
export function completionOf(
  campaign: Campaign,
  activity: ActivityRecord,
  evidence: { results?: ResultsRecord; media: readonly MediaRecord[] },
  at: Date,
  extensions: readonly ExtensionFacts[],
  actor: string,
): { activity: ActivityRecord; flags: FlagRecord[] } | undefined {
  if (activity.status !== 'registered') return undefined;
  const facts = { ...recordFacts(activity), ...(evidence.results ? { results: evidence.results } : {}), acceptedMedia: acceptedEvidence(evidence.media) };
  if (!completionMet(facts)) return undefined;
  const late = flagOnCompletion(campaign, activity, at, extensions);
  return {
    activity: { ...activity, status: 'completed', version: activity.version + 1, completedAt: at.toISOString(), updatedAt: at.toISOString(), updatedBy: actor },
    flags: late ? [raiseFlag(campaign.id, late, at)] : [],
  };
}

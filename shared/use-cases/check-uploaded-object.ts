/**
 * The media check: decides what an uploaded object is, once, and freezes what it decided on.
 *
 * Primary course:
 * 1. The key must be one SciDay issued, with a pending media item (else: quarantined). A write
 *    to the key of an item decided already (the form posted again within its lifetime) is
 *    quarantined too: it never reaches what is served (ADR 0032).
 * 2. The object is copied to a key of this check's own (`checked/…/<checkId>`) that no form
 *    and no other check can write; everything below reads that copy, so what is judged is
 *    exactly what would be served, whatever lands on the upload key meanwhile.
 * 3. Its real size and the type its first bytes show must match the declared ones and the
 *    kind's limits (see `judgeUpload`).
 * 4. Accepted: the item becomes `accepted` with the copy as its `checkedKey` (the only object
 *    a download URL is signed for), the upload key is emptied, and a registered activity whose
 *    completion rule it now meets becomes `completed`. Rejected: the item becomes `rejected`
 *    with a reason, and the copy moves to `quarantine/<upload key>`.
 *
 * Duplicated and concurrent events change nothing: an item is decided only while pending, and a
 * check that loses the race deletes its copy.
 */
import { randomUUID } from 'node:crypto';
import type { Campaign } from '../domain/campaign';
import type { Clock } from '../domain/clock';
import { checkedObjectKey, judgeUpload, parseMediaObjectKey, type MediaRecord } from '../domain/media';
import { SNIFF_BYTES, sniffContentType } from '../domain/sniff';
import { exifCaptureDate } from '../domain/exif';
import { StaleVersionError } from '../errors';
import type { MediaRepository } from '../repositories/media-repository';
import type { ObjectStore } from '../repositories/object-store';
import type { ActivityRepository } from '../repositories/activity-repository';
import type { CampaignCatalog } from './activity-access';
import { completionOf } from './complete-activity';
import type { ExtensionSource } from './submit-activity';

/** `late-write`: an object stored on the key of an item decided already, quarantined. */
export type CheckOutcome = 'accepted' | 'rejected' | 'duplicate' | 'quarantined' | 'late-write' | 'already-decided' | 'gone';

export async function checkUploadedObject(
  object: { bucket: string; key: string },
  deps: {
    objects: ObjectStore;
    media: MediaRepository;
    activities: ActivityRepository;
    extensions: ExtensionSource;
    campaigns: Pick<CampaignCatalog, 'find'>;
    clock: Clock;
    /** Names this check's copy; random, so that no two checks share one. */
    newCheckId?: () => string;
  },
): Promise<CheckOutcome> {
  const { bucket, key } = object;
  const head = await deps.objects.head(bucket, key);
  if (!head) return 'gone';
  const parsed = parseMediaObjectKey(key);
  const campaign = parsed ? await deps.campaigns.find(parsed.subject.campaignId) : undefined;
  const media = parsed && campaign ? await deps.media.get(parsed.subject, parsed.mediaId) : undefined;
  if (!parsed || !campaign || !media) {
    await deps.objects.quarantine(bucket, key);
    return 'quarantined';
  }
  if (media.status !== 'pending') {
    await deps.objects.quarantine(bucket, key);
    // Also the redelivery of an event whose check accepted and then failed: the completion rule once more (it is idempotent).
    if (media.status === 'accepted') await completeIfMet(campaign, media, deps);
    return 'late-write';
  }

  // From here on only this check's copy is read: a re-post of the form changes the upload key, never it.
  const checkedKey = checkedObjectKey(key, (deps.newCheckId ?? randomUUID)());
  const copy = await deps.objects.copy(bucket, key, checkedKey);
  if (!copy) return 'gone';
  // A failure leaves the copy where it is: a decision whose answer was lost may name it.
  const outcome = await judgeCopy({ bucket, checkedKey, size: copy.size, parsed, campaign, media }, deps);
  if (outcome === 'rejected') await deps.objects.quarantine(bucket, checkedKey, key);
  if (outcome === 'duplicate' || outcome === 'already-decided') await deps.objects.remove(bucket, checkedKey);
  // The decided upload leaves uploads/ (a check that lost the race leaves it to the winner).
  if (outcome !== 'already-decided') await deps.objects.remove(bucket, key);
  if (outcome === 'accepted') await completeIfMet(campaign, media, deps);
  return outcome;
}

/** Judges the copy at `checkedKey` and records the decision (steps 3 and 4). */
async function judgeCopy(
  copy: {
    bucket: string;
    checkedKey: string;
    size: number;
    parsed: NonNullable<ReturnType<typeof parseMediaObjectKey>>;
    campaign: Campaign;
    media: MediaRecord;
  },
  deps: { objects: ObjectStore; media: MediaRepository; clock: Clock },
): Promise<'accepted' | 'rejected' | 'duplicate' | 'already-decided'> {
  const { bucket, checkedKey, size, parsed, campaign, media } = copy;
  const limits = campaign.media[media.kind];
  const start = await deps.objects.readStart(bucket, checkedKey, SNIFF_BYTES);
  const sniffed = sniffContentType(start);
  const verdict = judgeUpload({
    declaredContentType: media.declaredContentType,
    declaredSize: media.declaredSize,
    allowedContentTypes: limits.contentTypes,
    maxBytes: limits.maxBytes,
    actualSize: size,
    sniffedContentType: sniffed,
  });
  const checkedAt = deps.clock.now().toISOString();
  const common = { ...(sniffed ? { detectedContentType: sniffed } : {}), size, checkedAt };
  if (verdict.status !== 'accepted') {
    return (await deps.media.decide(parsed.subject, parsed.mediaId, { ...common, ...verdict })) ? 'rejected' : 'already-decided';
  }
  // Identical files (same SHA-256) of one subject are stored once.
  const sha256 = await deps.objects.sha256(bucket, checkedKey);
  const twin = (await deps.media.list(parsed.subject)).find((m) => m.status === 'accepted' && m.sha256 === sha256 && m.mediaId !== media.mediaId);
  if (twin) {
    const decided = await deps.media.decide(parsed.subject, parsed.mediaId, { ...common, status: 'rejected', reason: 'duplicate', sha256, duplicateOf: twin.mediaId });
    return decided ? 'duplicate' : 'already-decided';
  }
  // A photo taken outside the campaign year is kept, with a warning for reviewers.
  const capturedAt = media.kind === 'photo' ? exifCaptureDate(start) : undefined;
  const warnings = capturedAt && Number(capturedAt.slice(0, 4)) !== campaign.year ? ['capture_date_outside_campaign_year'] : [];
  const accepted = { ...common, status: 'accepted' as const, sha256, checkedKey, ...(capturedAt ? { capturedAt } : {}), warnings };
  return (await deps.media.decide(parsed.subject, parsed.mediaId, accepted)) ? 'accepted' : 'already-decided';
}

/**
 * Applies the completion rule to the activity an accepted photo or video belongs to, re-reading
 * it if someone changed it meanwhile.
 */
async function completeIfMet(
  campaign: Campaign,
  accepted: MediaRecord,
  deps: { media: MediaRepository; activities: ActivityRepository; extensions: ExtensionSource; clock: Clock },
): Promise<void> {
  if (accepted.subject.type !== 'activity' || accepted.kind === 'document') return;
  const { activityId } = accepted.subject;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const found = await deps.activities.get(activityId);
    if (!found) return;
    const { activity, results } = found;
    const media = await deps.media.list({ type: 'activity', campaignId: campaign.id, organizationId: activity.organizationId, activityId });
    const extensions = await deps.extensions.forOrganization(campaign.id, activity.organizationId);
    const done = completionOf(campaign, activity, { ...(results ? { results } : {}), media }, deps.clock.now(), extensions, 'media-check');
    if (!done) return;
    try {
      await deps.activities.saveWithFlags(done.activity, activity.version, done.flags);
      return;
    } catch (error) {
      if (!(error instanceof StaleVersionError)) throw error;
    }
  }
  throw new Error(`activity ${activityId} kept changing while the media check completed it`);
}

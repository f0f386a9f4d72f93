/**
 * The media check: decides what an uploaded object is, once, and freezes what it decided on.
 *
 * Primary course:
 * 1. The key must be one SciDay issued, with a pending media item (else: quarantined). A write
 *    to the key of an item decided already (the form posted again within its lifetime) is
 *    quarantined too: it never reaches what is served (ADR 0032).
 * 2. The object is copied to a key of this check's own (`checked/…/<checkId>`; a photo's to
 *    `originals/…/<checkId>`, which nothing serves) that no form and no other check can write;
 *    everything below reads that copy, so what is judged is exactly what would be served,
 *    whatever lands on the upload key meanwhile.
 * 3. Its real size and the type its first bytes show must match the declared ones and the
 *    kind's limits (see `judgeUpload`).
 * 4. Accepted: a photo is stripped of what identifies a person or a device (GPS, serials, XMP,
 *    IPTC, thumbnails: `stripPhotoMetadata`, ADR 0048) and stored at `checked/…/<checkId>`, its
 *    original deleted; the item becomes `accepted` with that key as its `checkedKey` (the only
 *    object a download URL is signed for), the upload key is emptied, and a registered activity
 *    whose completion rule it now meets becomes `completed`. Rejected: the item becomes
 *    `rejected` with a reason, and the copy moves to `quarantine/<upload key>`.
 *
 * Duplicated and concurrent events change nothing: an item is decided only while pending, and a
 * check that loses the race deletes its copy.
 */
import { randomUUID } from 'node:crypto';
import type { Campaign } from '../domain/campaign';
import type { Clock } from '../domain/clock';
import { checkedObjectKey, judgeUpload, originalObjectKey, parseMediaObjectKey, type MediaRecord } from '../domain/media';
import { stripPhotoMetadata } from '../domain/photo-metadata';
import { SNIFF_BYTES, sniffContentType } from '../domain/sniff';
import { exifCaptureDate } from '../domain/exif';
import { StaleVersionError } from '../errors';
import type { MediaRepository } from '../repositories/media-repository';
import type { ObjectStore } from '../repositories/object-store';
import type { ActivityRepository } from '../repositories/activity-repository';
import type { CampaignCatalog } from '../repositories/campaign-repository';
import { completionOf } from './complete-activity';
import type { ExtensionSource } from '../repositories/extension-repository';

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
  const checkId = (deps.newCheckId ?? randomUUID)();
  const checkedKey = checkedObjectKey(key, checkId);
  // A photo's original is judged where nothing serves it; what is served is written stripped (ADR 0048).
  const judgedKey = media.kind === 'photo' ? originalObjectKey(key, checkId) : checkedKey;
  if (!(await deps.objects.copyOnly(bucket, key, judgedKey))) return 'gone';
  // A failure leaves the copies where they are: a decision whose answer was lost may name the checked one.
  const judged = await judgeCopy({ bucket, judgedKey, checkedKey, parsed, campaign, media }, deps);
  if (judged === 'gone') return 'gone';
  const { outcome } = judged;
  if (outcome === 'rejected') await deps.objects.quarantine(bucket, judgedKey, key);
  // A check that lost the race also deletes the stripped copy it may have stored (its key is its own).
  if (outcome === 'already-decided' && judgedKey !== checkedKey) await deps.objects.remove(bucket, checkedKey);
  const originalDone = outcome === 'duplicate' || outcome === 'already-decided' || (outcome === 'accepted' && judgedKey !== checkedKey);
  // The decided upload leaves uploads/ (a check that lost the race leaves it to the winner), while
  // the completion rule runs.
  await Promise.all([
    originalDone ? deps.objects.remove(bucket, judgedKey) : undefined,
    outcome !== 'already-decided' ? deps.objects.remove(bucket, key) : undefined,
    outcome === 'accepted' ? completeIfMet(campaign, media, deps, judged.siblings) : undefined,
  ]);
  return outcome;
}

/**
 * Judges the copy at `judgedKey` and records the decision (steps 3 and 4). The copy is read once:
 * its size from the answer, its first bytes, and (only while it can still be accepted) its SHA-256,
 * a photo's bytes too. A photo's stripped bytes are stored at `checkedKey` before the decision
 * names them; the SHA-256 recorded is the upload's (duplicates are identical uploads), the size
 * the one of what is served.
 * `siblings`: the subject's media as listed for the duplicate check, this one accepted.
 */
async function judgeCopy(
  copy: {
    bucket: string;
    judgedKey: string;
    checkedKey: string;
    parsed: NonNullable<ReturnType<typeof parseMediaObjectKey>>;
    campaign: Campaign;
    media: MediaRecord;
  },
  deps: { objects: ObjectStore; media: MediaRepository; clock: Clock },
): Promise<{ outcome: 'accepted' | 'rejected' | 'duplicate' | 'already-decided'; siblings?: MediaRecord[] } | 'gone'> {
  const { bucket, judgedKey, checkedKey, parsed, campaign, media } = copy;
  const photo = judgedKey !== checkedKey;
  const limits = campaign.media[media.kind];
  const judge = (size: number, start: Uint8Array) => {
    const sniffed = sniffContentType(start);
    const verdict = judgeUpload({
      declaredContentType: media.declaredContentType,
      declaredSize: media.declaredSize,
      allowedContentTypes: limits.contentTypes,
      maxBytes: limits.maxBytes,
      actualSize: size,
      sniffedContentType: sniffed,
    });
    return { sniffed, verdict };
  };
  // Nothing past the first bytes is read of a copy that is refused already (too large, wrong type).
  const read = await deps.objects.inspect(bucket, judgedKey, SNIFF_BYTES, (size, start) => judge(size, start).verdict.status === 'accepted', photo);
  // Only this check writes its copy: gone means the bucket lost it (a lifecycle rule, an operator).
  if (!read) return 'gone';
  const { size, start } = read;
  const { sniffed, verdict } = judge(size, start);
  const checkedAt = deps.clock.now().toISOString();
  const common = { ...(sniffed ? { detectedContentType: sniffed } : {}), size, checkedAt };
  if (verdict.status !== 'accepted') {
    return { outcome: (await deps.media.decide(parsed.subject, parsed.mediaId, { ...common, ...verdict })) ? 'rejected' : 'already-decided' };
  }
  // The reader stops early only on a refusal (the same judgement): an accepted copy was hashed whole.
  if (read.sha256 === undefined || (photo && !read.bytes)) throw new Error(`the copy ${judgedKey} was not read whole`);
  // Identical uploads are duplicates (the original's SHA-256): two photos differing only in their metadata are not.
  const { sha256 } = read;
  const served = photo && read.bytes && sniffed ? stripPhotoMetadata(read.bytes, sniffed) : undefined;
  // Identical files (same SHA-256) of one subject are stored once.
  const listed = await deps.media.list(parsed.subject);
  const twin = listed.find((m) => m.status === 'accepted' && m.sha256 === sha256 && m.mediaId !== media.mediaId);
  if (twin) {
    const decided = await deps.media.decide(parsed.subject, parsed.mediaId, { ...common, status: 'rejected', reason: 'duplicate', sha256, duplicateOf: twin.mediaId });
    return { outcome: decided ? 'duplicate' : 'already-decided' };
  }
  // A photo taken outside the campaign year is kept, with a warning for reviewers.
  const capturedAt = media.kind === 'photo' ? exifCaptureDate(start) : undefined;
  const warnings = capturedAt && Number(capturedAt.slice(0, 4)) !== campaign.year ? ['capture_date_outside_campaign_year'] : [];
  const accepted = { ...common, ...(served ? { size: served.length } : {}), status: 'accepted' as const, sha256, checkedKey, ...(capturedAt ? { capturedAt } : {}), warnings };
  if (served && sniffed) await deps.objects.put(bucket, checkedKey, served, sniffed);
  if (!(await deps.media.decide(parsed.subject, parsed.mediaId, accepted))) return { outcome: 'already-decided' };
  return { outcome: 'accepted', siblings: [...listed.filter((m) => m.mediaId !== media.mediaId), { ...media, ...accepted }] };
}

/**
 * Applies the completion rule to the activity an accepted photo or video belongs to, re-reading
 * it if someone changed it meanwhile.
 */
async function completeIfMet(
  campaign: Campaign,
  accepted: MediaRecord,
  deps: { media: MediaRepository; activities: ActivityRepository; extensions: ExtensionSource; clock: Clock },
  /** The subject's media listed just now, this one accepted (first attempt only: a retry lists again). */
  listed?: readonly MediaRecord[],
): Promise<void> {
  if (accepted.subject.type !== 'activity' || accepted.kind === 'document') return;
  const { activityId } = accepted.subject;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const found = await deps.activities.get(activityId);
    // Only a registered activity can become completed (completionOf): a draft or a completed one reads nothing more.
    if (found?.activity.status !== 'registered') return;
    const { activity, results } = found;
    // The media listed by this check suffice the first time: an item accepted meanwhile by another
    // check only adds evidence, and that check applies the rule itself after its own decision.
    const media = attempt === 0 && listed ? listed : await deps.media.list({ type: 'activity', campaignId: campaign.id, organizationId: activity.organizationId, activityId });
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

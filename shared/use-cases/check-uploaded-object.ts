/**
 * The media check: decides what an uploaded object is, once.
 *
 * Primary course:
 * 1. The key must be one SciDay issued, with a pending media item (else: quarantined).
 * 2. Its real size (HeadObject) and the type its first bytes show must match the declared
 *    ones and the kind's limits (see `judgeUpload`).
 * 3. Accepted: the item becomes `accepted`, and a registered activity whose completion
 *    rule it now meets becomes `completed`. Rejected: the item becomes `rejected` with a
 *    reason, and the object moves to `quarantine/`.
 *
 * Duplicated and concurrent events change nothing: an item is decided only while pending.
 */
import type { Campaign } from '../domain/campaign';
import type { Clock } from '../domain/clock';
import { judgeUpload, parseMediaObjectKey } from '../domain/media';
import { SNIFF_BYTES, sniffContentType } from '../domain/sniff';
import { exifCaptureDate } from '../domain/exif';
import { StaleVersionError } from '../errors';
import type { MediaRepository } from '../repositories/media-repository';
import type { ObjectStore } from '../repositories/object-store';
import type { ActivityRepository } from '../repositories/activity-repository';
import type { CampaignCatalog } from './activity-access';
import { completionOf } from './complete-activity';
import type { ExtensionSource } from './submit-activity';

export type CheckOutcome = 'accepted' | 'rejected' | 'duplicate' | 'quarantined' | 'already-decided' | 'gone';

export async function checkUploadedObject(
  object: { bucket: string; key: string },
  deps: {
    objects: ObjectStore;
    media: MediaRepository;
    activities: ActivityRepository;
    extensions: ExtensionSource;
    campaigns: Pick<CampaignCatalog, 'find'>;
    clock: Clock;
  },
): Promise<CheckOutcome> {
  const head = await deps.objects.head(object.bucket, object.key);
  if (!head) return 'gone';
  const parsed = parseMediaObjectKey(object.key);
  const campaign = parsed ? await deps.campaigns.find(parsed.subject.campaignId) : undefined;
  const media = parsed && campaign ? await deps.media.get(parsed.subject, parsed.mediaId) : undefined;
  if (!parsed || !campaign || !media) {
    await deps.objects.quarantine(object.bucket, object.key);
    return 'quarantined';
  }
  if (media.status !== 'pending') return 'already-decided';

  const limits = campaign.media[media.kind];
  const start = await deps.objects.readStart(object.bucket, object.key, SNIFF_BYTES);
  const sniffed = sniffContentType(start);
  const verdict = judgeUpload({
    declaredContentType: media.declaredContentType,
    declaredSize: media.declaredSize,
    allowedContentTypes: limits.contentTypes,
    maxBytes: limits.maxBytes,
    actualSize: head.size,
    sniffedContentType: sniffed,
  });
  const checkedAt = deps.clock.now().toISOString();
  const common = { ...(sniffed ? { detectedContentType: sniffed } : {}), size: head.size, checkedAt };
  if (verdict.status === 'accepted') {
    // Identical files (same SHA-256) of one subject are stored once.
    const sha256 = await deps.objects.sha256(object.bucket, object.key);
    const twin = (await deps.media.list(parsed.subject)).find((m) => m.status === 'accepted' && m.sha256 === sha256 && m.mediaId !== media.mediaId);
    if (twin) {
      const decided = await deps.media.decide(parsed.subject, parsed.mediaId, { ...common, status: 'rejected', reason: 'duplicate', sha256, duplicateOf: twin.mediaId });
      if (!decided) return 'already-decided';
      await deps.objects.remove(object.bucket, object.key);
      return 'duplicate';
    }
    // A photo taken outside the campaign year is kept, with a warning for reviewers.
    const capturedAt = media.kind === 'photo' ? exifCaptureDate(start) : undefined;
    const warnings = capturedAt && Number(capturedAt.slice(0, 4)) !== campaign.year ? ['capture_date_outside_campaign_year'] : [];
    const accepted = { ...common, status: 'accepted' as const, sha256, ...(capturedAt ? { capturedAt } : {}), warnings };
    if (!(await deps.media.decide(parsed.subject, parsed.mediaId, accepted))) return 'already-decided';
  } else {
    if (!(await deps.media.decide(parsed.subject, parsed.mediaId, { ...common, ...verdict }))) return 'already-decided';
    await deps.objects.quarantine(object.bucket, object.key);
    return 'rejected';
  }
  if (parsed.subject.type === 'activity' && media.kind !== 'document') {
    await completeIfMet(campaign, parsed.subject.activityId, deps);
  }
  return 'accepted';
}

/** Applies the completion rule to the activity, re-reading it if someone changed it meanwhile. */
async function completeIfMet(
  campaign: Campaign,
  activityId: string,
  deps: { media: MediaRepository; activities: ActivityRepository; extensions: ExtensionSource; clock: Clock },
): Promise<void> {
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

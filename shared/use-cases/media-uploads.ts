/**
 * Browser uploads: a presigned POST for one file of an activity (photos, videos,
 * documents) or of a unit's work summary (documents), and the list of an activity's media.
 *
 * Primary course (request an upload):
 * 1. The caller is an organizer of the owning unit (404 for another unit, 403 for other roles),
 *    in a campaign they may see (404 for another city's) that is not closed (409 `campaign_closed`).
 * 2. The declared kind, type and size are within the campaign's limits, and the subject
 *    has room for one more file of that kind (422 before any URL).
 * 3. A `pending` media item is recorded first, under a server-chosen key.
 * 4. A 15-minute presigned POST fixes that key, the exact Content-Type and the size range.
 */
import { createOnce, randomWriteIdentity, type WriteIdentity } from './write-identity';
import { hasRole, type Principal } from '../auth/principal';
import type { Campaign } from '../domain/campaign';
import type { Clock } from '../domain/clock';
import { safeParseFields } from '../domain/issues';
import { mediaObjectKey, type MediaRecord, type MediaSubject } from '../domain/media';
import { ForbiddenError, InvalidInputError, NotFoundError } from '../errors';
import type { UploadSigner } from '../clients/upload-signer';
import type { ActivityRepository } from '../repositories/activity-repository';
import type { MediaRepository } from '../repositories/media-repository';
import type { OrganizationDirectory } from '../repositories/organization-repository';
import { uploadRequestSchema, type MediaKind } from '../schemas/media.schema';
import { campaignFor, ownedActivity, readableActivity } from './activity-access';
import type { CampaignCatalog } from '../repositories/campaign-repository';

export const UPLOAD_EXPIRY_SECONDS = 15 * 60;
export const VIEW_EXPIRY_SECONDS = 5 * 60;

export interface MediaDeps {
  readonly campaigns: CampaignCatalog;
  readonly activities: ActivityRepository;
  readonly organizations: OrganizationDirectory;
  readonly media: MediaRepository;
  readonly signer: UploadSigner;
  readonly clock: Clock;
  readonly newId?: () => string;
}

export type UploadTarget = { readonly activityId: string } | { readonly campaignId: string; readonly organizationId: string };

async function subjectFor(principal: Principal, target: UploadTarget, deps: MediaDeps): Promise<{ subject: MediaSubject; campaign: Campaign; kinds: readonly MediaKind[] }> {
  if ('activityId' in target) {
    const { activity, campaign } = await ownedActivity(principal, target.activityId, deps);
    return {
      subject: { type: 'activity', campaignId: campaign.id, organizationId: activity.organizationId, activityId: activity.activityId },
      campaign,
      kinds: ['photo', 'video', 'document'],
    };
  }
  const campaign = await campaignFor(principal, deps.campaigns, target.campaignId, { write: true });
  const own = hasRole(principal, 'organizer') && principal.orgId === target.organizationId;
  if (!own) {
    if (hasRole(principal, 'organizer')) throw new NotFoundError(`unit ${target.organizationId} not found`);
    throw new ForbiddenError('only an organizer of the unit uploads its documents');
  }
  if (!(await deps.organizations.find(campaign, target.organizationId))) throw new NotFoundError(`unit ${target.organizationId} not found`);
  return { subject: { type: 'summary', campaignId: campaign.id, organizationId: target.organizationId }, campaign, kinds: ['document'] };
}

/**
 * A presigned upload for a new pending media item. Once per request (ADR 0025): a retry of the
 * same request answers with the item its first attempt stored, presigned again.
 */
export async function requestUpload(input: { principal: Principal; target: UploadTarget; body: unknown; write?: WriteIdentity }, deps: MediaDeps) {
  const write = input.write ?? randomWriteIdentity(deps.newId);
  const { subject, campaign, kinds } = await subjectFor(input.principal, input.target, deps);
  const parsed = safeParseFields(uploadRequestSchema(campaign, kinds), input.body);
  if (!parsed.success) throw new InvalidInputError('the upload request is not within the limits', parsed.issues);
  const { kind, fileName, contentType, size } = parsed.data;
  const limits = campaign.media[kind];
  const grant = async (media: MediaRecord, repeated: boolean) => {
    const post = await deps.signer.presignPost({
      key: media.objectKey,
      contentType: media.declaredContentType,
      maxBytes: limits.maxBytes,
      expiresSeconds: UPLOAD_EXPIRY_SECONDS,
    });
    const now = deps.clock.now();
    return { media, post, expiresAt: new Date(now.getTime() + UPLOAD_EXPIRY_SECONDS * 1000), maxBytes: limits.maxBytes, campaign, repeated };
  };
  // A retry of a request whose item is stored: not a second file against the limit.
  const earlier = write.keyed ? await deps.media.createdBy(subject, write.id, write.token) : undefined;
  if (earlier) return grant(earlier, true);
  const ofKind = (await deps.media.list(subject)).filter((m) => m.kind === kind);
  // Rejected files free their place for a corrected one, but every grant counts against the
  // activity's budget (issue 17, item 10): a unit cannot fill storage with files that fail the check.
  const attempts = maxGrantsPerActivity(limits.maxPerActivity);
  if (ofKind.length >= attempts) {
    throw new InvalidInputError('no more uploads of this kind for this activity', [
      { path: 'kind', code: 'media_attempts_exhausted', params: { max: attempts } },
    ]);
  }
  const taken = ofKind.filter((m) => m.status !== 'rejected').length;
  if (taken >= limits.maxPerActivity) {
    throw new InvalidInputError('no room for another file of this kind', [
      { path: 'kind', code: 'media_limit_reached', params: { max: limits.maxPerActivity } },
    ]);
  }
  const now = deps.clock.now();
  const mediaId = write.id;
  const media: MediaRecord = {
    mediaId,
    subject,
    kind,
    fileName,
    declaredContentType: contentType,
    declaredSize: size,
    objectKey: mediaObjectKey(subject, mediaId),
    status: 'pending',
    createdAt: now.toISOString(),
    createdBy: input.principal.sub,
  };
  const { value, repeated } = await createOnce(
    write,
    media,
    () => deps.media.create(media, write.token),
    () => deps.media.createdBy(subject, mediaId, write.token),
  );
  return grant(value, repeated);
}

/**
 * An activity's media, each accepted one with a short-lived URL to view it: a URL of the copy the
 * media check judged (`checkedKey`), never of the upload key a re-posted form can change (ADR 0032).
 */
export async function listActivityMedia(input: { principal: Principal; activityId: string }, deps: MediaDeps) {
  const { activity, campaign } = await readableActivity(input.principal, input.activityId, deps);
  const items = await deps.media.list({ type: 'activity', campaignId: campaign.id, organizationId: activity.organizationId, activityId: activity.activityId });
  const viewed = await Promise.all(
    items.map(async (m) => ({
      media: m,
      url: m.status === 'accepted' && m.checkedKey ? await deps.signer.presignGet(m.checkedKey, VIEW_EXPIRY_SECONDS) : undefined,
    })),
  );
  return { items: viewed, campaign };
}

/**
 * Files of one kind an activity may be granted in all, rejected ones included: twice the
 * campaign's `maxPerActivity`, so every file may fail its check once and be sent again.
 */
export const maxGrantsPerActivity = (maxPerActivity: number): number => 2 * maxPerActivity;

/** Media items and upload grants as the API answers them (times in the campaign's zone). */
import type { Campaign } from '../domain/campaign';
import type { MediaRecord } from '../domain/media';
import { formatInstant } from '../domain/time';
import type { PresignedPost } from '../clients/upload-signer';

export function mediaView(m: MediaRecord, campaign: Campaign, url?: string) {
  return {
    mediaId: m.mediaId,
    kind: m.kind,
    fileName: m.fileName,
    contentType: m.declaredContentType,
    size: m.declaredSize,
    status: m.status,
    ...(m.reason ? { reason: m.reason } : {}),
    ...(m.duplicateOf ? { duplicateOf: m.duplicateOf } : {}),
    ...(m.capturedAt ? { capturedAt: m.capturedAt } : {}),
    warnings: m.warnings ?? [],
    createdAt: formatInstant(new Date(m.createdAt), campaign.timeZone),
    ...(url ? { url } : {}),
  };
}

export function uploadGrantView(grant: { media: MediaRecord; post: PresignedPost; expiresAt: Date; maxBytes: number; campaign: Campaign }) {
  return {
    mediaId: grant.media.mediaId,
    url: grant.post.url,
    fields: grant.post.fields,
    expiresAt: formatInstant(grant.expiresAt, grant.campaign.timeZone),
    maxBytes: grant.maxBytes,
  };
}

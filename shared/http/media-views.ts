/** Media items and upload grants as the API answers them (times in the campaign's zone). */
import * as z from '../domain/zod';
import type { Campaign } from '../domain/campaign';
import type { MediaRecord } from '../domain/media';
import { personal } from '../domain/privacy';
import type { PresignedPost } from '../clients/upload-signer';
import { MEDIA_KINDS } from '../schemas/media.schema';
import { id } from '../schemas/text';
import { count, instant, type ViewOf } from '../schemas/output';
import { zoned } from './zoned-instant';

const MEDIA_STATUSES = ['pending', 'accepted', 'rejected'] as const satisfies readonly MediaRecord['status'][];

export const mediaViewSchema = z.looseObject({
  mediaId: id(),
  kind: z.enum(MEDIA_KINDS),
  fileName: z.meta(z.string(), personal('file-name', 'evidence')),
  contentType: z.string(),
  size: z.optional(count()),
  status: z.enum(MEDIA_STATUSES),
  reason: z.meta(z.optional(z.string()), { description: 'Why a medium was rejected.' }),
  duplicateOf: z.meta(z.optional(z.string()), { description: 'The accepted identical file it repeats.' }),
  capturedAt: z.meta(z.optional(z.string()), { description: 'When the camera says a photo was taken (EXIF).' }),
  warnings: z.meta(z.array(z.string()), { description: 'Soft findings, e.g. `capture_date_outside_campaign_year`.' }),
  createdAt: instant(),
  url: z.meta(z.optional(z.url()), { description: 'Once accepted: a short-lived view URL.' }),
});
export type MediaView = ViewOf<typeof mediaViewSchema>;

export function mediaView(m: MediaRecord, campaign: Campaign, url?: string): MediaView {
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
    createdAt: zoned(m.createdAt, campaign),
    ...(url ? { url } : {}),
  };
}

/** Where and how to POST a file (presigned POST). */
export const uploadTicketSchema = z.looseObject({
  mediaId: id(),
  url: z.url(),
  fields: z.meta(z.record(z.string(), z.string()), { description: 'Form fields to POST with the file (presigned POST).' }),
  expiresAt: instant(),
  maxBytes: count(),
});
export type UploadTicket = ViewOf<typeof uploadTicketSchema>;

export function uploadGrantView(grant: { media: MediaRecord; post: PresignedPost; expiresAt: Date; maxBytes: number; campaign: Campaign }): UploadTicket {
  return {
    mediaId: grant.media.mediaId,
    url: grant.post.url,
    fields: grant.post.fields,
    expiresAt: zoned(grant.expiresAt, grant.campaign),
    maxBytes: grant.maxBytes,
  };
}

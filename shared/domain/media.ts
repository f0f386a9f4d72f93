/**
 * Media (photos, videos, documents) attached to an activity or to a unit's work summary.
 * The object key is chosen by the server, never from the user's file name:
 * `uploads/<campaignId>/<organizationId>/<activityId | "summary">/<mediaId>`. The media check
 * judges a copy of what landed there, `checked/<same>/<checkId>`, and an accepted item is served
 * from that copy only: the upload form can be posted again while it lives, the copy cannot be
 * written by any form (ADR 0032).
 */
export type MediaStatus = 'pending' | 'accepted' | 'rejected';
export type MediaKindId = 'photo' | 'video' | 'document';

/** What a media item belongs to. */
export type MediaSubject =
  | { readonly type: 'activity'; readonly campaignId: string; readonly organizationId: string; readonly activityId: string }
  | { readonly type: 'summary'; readonly campaignId: string; readonly organizationId: string };

export interface MediaRecord {
  readonly mediaId: string;
  readonly subject: MediaSubject;
  readonly kind: MediaKindId;
  /** The browser's file name, shown to people only. */
  readonly fileName: string;
  readonly declaredContentType: string;
  readonly declaredSize: number;
  /** Where the browser's form uploads the file (and where a re-post of the form lands). */
  readonly objectKey: string;
  /**
   * Set once accepted: the copy of exactly the bytes the check judged, the one object a view or
   * download URL is signed for (ADR 0032). Items accepted before ADR 0032 gain it by migration.
   */
  readonly checkedKey?: string;
  readonly status: MediaStatus;
  readonly reason?: string;
  readonly createdAt: string;
  readonly createdBy: string;
  /** Set once accepted: identical files of one activity are stored once. */
  readonly sha256?: string;
  /** For a duplicate: the accepted item it repeats. */
  readonly duplicateOf?: string;
  /** When the camera says a photo was taken (EXIF). */
  readonly capturedAt?: string;
  /** Soft findings, e.g. `capture_date_outside_campaign_year`. */
  readonly warnings?: readonly string[];
}

export const UPLOADS_PREFIX = 'uploads/';
/** Where the media check keeps the copies it judged: written by the check only, read by downloads. */
export const CHECKED_PREFIX = 'checked/';
/**
 * Where the media check keeps a photo's original bytes while it judges them: the copy served is
 * stripped of metadata (ADR 0048), so the original is read by the check only and deleted once
 * decided (a lifecycle rule expires what a failed check left).
 */
export const ORIGINALS_PREFIX = 'originals/';
const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** The object key of a media item. */
export function mediaObjectKey(subject: MediaSubject, mediaId: string): string {
  const owner = subject.type === 'activity' ? subject.activityId : 'summary';
  return `${UPLOADS_PREFIX}${subject.campaignId}/${subject.organizationId}/${owner}/${mediaId}`;
}

/**
 * The key of one check's copy of an upload: `checked/<campaign>/<unit>/<owner>/<mediaId>/<checkId>`.
 * One per check, so no other check (a duplicated event, a re-posted form) ever writes it.
 */
export function checkedObjectKey(uploadKey: string, checkId: string): string {
  if (!uploadKey.startsWith(UPLOADS_PREFIX) || !SEGMENT.test(checkId)) throw new Error(`no checked copy for ${uploadKey} / ${checkId}`);
  return `${CHECKED_PREFIX}${uploadKey.slice(UPLOADS_PREFIX.length)}/${checkId}`;
}

/** The key of one check's copy of a photo's original: `originals/<campaign>/<unit>/<owner>/<mediaId>/<checkId>`. */
export function originalObjectKey(uploadKey: string, checkId: string): string {
  return `${ORIGINALS_PREFIX}${checkedObjectKey(uploadKey, checkId).slice(CHECKED_PREFIX.length)}`;
}

/** The subject and media id an object key names, or `undefined` for a key SciDay never issued. */
export function parseMediaObjectKey(key: string): { subject: MediaSubject; mediaId: string } | undefined {
  if (!key.startsWith(UPLOADS_PREFIX)) return undefined;
  const parts = key.slice(UPLOADS_PREFIX.length).split('/');
  if (parts.length !== 4 || !parts.every((p) => SEGMENT.test(p))) return undefined;
  const [campaignId, organizationId, owner, mediaId] = parts as [string, string, string, string];
  const subject: MediaSubject =
    owner === 'summary' ? { type: 'summary', campaignId, organizationId } : { type: 'activity', campaignId, organizationId, activityId: owner };
  return { subject, mediaId };
}

/** Why the media check refused a file. */
export type RejectionReason = 'larger_than_declared' | 'too_large' | 'empty' | 'type_not_recognised' | 'type_mismatch' | 'duplicate';

/** Why a file was not accepted, in the words its uploader reads (the web app shows these). */
export const REJECTION_REASON_TEXT = {
  larger_than_declared: { zh: '文件比上传前声明的更大，请重新上传', en: 'The file is larger than declared before the upload; upload it again' },
  too_large: { zh: '文件超过大小上限', en: 'The file exceeds the size limit' },
  empty: { zh: '文件是空的', en: 'The file is empty' },
  type_not_recognised: { zh: '无法识别文件格式：请上传 JPEG、PNG、WebP、HEIC 照片，MP4、MOV 视频或 PDF、Word 文档', en: 'The file format is not recognised: upload JPEG, PNG, WebP or HEIC photos, MP4 or MOV videos, or PDF or Word documents' },
  type_mismatch: { zh: '文件内容与其类型不符（例如把其他文件改成了 .jpg），请上传原始文件', en: 'The content does not match its type (e.g. another file renamed to .jpg); upload the original file' },
  duplicate: { zh: '与本活动已上传的文件完全相同', en: 'Identical to a file already uploaded for this activity' },
} as const satisfies Record<RejectionReason, { readonly zh: string; readonly en: string }>;

/**
 * The media check's verdict on what actually landed: its real size and the type its bytes
 * show must match what was declared and stay within the kind's limits. The browser's word
 * counts for nothing.
 */
export function judgeUpload(input: {
  readonly declaredContentType: string;
  readonly declaredSize: number;
  readonly allowedContentTypes: readonly string[];
  readonly maxBytes: number;
  readonly actualSize: number;
  readonly sniffedContentType: string | undefined;
}): { status: 'accepted' } | { status: 'rejected'; reason: RejectionReason } {
  if (input.actualSize === 0) return { status: 'rejected', reason: 'empty' };
  if (input.actualSize > input.maxBytes) return { status: 'rejected', reason: 'too_large' };
  if (input.actualSize > input.declaredSize) return { status: 'rejected', reason: 'larger_than_declared' };
  if (!input.sniffedContentType) return { status: 'rejected', reason: 'type_not_recognised' };
  if (input.sniffedContentType !== input.declaredContentType || !input.allowedContentTypes.includes(input.sniffedContentType)) {
    return { status: 'rejected', reason: 'type_mismatch' };
  }
  return { status: 'accepted' };
}

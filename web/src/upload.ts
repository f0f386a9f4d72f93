/**
 * Uploading a file by presigned POST: checked in the browser first with the API's own upload
 * schema (type and size against the campaign's limits, shared/schemas/media.schema.ts), then
 * posted straight to storage with a progress callback (XMLHttpRequest: fetch reports no upload
 * progress).
 */
import type { Campaign } from '../../shared/domain/campaign';
import { safeParseFields, type FieldIssue } from '../../shared/domain/issues';
import { uploadRequestSchema, type MediaKind } from '../../shared/schemas/media.schema';

/** The kind a file is by its type: a photo, a video or a document, among `kinds`. */
export function kindOf(file: File, campaign: Campaign, kinds: readonly MediaKind[]): MediaKind | undefined {
  return kinds.find((k) => campaign.media[k].contentTypes.includes(file.type.toLowerCase())) ?? kinds[0];
}

/** The upload request for `file`, or the issues that stop it before any byte is sent. */
export function checkFile(
  file: File,
  campaign: Campaign,
  kinds: readonly MediaKind[],
): { ok: true; request: { kind: MediaKind; fileName: string; contentType: string; size: number } } | { ok: false; issues: FieldIssue[] } {
  const request = { kind: kindOf(file, campaign, kinds) ?? kinds[0], fileName: file.name, contentType: file.type.toLowerCase() || 'application/octet-stream', size: file.size };
  const parsed = safeParseFields(uploadRequestSchema(campaign, kinds), request);
  return parsed.success ? { ok: true, request: parsed.data } : { ok: false, issues: parsed.issues };
}

/** Posts `file` with the grant's fields; resolves when storage has it. */
export function postFile(
  grant: { url: string; fields: Record<string, string> },
  file: File,
  onProgress: (percent: number) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const form = new FormData();
    for (const [k, v] of Object.entries(grant.fields)) form.append(k, v);
    form.append('file', file);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', grant.url);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(Math.round((e.loaded / e.total) * 100));
    };
    xhr.onload = () => (xhr.status >= 200 && xhr.status < 300 ? resolve() : reject(new Error(`storage answered ${xhr.status}`)));
    xhr.onerror = () => reject(new Error('network'));
    xhr.send(form);
  });
}

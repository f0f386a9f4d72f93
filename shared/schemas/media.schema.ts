/**
 * The body of an upload request (`POST /v1/activities/{id}/uploads` and the summary's
 * `.../summary/uploads`): `{ kind, fileName, contentType, size }`, checked against the
 * campaign's media limits for that kind: a type it does not list is `content_type_not_allowed`,
 * a size over its `maxBytes` is `file_too_large`. `contentType` is trimmed and lower-cased;
 * `fileName` is 1..255 code points with no path separator, control or bidi-override character
 * (a file name is shown to reviewers and becomes part of a download), nor `.`/`..`.
 */
import * as z from '../domain/zod';
import type { Campaign } from '../domain/campaign';
import { customIssue } from '../domain/issues';
import { personal } from '../domain/privacy';
import { refuseHiddenCharacters } from '../domain/text-hygiene';
import { everyObject, fieldsOf, integer } from './text';

/** The kinds of media. */
export const MEDIA_KINDS = ['photo', 'video', 'document'] as const;
/** One of {@link MEDIA_KINDS}. */
export type MediaKind = (typeof MEDIA_KINDS)[number];

/** Path separators, C0/C1 controls and bidi overrides/isolates (which can disguise `gpj.exe`). */
function isForbiddenInFileName(unit: number): boolean {
  return (
    unit === 0x2f || // /
    unit === 0x5c || // \
    unit <= 0x1f ||
    (unit >= 0x7f && unit <= 0x9f) ||
    (unit >= 0x202a && unit <= 0x202e) ||
    (unit >= 0x2066 && unit <= 0x2069)
  );
}

const isSafeFileName = (s: string): boolean => {
  if (s === '.' || s === '..') return false;
  for (let i = 0; i < s.length; i++) if (isForbiddenInFileName(s.charCodeAt(i))) return false;
  return true;
};

/**
 * A file name as people see it: 1..255 code points (`invalid_file_name`); past that, no
 * zero-width or other hidden character either (`hidden_character`, shared/domain/text-hygiene.ts).
 */
export const fileName = (): z.ZodMiniString<string> =>
  z.string().check(
    z.trim(),
    z.minLength(1),
    z.maxLength(255),
    z.superRefine((s, ctx) => {
      if (!isSafeFileName(s)) ctx.addIssue(customIssue('invalid_file_name'));
      else refuseHiddenCharacters('single')(s, ctx);
    }),
  );

/** `bytes` for people: `20 MiB`, `512 KiB` or `1000 bytes`. */
export function formatBytes(bytes: number): string {
  if (bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

function buildUploadRequestSchema(campaign: Campaign, kinds: readonly MediaKind[]) {
  const allTypes = [...new Set(kinds.flatMap((k) => campaign.media[k].contentTypes))];
  const largest = Math.max(...kinds.map((k) => campaign.media[k].maxBytes));
  return z.strictObject({
    kind: z.enum(kinds as [MediaKind, ...MediaKind[]]),
    fileName: z.meta(fileName(), personal('file-name', 'evidence')),
    contentType: z.string().check(z.trim(), z.toLowerCase(), z.minLength(1), z.maxLength(255)),
    size: integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
  }).check(z.superRefine((value: unknown, ctx: z.core.$RefinementCtx<unknown>) => {
    const f = fieldsOf(value, ctx.issues);
    // Without a valid kind, the limits are the loosest of all kinds.
    const limits = f.valid('kind') ? campaign.media[f.get<MediaKind>('kind')] : undefined;
    const allowed = limits?.contentTypes ?? allTypes;
    const maxBytes = limits?.maxBytes ?? largest;
    if (f.valid('contentType') && !allowed.includes(f.get<string>('contentType'))) {
      ctx.addIssue(customIssue('content_type_not_allowed', ['contentType'], { allowed: allowed.join(', ') }));
    }
    if (f.valid('size') && f.get<number>('size') > maxBytes) {
      ctx.addIssue(customIssue('file_too_large', ['size'], { maxBytes, maxSize: formatBytes(maxBytes) }));
    }
  }, everyObject));
}

/** The upload request schema of one campaign. */
export type UploadRequestSchema = ReturnType<typeof buildUploadRequestSchema>;
/** An upload request as validated. */
export type UploadRequest = z.output<UploadRequestSchema>;

const cache = new WeakMap<Campaign, Map<string, UploadRequestSchema>>();

/**
 * The upload request schema for `campaign`, accepting `kinds` (all by default; a summary's
 * upload passes `['document']`). Built once per campaign and kinds.
 */
export function uploadRequestSchema(campaign: Campaign, kinds: readonly MediaKind[] = MEDIA_KINDS): UploadRequestSchema {
  let byKinds = cache.get(campaign);
  if (!byKinds) {
    byKinds = new Map();
    cache.set(campaign, byKinds);
  }
  const key = kinds.join(',');
  let schema = byKinds.get(key);
  if (!schema) {
    schema = buildUploadRequestSchema(campaign, kinds);
    byKinds.set(key, schema);
  }
  return schema;
}

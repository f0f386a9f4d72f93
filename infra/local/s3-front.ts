/**
 * What S3 checks before it lets a browser in, for the local S3 front (ADR 0032): fauxqs takes any
 * request, so the gateway passes on only the two a browser needs, checked as S3 checks them.
 *
 * - A presigned POST (the upload form): the policy's SigV4 signature, its expiration, every
 *   condition (`eq`, `starts-with`, `content-length-range`, `{ field: value }`), and every form
 *   field named by a condition. Its key must also lie under the prefix the media check watches
 *   (`uploads/`): nothing a browser writes escapes the check, and what the check accepted
 *   (`checked/`) no form can reach.
 * - A presigned GET (viewing a file, downloading an export): the SigV4 signature in the query
 *   string and its expiry.
 *
 * Everything else (listing, deleting, PUT, unsigned reads) is refused by the gateway.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** The credentials and region the local presigned URLs are signed with. */
export interface S3Signing {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly region: string;
}

/** Why S3 would refuse a request: its error code, status and message. */
export interface S3Refusal {
  readonly status: number;
  readonly code: string;
  readonly message: string;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';

const refuse = (status: number, code: string, message: string): S3Refusal => ({ status, code, message });
const denied = (message: string) => refuse(403, 'AccessDenied', message);
const badSignature = () => refuse(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.');

const hmac = (key: Buffer | string, text: string): Buffer => createHmac('sha256', key).update(text, 'utf8').digest();

/** SigV4's signing key for one day, region and service. */
function signingKey(secret: string, day: string, region: string): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${secret}`, day), region), 's3'), 'aws4_request');
}

const sameHex = (a: string, b: string): boolean => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** `20211203T101500Z` → its instant, or NaN. */
const amzDate = (text: string): number => {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  return m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])) : Number.NaN;
};

/** `<access key>/<day>/<region>/s3/aws4_request` for these credentials, or why not. */
function credentialScope(credential: string | undefined, signing: S3Signing): { day: string; scope: string } | S3Refusal {
  const [key, day = '', region, service, terminator, ...rest] = (credential ?? '').split('/');
  if (key !== signing.accessKeyId) return refuse(403, 'InvalidAccessKeyId', 'The AWS access key ID you provided does not exist in our records.');
  if (!/^\d{8}$/.test(day) || region !== signing.region || service !== 's3' || terminator !== 'aws4_request' || rest.length > 0) {
    return refuse(400, 'AuthorizationQueryParametersError', `Invalid credential scope: ${credential ?? ''}`);
  }
  return { day, scope: `${day}/${region}/s3/aws4_request` };
}

/** RFC 3986 encoding as SigV4 wants it (`!'()*` escaped too). */
const escapeUri = (text: string): string => encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

const decode = (text: string): string | undefined => {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
};

/**
 * Checks a presigned GET as S3 does: the query's SigV4 signature over the method, the path as
 * sent, the other query parameters and the signed headers; and that it has not expired.
 * Answers `undefined` when S3 would serve it.
 */
export function checkPresignedGet(
  request: { readonly method: string; readonly rawPath: string; readonly rawQuery: string; readonly headers: IncomingMessage['headers'] },
  signing: S3Signing,
  now: Date,
): S3Refusal | undefined {
  const params: Array<[string, string]> = [];
  for (const pair of request.rawQuery.split('&').filter(Boolean)) {
    const at = pair.indexOf('=');
    const name = decode(at < 0 ? pair : pair.slice(0, at));
    const value = decode(at < 0 ? '' : pair.slice(at + 1));
    if (name === undefined || value === undefined) return refuse(400, 'InvalidArgument', 'Malformed query string');
    params.push([name, value]);
  }
  const param = (name: string) => params.find(([n]) => n === name)?.[1];
  const signature = param('X-Amz-Signature');
  if (!signature) return denied('Query-string authentication is required: this local S3 serves presigned GETs only.');
  if (param('X-Amz-Algorithm') !== ALGORITHM) return refuse(400, 'AuthorizationQueryParametersError', `X-Amz-Algorithm must be ${ALGORITHM}`);
  const scope = credentialScope(param('X-Amz-Credential'), signing);
  if ('code' in scope) return scope;
  const date = param('X-Amz-Date') ?? '';
  const signedAt = amzDate(date);
  const expires = Number(param('X-Amz-Expires'));
  if (Number.isNaN(signedAt) || !date.startsWith(scope.day) || !Number.isInteger(expires) || expires < 1 || expires > 604_800) {
    return refuse(400, 'AuthorizationQueryParametersError', 'X-Amz-Date and X-Amz-Expires must name a valid period of at most 7 days');
  }
  if (now.getTime() > signedAt + expires * 1000) return denied('Request has expired');

  const signedHeaders = (param('X-Amz-SignedHeaders') ?? '').split(';');
  if (!signedHeaders.includes('host')) return refuse(400, 'AuthorizationQueryParametersError', 'X-Amz-SignedHeaders must include host');
  const canonicalHeaders = signedHeaders
    .map((name) => {
      const value = request.headers[name];
      return `${name}:${(Array.isArray(value) ? value.join(',') : (value ?? '')).trim().replace(/\s+/g, ' ')}\n`;
    })
    .join('');
  const canonicalQuery = params
    .filter(([name]) => name !== 'X-Amz-Signature')
    .map(([name, value]) => [escapeUri(name), escapeUri(value)] as const)
    .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  const canonicalRequest = [
    request.method,
    request.rawPath,
    canonicalQuery,
    canonicalHeaders,
    signedHeaders.join(';'),
    param('X-Amz-Content-Sha256') ?? 'UNSIGNED-PAYLOAD',
  ].join('\n');
  const toSign = [ALGORITHM, date, scope.scope, createHash('sha256').update(canonicalRequest, 'utf8').digest('hex')].join('\n');
  const expected = hmac(signingKey(signing.secretAccessKey, scope.day, signing.region), toSign).toString('hex');
  return sameHex(expected, signature.toLowerCase()) ? undefined : badSignature();
}

/** A POST form's fields before its file (names lower-cased, as S3 compares them), and the bytes read so far. */
export interface FormHead {
  readonly fields: ReadonlyMap<string, string>;
  /** Every byte read from the request so far: the fields, the file part's headers and maybe some of the file. */
  readonly buffered: Buffer;
  /** Where the file's bytes start in `buffered`. */
  readonly fileStart: number;
}

/** How much form a POST may send before its file (S3 allows 20 KB of policy; fields are small). */
export const MAX_FORM_HEAD_BYTES = 64 * 1024;

/**
 * Parses a multipart body's parts up to the header of the one named `file` (S3 requires it to be
 * last). Answers `more` when `body` ends before that, `no-file` when the form has none.
 */
export function parseFormHead(body: Buffer, boundary: string): FormHead | 'more' | 'no-file' {
  const delimiter = Buffer.from(`--${boundary}`);
  const fields = new Map<string, string>();
  if (body.length < delimiter.length + 2) return 'more';
  if (!body.subarray(0, delimiter.length).equals(delimiter)) return 'no-file';
  let at = delimiter.length;
  for (;;) {
    if (body.length < at + 2) return 'more';
    if (body[at] === 0x2d && body[at + 1] === 0x2d) return 'no-file'; // the closing `--boundary--`
    const headerEnd = body.indexOf('\r\n\r\n', at);
    if (headerEnd < 0) return 'more';
    const header = body.subarray(at + 2, headerEnd).toString('utf8');
    const name = /content-disposition:\s*form-data;\s*name="([^"]*)"/i.exec(header)?.[1];
    const valueStart = headerEnd + 4;
    if (name === undefined) return 'no-file';
    if (name.toLowerCase() === 'file' || /;\s*filename=/i.test(header)) return { fields, buffered: body, fileStart: valueStart };
    const valueEnd = body.indexOf(Buffer.from(`\r\n--${boundary}`), valueStart);
    if (valueEnd < 0) return 'more';
    fields.set(name.toLowerCase(), body.subarray(valueStart, valueEnd).toString('utf8'));
    at = valueEnd + 2 + delimiter.length;
  }
}

/** Fields S3 never asks a condition for. */
const UNCONDITIONED = new Set(['policy', 'x-amz-signature', 'file']);

/**
 * Checks a presigned POST's form as S3 does, plus SciDay's rule that a browser writes only under
 * `keyPrefix`. `fileSize`: the file's size as the request's length gives it.
 */
export function checkPostPolicy(
  form: { readonly bucket: string; readonly fields: ReadonlyMap<string, string>; readonly fileSize: number; readonly keyPrefix: string },
  signing: S3Signing,
  now: Date,
): S3Refusal | undefined {
  const field = (name: string) => form.fields.get(name);
  const policy = field('policy');
  const signature = field('x-amz-signature');
  if (!policy || !signature) return denied('Bucket POST must contain a policy and its signature: this local S3 takes presigned forms only.');
  if (field('x-amz-algorithm') !== ALGORITHM) return refuse(400, 'InvalidArgument', `x-amz-algorithm must be ${ALGORITHM}`);
  const scope = credentialScope(field('x-amz-credential'), signing);
  if ('code' in scope) return scope;
  const expected = hmac(signingKey(signing.secretAccessKey, scope.day, signing.region), policy).toString('hex');
  if (!sameHex(expected, signature.toLowerCase())) return badSignature();

  let document: { expiration?: unknown; conditions?: unknown };
  try {
    document = JSON.parse(Buffer.from(policy, 'base64').toString('utf8')) as typeof document;
  } catch {
    return refuse(400, 'InvalidPolicyDocument', 'Invalid Policy: Invalid JSON.');
  }
  const expiration = typeof document.expiration === 'string' ? Date.parse(document.expiration) : Number.NaN;
  if (Number.isNaN(expiration) || !Array.isArray(document.conditions)) return refuse(400, 'InvalidPolicyDocument', 'Invalid Policy: expiration and conditions are required.');
  if (now.getTime() > expiration) return denied('Invalid according to Policy: Policy expired.');

  const valueOf = (name: string) => (name === 'bucket' ? (field('bucket') ?? form.bucket) : field(name));
  const covered = new Set<string>();
  const failed = (condition: unknown) => denied(`Invalid according to Policy: Policy Condition failed: ${JSON.stringify(condition)}`);
  for (const condition of document.conditions as unknown[]) {
    if (Array.isArray(condition)) {
      const [op, target, value] = condition as [unknown, unknown, unknown];
      if (op === 'content-length-range') {
        if (form.fileSize < Number(target) || form.fileSize > Number(value)) {
          return refuse(400, form.fileSize > Number(value) ? 'EntityTooLarge' : 'EntityTooSmall', `Your proposed upload is outside ${String(target)}..${String(value)} bytes.`);
        }
        continue;
      }
      const name = typeof target === 'string' && target.startsWith('$') ? target.slice(1).toLowerCase() : undefined;
      if (!name || typeof value !== 'string' || (op !== 'eq' && op !== 'starts-with')) return refuse(400, 'InvalidPolicyDocument', `Invalid Policy: condition ${JSON.stringify(condition)}`);
      const actual = valueOf(name) ?? '';
      if (op === 'eq' ? actual !== value : !actual.startsWith(value)) return failed(condition);
      covered.add(name);
    } else if (condition && typeof condition === 'object') {
      for (const [name, value] of Object.entries(condition)) {
        if (valueOf(name.toLowerCase()) !== value) return failed(condition);
        covered.add(name.toLowerCase());
      }
    } else {
      return refuse(400, 'InvalidPolicyDocument', `Invalid Policy: condition ${JSON.stringify(condition)}`);
    }
  }
  if (field('bucket') !== undefined && field('bucket') !== form.bucket) return failed({ bucket: field('bucket') });
  for (const name of form.fields.keys()) {
    if (!UNCONDITIONED.has(name) && !name.startsWith('x-ignore-') && !covered.has(name)) {
      return denied(`Invalid according to Policy: Extra input fields: ${name}`);
    }
  }
  const key = field('key') ?? '';
  if (!key.startsWith(form.keyPrefix) || key.includes('${filename}')) {
    return denied(`Browsers may upload only under ${form.keyPrefix} (the prefix the media check watches), got ${key || 'no key'}.`);
  }
  return undefined;
}

/** S3's XML error body. */
export function s3ErrorXml(refusal: S3Refusal, resource: string): string {
  const escape = (t: string) => t.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${refusal.code}</Code><Message>${escape(refusal.message)}</Message><Resource>${escape(resource)}</Resource></Error>`;
}

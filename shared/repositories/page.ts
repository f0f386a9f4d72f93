/**
 * One page of a list shown to users and its opaque cursor, signed (ADR 0031). Repositories answer
 * pages and read cursors; the HTTP edge only passes them on (ADR 0041: repositories import nothing
 * from shared/http). A cursor carries what the next page starts after (DynamoDB's
 * LastEvaluatedKey, or the last sort key given) and an HMAC-SHA256 over it and the
 * list it was issued for: the route's list, its partition and its filters ({@link cursorScope}).
 * Nobody without the key can make one, so a cursor that was edited, made up, or taken from
 * another list (another unit's, another campaign's, the same list with other filters) is a 400
 * (`bad_request`, problem+json in zh-CN or en) before any database is asked, never a 500 from DynamoDB.
 *
 * The key is configuration ({@link loadCursorKeySource}): on AWS a Secrets Manager secret the
 * stack generates and lets only the paging functions read; on one machine a key the runtime makes
 * once in the data dir (infra/local/cursor-key.ts). It is read once per cold start.
 *
 * @example
 * const scope = cursorScope('flags', keys.unsharded('flags', campaignId), filters);
 * const after = await decodeCursor(scope, query.cursor, ['gsi1sk']);
 * return { items, nextCursor: await encodeCursor(scope, last && { gsi1sk: last }) };
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { loadCursorKeySource, type CursorKeySource } from '../config';
import { BadRequestError } from '../errors';

type Key = Record<string, string | number>;

/** One page of a list: its items, and the cursor of the next page (`null` after the last). */
export interface Page<T> {
  readonly items: T[];
  readonly nextCursor: string | null;
}

/** Cursor format version (the first field of the payload). */
const VERSION = 1;

/** Reads the key once; tests install their own with {@link useCursorKey}. */
let keyPromise: Promise<Buffer> | undefined;

/** Uses `key` (at least 32 bytes) from now on: tests, and a runtime that holds its key itself. */
export function useCursorKey(key: Buffer | undefined): void {
  keyPromise = key ? Promise.resolve(checkedKey(key)) : undefined;
}

function checkedKey(key: Buffer): Buffer {
  if (key.length < 32) throw new Error('the cursor key must be at least 32 bytes');
  return key;
}

async function readKey(source: CursorKeySource): Promise<Buffer> {
  if (source.kind === 'value') return checkedKey(source.key);
  // Loaded only where the key is a secret (AWS); the SDK is the Lambda runtime's own there.
  const { SecretsManagerClient, GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
  const client = new SecretsManagerClient({ region: source.region });
  const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: source.secretId }));
  if (!SecretString) throw new Error('the cursor key secret has no string value');
  return checkedKey(Buffer.from(SecretString, 'utf8'));
}

function cursorKey(): Promise<Buffer> {
  keyPromise ??= readKey(loadCursorKeySource()).catch((error: unknown) => {
    // A failed read (throttled, a cold network) is tried again by the next request.
    keyPromise = undefined;
    throw error;
  });
  return keyPromise;
}

/**
 * The name of one list a cursor is bound to: what is listed (`list`), whose partition, and the
 * filters it is listed with (absent filters left out, keys in order). Two requests may share a
 * cursor exactly when their scopes are equal.
 */
export function cursorScope(list: string, partition: string, filters: object = {}): string {
  const kept = Object.entries(filters as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([list, partition, kept]);
}

const sign = (key: Buffer, scope: string, payload: string): Buffer => createHmac('sha256', key).update(scope).update('\n').update(payload).digest();

/** Encodes `key` (what the next page starts after) for the list named by `scope`; null when there is no next page. */
export async function encodeCursor(scope: string, key: Key | undefined): Promise<string | null> {
  if (!key) return null;
  const payload = Buffer.from(JSON.stringify([VERSION, key])).toString('base64url');
  return `${payload}.${sign(await cursorKey(), scope, payload).toString('base64url')}`;
}

/**
 * Decodes a cursor issued for `scope`: its key, with exactly `keyNames`, each a string or a
 * number, and each of `fixed` equal to the value given (the partition the list reads). Answers
 * 400 otherwise; `undefined` when there is no cursor (the first page).
 */
export async function decodeCursor(
  scope: string,
  cursor: string | undefined,
  keyNames: readonly string[],
  fixed: Readonly<Record<string, string>> = {},
): Promise<Key | undefined> {
  if (cursor === undefined) return undefined;
  const invalid = () => new BadRequestError('the cursor is not one this list issued');
  const [payload, mac, ...rest] = cursor.split('.');
  if (!payload || !mac || rest.length > 0 || cursor.length > 2048) throw invalid();
  const expected = sign(await cursorKey(), scope, payload);
  const given = Buffer.from(mac, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  // Signed by us, so well formed unless the format changed: checked all the same.
  if (!Array.isArray(parsed) || parsed[0] !== VERSION) throw invalid();
  const key = parsed[1] as Key | undefined;
  if (!key || typeof key !== 'object' || Array.isArray(key)) throw invalid();
  const names = Object.keys(key).sort();
  if (names.join() !== [...keyNames].sort().join() || names.some((n) => !['string', 'number'].includes(typeof key[n]))) throw invalid();
  if (Object.entries(fixed).some(([name, value]) => key[name] !== value)) throw invalid();
  return key;
}

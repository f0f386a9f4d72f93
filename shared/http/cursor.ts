/**
 * Opaque list cursors. A cursor carries DynamoDB's LastEvaluatedKey plus a checksum, and
 * is accepted only for the partition it was issued for: a cursor that was edited, or one
 * taken from another list, is a 400. (A forged cursor could at most move within the
 * caller's own partition, which the caller may read anyway.)
 */
import { createHash } from 'node:crypto';
import { BadRequestError } from '../errors';

type Key = Record<string, string | number>;

const checksum = (scope: string, key: string) => createHash('sha256').update(`${scope}\n${key}`).digest('base64url').slice(0, 16);

/** Encodes `key` (LastEvaluatedKey) for a list identified by `scope`. */
export function encodeCursor(scope: string, key: Key | undefined): string | null {
  if (!key) return null;
  const body = JSON.stringify(key);
  return Buffer.from(JSON.stringify({ k: key, c: checksum(scope, body) })).toString('base64url');
}

/** Decodes a cursor issued for `scope`; 400 if it was tampered with or belongs elsewhere. */
export function decodeCursor(scope: string, cursor: string | undefined, keyNames: readonly string[]): Key | undefined {
  if (cursor === undefined) return undefined;
  const invalid = () => new BadRequestError('the cursor is not one this list issued');
  let parsed: { k?: unknown; c?: unknown };
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as typeof parsed;
  } catch {
    throw invalid();
  }
  const key = parsed.k as Key | undefined;
  if (!key || typeof key !== 'object' || Array.isArray(key)) throw invalid();
  const names = Object.keys(key).sort();
  if (names.join() !== [...keyNames].sort().join() || names.some((n) => !['string', 'number'].includes(typeof key[n]))) throw invalid();
  if (parsed.c !== checksum(scope, JSON.stringify(key))) throw invalid();
  return key;
}

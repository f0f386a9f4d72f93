/**
 * The write identity of a creating request (see shared/use-cases/write-identity.ts, ADR 0025):
 * derived from its `Idempotency-Key` (route, path, caller, key; the token adds the body), or random
 * without one. node:crypto only: no cold-start cost.
 */
import { createHash } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { BadRequestError } from '../errors';
import { randomWriteIdentity, type WriteIdentity } from '../use-cases/write-identity';

type Event = APIGatewayProxyEventV2 & { requestContext: { authorizer?: { jwt?: { claims?: Record<string, unknown> } } } };

const sha256 = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/** An RFC 9562 version 8 (custom) UUID from the first 16 bytes of a hash. */
function uuidOf(hash: Buffer): string {
  const b = Buffer.from(hash.subarray(0, 16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x80;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const hex = b.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The request's `Idempotency-Key`, if it sends one; 400 for a key outside 1..64 characters (API.md). */
export function idempotencyKeyOf(event: Pick<APIGatewayProxyEventV2, 'headers'>): string | undefined {
  const key = event.headers?.['idempotency-key'];
  if (key !== undefined && (key.length < 1 || key.length > 64)) throw new BadRequestError('Idempotency-Key must be 1 to 64 characters');
  return key;
}

export function writeIdentityOf(event: APIGatewayProxyEventV2): WriteIdentity {
  const key = idempotencyKeyOf(event);
  if (!key) return randomWriteIdentity();
  const sub = String((event as Event).requestContext.authorizer?.jwt?.claims?.sub ?? '');
  const scope = sha256(['sciday-write', event.requestContext.routeKey, event.rawPath, sub, key].join('\n'));
  const token = createHash('sha256').update(scope).update(event.body ?? '', 'utf8').digest('base64url').slice(0, 32);
  return { id: uuidOf(scope), token, keyed: true };
}

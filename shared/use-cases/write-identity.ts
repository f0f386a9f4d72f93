/**
 * Who a creating write is, so that repeating it never makes a second effect (ADR 0025).
 *
 * A creating request gets an identity before it writes anything: the id of what it creates and a
 * token stored on the created item. With an `Idempotency-Key` both are derived from the key (the
 * route, the path, the caller, the key: a retry gets the same id; the token adds the body, so the
 * same key with another body is told apart). Without one they are random, and the token still
 * lets a write recognise itself when the SDK retries it after a lost answer.
 *
 * The store writes conditionally (the id must be free). When the condition fails, the item at the
 * id is read: carrying this request's token, it is this request's earlier write, and the request
 * answers with it (whatever crashed after it: the idempotency record, the response); carrying
 * another token, the same key was used for another body (422) or the id is taken (409).
 *
 * @example
 * const { value, repeated } = await createOnce(write, record, () => repo.create(record, write.token), () => repo.createdBy(record.id, write.token));
 */
import { randomUUID } from 'node:crypto';
import { IdempotencyKeyReusedError, KeyTakenError } from '../errors';

export interface WriteIdentity {
  /** The id of what the request creates (derived from the Idempotency-Key when there is one). */
  readonly id: string;
  /** Stored on the created item as `createToken`: this request, body included. */
  readonly token: string;
  /** Whether the identity comes from an Idempotency-Key (a retry of the request has the same one). */
  readonly keyed: boolean;
}

/** A request without an Idempotency-Key: a fresh id (from `newId` when a use case is given one, as tests do) and token. */
export const randomWriteIdentity = (newId?: () => string): WriteIdentity => ({ id: newId?.() ?? randomUUID(), token: randomUUID(), keyed: false });

export interface Created<T> {
  readonly value: T;
  /** The value was created by an earlier attempt of the same request (answer with it again). */
  readonly repeated: boolean;
}

/**
 * Stores `fresh` once: on a taken key, the earlier write of the same request (found by its token)
 * is the answer; another request's item is a 422 for a keyed request (same key, another body) and
 * the store's 409 otherwise.
 */
export async function createOnce<T>(
  write: WriteIdentity,
  fresh: T,
  store: () => Promise<void>,
  earlier: () => Promise<T | undefined>,
): Promise<Created<T>> {
  try {
    await store();
    return { value: fresh, repeated: false };
  } catch (error) {
    if (!(error instanceof KeyTakenError)) throw error;
    const mine = await earlier();
    if (mine !== undefined) return { value: mine, repeated: true };
    if (write.keyed) throw new IdempotencyKeyReusedError(undefined, { cause: error });
    throw error;
  }
}

import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

// Not `import … from 'node:util'`: its ESM namespace reads every lazy export (MIMEType, parseArgs,
// …) and costs a cold start about 4 ms (ADR 0052).
const { isDeepStrictEqual } = process.getBuiltinModule('node:util');

/**
 * The optimistic-concurrency condition of a versioned item: it must not exist yet (first
 * write) or must still be at the version the client read.
 */
export function versionCondition(expectedVersion: number | undefined): {
  ConditionExpression: string;
  ExpressionAttributeValues?: Record<string, number>;
} {
  return expectedVersion === undefined
    ? { ConditionExpression: 'attribute_not_exists(pk)' }
    : { ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': expectedVersion } };
}

/**
 * The item at `key` if the request with `createToken` wrote it (ADR 0025), read strongly
 * consistent: what a creating write answers with when its conditional put finds the key taken.
 */
export async function itemCreatedBy(
  deps: { readonly client: DynamoDBDocumentClient; readonly tableName: string },
  key: { readonly pk: string; readonly sk: string },
  createToken: string,
): Promise<Record<string, unknown> | undefined> {
  const { Item } = await deps.client.send(new GetCommand({ TableName: deps.tableName, Key: key, ConsistentRead: true }));
  return Item?.createToken === createToken ? Item : undefined;
}

/** Ask a conditional put for the item it found when its condition fails (no extra read). */
export const ON_CONDITION_FAILURE = { ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } as const;

/**
 * Whether a conditional put of `item` failed only because `item` itself is stored (ADR 0026): the
 * SDK retried a put whose answer was lost, and the retry met the first attempt's write. The put
 * must have asked for `ON_CONDITION_FAILURE`. Compared as stored (undefined attributes dropped).
 */
export function isOwnWrite(error: unknown, item: Record<string, unknown>): boolean {
  return (
    error instanceof ConditionalCheckFailedException &&
    error.Item !== undefined &&
    isDeepStrictEqual(unmarshall(error.Item), JSON.parse(JSON.stringify(item)) as Record<string, unknown>)
  );
}

/**
 * Sends a conditional write and says whether it wrote: `false` when its condition failed (the
 * item was taken, gone or changed), any other error thrown.
 *
 * @example
 * if (!(await conditionalWrite(client.send(new PutCommand({ TableName, Item, ConditionExpression: 'attribute_not_exists(pk)' }))))) {
 *   throw new KeyTakenError(`activity ${id} exists`);
 * }
 */
export async function conditionalWrite(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/** Why a `TransactWriteItems` was cancelled, read from its cancellation reasons. */
export interface Cancellation {
  /** The indexes, in `TransactItems` order, of the items whose condition failed. */
  readonly failed: readonly number[];
  /** Whether another transaction on one of the items was in flight (`TransactionConflict`). */
  readonly conflicted: boolean;
}

/**
 * The cancellation reasons of a failed transaction; none (no item failed, no conflict) for any
 * other error, so a caller that handles neither rethrows it.
 *
 * @example
 * const { failed } = cancellation(error);
 * if (failed.includes(0)) throw new StaleVersionError(current, { cause: error });
 * throw error;
 */
export function cancellation(error: unknown): Cancellation {
  const reasons = error instanceof TransactionCanceledException ? (error.CancellationReasons ?? []) : [];
  return {
    failed: reasons.flatMap((r, index) => (r.Code === 'ConditionalCheckFailed' ? [index] : [])),
    conflicted: reasons.some((r) => r.Code === 'TransactionConflict'),
  };
}

import { isDeepStrictEqual } from 'node:util';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

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

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

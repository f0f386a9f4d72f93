/**
 * BatchWriteItem for any number of requests: 25 at a time (DynamoDB's limit), sending the
 * unprocessed ones again with a growing pause. The requests of one call must not name one key twice.
 */
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** One request of a BatchWriteItem: `{ PutRequest: { Item } }` or `{ DeleteRequest: { Key } }`. */
export type WriteRequest = { readonly PutRequest: { readonly Item: object } } | { readonly DeleteRequest: { readonly Key: object } };

export async function batchWriteAll(client: DynamoDBDocumentClient, tableName: string, requests: readonly WriteRequest[]): Promise<void> {
  for (let i = 0; i < requests.length; i += 25) {
    let pending: WriteRequest[] | undefined = requests.slice(i, i + 25);
    for (let attempt = 0; pending && pending.length > 0; attempt += 1) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, 50 * 2 ** Math.min(attempt, 6)));
      const out = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending as never } }));
      pending = out.UnprocessedItems?.[tableName] as WriteRequest[] | undefined;
    }
  }
}

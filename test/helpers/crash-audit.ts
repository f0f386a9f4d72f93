/**
 * Reading a private runtime's state whole, for crash tests: every item of a table (a Scan is fine
 * on a test's own small data dir, never in the product), and how many messages each queue and
 * dead-letter queue holds.
 */
import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RuntimeInfo } from '../../infra/local/runtime';

/** Every item of `tableName`, strongly consistent, every page. */
export async function scanAll(doc: DynamoDBDocumentClient, tableName: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(new ScanCommand({ TableName: tableName, ConsistentRead: true, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

export interface QueueDepth {
  /** The topology's queue id, `<id>-dlq` for a dead-letter queue. */
  readonly id: string;
  readonly visible: number;
  readonly inFlight: number;
}

/** Every queue of the runtime and every dead-letter queue, with what it holds now. */
export async function queueDepths(sqs: SQSClient, info: RuntimeInfo): Promise<QueueDepth[]> {
  const queues = Object.entries(info.resources.queues).flatMap(([id, q]) => [
    { id, url: q.url },
    ...(q.dlq ? [{ id: `${id}-dlq`, url: q.dlq.url }] : []),
  ]);
  return Promise.all(
    queues.map(async ({ id, url }) => {
      const { Attributes: a } = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
      );
      return { id, visible: Number(a?.ApproximateNumberOfMessages ?? 0), inFlight: Number(a?.ApproximateNumberOfMessagesNotVisible ?? 0) };
    }),
  );
}

/**
 * What the DynamoDB benches share: a free port, a bounded pool, a client that counts commands
 * by name, the main table created as provisioning does (without its stream: DynamoDB Local's
 * stream bookkeeping makes every later write slower, an emulator artefact no bench wants),
 * activity items exactly as the repository writes them, and BatchWriteItem with retries.
 */
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { BatchWriteCommand, DynamoDBDocumentClient, type BatchWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { CREDENTIALS, freePort, REGION } from '../../infra/local/local-aws';
import { provision } from '../../infra/local/provision';
import { topology } from '../../infra/topology';

export { CREDENTIALS, freePort, REGION };

/** Runs `work` over `items`, `concurrency` at a time. */
export async function pool<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
}

/** A document client (the handlers' marshalling options) whose commands are counted by name (`Query <index>`). */
export function countingClient(endpoint: string, options: Pick<DynamoDBClientConfig, 'requestHandler'> = {}) {
  const raw = new DynamoDBClient({ region: REGION, endpoint, credentials: CREDENTIALS, ...options });
  let counts = new Map<string, number>();
  raw.middlewareStack.add(
    (next, context) => async (args) => {
      const name = String(context.commandName ?? '?').replace(/Command$/, '');
      const index = (args.input as { IndexName?: string }).IndexName;
      const key = name === 'Query' ? `Query ${index ?? 'table'}` : name;
      counts.set(key, (counts.get(key) ?? 0) + 1);
      return next(args);
    },
    { step: 'initialize', name: 'benchCountCommands' },
  );
  const doc = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false } });
  return {
    doc,
    /** The commands counted since the last call. */
    take(): Map<string, number> {
      const taken = counts;
      counts = new Map();
      return taken;
    },
    destroy: () => raw.destroy(),
  };
}

/** Command counts as `Name n, …`, most first. */
export const describeCounts = (counts: ReadonlyMap<string, number>): string =>
  [...counts]
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k} ${n.toLocaleString('en-US')}`)
    .join(', ');

/** The main table of the topology (indexes, TTL), without its stream; its physical name. */
export async function createMainTable(endpoint: string, stage: string): Promise<string> {
  const { stream: _stream, ...main } = topology.tables.main;
  const clients = {
    dynamodb: new DynamoDBClient({ region: REGION, endpoint, credentials: CREDENTIALS }),
    // Not called: the topology handed over has no queues and no buckets.
    sqs: new SQSClient({ region: REGION, endpoint, credentials: CREDENTIALS }),
    s3: new S3Client({ region: REGION, endpoint, credentials: CREDENTIALS }),
  };
  try {
    const resources = await provision({ ...topology, tables: { main }, queues: {}, buckets: {} }, stage, clients);
    const name = resources.tables.main?.name;
    if (!name) throw new Error('provisioning created no main table');
    return name;
  } finally {
    clients.dynamodb.destroy();
    clients.sqs.destroy();
    clients.s3.destroy();
  }
}

/** The items DynamoDbActivityRepository.create writes, captured instead of sent. */
export { activityItems } from '../helpers/seed';

export type WriteRequests = NonNullable<BatchWriteCommandInput['RequestItems']>[string];

/** BatchWriteItem in 25s, `concurrency` at a time, unprocessed items retried with backoff. */
export async function batchWrite(doc: DynamoDBDocumentClient, tableName: string, requests: WriteRequests, concurrency = 8): Promise<void> {
  const batches: WriteRequests[] = [];
  for (let i = 0; i < requests.length; i += 25) batches.push(requests.slice(i, i + 25));
  await pool(batches, concurrency, async (batch) => {
    let pending = batch;
    for (let attempt = 0; pending.length > 0; attempt += 1) {
      if (attempt > 10) throw new Error(`BatchWriteItem left ${pending.length} items unprocessed`);
      const res = await doc.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
      pending = res.UnprocessedItems?.[tableName] ?? [];
      if (pending.length > 0) await new Promise((r) => setTimeout(r, 20 * 2 ** attempt));
    }
  });
}

/** Puts of `items`, as batchWrite takes them. */
export const puts = (items: readonly Record<string, unknown>[]): WriteRequests => items.map((Item) => ({ PutRequest: { Item } }));

/**
 * The slowdown of DynamoDB Local after many transactions on a table with a stream, measured:
 * a fixed probe (TransactWriteItems of fresh activity items, `connections` at a time) on a fresh
 * DynamoDB Local after 0, then more and more transactions, on the main table with its stream and
 * the stream's readers as the runtime has them (one StreamPoller per stream consumer, no-op
 * handlers), against the same table without a stream.
 *
 * Alone: `node --import tsx test/load/stream-slowdown.ts [--quick]`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { startDynamoDbLocal } from '../../infra/local/dynamodb-local';
import { CREDENTIALS, freePort, REGION } from '../../infra/local/local-aws';
import { provision } from '../../infra/local/provision';
import { StreamPoller } from '../../infra/local/stream-poller';
import { topology } from '../../infra/topology';
import { fire, type CannonResult } from './cannon';
import { ddbShot, renamed } from './ddb-direct';

/** An activity item as the repository writes it (marshalled), with `ID` where its id goes. */
export const ACTIVITY_TEMPLATE: Record<string, unknown> = {
  pk: { S: 'ACT#ID' },
  sk: { S: 'A' },
  entity: { S: 'Activity' },
  activityId: { S: 'ID' },
  campaignId: { S: '2021-xinxiang' },
  organizationId: { S: 'hongqi-kx' },
  status: { S: 'draft' },
  version: { N: '1' },
  gsi1pk: { S: 'CAMP#2021-xinxiang#ORG#hongqi-kx' },
  gsi1sk: { S: 'ACT#2021-09-01T01:01:47.854Z#ID' },
  gsi2pk: { S: 'CAMP#2021-xinxiang#ACT' },
  gsi2sk: { S: '2021-09-01T01:01:47.854Z#ID' },
  gsi3pk: { S: 'DUE#2021-xinxiang#hongqi-kx' },
  gsi3sk: { S: '2021-09-01T01:01:47.854Z#ID' },
  title: { S: '科普进社区：碳达峰碳中和知识讲座 🌱' },
  description: { S: '面向社区居民讲解碳达峰、碳中和知识。' },
  kind: { S: 'joint-action' },
  jointAction: { S: 'carbon' },
  contentThemes: { L: [{ S: 'green-development' }] },
  format: { S: 'offline' },
  startsAt: { S: '2021-09-12T09:00:00+08:00' },
  endsAt: { S: '2021-09-12T11:30:00+08:00' },
  county: { S: 'hongqi' },
  audiences: { L: [{ S: 'community' }] },
  venue: { M: { name: { S: '红旗区新时代文明实践中心' }, address: { S: '新乡市红旗区人民路 1 号' } } },
  expectedParticipants: { N: '200' },
  maxOnSite: { N: '150' },
  epidemicPlan: { S: '入场测温、查验健康码，全程佩戴口罩，座位间隔一米以上，控制现场人数不超过150人。' },
  volunteers: { M: { count: { N: '12' }, hours: { N: '30' } } },
  coOrganizers: { L: [{ S: '新乡市水利局' }] },
  branded: { BOOL: true },
  contact: { M: { name: { S: '王老师' }, phone: { S: '0373-5820656' } } },
  createdAt: { S: '2021-09-01T01:01:47.854Z' },
  createdBy: { S: 'u1' },
  updatedAt: { S: '2021-09-01T01:01:47.854Z' },
  updatedBy: { S: 'u1' },
};

/** `count` transactions (one Put of a fresh activity, as submit writes), `connections` at a time. */
export function transactions(endpoint: string, tableName: string, prefix: string, count: number, connections: number, maxSeconds: number): Promise<CannonResult> {
  const template = JSON.stringify(ACTIVITY_TEMPLATE);
  return fire({
    url: endpoint,
    connections,
    amount: count,
    maxSeconds,
    expect: 200,
    next: (i) =>
      ddbShot('TransactWriteItems', {
        TransactItems: [{ Put: { TableName: tableName, Item: renamed(JSON.parse(template) as unknown, 'ID', `${prefix}-${i}`), ConditionExpression: 'attribute_not_exists(pk)' } }],
      }),
  });
}

/** `calls` transactions of 25 Puts each (fills the table and its stream 25 items at a time). */
export function fillTransactions(endpoint: string, tableName: string, prefix: string, calls: number, maxSeconds: number): Promise<CannonResult> {
  const template = JSON.stringify(ACTIVITY_TEMPLATE);
  return fire({
    url: endpoint,
    connections: 4,
    amount: Math.max(calls, 4),
    maxSeconds,
    expect: 200,
    next: (i) =>
      ddbShot('TransactWriteItems', {
        TransactItems: Array.from({ length: 25 }, (_, j) => ({ Put: { TableName: tableName, Item: renamed(JSON.parse(template) as unknown, 'ID', `${prefix}-${i}-${j}`) } })),
      }),
  });
}

/** Median ms of `n` calls made one after another. */
async function timed(n: number, call: () => Promise<unknown>): Promise<number> {
  const ms: number[] = [];
  for (let i = 0; i < n; i += 1) {
    const t = performance.now();
    await call();
    ms.push(performance.now() - t);
  }
  return ms.sort((a, b) => a - b)[Math.floor(n / 2)] ?? Number.NaN;
}

/** What one reader's calls cost now: DescribeStream, and GetRecords of 100 at the stream's end. */
async function readerCosts(streams: DynamoDBStreamsClient, streamArn: string): Promise<{ describeMs: number; getRecordsMs: number; shards: number }> {
  const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
  const shards = StreamDescription?.Shards ?? [];
  const last = shards.at(-1);
  const describeMs = await timed(9, () => streams.send(new DescribeStreamCommand({ StreamArn: streamArn })));
  const getRecordsMs = await timed(9, async () => {
    const { ShardIterator } = await streams.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: last?.ShardId, ShardIteratorType: 'LATEST' }));
    await streams.send(new GetRecordsCommand({ ShardIterator, Limit: 100 }));
  });
  return { describeMs, getRecordsMs, shards: shards.length };
}

export interface SlowdownPoint {
  readonly table: string;
  readonly after: number;
  readonly probe: CannonResult;
  readonly reader?: { describeMs: number; getRecordsMs: number; shards: number };
}

/** Which stream readers run beside the writes: none, or the runtime's pollers with no-op handlers. */
export type Readers = 'none' | 'pollers';

export async function streamSlowdown(work: string, options: { steps: readonly number[]; probe: number; connections: number; readers: Readers; streamOnly?: boolean; log?: (line: string) => void }): Promise<SlowdownPoint[]> {
  const dataDir = mkdtempSync(join(work, 'slowdown-'));
  const port = await freePort();
  const dynamo = await startDynamoDbLocal({ projectRoot: process.cwd(), dataDir, port });
  const base = { region: REGION, credentials: CREDENTIALS, endpoint: dynamo.endpoint };
  const clients = { dynamodb: new DynamoDBClient(base), sqs: new SQSClient(base), s3: new S3Client(base) };
  const streams = new DynamoDBStreamsClient(base);
  const pollers: StreamPoller[] = [];
  try {
    const { stream: _s, ...plain } = topology.tables.main;
    const made = await provision(
      { ...topology, tables: { main: topology.tables.main, plain }, queues: {}, buckets: {} },
      'load',
      clients,
    );
    const streamed = made.tables.main;
    const bare = made.tables.plain;
    if (!streamed?.streamArn || !bare) throw new Error('the slowdown tables were not created');
    const consumers = Object.values(topology.functions).filter((f) => f.triggers.some((t) => t.kind === 'stream')).length;
    if (options.readers === 'pollers') {
      for (let i = 0; i < consumers; i += 1) {
        pollers.push(
          new StreamPoller({
            streams,
            sqs: clients.sqs,
            streamArn: streamed.streamArn,
            region: REGION,
            batchSize: 100,
            retryAttempts: 0,
            onFailureQueueUrl: 'unused',
            checkpointFile: join(dataDir, `stream-${i}.json`),
            invoke: async () => ({ batchItemFailures: [] }),
          }),
        );
      }
      for (const p of pollers) p.start();
    }
    const points: SlowdownPoint[] = [];
    for (const table of options.streamOnly ? [streamed.name] : [streamed.name, bare.name]) {
      let written = 0;
      for (const step of options.steps) {
        if (step > written) {
          const fill = await fillTransactions(dynamo.endpoint, table, `fill${step}`, Math.ceil((step - written) / 25), 600);
          written += fill.completed * 25;
          options.log?.(`  ${table}: filled to ${written} transactions (${Math.round(fill.rps)}/s)`);
        }
        const probe = await transactions(dynamo.endpoint, table, `probe${step}`, options.probe, options.connections, 120);
        written += probe.completed;
        const reader = table === streamed.name ? await readerCosts(streams, streamed.streamArn) : undefined;
        points.push({ table: table === streamed.name ? 'with stream' : 'no stream', after: step, probe, ...(reader ? { reader } : {}) });
        options.log?.(`  ${table} after ${step}: ${Math.round(probe.rps)} tx/s, p50 ${probe.p50} ms, p99 ${probe.p99} ms ${JSON.stringify(reader ?? {})}`);
      }
    }
    return points;
  } finally {
    await Promise.all(pollers.map((p) => p.stop()));
    streams.destroy();
    for (const c of Object.values(clients)) c.destroy();
    await dynamo.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const quick = process.argv.includes('--quick');
  const readers: Readers = process.argv.includes('--no-readers') ? 'none' : 'pollers';
  const work = mkdtempSync(join(tmpdir(), 'sciday-slowdown-'));
  try {
    const points = await streamSlowdown(work, {
      steps: quick ? [0, 5_000, 10_000] : [0, 10_000, 50_000],
      ...(process.argv.includes('--stream-only') ? { streamOnly: true } : {}),
      probe: quick ? 500 : 1000,
      connections: 10,
      readers,
      log: (line) => process.stderr.write(`${line}\n`),
    });
    console.log(JSON.stringify(points.map((p) => ({ table: p.table, after: p.after, rps: Math.round(p.probe.rps), p50: p.probe.p50, p99: p.probe.p99, failures: p.probe.failures, ...p.reader }))));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  process.exit(0);
}

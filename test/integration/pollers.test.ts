// Lambda's event-source semantics of the local pollers, against real fauxqs queues and a
// real DynamoDB Local stream.
import { CreateTableCommand, DeleteTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { CreateQueueCommand, ReceiveMessageCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import type { DynamoDBStreamEvent, SQSEvent } from 'aws-lambda';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqsPoller } from '../../infra/local/sqs-poller';
import { StreamPoller } from '../../infra/local/stream-poller';
import { clientsFor, eventually, runtimeInfo, uniqueId } from '../helpers/runtime';

const info = runtimeInfo();
const aws = clientsFor(info);
const streams = new DynamoDBStreamsClient({ region: info.region, endpoint: info.endpoints.dynamodb, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
const work = mkdtempSync(join(tmpdir(), 'sciday-pollers-'));

afterAll(() => {
  for (const c of Object.values(aws)) c.destroy();
  streams.destroy();
  rmSync(work, { recursive: true, force: true });
});

async function queue(attributes: Record<string, string> = {}) {
  const name = uniqueId('q');
  const { QueueUrl } = await aws.sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  return { url: QueueUrl ?? '', arn: `arn:aws:sqs:${info.region}:000000000000:${name}` };
}

describe('Class: SqsPoller', () => {
  it('fills a batch up to its size within the batching window', async () => {
    // Prepare
    const q = await queue();
    await aws.sqs.send(
      new SendMessageBatchCommand({ QueueUrl: q.url, Entries: Array.from({ length: 7 }, (_, i) => ({ Id: String(i), MessageBody: `m${i}` })) }),
    );
    const batches: string[][] = [];
    const poller = new SqsPoller({
      client: aws.sqs, queueUrl: q.url, queueArn: q.arn, region: info.region, batchSize: 5, maxBatchingWindowSeconds: 1, waitTimeSeconds: 1,
      invoke: async (event: SQSEvent) => {
        batches.push(event.Records.map((r) => r.body));
        return { batchItemFailures: [] };
      },
    });

    // Act
    poller.start();
    await eventually(async () => (batches.flat().length >= 7 ? true : undefined));
    await poller.stop();

    // Assess
    expect(batches.map((b) => b.length)).toEqual([5, 2]);
    expect(batches.flat().sort()).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6']);
  });

  it('with concurrency 3, has three batches in flight at once, each message delivered once', async () => {
    // Prepare: 30 messages, batches of 2; an invocation waits until three are running (or 2 s).
    const q = await queue();
    for (let i = 0; i < 30; i += 10) {
      await aws.sqs.send(
        new SendMessageBatchCommand({ QueueUrl: q.url, Entries: Array.from({ length: 10 }, (_, j) => ({ Id: String(j), MessageBody: `m${i + j}` })) }),
      );
    }
    const bodies: string[] = [];
    let running = 0;
    let most = 0;
    const poller = new SqsPoller({
      client: aws.sqs, queueUrl: q.url, queueArn: q.arn, region: info.region, batchSize: 2, maxBatchingWindowSeconds: 0, waitTimeSeconds: 1, concurrency: 3,
      invoke: async (event: SQSEvent) => {
        running += 1;
        most = Math.max(most, running);
        const until = Date.now() + 2_000;
        while (running < 3 && most < 3 && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
        await new Promise((r) => setTimeout(r, 20));
        bodies.push(...event.Records.map((r) => r.body));
        running -= 1;
        return { batchItemFailures: [] };
      },
    });

    // Act
    poller.start();
    await eventually(async () => (bodies.length >= 30 ? true : undefined));
    await poller.stop();

    // Assess
    expect(most).toBe(3);
    expect(bodies.sort()).toEqual(Array.from({ length: 30 }, (_, i) => `m${i}`).sort());
  });

  it('redelivers only the items a partial batch response names', async () => {
    // Prepare: visibility 1 s so the failed item comes back quickly.
    const q = await queue({ VisibilityTimeout: '1' });
    await aws.sqs.send(
      new SendMessageBatchCommand({ QueueUrl: q.url, Entries: ['a', 'b', 'c'].map((b) => ({ Id: b, MessageBody: b })) }),
    );
    const deliveries: Array<[string, string]> = [];
    const poller = new SqsPoller({
      client: aws.sqs, queueUrl: q.url, queueArn: q.arn, region: info.region, batchSize: 10, maxBatchingWindowSeconds: 0.5, waitTimeSeconds: 1,
      invoke: async (event: SQSEvent) => {
        for (const r of event.Records) deliveries.push([r.body, r.attributes.ApproximateReceiveCount]);
        const failing = event.Records.filter((r) => r.body === 'b' && r.attributes.ApproximateReceiveCount === '1');
        return { batchItemFailures: failing.map((r) => ({ itemIdentifier: r.messageId })) };
      },
    });

    // Act
    poller.start();
    await eventually(async () => (deliveries.length >= 4 ? true : undefined));
    await new Promise((r) => setTimeout(r, 1500));
    await poller.stop();

    // Assess: a and c once, b twice, and the queue is empty.
    expect(deliveries.sort()).toEqual([['a', '1'], ['b', '1'], ['b', '2'], ['c', '1']]);
    const left = await aws.sqs.send(new ReceiveMessageCommand({ QueueUrl: q.url, WaitTimeSeconds: 0, VisibilityTimeout: 0 }));
    expect(left.Messages ?? []).toEqual([]);
  });
});

describe('Class: StreamPoller', () => {
  const table = uniqueId('stream');
  let streamArn = '';

  beforeAll(async () => {
    await aws.dynamodb.send(
      new CreateTableCommand({
        TableName: table,
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      }),
    );
    streamArn = (await aws.dynamodb.send(new DescribeTableCommand({ TableName: table }))).Table?.LatestStreamArn ?? '';
    for (const pk of ['r1', 'r2', 'r3', 'r4']) await aws.doc.send(new PutCommand({ TableName: table, Item: { pk } }));
  });
  afterAll(() => aws.dynamodb.send(new DeleteTableCommand({ TableName: table })));

  it('retries from the first failed record, then sends the batch metadata to the on-failure queue', async () => {
    // Prepare: r2 fails every time.
    const failures = await queue();
    const seen: string[] = [];
    const poller = new StreamPoller({
      streams, sqs: aws.sqs, streamArn, region: info.region, batchSize: 10, retryAttempts: 2, onFailureQueueUrl: failures.url,
      checkpointFile: join(work, 'checkpoint.json'), pollIntervalMs: 50,
      invoke: async (event: DynamoDBStreamEvent) => {
        const batch = event.Records.map((r) => r.dynamodb?.Keys?.pk?.S ?? '?');
        seen.push(batch.join(','));
        const failing = event.Records.find((r) => r.dynamodb?.Keys?.pk?.S === 'r2');
        return { batchItemFailures: failing ? [{ itemIdentifier: failing.dynamodb?.SequenceNumber }] : [] };
      },
    });

    // Act
    poller.start();
    const dead = await eventually(async () => {
      const r = await aws.sqs.send(new ReceiveMessageCommand({ QueueUrl: failures.url, WaitTimeSeconds: 1 }));
      return r.Messages?.[0];
    }, 30_000, 'the on-failure record');
    await poller.stop();

    // Assess: r1 succeeded once; r2,r3,r4 were retried twice after the first try, then given up on.
    expect(seen).toEqual(['r1,r2,r3,r4', 'r2,r3,r4', 'r2,r3,r4', 'r2,r3,r4']);
    const body = JSON.parse(dead.Body ?? '{}');
    expect(body.requestContext).toEqual({ condition: 'RetryAttemptsExhausted', approximateInvokeCount: 3 });
    expect(body.DDBStreamBatchInfo).toMatchObject({ batchSize: 3, streamArn });
  });

  it('with partitionKeys, invokes with the matching records only and checkpoints past the others (Lambda event filtering)', async () => {
    // Prepare
    const failures = await queue();
    const seen: string[] = [];
    const options = {
      streams, sqs: aws.sqs, streamArn, region: info.region, batchSize: 10, retryAttempts: 2, onFailureQueueUrl: failures.url,
      checkpointFile: join(work, 'checkpoint-filtered.json'), pollIntervalMs: 50, partitionKeys: ['r3'],
      invoke: async (event: DynamoDBStreamEvent) => {
        seen.push(event.Records.map((r) => r.dynamodb?.Keys?.pk?.S ?? '?').join(','));
        return { batchItemFailures: [] };
      },
    };
    // Act
    const poller = new StreamPoller(options);
    poller.start();
    await eventually(async () => (seen.length > 0 ? true : undefined), 30_000, 'the filtered batch');
    await new Promise((r) => setTimeout(r, 300));
    await poller.stop();
    // A restart reads from the checkpoint: nothing is delivered again.
    const again = new StreamPoller(options);
    again.start();
    await new Promise((r) => setTimeout(r, 500));
    await again.stop();
    // Assess
    expect(seen).toEqual(['r3']);
  });
});

// The media check's queue keeps Lambda's promise for a poison message: one batch holds real
// S3 notifications of real uploads and one notification that can never be processed; the
// batch-mates are accepted once, the poison one is received exactly maxReceiveCount (5)
// times, then it is in media-uploads-dlq, and not before.
//
// A private runtime (its own data dir) so its queue can be retuned: the topology gives
// media-uploads a 180 s visibility timeout (6 × check-media's 30 s); 3 s here keeps five
// redeliveries within seconds and is still longer than the 1 s batching window plus a batch.
// The receives are watched with fauxqs's non-destructive inspection endpoint
// (GET /_fauxqs/queues/<name>), whose receive count is the ApproximateReceiveCount that each
// ReceiveMessage returns.
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { ReceiveMessageCommand, SendMessageBatchCommand, SetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../../shared/repositories/keys';
import { spawnRuntime } from '../helpers/global-setup';
import { stopRuntime } from '../helpers/private-runtime';
import { clientsFor, eventually, runtimeInfo, type Clients } from '../helpers/runtime';
import { client, completeActivity, tokenFor, type Client } from '../helpers/api';
import { sampleFile } from '../helpers/sample-files';
import type { RuntimeInfo } from '../../infra/local/runtime';

/** One batch: check-media's batch size, one of them poison. */
const BATCH = 10;
const MAX_RECEIVES = 5;
const VISIBILITY_SECONDS = 3;

const dataDir = mkdtempSync(join(tmpdir(), 'sciday-media-dlq-'));
let runtime: ChildProcess;
let info: RuntimeInfo;
let api: Client;
let aws: Clients;

beforeAll(async () => {
  runtime = await spawnRuntime(dataDir, { SCIDAY_CLOCK: '2021-09-12T10:00:00+08:00' });
  info = runtimeInfo(dataDir);
  aws = clientsFor(info);
  api = client(info.url, await tokenFor(info.url, { sub: 'u', orgId: 'hongqi-kx', roles: ['organizer'] }));
});

afterAll(async () => {
  for (const c of Object.values(aws ?? {})) c.destroy();
  await stopRuntime(runtime, dataDir);
});

interface InspectedMessage {
  readonly messageId: string;
  readonly body: string;
  readonly approximateReceiveCount: number;
}
interface Inspection {
  readonly messages: {
    readonly ready: InspectedMessage[];
    readonly delayed: InspectedMessage[];
    readonly inflight: Array<{ readonly message: InspectedMessage }>;
  };
}

/** fauxqs's view of a queue: every message, ready, delayed or in flight, without receiving any. */
async function inspect(queueName: string): Promise<Inspection> {
  const res = await fetch(`${info.endpoints.sqs}/_fauxqs/queues/${encodeURIComponent(queueName)}`);
  if (res.status !== 200) throw new Error(`inspect ${queueName}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Inspection;
}

/** A JPEG that no other upload of the activity shares (identical files would be duplicates). */
const uniqueJpeg = () => {
  const file = sampleFile('jpeg', 4096);
  randomBytes(32).copy(file, file.length - 32);
  return file;
};

describe('Queue media-uploads → check-media: a message that always fails', () => {
  it('reaches media-uploads-dlq after exactly 5 receives, while its batch-mates are accepted once', async () => {
    // Prepare: a private queue setting, then nine real uploads with pending media items.
    const queue = info.resources.queues['media-uploads'];
    const dlq = queue?.dlq;
    const bucket = info.resources.buckets.media?.name ?? '';
    const mainTable = info.resources.tables.main?.name ?? '';
    const auditTable = info.resources.tables.audit?.name ?? '';
    if (!queue || !dlq) throw new Error('media-uploads has no DLQ');
    expect(dlq.maxReceiveCount).toBe(MAX_RECEIVES);
    // The notifications of the uploads are held back (the most SQS delays), so that this test
    // puts them in the queue itself, together, in one batch.
    await aws.sqs.send(new SetQueueAttributesCommand({ QueueUrl: queue.url, Attributes: { DelaySeconds: '900' } }));
    const activityId = (await api.post<{ activityId: string }>('/v1/campaigns/2021-xinxiang/activities', completeActivity())).body.activityId;
    const uploads = await Promise.all(
      Array.from({ length: BATCH - 1 }, async (_, i) => {
        const file = uniqueJpeg();
        const grant = await api.post<{ mediaId: string; url: string; fields: Record<string, string> }>(`/v1/activities/${activityId}/uploads`, {
          kind: 'photo',
          contentType: 'image/jpeg',
          size: file.length,
          fileName: `photo-${i}.jpg`,
        });
        expect(grant.status).toBe(201);
        const form = new FormData();
        for (const [k, v] of Object.entries(grant.body.fields)) form.append(k, v);
        form.append('file', new Blob([file], { type: 'image/jpeg' }), `photo-${i}.jpg`);
        expect((await fetch(grant.body.url, { method: 'POST', body: form })).status).toBeLessThan(300);
        return { mediaId: grant.body.mediaId, key: grant.body.fields.key ?? '' };
      }),
    );
    // S3's real notifications of those objects, as the runtime's notifier sent them.
    const notifications = await eventually(async () => {
      const delayed = (await inspect(queue.name)).messages.delayed;
      return delayed.length === uploads.length ? delayed.map((m) => m.body) : undefined;
    }, 15_000, 'one notification per upload');
    const announcedKeys = notifications.map((b) => decodeURIComponent((JSON.parse(b) as { Records: Array<{ s3: { object: { key: string } } }> }).Records[0]?.s3.object.key ?? ''));
    expect(announcedKeys.sort()).toEqual(uploads.map((u) => u.key).sort());
    // The poison: a real-shaped notification that the event schema refuses (a delete, which a
    // misconfigured bucket would send): parseS3Notification throws, every time; nothing is
    // recorded, rejected or quarantined for it.
    const deleted = JSON.parse(notifications[0] ?? '{}') as { Records: Array<{ eventName: string; s3: { object: { key: string } } }> };
    for (const r of deleted.Records) {
      r.eventName = 'ObjectRemoved:Delete';
      r.s3.object.key = `uploads/2021-xinxiang/hongqi-kx/${activityId}/gone`;
    }
    const poisonBody = JSON.stringify(deleted);
    await aws.sqs.send(
      new SetQueueAttributesCommand({ QueueUrl: queue.url, Attributes: { DelaySeconds: '0', VisibilityTimeout: String(VISIBILITY_SECONDS) } }),
    );

    // Watch both queues until the poison reaches the DLQ: a timeline of what happened to it
    // (each receive as its receive count, then the DLQ), and every receive of the others.
    const timeline: string[] = [];
    const note = (entry: string) => {
      if (timeline.at(-1) !== entry) timeline.push(entry);
    };
    const mateReceives = new Map<string, Set<number>>();
    /** The most of the ten seen in flight at once on their first receive (10: one batch). */
    let seenTogether = 0;
    let watching = true;
    const watch = (async () => {
      while (watching) {
        const [main, dead] = [await inspect(queue.name), await inspect(dlq.name)];
        const inflight = main.messages.inflight.map((e) => e.message).filter((m) => m.body === poisonBody || notifications.includes(m.body));
        seenTogether = Math.max(seenTogether, inflight.filter((m) => m.approximateReceiveCount === 1).length);
        for (const m of inflight) {
          if (m.body === poisonBody) note(`received ${m.approximateReceiveCount}`);
          else mateReceives.set(m.messageId, (mateReceives.get(m.messageId) ?? new Set()).add(m.approximateReceiveCount));
        }
        if (dead.messages.ready.some((m) => m.body === poisonBody)) note('dlq');
        await new Promise((r) => setTimeout(r, 50));
      }
    })();

    // Act: the ten messages in one SendMessageBatch; the poller's long poll and its batching
    // window take them as one batch of ten (check-media's batch size).
    const bodies = [...notifications.slice(0, 4), poisonBody, ...notifications.slice(4)];
    const sent = await aws.sqs.send(
      new SendMessageBatchCommand({ QueueUrl: queue.url, Entries: bodies.map((MessageBody, i) => ({ Id: String(i), MessageBody })) }),
    );
    expect(sent.Failed ?? []).toEqual([]);
    try {
      await eventually(async () => (timeline.includes('dlq') ? true : undefined), 30_000, 'the poison message in media-uploads-dlq');
    } finally {
      watching = false;
      await watch;
    }

    // Assess: one batch of ten; the poison received 1, 2, 3, 4, 5 times, then dead-lettered.
    expect(seenTogether).toBe(BATCH);
    expect(timeline).toEqual(['received 1', 'received 2', 'received 3', 'received 4', 'received 5', 'dlq']);
    const dead = await aws.sqs.send(new ReceiveMessageCommand({ QueueUrl: dlq.url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    expect(dead.Messages?.map((m) => m.Body)).toEqual([poisonBody]);

    // The batch-mates: each received once (count 1), deleted after that batch, never again.
    expect([...mateReceives.values()].map((counts) => [...counts])).toEqual(Array.from({ length: BATCH - 1 }, () => [1]));
    const after = await inspect(queue.name);
    expect([...after.messages.ready, ...after.messages.inflight.map((e) => e.message)].map((m) => m.body)).toEqual([]);

    // Accepted once: each item went pending → accepted in one write, served from the copy its check
    // judged, its upload key emptied (ADR 0032).
    const media = await api.get<{ items: Array<{ mediaId: string; status: string; url?: string }> }>(`/v1/activities/${activityId}/media`);
    expect(media.body.items.map((m) => m.status)).toEqual(Array.from({ length: BATCH - 1 }, () => 'accepted'));
    for (const m of media.body.items) expect((await fetch(m.url ?? 'http://invalid/')).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1500)); // the audit trail follows the stream
    for (const u of uploads) {
      const trail = await aws.doc.send(
        new QueryCommand({
          TableName: auditTable,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': keys.auditTrail(keys.mediaOfActivity(activityId, u.mediaId)) },
        }),
      );
      expect((trail.Items ?? []).map((e) => e.action)).toEqual(['created', 'updated']);
      const observed = await aws.doc.send(
        new QueryCommand({
          TableName: auditTable,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': keys.auditTrail(keys.storedObject(bucket, u.key)) },
        }),
      );
      expect((observed.Items ?? []).map((e) => e.action)).toEqual(['created']);
      await expect(aws.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: u.key }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
    }
    // Nothing was recorded for the poison's key.
    const poisonRecord = await aws.doc.send(
      new QueryCommand({
        TableName: mainTable,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.storedObject(bucket, `uploads/2021-xinxiang/hongqi-kx/${activityId}/gone`).pk },
      }),
    );
    expect(poisonRecord.Items ?? []).toEqual([]);
  });
});

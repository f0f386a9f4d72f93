// A unit's webhook, end to end against the real local services:
// - the settings PATCH refuses private, link-local and reserved addresses (SSRF) and, in the
//   local runtime only, accepts a robot on this machine (loopback);
// - the notifications queue → deliver-webhook POSTs the robot JSON once per deliveryId,
//   however often (and however concurrently) its message arrives, and records the outcome on
//   the inbox message;
// - a robot answering 500 is retried, and one that never recovers ends in the DLQ, its inbox
//   message marked failed. That part runs on a private runtime whose notifications queue is
//   retuned to a 3 s visibility timeout (the topology's 180 s would make five receives last
//   a quarter of an hour).
import type { ChildProcess } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand, SetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Notification } from '../../events/schemas/notification.v1';
import type { RuntimeInfo } from '../../infra/local/runtime';
import { oncePerDelivery } from '../../shared/clients/delivery-idempotency';
import { keys } from '../../shared/repositories/keys';
import { organizationSettingsKey } from '../../shared/repositories/organization-repository';
import { spawnRuntime } from '../helpers/global-setup';
import { stopRuntime } from '../helpers/private-runtime';
import { clientsFor, eventually, runtimeInfo, uniqueId, type Clients } from '../helpers/runtime';
import { client, tokenFor } from '../helpers/api';
import { context } from '../helpers/context';

const C = '2021-xinxiang';

interface Problem {
  status: number;
  errors: Array<{ path: string; code: string; message: string }>;
}

interface Post {
  key: string;
  contentType: string | undefined;
  body: unknown;
}

/** A group robot on 127.0.0.1: records every POST by its `key` query parameter. */
async function robot(respond: (post: Post, nth: number) => number) {
  const posts: Post[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
    req.on('end', () => {
      const key = new URL(req.url ?? '/', 'http://robot').searchParams.get('key') ?? '';
      let body: unknown = raw;
      try {
        body = JSON.parse(raw);
      } catch {
        // kept as text
      }
      const post = { key, contentType: req.headers['content-type'], body };
      posts.push(post);
      const status = respond(post, posts.filter((p) => p.key === key).length);
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(status === 200 ? '{"errcode":0,"errmsg":"ok"}' : '{"errcode":-1,"errmsg":"system error"}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    /** The webhook URL of one delivery (the key stands for the robot's access token). */
    urlFor: (key: string) => `http://127.0.0.1:${port}/cgi-bin/webhook/send?key=${key}`,
    postsFor: (key: string) => posts.filter((p) => p.key === key),
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** An inbox message as the reminder job writes it, still `queued` for its webhook. */
function inboxFixture(organizationId: string) {
  const messageId = uniqueId('msg');
  const at = '2021-09-20T01:00:00.000Z';
  const text = '【2021年新乡市全国科普日】活动登记提醒：截止 2021-09-24 23:59\n尚未登记任何活动。\n\n[Xinxiang 2021] Registration reminder\nNo activity registered yet.';
  return { messageId, at, text, key: keys.inboxMessage(C, organizationId, at, messageId) };
}

function notificationOf(fixture: ReturnType<typeof inboxFixture>, organizationId: string, deliveryId: string, webhookUrl: string): Notification {
  return { version: 1, deliveryId, campaignId: C, organizationId, messageId: fixture.messageId, at: fixture.at, webhookUrl, text: fixture.text };
}

async function putInbox(aws: Clients, table: string, fixture: ReturnType<typeof inboxFixture>, organizationId: string) {
  await aws.doc.send(
    new PutCommand({
      TableName: table,
      Item: {
        ...fixture.key,
        entity: 'InboxMessage',
        messageId: fixture.messageId,
        campaignId: C,
        organizationId,
        kind: 'reminder',
        at: fixture.at,
        webhook: 'queued',
      },
    }),
  );
}

const webhookState = async (aws: Clients, table: string, key: { pk: string; sk: string }) =>
  (await aws.doc.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }))).Item?.webhook as string | undefined;

/** The bodies fauxqs holds in a queue (ready, delayed, in flight), read without receiving. */
async function queuedBodies(info: RuntimeInfo, queueName: string): Promise<string[]> {
  const res = await fetch(`${info.endpoints.sqs}/_fauxqs/queues/${encodeURIComponent(queueName)}`);
  if (res.status !== 200) throw new Error(`inspect ${queueName}: ${res.status}`);
  const { messages } = (await res.json()) as {
    messages: { ready: Array<{ body: string }>; delayed: Array<{ body: string }>; inflight: Array<{ message: { body: string } }> };
  };
  return [...messages.ready.map((m) => m.body), ...messages.delayed.map((m) => m.body), ...messages.inflight.map((m) => m.message.body)];
}

describe('On the shared runtime', () => {
  const info = runtimeInfo();
  const aws = clientsFor(info);
  const mainTable = info.resources.tables.main?.name ?? '';
  const notifications = info.resources.queues.notifications;
  let organizationId = '';
  let organizer: ReturnType<typeof client>;
  let receiver: Awaited<ReturnType<typeof robot>>;

  beforeAll(async () => {
    // A unit of this test's own, so no other test's settings are touched.
    const admin = client(info.url, await tokenFor(info.url, { sub: 'u-admin', orgId: 'city-kx', roles: ['admin'] }));
    const added = await admin.post<{ items: Array<{ organizationId: string }> }>(`/v1/campaigns/${C}/organizations`, {
      name: `机器人测试学会${uniqueId('')}`.slice(0, 40),
      county: 'hongqi',
      type: 'society',
    });
    expect(added.status).toBe(201);
    organizationId = added.body.items[0]?.organizationId ?? '';
    organizer = client(info.url, await tokenFor(info.url, { sub: 'u-robot', orgId: organizationId, roles: ['organizer'] }));
    receiver = await robot(() => 200);
  });

  afterAll(async () => {
    await receiver?.close();
    for (const c of Object.values(aws)) c.destroy();
  });

  describe('API: PATCH a unit’s webhookUrl', () => {
    it.each([
      'https://10.0.0.1/',
      'http://169.254.169.254/',
      'http://169.254.169.254/latest/meta-data/iam/security-credentials/',
      'https://0xa9.0xfe.0xa9.0xfe/',
      'https://[::ffff:a9fe:a9fe]/',
      'https://[fd00::1]/',
      'https://192.168.1.1:8443/robot',
      'https://100.64.0.1/',
    ])('refuses %s: 422 naming webhookUrl, nothing stored', async (url) => {
      const res = await organizer.patch<Problem>(`/v1/campaigns/${C}/organizations/${organizationId}`, { webhookUrl: url }, { 'if-match': '"0"' });
      expect(res.status).toBe(422);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(res.body.errors).toEqual([{ path: 'webhookUrl', code: 'webhook_address_not_allowed', message: expect.stringContaining('内网') }]);
      const stored = await aws.doc.send(new GetCommand({ TableName: mainTable, Key: organizationSettingsKey(C, organizationId), ConsistentRead: true }));
      expect(stored.Item).toBeUndefined();
    });

    it('explains the refusal in English on request', async () => {
      const res = await organizer.patch<Problem>(
        `/v1/campaigns/${C}/organizations/${organizationId}`,
        { webhookUrl: 'https://10.0.0.1/' },
        { 'if-match': '"0"', 'accept-language': 'en' },
      );
      expect(res.body.errors[0]?.message).toMatch(/^The webhook must not point to a private, loopback, link-local/);
    });

    it('accepts a robot on this machine (loopback, http) in the local runtime', async () => {
      const url = receiver.urlFor('settings');
      const res = await organizer.patch<{ webhookUrl: string; version: number }>(
        `/v1/campaigns/${C}/organizations/${organizationId}`,
        { webhookUrl: url },
        { 'if-match': '"0"' },
      );
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ webhookUrl: url, version: 1 });
    });
  });

  describe('Function: oncePerDelivery on the idempotency table', () => {
    it('runs once for concurrent and later calls with one deliveryId', async () => {
      // Prepare: a slow function, so the second call finds the first in progress.
      let runs = 0;
      const once = oncePerDelivery(
        async (input: { deliveryId: string }) => {
          runs += 1;
          await new Promise((r) => setTimeout(r, 500));
          return { outcome: 'sent', input: input.deliveryId };
        },
        { client: aws.dynamodb, tableName: info.resources.tables.idempotency?.name ?? '' },
      );
      once.config.registerLambdaContext(context);
      const deliveryId = uniqueId('once');

      // Act
      const concurrent = await Promise.all([once.run({ deliveryId }), once.run({ deliveryId })]);
      const later = await once.run({ deliveryId });

      // Assess
      expect(runs).toBe(1);
      expect(concurrent).toEqual(expect.arrayContaining(['in-progress', { outcome: 'sent', input: deliveryId }]));
      expect(later).toEqual({ outcome: 'sent', input: deliveryId, replayed: true });
    });
  });

  describe('Queue notifications → deliver-webhook', () => {
    it('POSTs the robot JSON once when the same message arrives twice in a row, and marks the inbox sent', async () => {
      // Prepare
      const fixture = inboxFixture(organizationId);
      await putInbox(aws, mainTable, fixture, organizationId);
      const deliveryId = `reminder-${fixture.messageId}`;
      const body = JSON.stringify(notificationOf(fixture, organizationId, deliveryId, receiver.urlFor(deliveryId)));

      // Act: first delivery
      await aws.sqs.send(new SendMessageCommand({ QueueUrl: notifications?.url, MessageBody: body }));
      await eventually(async () => ((await webhookState(aws, mainTable, fixture.key)) === 'sent' ? true : undefined), 20_000, 'the inbox marked sent');
      // The same message again, once the first is done. The inbox is set back to queued so
      // that its being marked again shows this delivery was processed.
      await aws.doc.send(
        new UpdateCommand({ TableName: mainTable, Key: fixture.key, UpdateExpression: 'SET webhook = :q', ExpressionAttributeValues: { ':q': 'queued' } }),
      );
      await aws.sqs.send(new SendMessageCommand({ QueueUrl: notifications?.url, MessageBody: body }));
      await eventually(async () => ((await webhookState(aws, mainTable, fixture.key)) === 'sent' ? true : undefined), 20_000, 'the replay marking the inbox');

      // Assess
      const posts = receiver.postsFor(deliveryId);
      expect(posts).toHaveLength(1);
      expect(posts[0]?.contentType).toBe('application/json; charset=utf-8');
      expect(posts[0]?.body).toEqual({ msgtype: 'text', text: { content: fixture.text } });
    });

    it('POSTs once when the same message arrives twice at once', async () => {
      // Prepare
      const fixture = inboxFixture(organizationId);
      await putInbox(aws, mainTable, fixture, organizationId);
      const deliveryId = `reminder-${fixture.messageId}`;
      const body = JSON.stringify(notificationOf(fixture, organizationId, deliveryId, receiver.urlFor(deliveryId)));

      // Act: both copies in one SendMessageBatch, so one batch (or two at once) holds them.
      await aws.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: notifications?.url,
          Entries: [
            { Id: 'a', MessageBody: body },
            { Id: 'b', MessageBody: body },
          ],
        }),
      );
      await eventually(async () => ((await webhookState(aws, mainTable, fixture.key)) === 'sent' ? true : undefined), 20_000, 'the inbox marked sent');
      // Both copies have left the queue (neither is waiting for a retry).
      await eventually(
        async () => ((await queuedBodies(info, notifications?.name ?? '')).some((b) => b.includes(deliveryId)) ? undefined : true),
        20_000,
        'both copies consumed',
      );

      // Assess
      expect(receiver.postsFor(deliveryId)).toHaveLength(1);
      expect(receiver.postsFor(deliveryId)[0]?.body).toEqual({ msgtype: 'text', text: { content: fixture.text } });
    });
  });
});

describe('On a private runtime with a 3 s visibility timeout', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sciday-webhooks-'));
  let runtime: ChildProcess;
  let info: RuntimeInfo;
  let aws: Clients;

  beforeAll(async () => {
    runtime = await spawnRuntime(dataDir);
    info = runtimeInfo(dataDir);
    aws = clientsFor(info);
    const queue = info.resources.queues.notifications;
    await aws.sqs.send(new SetQueueAttributesCommand({ QueueUrl: queue?.url, Attributes: { VisibilityTimeout: '3' } }));
  });

  afterAll(async () => {
    for (const c of Object.values(aws ?? {})) c.destroy();
    await stopRuntime(runtime, dataDir);
  });

  it('retries a robot answering 500 until it succeeds, and sends one that never does to the DLQ after 5 tries', async () => {
    // Prepare: one robot failing its first two POSTs, one always failing.
    const queue = info.resources.queues.notifications;
    const mainTable = info.resources.tables.main?.name ?? '';
    const receiver = await robot((post, nth) => (post.key.startsWith('flaky') && nth > 2 ? 200 : 500));
    const flaky = inboxFixture('hongqi-kx');
    const broken = inboxFixture('hongqi-kx');
    await putInbox(aws, mainTable, flaky, 'hongqi-kx');
    await putInbox(aws, mainTable, broken, 'hongqi-kx');
    const flakyId = `flaky-${flaky.messageId}`;
    const brokenId = `broken-${broken.messageId}`;

    // Act
    await aws.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queue?.url,
        Entries: [
          { Id: 'flaky', MessageBody: JSON.stringify(notificationOf(flaky, 'hongqi-kx', flakyId, receiver.urlFor(flakyId))) },
          { Id: 'broken', MessageBody: JSON.stringify(notificationOf(broken, 'hongqi-kx', brokenId, receiver.urlFor(brokenId))) },
        ],
      }),
    );
    await eventually(async () => ((await webhookState(aws, mainTable, flaky.key)) === 'sent' ? true : undefined), 40_000, 'the flaky delivery sent');
    const dead = await eventually(
      async () => {
        const r = await aws.sqs.send(new ReceiveMessageCommand({ QueueUrl: queue?.dlq?.url, WaitTimeSeconds: 1, MaxNumberOfMessages: 10 }));
        return r.Messages?.length ? r.Messages : undefined;
      },
      60_000,
      'the broken delivery in the DLQ',
    );
    await receiver.close();

    // Assess
    expect(receiver.postsFor(flakyId)).toHaveLength(3);
    expect(dead.map((m) => (JSON.parse(m.Body ?? '{}') as Notification).deliveryId)).toEqual([brokenId]);
    expect(receiver.postsFor(brokenId)).toHaveLength(5);
    expect(await webhookState(aws, mainTable, broken.key)).toBe('failed');
  }, 120_000);
});

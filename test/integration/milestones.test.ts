// Milestones on one machine, moving the runtime's clock: the scheduler fires the campaign's
// reminder and milestone schedules, start-milestone fans out one message per unit, sweep-unit
// raises exactly the flags the rules say — once, however often the job runs.
// Its size: units seeded with 20 activities each (a fifth of them only drafts), the API unit, and units
// with nothing; the stored campaign keeps just those. Each clock move sweeps every unit and each
// seeded activity can raise a flag, so `npm test` runs 25 seeded units (500 activities) and 35 units;
// SCIDAY_MILESTONES_SEEDED=50 SCIDAY_MILESTONES_UNITS=130 is the full size (1,000 activities, all of
// 2021's units; `npm run load` runs it after its rounds).
import type { ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { findCampaign } from '../../shared/campaigns/index';
import { fixedCampaignCatalog } from '../../shared/repositories/cached-campaign-catalog';
import type { ActivityRecord, FlagRecord } from '../../shared/domain/activity';
import type { InboxMessage } from '../../shared/domain/inbox';
import { SqsMessageQueue } from '../../shared/clients/message-queue';
import { keys } from '../../shared/repositories/keys';
import { DynamoDbOrganizationDirectory } from '../../shared/repositories/organization-repository';
import { startScheduledJob } from '../../shared/use-cases/start-scheduled-job';
import { sweepUnit } from '../../shared/use-cases/sweep-unit';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbSweepStore } from '../../shared/repositories/sweep-repository';
import { DynamoDbExtensionSource } from '../../shared/repositories/extension-repository';
import { fixedClock } from '../../shared/domain/clock';
import { spawnRuntime } from '../helpers/global-setup';
import { keepUnits, stopRuntime } from '../helpers/private-runtime';
import { seedActivities } from '../helpers/seed';
import type { Campaign } from '../../shared/domain/campaign';
import { clientsFor, eventually, runtimeInfo, type Clients } from '../helpers/runtime';
import { client, completeActivity, tokenFor, type Client } from '../helpers/api';
import type { RuntimeInfo } from '../../infra/local/runtime';

jest.setTimeout(180_000);

const seedCampaign = findCampaign('2021-xinxiang')!;
/** The campaign as stored once its units are cut down (beforeAll): what the handlers load. */
let campaign: Campaign = seedCampaign;
const C = '/v1/campaigns/2021-xinxiang';
const CLOCK = '2021-09-20T08:00:00+08:00';
const dataDir = mkdtempSync(join(tmpdir(), 'sciday-milestones-'));
let runtime: ChildProcess;
let info: RuntimeInfo;
let aws: Clients;
let table: string;
let admin: Client;

/** Units with 20 activities each (SCIDAY_MILESTONES_SEEDED, 25; at least 21): a fifth of them only drafts, the others drafts and registered ones. */
const SEEDED = Math.max(21, Number(process.env.SCIDAY_MILESTONES_SEEDED ?? 25));
const ALL_DRAFTS = Math.round(SEEDED / 5);
/** The units kept (SCIDAY_MILESTONES_UNITS, the seeded ones + 10; at most all 130): the seeded ones, the API unit, then units with nothing. */
const units = seedCampaign.organizations.slice(0, Math.max(SEEDED + 2, Number(process.env.SCIDAY_MILESTONES_UNITS ?? SEEDED + 10))).map((o) => o.organizationId);
const seeded = units.slice(0, SEEDED);
const allDrafts = new Set(seeded.slice(0, ALL_DRAFTS));
/** Seeded units with registered activities (10 each, and 10 drafts). */
const mixed = SEEDED - ALL_DRAFTS;
/** One unit whose registration deadline is extended to 2021-09-27. */
const extended = seeded[0]!;
/** A unit whose activities go through the API (completion cases). */
const apiUnit = units[SEEDED]!;
/** The units with no activity at all. */
const empty = units.length - seeded.length - 1;

async function moveClock(now: string): Promise<{ now: string; fired: Array<{ scheduleId: string; ok: boolean }> }> {
  const res = await fetch(`${info.url}/local/clock`, { method: 'POST', body: JSON.stringify({ now }) });
  expect(res.status).toBe(200);
  return (await res.json()) as { now: string; fired: Array<{ scheduleId: string; ok: boolean }> };
}

async function campaignFlags(doc: DynamoDBDocumentClient): Promise<FlagRecord[]> {
  const flags: FlagRecord[] = [];
  // Every shard of the campaign's flags (ADR 0028).
  for (const shard of keys.shards('flags', campaign.id)) {
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await doc.send(
        new QueryCommand({
          TableName: table,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk',
          ExpressionAttributeValues: { ':pk': shard },
          ExclusiveStartKey,
        }),
      );
      flags.push(...((page.Items ?? []) as FlagRecord[]));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
  }
  return flags;
}

async function queueIdle(queue: string): Promise<boolean> {
  const attrs = await aws.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: info.resources.queues[queue]!.url,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return Number(attrs.Attributes?.ApproximateNumberOfMessages) + Number(attrs.Attributes?.ApproximateNumberOfMessagesNotVisible) === 0;
}

/** Waits until the sweeps queue is drained and the flag count stops moving. */
async function settledFlags(expected: number): Promise<FlagRecord[]> {
  await eventually(async () => ((await campaignFlags(aws.doc)).length >= expected ? true : undefined), 90_000, `${expected} flags`);
  await eventually(async () => ((await queueIdle('sweeps')) ? true : undefined), 60_000, 'the sweeps queue to drain');
  return campaignFlags(aws.doc);
}

const count = (flags: FlagRecord[], code: string) => flags.filter((f) => f.code === code).length;

async function inbox(organizationId: string): Promise<InboxMessage[]> {
  const page = await aws.doc.send(
    new QueryCommand({
      TableName: table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :inbox)',
      ExpressionAttributeValues: { ':pk': keys.unitPartition(campaign.id, organizationId), ':inbox': keys.inboxPrefix },
    }),
  );
  return (page.Items ?? []) as InboxMessage[];
}

const apiActivities: Record<'withLink' | 'nothing' | 'onlineNoUrl', string> = { withLink: '', nothing: '', onlineNoUrl: '' };
let organizer: Client;
/** A robot webhook on this machine (loopback is allowed in the local runtime only). */
let robot: Server;
const robotPosts: Array<{ msgtype: string; text: { content: string } }> = [];
/** The unit that set a webhook (one with registered activities). */
const hooked = seeded[20]!;

beforeAll(async () => {
  robot = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      robotPosts.push(JSON.parse(body));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"errcode":0,"errmsg":"ok"}');
    });
  });
  await new Promise<void>((r) => robot.listen(0, '127.0.0.1', r));
  runtime = await spawnRuntime(dataDir, { SCIDAY_CLOCK: CLOCK, SCIDAY_WEB_BUILD: 'never' });
  info = runtimeInfo(dataDir);
  aws = clientsFor(info);
  table = info.resources.tables.main!.name;
  // Before any request: the handlers read the campaign (and its units) when first asked.
  campaign = await keepUnits(aws.doc, table, seedCampaign.id, units.length, CLOCK);
  expect(campaign.organizations.map((o) => o.organizationId)).toEqual(units);
  admin = client(info.url, await tokenFor(info.url, { sub: 'admin-1', orgId: 'xinxiang-kx', roles: ['admin'] }));
  organizer = client(info.url, await tokenFor(info.url, { sub: 'org-1', orgId: apiUnit, roles: ['organizer'] }));

  // 20 activities per seeded unit (1,000 over 50 at full size), written as the API writes them (the repository's items, in batches).
  const records: ActivityRecord[] = seeded.flatMap((organizationId, u) =>
    Array.from({ length: 20 }, (_, i): ActivityRecord => {
      const createdAt = new Date(Date.UTC(2021, 8, 10, 0, u, i)).toISOString();
      const registered = !allDrafts.has(organizationId) && i % 2 === 1;
      return {
        activityId: `seed-${u}-${i}`,
        campaignId: campaign.id,
        organizationId,
        status: registered ? 'registered' : 'draft',
        version: registered ? 2 : 1,
        createdAt,
        createdBy: 'seed',
        updatedAt: createdAt,
        updatedBy: 'seed',
        ...(registered ? { submittedAt: new Date(Date.UTC(2021, 8, 11, 0, u, i)).toISOString() } : {}),
        fields: { title: `种子活动 ${u}-${i}` },
      };
    }),
  );
  await seedActivities(aws.doc, table, records, 8);

  // The completion cases, through the API: one news link; nothing; online with a link but no URL.
  const create = async (body: Record<string, unknown>) => {
    const res = await organizer.post<{ id: string }>(`${C}/activities`, body);
    expect(res.status).toBe(201);
    const submitted = await organizer.post(`/v1/activities/${res.body.id}/submit`, undefined, { 'if-match': '"1"' });
    expect(submitted.status).toBe(200);
    return res.body.id;
  };
  // Published in advance: they start after they are submitted.
  const later = { startsAt: '2021-09-22T09:00:00+08:00', endsAt: '2021-09-22T11:30:00+08:00' };
  const online: Record<string, unknown> = { ...completeActivity(), ...later, format: 'online' };
  delete online.venue;
  delete online.maxOnSite;
  delete online.epidemicPlan;
  apiActivities.withLink = await create({ ...completeActivity(), ...later });
  apiActivities.nothing = await create({ ...completeActivity(), ...later });
  apiActivities.onlineNoUrl = await create(online);
  const results = (id: string, body: Record<string, unknown>) => organizer.put(`/v1/activities/${id}/results`, body);
  expect((await results(apiActivities.withLink, { actualParticipants: 180, newsLinks: ['https://news.example.cn/a/1'] })).status).toBe(200);
  expect((await results(apiActivities.onlineNoUrl, { actualParticipants: 90, newsLinks: ['https://news.example.cn/a/2'] })).status).toBe(200);
});

afterAll(async () => {
  if (runtime) await stopRuntime(runtime, dataDir);
  robot?.close();
});

describe('Milestones on one machine (moving the clock)', () => {
  it('fires the 3-days reminder once: one inbox message per unit that owes something, naming what', async () => {
    // An extension for one unit, granted by an admin before the milestone.
    const granted = await admin.post(`${C}/extensions`, {
      organizationId: extended,
      milestone: 'registration',
      until: '2021-09-27T23:59:59.999+08:00',
      reason: '受疫情影响，延期登记',
    });
    expect(granted.status).toBe(201);
    const webhookUrl = `http://127.0.0.1:${(robot.address() as AddressInfo).port}/robot/send?key=secret`;
    const hook = await admin.patch(`${C}/organizations/${hooked}`, { webhookUrl }, { 'if-match': '"0"' });
    expect(hook.status).toBe(200);
    const moved = await moveClock('2021-09-21T09:00:05+08:00');
    // The daily reconciliations (schedules at 00:15, milestones at 00:30) fire too; no milestone has passed yet, so they sweep nothing.
    // The daily retention purge (ADR 0047, 03:00) fires too: no campaign is due, so it purges nothing.
    expect(moved.fired.map((f) => f.scheduleId)).toEqual(['project-changes.reconcile-schedules', 'start-milestone.reconcile', 'purge-expired-data.purge', 'start-reminders.2021-xinxiang.registration.remind-3d']);
    // The seeded units have drafts; the `empty` others have nothing at all; the API unit registered everything.
    const owing = units.length - 1;
    await eventually(
      async () => {
        const all = await Promise.all(units.map(inbox));
        return all.filter((m) => m.length > 0).length >= owing ? all : undefined;
      },
      60_000,
      'reminders',
    );
    await eventually(async () => ((await queueIdle('sweeps')) ? true : undefined), 30_000, 'sweeps drained');
    const [seededInbox, emptyInbox, apiInbox] = await Promise.all([inbox(seeded[20]!), inbox(units.at(-1)!), inbox(apiUnit)]);
    expect(seededInbox).toHaveLength(1);
    expect(seededInbox[0]!.text.zh).toBe('10 项活动尚未提交登记。');
    expect(seededInbox[0]!.text.en).toBe('10 activities are not yet submitted.');
    expect(seededInbox[0]!.title.zh).toContain('2021-09-24 23:59');
    expect(emptyInbox[0]!.text.zh).toBe('尚未登记任何活动。');
    expect(apiInbox).toEqual([]);
    // The unit with a webhook got exactly one robot message, Chinese first.
    await eventually(async () => (robotPosts.length >= 1 ? true : undefined), 20_000, 'the robot message');
    await new Promise((r) => setTimeout(r, 500));
    expect(robotPosts).toHaveLength(1);
    expect(robotPosts[0]!.msgtype).toBe('text');
    expect(robotPosts[0]!.text.content.startsWith(`【${campaign.name.zh}】`)).toBe(true);
    expect(robotPosts[0]!.text.content).toContain('10 项活动尚未提交登记');
    expect(robotPosts[0]!.text.content).toContain('10 activities are not yet submitted');
    await eventually(async () => ((await inbox(hooked))[0]?.webhook === 'sent' ? true : undefined), 10_000, 'the inbox item marked sent');
  });

  it('at 2021-09-25T00:00:00+08:00 flags exactly the overdue drafts and inactive units, and the 1-day reminder went out once too', async () => {
    const moved = await moveClock('2021-09-25T00:00:01+08:00');
    expect(moved.fired.map((f) => f.scheduleId)).toEqual([
      'start-reminders.2021-xinxiang.registration.remind-1d',
      'project-changes.reconcile-schedules',
      'start-milestone.reconcile',
      'purge-expired-data.purge',
      'start-milestone.2021-xinxiang.registration',
    ]);
    // Drafts: all-draft units × 20 + the others × 10 (600 at full size), minus the extended unit's 20.
    const overdue = ALL_DRAFTS * 20 + mixed * 10 - 20;
    // Inactive: the units without activities + the all-draft units not extended.
    const inactive = empty + ALL_DRAFTS - 1;
    const flags = await settledFlags(overdue + inactive);
    expect(count(flags, 'registration-overdue')).toBe(overdue);
    expect(count(flags, 'organization-inactive')).toBe(inactive);
    expect(flags).toHaveLength(overdue + inactive);
    expect(flags.filter((f) => f.organizationId === extended)).toEqual([]);
    expect(flags.filter((f) => f.organizationId === apiUnit)).toEqual([]);
    // Registered seeded activities are never flagged at registration.
    expect(flags.some((f) => f.activityId && Number(f.activityId.split('-')[2]) % 2 === 1 && !allDrafts.has(f.organizationId))).toBe(false);
    // One robot message per reminder, however the queues redelivered.
    expect(robotPosts).toHaveLength(2);
    expect((await inbox(seeded[20]!)).map((m) => m.scheduleId).sort()).toEqual([
      '2021-xinxiang.registration.remind-1d',
      '2021-xinxiang.registration.remind-3d',
    ]);
    // A flagged activity says so in the activity list.
    const reviewer = client(info.url, await tokenFor(info.url, { sub: 'rev', orgId: 'xinxiang-kx', roles: ['reviewer'] }));
    const listed = await reviewer.get<{ items: Array<{ activityId: string }> }>(`${C}/activities?organizationId=${seeded[20]}&flagged=true&limit=100`);
    expect(listed.body.items).toHaveLength(10);
  });

  it('running the milestone 3 more times, two of them concurrently, raises no new flag', async () => {
    const before = await campaignFlags(aws.doc);
    const deps = {
      campaigns: fixedCampaignCatalog([campaign]),
      organizations: new DynamoDbOrganizationDirectory({ client: aws.doc, tableName: table }),
      sweeps: new SqsMessageQueue(aws.sqs, info.resources.queues.sweeps!.url),
      clock: fixedClock('2021-09-25T00:05:00+08:00'),
      reconcileWindowDays: 60,
    };
    const job = { type: 'milestone', campaignId: campaign.id, milestone: 'registration', scheduleId: '2021-xinxiang.registration' } as const;
    await startScheduledJob(job, deps);
    await Promise.all([startScheduledJob(job, deps), startScheduledJob({ type: 'reconcile' }, deps)]);
    // Its messages are in the queue now (sent without delay): idle once every sweep has run.
    await eventually(async () => ((await queueIdle('sweeps')) ? true : undefined), 60_000, 'the sweeps queue to drain');
    const after = await campaignFlags(aws.doc);
    expect(after.map((f) => f.flagId).sort()).toEqual(before.map((f) => f.flagId).sort());
    expect(new Set(after.map((f) => `${f.code}|${f.organizationId}|${f.activityId ?? '-'}|${f.milestone}`)).size).toBe(after.length);
  });

  it('a sweep reads the due index and never scans: its DynamoDB commands are counted', async () => {
    const commands: string[] = [];
    const raw = new DynamoDBClient({ region: info.region, endpoint: info.endpoints.dynamodb, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    raw.middlewareStack.add(
      (next, context) => async (args) => {
        commands.push(String(context.commandName));
        return next(args);
      },
      { step: 'initialize', name: 'countCommands' },
    );
    const doc = DynamoDBDocumentClient.from(raw);
    const outcome = await sweepUnit(
      { campaignId: campaign.id, organizationId: seeded[20]! },
      {
        campaigns: fixedCampaignCatalog([campaign]),
        organizations: new DynamoDbOrganizationDirectory({ client: doc, tableName: table }),
        store: new DynamoDbSweepStore({ client: doc, tableName: table }),
        extensions: new DynamoDbExtensionSource({ client: doc, tableName: table }),
        clock: fixedClock('2021-09-25T00:10:00+08:00'),
      },
    );
    expect(outcome.raised).toEqual([]);
    expect(outcome.due).toBe(20);
    expect(commands.filter((c) => c.startsWith('Scan'))).toEqual([]);
    // The unit's extensions and its due activities (one page each), then one conditional write per
    // flag the rules name (each already raised, so each is refused): nothing proportional to the table.
    expect(commands.filter((c) => c === 'QueryCommand')).toHaveLength(2);
    expect(commands.filter((c) => c === 'TransactWriteItemsCommand')).toHaveLength(10);
    expect(commands).toHaveLength(12);
    raw.destroy();
  });

  it('flags the extended unit only after its extension ends (the daily reconciliation)', async () => {
    const early = await moveClock('2021-09-27T12:00:00+08:00');
    expect(early.fired.map((f) => f.scheduleId)).toEqual(['project-changes.reconcile-schedules', 'start-milestone.reconcile', 'purge-expired-data.purge']);
    // The clock answered once the queues were drained; a sweep writes its flags before its message is deleted.
    await eventually(async () => ((await queueIdle('sweeps')) ? true : undefined), 60_000, 'sweeps drained');
    expect((await campaignFlags(aws.doc)).filter((f) => f.organizationId === extended)).toEqual([]);

    const moved = await moveClock('2021-09-28T00:31:00+08:00');
    expect(moved.fired.map((f) => f.scheduleId)).toEqual(['project-changes.reconcile-schedules', 'start-milestone.reconcile']);
    const flags = await eventually(
      async () => {
        const own = (await campaignFlags(aws.doc)).filter((f) => f.organizationId === extended);
        return own.length >= 21 ? own : undefined;
      },
      60_000,
      'the extended unit flagged',
    );
    expect(count(flags, 'registration-overdue')).toBe(20);
    expect(count(flags, 'organization-inactive')).toBe(1);
  });

  it('at completion: one news link completes an activity; nothing, or an online one without its URL, is results-missing', async () => {
    const before = await campaignFlags(aws.doc);
    const moved = await moveClock('2021-10-23T00:00:01+08:00');
    expect(moved.fired.map((f) => f.scheduleId)).toEqual([
      'start-reminders.2021-xinxiang.completion.remind-3d',
      'start-reminders.2021-xinxiang.completion.remind-1d',
      'project-changes.reconcile-schedules',
      'start-milestone.reconcile',
      'purge-expired-data.purge',
      'start-milestone.2021-xinxiang.completion',
    ]);
    // Registered seeded activities: 10 per mixed unit are results-missing (400 at full size); summaries missing: those units + the API unit.
    const expected = before.length + mixed * 10 + 2 + (mixed + 1);
    const flags = await settledFlags(expected);
    expect(flags).toHaveLength(expected);
    const own = flags.filter((f) => f.organizationId === apiUnit);
    expect(own.filter((f) => f.code === 'results-missing').map((f) => f.activityId).sort()).toEqual(
      [apiActivities.nothing, apiActivities.onlineNoUrl].sort(),
    );
    expect(count(own, 'summary-missing')).toBe(1);
    // The completion reminders named exactly what was missing.
    const reminders = (await inbox(apiUnit)).filter((m) => m.milestone === 'completion');
    expect(reminders).toHaveLength(2);
    expect(reminders[0]!.text.zh).toBe('1 项活动尚未上传成果照片或新闻链接；1 项线上活动尚未填写活动网址；工作总结尚未提交。');
  });

  it('keeps every sign-in valid across the clock moves: token lifetimes are wall-clock time (ADR 0019)', async () => {
    // Prepare: the organizer's token was minted in beforeAll at 2021-09-20, simulated; the
    // clock has since moved more than a month forward (past both milestones).
    const clockNow = ((await (await fetch(`${info.url}/local/clock`)).json()) as { now: string }).now;
    expect(new Date(clockNow).getTime()).toBeGreaterThan(Date.parse('2021-10-23T00:00:00+08:00'));
    // Act
    const res = await organizer.get(`${C}/organizations/${apiUnit}/inbox`);
    // Assess: accepted, not ERR_JWT_EXPIRED.
    expect(res.status).toBe(200);
  });
});

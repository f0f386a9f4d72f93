// The progress read model (ADR 0021) on the shared runtime: activities over 50 units this test
// adds (300 in `npm test`; SCIDAY_PROGRESS_ACTIVITIES=1000 for the size it was first written at),
// written through the use cases with injected clocks (the bulk: deterministic lateness whatever
// the shared clock says) and a few through HTTP. The board (`GET …/progress`), kept from
// the main table's stream by project-changes (its project-progress part), must give exactly the counts the test's own
// bookkeeping implies, before and after edits, submits (on time and late), the registration
// sweep, results (on time and late), summaries (on time and late) and waivers; a replayed stream
// batch changes nothing; a rebuild from the table (the CLI) repairs a corrupted totals item and
// corrupted contributions. Flags open/waived are compared with the unit's flags in the main table
// (the source of truth), since a sweep of the shared runtime could add some; the flags this test
// causes are asserted among them.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand, type _Record } from '@aws-sdk/client-dynamodb-streams';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { toLambdaRecord } from '../../infra/local/stream-poller';
import { envName } from '../../shared/env-names';
import type { Principal, Role } from '../../shared/auth/principal';
import { campaignCatalog } from '../../shared/campaigns/catalog';
import { findCampaign } from '../../shared/campaigns/index';
import type { ActivityRecord } from '../../shared/domain/activity';
import type { Campaign } from '../../shared/domain/campaign';
import { fixedClock } from '../../shared/domain/clock';
import { DynamoDbActivityRepository } from '../../shared/repositories/activity-repository';
import { DynamoDbExtensionSource } from '../../shared/repositories/extension-repository';
import { DynamoDbFlagRepository } from '../../shared/repositories/flag-repository';
import { DynamoDbMediaRepository } from '../../shared/repositories/media-repository';
import { DynamoDbOrganizationDirectory } from '../../shared/repositories/organization-repository';
import { keys } from '../../shared/repositories/keys';
import { progressKeys } from '../../shared/repositories/progress-repository';
import { DynamoDbSummaryRepository } from '../../shared/repositories/summary-repository';
import { DynamoDbSweepStore } from '../../shared/repositories/sweep-repository';
import { createActivity } from '../../shared/use-cases/create-activity';
import { sweepUnit } from '../../shared/use-cases/sweep-unit';
import { putResults } from '../../shared/use-cases/put-results';
import { submitActivity } from '../../shared/use-cases/submit-activity';
import { updateActivity } from '../../shared/use-cases/update-activity';
import { waiveFlag } from '../../shared/use-cases/waive-flag';
import { putSummary } from '../../shared/use-cases/work-summary';
import { client, completeActivity, tokenFor, type Client } from '../helpers/api';
import { draftRecord, seedActivities } from '../helpers/seed';
import { context } from '../helpers/context';
import { runtimeInfo, uniqueId } from '../helpers/runtime';

jest.setTimeout(240_000);

const info = runtimeInfo();
const url = info.url;
const campaign = findCampaign('2021-xinxiang') as Campaign;
const C = campaign.id;
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const raw = new DynamoDBClient({ region: info.region, endpoint: info.endpoints.dynamodb, credentials });
const doc = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false } });
const streams = new DynamoDBStreamsClient({ region: info.region, endpoint: info.endpoints.dynamodb, credentials });
const mainTable = info.resources.tables.main?.name ?? '';
const progressTable = info.resources.tables.progress?.name ?? '';
const main = { client: doc, tableName: mainTable };
const repos = {
  campaigns: campaignCatalog,
  activities: new DynamoDbActivityRepository(main),
  organizations: new DynamoDbOrganizationDirectory(main),
  extensions: new DynamoDbExtensionSource(main),
  summaries: new DynamoDbSummaryRepository(main),
  media: new DynamoDbMediaRepository(main),
  flags: new DynamoDbFlagRepository(main),
  store: new DynamoDbSweepStore(main),
};
const at = (iso: string) => ({ ...repos, clock: fixedClock(iso) });
const principal = (orgId: string, ...roles: Role[]): Principal => ({ sub: `u-${orgId}`, orgId, roles: new Set(roles), city: 'xinxiang' });

const REGISTRATION_DEADLINE = campaign.milestones.registration.deadline.getTime();
const UNITS = 50;
const ACTIVITIES = Number(process.env.SCIDAY_PROGRESS_ACTIVITIES ?? 300);
const prefix = uniqueId('prg').toLowerCase();
const COUNTIES = campaign.counties.map((c) => c.id);
const TYPES = ['society', 'school', 'enterprise'] as const;

afterAll(() => {
  doc.destroy();
  raw.destroy();
  streams.destroy();
});

/** A small seeded PRNG: the same plan every run. */
function mulberry32(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = mulberry32(20210915);

/** Runs `fn` over `items`, `width` at a time. */
async function pool<T, R>(items: readonly T[], width: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      for (let i = next++; i < items.length; i = next++) out[i] = await fn(items[i] as T, i);
    }),
  );
  return out;
}

// ----- what the test asked for: its own bookkeeping --------------------------------------------

interface PlannedActivity {
  id: string;
  org: string;
  status: 'draft' | 'registered' | 'completed';
  version: number;
  late: boolean;
  resultsLate: boolean;
  updatedAt: string;
  resultsAt?: string;
}
interface PlannedUnit {
  organizationId: string;
  county: string;
  type: (typeof TYPES)[number];
  summary?: { submittedAt: string; updatedAt: string; late: boolean };
}
const units: PlannedUnit[] = Array.from({ length: UNITS }, (_, i) => ({
  organizationId: `${prefix}-u${String(i).padStart(2, '0')}`,
  county: COUNTIES[i % COUNTIES.length] ?? 'hongqi',
  type: TYPES[i % TYPES.length] ?? 'society',
}));
const planned: PlannedActivity[] = [];
/** Flags the test causes, `<org>|<code>|<activityId or ->`: asserted present in the table. */
const caused = new Set<string>();

/** The counts the board must show for a unit, from the bookkeeping (flags from the table). */
function expectedOf(u: PlannedUnit, flags: ReadonlyMap<string, { open: number; waived: number }>) {
  const mine = planned.filter((a) => a.org === u.organizationId);
  const registered = mine.filter((a) => a.status !== 'draft');
  const late = registered.filter((a) => a.late).length;
  const changes = [...mine.flatMap((a) => [a.updatedAt, a.resultsAt]), u.summary?.updatedAt].filter((t): t is string => t !== undefined);
  const last = changes.length ? Math.max(...changes.map((t) => Date.parse(t))) : undefined;
  return {
    organizationId: u.organizationId,
    county: u.county,
    type: u.type,
    activities: {
      draft: mine.length - registered.length,
      registered: registered.length,
      registeredOnTime: registered.length - late,
      registeredLate: late,
      resultsComplete: mine.filter((a) => a.status === 'completed').length,
      resultsLate: mine.filter((a) => a.resultsLate).length,
    },
    summary: { submitted: u.summary !== undefined, submittedAt: u.summary ? Date.parse(u.summary.submittedAt) : null, late: u.summary?.late ?? false },
    flags: flags.get(u.organizationId) ?? { open: 0, waived: 0 },
    lastChangeAt: last ?? null,
  };
}

interface UnitProgress {
  organizationId: string;
  name: string;
  county: string;
  type: string;
  activities: Record<string, number>;
  summary: { submitted: boolean; submittedAt: string | null; late: boolean };
  flags: { open: number; waived: number };
  lastChangeAt: string | null;
}
interface ProgressPage {
  items: UnitProgress[];
  nextCursor: string | null;
  asOf: string;
}

let reviewer: Client;
/** Every unit of the board, page by page. */
async function board(c: Client = reviewer, query = ''): Promise<UnitProgress[]> {
  const all: UnitProgress[] = [];
  let cursor: string | null = null;
  do {
    const res: { status: number; body: ProgressPage; headers: Headers } = await c.get<ProgressPage>(
      `/v1/campaigns/${C}/progress?limit=100${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    // asOf is the runtime's clock (simulated on one machine), in +08:00, read while answering.
    expect(res.body.asOf).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+08:00$/);
    const clock = Date.parse(((await (await fetch(`${info.url}/local/clock`)).json()) as { now: string }).now);
    expect(Math.abs(clock - Date.parse(res.body.asOf))).toBeLessThan(60_000);
    all.push(...res.body.items);
    cursor = res.body.nextCursor;
  } while (cursor);
  return all;
}

/** The board's rows of this test's units, with instants as epoch ms (checked to be +08:00). */
async function myRows() {
  const rows = (await board()).filter((r) => r.organizationId.startsWith(prefix));
  return rows.map((r) => {
    for (const t of [r.summary.submittedAt, r.lastChangeAt]) if (t !== null) expect(t).toMatch(/\+08:00$/);
    return {
      organizationId: r.organizationId,
      county: r.county,
      type: r.type,
      activities: r.activities,
      summary: { ...r.summary, submittedAt: r.summary.submittedAt === null ? null : Date.parse(r.summary.submittedAt) },
      flags: r.flags,
      lastChangeAt: r.lastChangeAt === null ? null : Date.parse(r.lastChangeAt),
    };
  });
}

/** This test's units' flags in the main table (gsi1 `CAMP#<c>#FLAG`), counted open/waived; and their identities. */
async function tableFlags() {
  const counts = new Map<string, { open: number; waived: number }>();
  const seen = new Set<string>();
  const items: Array<Record<string, unknown>> = [];
  // Every shard of the campaign's flags (ADR 0028).
  for (const shard of keys.shards('flags', C)) {
    let start: Record<string, unknown> | undefined;
    do {
      const page = await doc.send(
        new QueryCommand({
          TableName: mainTable,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk',
          FilterExpression: 'begins_with(organizationId, :prefix)',
          ExpressionAttributeValues: { ':pk': shard, ':prefix': prefix },
          ExclusiveStartKey: start,
        }),
      );
      for (const f of page.Items ?? []) {
        items.push(f);
        const org = String(f.organizationId);
        const c = counts.get(org) ?? { open: 0, waived: 0 };
        if (f.waived === true) c.waived += 1;
        else c.open += 1;
        counts.set(org, c);
        seen.add(`${org}|${String(f.code)}|${String(f.activityId ?? '-')}`);
      }
      start = page.LastEvaluatedKey;
    } while (start);
  }
  return { counts, seen, items };
}

/** Waits until the board shows what the bookkeeping implies (the stream is about a second behind). */
async function expectBoardToMatch(what: string, ms = 45_000): Promise<void> {
  const { counts, seen } = await tableFlags();
  for (const f of caused) expect(seen.has(f) ? f : `missing ${f}`).toBe(f);
  const expected = units.map((u) => expectedOf(u, counts)).sort((a, b) => (a.organizationId < b.organizationId ? -1 : 1));
  const deadline = Date.now() + ms;
  for (;;) {
    const rows = await myRows();
    if (JSON.stringify(rows) === JSON.stringify(expected)) return;
    if (Date.now() > deadline) {
      // The first unit that differs, for the failure message.
      const diff = expected.find((e, i) => JSON.stringify(e) !== JSON.stringify(rows[i]));
      expect({ what, row: rows.find((r) => r.organizationId === diff?.organizationId) }).toStrictEqual({ what, row: diff });
      return;
    }
    await new Promise((r) => setTimeout(r, 300));
  }
}

const laterActivity = (i: number) => ({
  ...completeActivity(),
  title: `进度看板测试活动 ${i}`,
  // After every instant the test uses: submitting never earns not-published-in-advance.
  startsAt: '2021-11-20T09:00:00+08:00',
  endsAt: '2021-11-20T11:30:00+08:00',
});
const second = (base: string, i: number) => new Date(Date.parse(base) + i * 1000).toISOString();

describe('GET /v1/campaigns/{campaignId}/progress', () => {
  beforeAll(async () => {
    reviewer = client(url, await tokenFor(url, { sub: 'rev-progress', orgId: 'xinxiang-kx', roles: ['reviewer'] }));
    // 50 units listed at run time (one transaction), before the registration deadline.
    await repos.organizations.add(
      campaign,
      units.map((u, i) => ({
        organizationId: u.organizationId,
        name: `进度看板测试单位${i}`,
        county: u.county,
        type: u.type,
        listedAt: '2021-09-01T00:00:00.000Z',
        listedBy: 'admin-progress',
      })),
    );
  });

  it(`counts ${ACTIVITIES} activities over 50 units exactly as they were asked for, through every change, a replay and a rebuild`, async () => {
    // Prepare: the activities, spread unevenly; the last five units get none.
    const spread = Array.from({ length: ACTIVITIES }, () => Math.floor((random() ** 1.5) * (UNITS - 5)));
    // The bulk as createActivity stores drafts (BatchWriteItem); one through the use case itself.
    const drafts = spread.map((unitIndex, i) =>
      draftRecord(campaign, { activityId: `${prefix}-a${i}`, organizationId: units[unitIndex]?.organizationId ?? '', at: second('2021-09-15T02:00:00.000Z', i), body: laterActivity(i) }),
    );
    const [first, ...bulk] = drafts as [ActivityRecord, ...ActivityRecord[]];
    const { value: viaUseCase } = await createActivity({ principal: principal(first.organizationId, 'organizer'), campaignId: C, body: laterActivity(0) }, at(first.createdAt));
    await seedActivities(doc, mainTable, bulk);
    planned.push(
      ...[viaUseCase, ...bulk].map((a) => ({ id: a.activityId, org: a.organizationId, status: 'draft', version: a.version, late: false, resultsLate: false, updatedAt: a.updatedAt }) satisfies PlannedActivity),
    );

    // Act 1: edits of 10 %, then on-time submits of 40 % (2021-09-20, before the deadline).
    const fate = planned.map(() => random());
    await pool(planned, 16, async (a, i) => {
      const who = principal(a.org, 'organizer');
      if (i % 16 === 3) {
        const edited = await updateActivity({ principal: who, activityId: a.id, ifMatch: a.version, body: { title: `改过的标题 ${i}` } }, at(second('2021-09-19T01:00:00.000Z', i)));
        Object.assign(a, { version: edited.activity.version, updatedAt: edited.activity.updatedAt });
      }
      if ((fate[i] ?? 0) >= 0.3 && (fate[i] ?? 0) < 0.6) {
        const done = await submitActivity({ principal: who, activityId: a.id, ifMatch: a.version }, at(second('2021-09-20T01:00:00.000Z', i)));
        Object.assign(a, { status: 'registered', version: done.activity.version, updatedAt: done.activity.updatedAt });
      }
    });
    // Assess 1
    await expectBoardToMatch('after creating, editing and submitting on time');

    // Act 2: the registration sweep of the last 15 units (at 00:00:05 after the deadline), then late
    // submits of 10 % (2021-09-26), results of 30 % of the registered (5 % after the completion
    // deadline), summaries (20 units on time, 10 late), a few activities through HTTP, then waivers.
    const sweepAt = '2021-09-24T16:00:05.000Z';
    const swept = units.slice(-15);
    for (const u of swept) {
      const drafts = planned.filter((a) => a.org === u.organizationId && a.status === 'draft');
      for (const d of drafts) caused.add(`${u.organizationId}|registration-overdue|${d.id}`);
      if (!planned.some((a) => a.org === u.organizationId && a.status !== 'draft')) caused.add(`${u.organizationId}|organization-inactive|-`);
    }
    await pool(swept, 8, (u) => sweepUnit({ campaignId: C, organizationId: u.organizationId }, at(sweepAt)));
    await pool(planned, 16, async (a, i) => {
      const who = principal(a.org, 'organizer');
      if ((fate[i] ?? 0) >= 0.6 && (fate[i] ?? 0) < 0.7) {
        const done = await submitActivity({ principal: who, activityId: a.id, ifMatch: undefined }, at(second('2021-09-26T01:00:00.000Z', i)));
        Object.assign(a, { status: 'registered', version: done.activity.version, updatedAt: done.activity.updatedAt, late: true });
        caused.add(`${a.org}|registration-late|${a.id}`);
      }
      if (a.status === 'registered' && i % 20 < 6) {
        const lateResults = i % 20 < 1;
        const when = second(lateResults ? '2021-10-25T01:00:00.000Z' : '2021-10-10T01:00:00.000Z', i);
        const done = await putResults({ principal: who, activityId: a.id, ifMatch: undefined, body: { actualParticipants: 120, newsLinks: [`https://news.example.cn/${i}`] } }, at(when));
        Object.assign(a, { status: done.activity.status, version: done.activity.version, updatedAt: done.activity.updatedAt, resultsAt: done.results.updatedAt, resultsLate: lateResults });
        expect(done.activity.status).toBe('completed');
        if (lateResults) caused.add(`${a.org}|results-late|${a.id}`);
      }
    });
    await pool(units.slice(0, 30), 8, async (u, i) => {
      const late = i >= 20;
      const when = second(late ? '2021-10-25T03:00:00.000Z' : '2021-10-20T02:00:00.000Z', i);
      const done = await putSummary(
        { principal: principal(u.organizationId, 'organizer'), campaignId: C, organizationId: u.organizationId, ifMatch: undefined, body: { text: `${u.organizationId} 的科普日工作总结：组织了多场活动，效果良好。` } },
        at(when),
      );
      u.summary = { submittedAt: done.summary.submittedAt, updatedAt: done.summary.updatedAt, late };
      if (late) caused.add(`${u.organizationId}|summary-late|-`);
    });
    // A few through HTTP, as the unit's organizer: create three, change one, submit two.
    const u0 = units[0] as PlannedUnit;
    const organizer = client(url, await tokenFor(url, { sub: 'org-progress', orgId: u0.organizationId, roles: ['organizer'] }));
    for (let i = 0; i < 3; i += 1) {
      const res = await organizer.post<{ id: string; version: number; updatedAt: string }>(`/v1/campaigns/${C}/activities`, laterActivity(5000 + i), { 'idempotency-key': uniqueId('prg') });
      expect(res.status).toBe(201);
      planned.push({ id: res.body.id, org: u0.organizationId, status: 'draft', version: res.body.version, late: false, resultsLate: false, updatedAt: new Date(res.body.updatedAt).toISOString() });
    }
    const [h1, h2, h3] = planned.slice(-3) as [PlannedActivity, PlannedActivity, PlannedActivity];
    const patched = await organizer.patch<{ version: number; updatedAt: string }>(`/v1/activities/${h1.id}`, { title: '经网页修改的标题' }, { 'if-match': `"${h1.version}"` });
    expect(patched.status).toBe(200);
    Object.assign(h1, { version: patched.body.version, updatedAt: new Date(patched.body.updatedAt).toISOString() });
    for (const h of [h2, h3]) {
      const res = await organizer.post<{ version: number; updatedAt: string; submittedAt: string }>(`/v1/activities/${h.id}/submit`, undefined, { 'idempotency-key': uniqueId('prg') });
      expect(res.status).toBe(200);
      // Late or not by the rule, from the instant the server registered it at.
      const late = Date.parse(res.body.submittedAt) > REGISTRATION_DEADLINE;
      Object.assign(h, { status: 'registered', version: res.body.version, updatedAt: new Date(res.body.updatedAt).toISOString(), late });
      if (late) caused.add(`${h.org}|registration-late|${h.id}`);
    }
    // Waivers: every fourth flag of this test's units (as the admin, 2021-10-26).
    const { items: flagItems } = await tableFlags();
    const toWaive = flagItems.filter((_f, i) => i % 4 === 0);
    await pool(toWaive, 8, (f) => waiveFlag({ principal: principal('xinxiang-kx', 'admin'), flagId: String(f.flagId), body: { reason: '特殊情况，经审核同意' } }, at('2021-10-26T01:00:00.000Z')));
    // Assess 2
    await expectBoardToMatch('after the sweep, late submits, results, summaries, HTTP changes and waivers');
    const rows = await myRows();
    expect(rows.filter((r) => (r.activities.registeredLate ?? 0) > 0).length).toBeGreaterThan(10);
    expect(rows.filter((r) => (r.activities.resultsLate ?? 0) > 0).length).toBeGreaterThan(3);
    expect(rows.filter((r) => r.summary.late).length).toBe(10);
    expect(rows.filter((r) => r.flags.waived > 0).length).toBeGreaterThan(5);
    expect(rows.slice(-5).every((r) => r.activities.registered === 0 && r.lastChangeAt === null)).toBe(true);

    // Act 3: replay the stream's records of this test's units (its oldest first: INSERTs long superseded), as Lambda would redeliver them.
    const replayed = await streamRecordsOfMyUnits(300);
    process.env.AWS_REGION = info.region;
    process.env.AWS_ACCESS_KEY_ID = credentials.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = credentials.secretAccessKey;
    process.env.AWS_ENDPOINT_URL_DYNAMODB = info.endpoints.dynamodb;
    process.env[envName.table('progress')] = progressTable;
    // The reader's other part (schedules) touches none of these records; it needs its table and a schedules file all the same.
    process.env[envName.table('main')] = mainTable;
    process.env.LOCAL_SCHEDULES_FILE = join(mkdtempSync(join(tmpdir(), 'progress-replay-')), 'campaign-schedules.json');
    process.env.POWERTOOLS_METRICS_DISABLED = 'true';
    process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
    const { handler } = (await import('../../functions/project-changes/handler')) as { handler: (e: DynamoDBStreamEvent, c: typeof context) => Promise<DynamoDBBatchResponse> };
    // Whatever the projector still had in flight (a waiver's version bump changes no count) settles first.
    let totalsBefore = await totalsItems();
    for (let settled = false; !settled; ) {
      await new Promise((r) => setTimeout(r, 1500));
      const again = await totalsItems();
      settled = JSON.stringify(again) === JSON.stringify(totalsBefore);
      totalsBefore = again;
    }
    for (let i = 0; i < replayed.length; i += 100) {
      const answer = await handler({ Records: replayed.slice(i, i + 100) }, context);
      expect(answer.batchItemFailures).toStrictEqual([]);
    }
    // Assess 3: not one totals item moved (not even its `rev`), and the board is as before.
    expect(replayed.length).toBeGreaterThanOrEqual(200);
    expect(await totalsItems()).toStrictEqual(totalsBefore);
    await expectBoardToMatch('after a replay', 5_000);

    // Act 4: corrupt the read model by hand, then rebuild it from the table (the CLI, as an operator would).
    const [u1, u2, u3, u4] = units.slice(1, 5) as [PlannedUnit, PlannedUnit, PlannedUnit, PlannedUnit];
    await doc.send(
      new UpdateCommand({
        TableName: progressTable,
        Key: progressKeys.totals({ campaignId: C, organizationId: u1.organizationId }),
        UpdateExpression: 'SET registered = :n, lastChangeAt = :t',
        ExpressionAttributeValues: { ':n': 999, ':t': '2000-01-01T00:00:00.000Z' },
      }),
    );
    const a2 = planned.find((a) => a.org === u2.organizationId) as PlannedActivity;
    await doc.send(
      new UpdateCommand({
        TableName: progressTable,
        Key: progressKeys.contribution({ campaignId: C, organizationId: u2.organizationId }, `ACT#${a2.id}`),
        UpdateExpression: 'SET draft = :five, registered = :zero',
        ExpressionAttributeValues: { ':five': 5, ':zero': 0 },
      }),
    );
    const a3 = planned.find((a) => a.org === u3.organizationId) as PlannedActivity;
    await doc.send(new DeleteCommand({ TableName: progressTable, Key: progressKeys.contribution({ campaignId: C, organizationId: u3.organizationId }, `ACT#${a3.id}`) }));
    await doc.send(
      new PutCommand({
        TableName: progressTable,
        Item: { ...progressKeys.contribution({ campaignId: C, organizationId: u4.organizationId }, 'ACT#ghost'), kind: 'activity', registered: 1, seq: '0'.repeat(40), ver: 1, sourcePk: 'ACT#ghost', sourceSk: 'A' },
      }),
    );
    expect((await myRows()).find((r) => r.organizationId === u1.organizationId)?.activities.registered).toBe(999);
    const cli = spawnSync(process.execPath, ['--import', 'tsx', '--disable-warning=ExperimentalWarning', 'infra/local/rebuild-progress.ts', C], {
      cwd: process.cwd(),
      env: { ...process.env, SCIDAY_DATA_DIR: process.env.SCIDAY_TEST_DATA_DIR ?? '' },
      encoding: 'utf8',
    });
    // Assess 4
    expect({ status: cli.status, stderr: cli.stderr }).toStrictEqual({ status: 0, stderr: '' });
    const report = JSON.parse(cli.stdout) as { corrected: number; removed: number; totalsReset: number; subjects: number };
    expect(report.corrected).toBeGreaterThanOrEqual(2);
    expect(report.removed).toBeGreaterThanOrEqual(1);
    expect(report.totalsReset).toBeGreaterThanOrEqual(4);
    expect(report.subjects).toBeGreaterThan(ACTIVITIES);
    await expectBoardToMatch('after a rebuild from the table', 5_000);
  });

  it('filters by county and type, pages by organizationId with a cursor of its own', async () => {
    // Act
    const all = (await board()).map((r) => r.organizationId);
    const byType = await board(reviewer, '&type=school');
    const byCounty = await board(reviewer, `&county=${units[1]?.county ?? ''}`);
    const pages: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { status: number; body: ProgressPage } = await reviewer.get<ProgressPage>(`/v1/campaigns/${C}/progress?limit=30${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(res.body.items.length).toBeLessThanOrEqual(30);
      pages.push(...res.body.items.map((r) => r.organizationId));
      cursor = res.body.nextCursor;
    } while (cursor);
    // Assess: every unit once (the definition's and those added at run time), in code-unit order.
    expect(all).toStrictEqual([...all].sort((a, b) => (a < b ? -1 : 1)));
    expect(new Set(all).size).toBe(all.length);
    expect(all.length).toBeGreaterThanOrEqual(campaign.organizations.length + UNITS);
    expect(pages).toStrictEqual(all);
    expect(byType.length).toBeGreaterThan(0);
    expect(byType.every((r) => r.type === 'school')).toBe(true);
    expect(byType.filter((r) => r.organizationId.startsWith(prefix)).length).toBe(units.filter((u) => u.type === 'school').length);
    expect(byCounty.every((r) => r.county === units[1]?.county)).toBe(true);
    expect(byCounty.some((r) => r.organizationId === units[1]?.organizationId)).toBe(true);
  });

  it('refuses organizers (their own unit’s and another’s) and analysts (403), and callers without a token (401)', async () => {
    const as = async (orgId: string, role: string) => client(url, await tokenFor(url, { sub: `u-${role}-${orgId}`, orgId, roles: [role] }));
    const path = `/v1/campaigns/${C}/progress`;
    const own = await (await as(units[0]?.organizationId ?? '', 'organizer')).get(path);
    const other = await (await as('hongqi-kx', 'organizer')).get(path);
    const analyst = await (await as('xinxiang-kx', 'analyst')).get(path);
    const anonymous = await client(url).get(path);
    const admin = await (await as('xinxiang-kx', 'admin')).get(path);
    expect([own.status, other.status, analyst.status, anonymous.status, admin.status]).toStrictEqual([403, 403, 403, 401, 200]);
    expect(own.headers.get('content-type')).toMatch(/application\/problem\+json/);
  });

  it('answers 400 for a cursor it did not issue and for a limit out of 1..100, 422 naming an unknown county or type', async () => {
    const path = `/v1/campaigns/${C}/progress`;
    const first = await reviewer.get<ProgressPage>(`${path}?limit=2`);
    const edited = `${(first.body.nextCursor ?? '').slice(0, -3)}abc`;
    const flagsPage = await reviewer.get<{ nextCursor: string | null }>(`/v1/campaigns/${C}/flags?limit=1`);
    expect((await reviewer.get(`${path}?cursor=${encodeURIComponent(edited)}`)).status).toBe(400);
    if (flagsPage.body.nextCursor) expect((await reviewer.get(`${path}?cursor=${encodeURIComponent(flagsPage.body.nextCursor)}`)).status).toBe(400);
    expect((await reviewer.get(`${path}?cursor=garbage`)).status).toBe(400);
    // Every list of the API answers a limit out of range with 400 (shared/http/request.ts listParams).
    expect((await reviewer.get(`${path}?limit=0`)).status).toBe(400);
    expect((await reviewer.get(`${path}?limit=101`)).status).toBe(400);
    const zh = await reviewer.get<{ errors: Array<{ path: string; code: string; message: string }> }>(`${path}?county=atlantis&type=guild`);
    expect(zh.status).toBe(422);
    expect(zh.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(zh.body.errors.map((e) => [e.path, e.code])).toStrictEqual([
      ['county', 'unknown_county'],
      ['type', 'invalid_option'],
    ]);
    expect(zh.body.errors[0]?.message).toMatch(/不是本次活动的县/);
    const en = await reviewer.get<{ errors: Array<{ message: string }> }>(`${path}?county=atlantis`, { 'accept-language': 'en' });
    expect(en.body.errors[0]?.message).toMatch(/Not a county or district of this campaign/);
  });
});

/** This test's units' totals items, as stored. */
async function totalsItems() {
  // Every shard of the campaign's totals (ADR 0028).
  const pages = await Promise.all(
    progressKeys.totalsShards(C).map((pk) =>
      doc.send(
        new QueryCommand({
          TableName: progressTable,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': pk, ':prefix': `UNIT#${prefix}` },
          ConsistentRead: true,
        }),
      ),
    ),
  );
  return pages.flatMap((page) => page.Items ?? []).sort((a, b) => String(a.sk).localeCompare(String(b.sk)));
}

/** Up to `limit` records of the main table's stream about this test's units, oldest first, as Lambda shapes them. */
async function streamRecordsOfMyUnits(limit: number) {
  const streamArn = info.resources.tables.main?.streamArn ?? '';
  const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
  const found: ReturnType<typeof toLambdaRecord>[] = [];
  for (const shard of StreamDescription?.Shards ?? []) {
    let { ShardIterator } = await streams.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON' }));
    while (ShardIterator && found.length < limit) {
      const page: { Records?: _Record[]; NextShardIterator?: string } = await streams.send(new GetRecordsCommand({ ShardIterator, Limit: 1000 }));
      if ((page.Records ?? []).length === 0) break;
      for (const r of page.Records ?? []) {
        const image = r.dynamodb?.NewImage ?? r.dynamodb?.OldImage;
        const org = image ? unmarshall(image as never).organizationId : undefined;
        if (typeof org === 'string' && org.startsWith(prefix) && found.length < limit) found.push(toLambdaRecord(r, streamArn, info.region));
      }
      ShardIterator = page.NextShardIterator;
    }
  }
  return found;
}

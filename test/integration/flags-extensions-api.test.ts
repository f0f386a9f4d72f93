// Flags, waivers, extensions and the unit inbox through the gateway, on a runtime whose clock
// starts after both milestones of 2021-xinxiang (2021-10-25 09:00 +08:00): every submit is
// `registration-late`, a first work summary `summary-late`, results `results-late`.
//
// The milestone jobs fire for the missed schedules at start-up and may flag the units of the
// campaign definition and write to their inboxes. So each test works on units it adds itself
// (listed after both milestones: no sweep concerns them) and filters by `organizationId`.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { InboxMessage } from '../../shared/domain/inbox';
import { DynamoDbAuditRepository } from '../../shared/repositories/dynamodb-audit-repository';
import { keys, type ItemKey } from '../../shared/repositories/keys';
import type { RuntimeInfo } from '../../infra/local/runtime';
import { spawnRuntime } from '../helpers/global-setup';
import { stopRuntime } from '../helpers/private-runtime';
import { clientsFor, eventually, runtimeInfo, uniqueId, type Clients } from '../helpers/runtime';
import { client, completeActivity, tokenFor, type ApiResponse, type Client } from '../helpers/api';

jest.setTimeout(60_000);

const dataDir = mkdtempSync(join(tmpdir(), 'sciday-flags-'));
const C = '/v1/campaigns/2021-xinxiang';
let runtime: ChildProcess;
let info: RuntimeInfo;
let aws: Clients;
let admin: Client;
let reviewer: Client;
let analyst: Client;

interface FlagView {
  flagId: string;
  code: string;
  campaignId: string;
  organizationId: string;
  activityId?: string;
  milestone: string;
  raisedAt: string;
  lateBySeconds?: number;
  waived: boolean;
  waivedReason?: string;
  waivedAt?: string;
  waivedBy?: string;
}
interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
interface Problem {
  status: number;
  title: string;
  detail?: string;
  errors?: Array<{ path: string; code: string; message: string }>;
}

const as = async (sub: string, orgId: string, ...roles: string[]) => client(info.url, await tokenFor(info.url, { sub, orgId, roles }));

/** A unit added now by the admin, and an organizer of it. */
async function newUnit(): Promise<{ orgId: string; organizer: Client }> {
  const res = await admin.post<{ items: Array<{ organizationId: string }> }>(`${C}/organizations`, { name: uniqueId('督办测试单位'), county: 'hongqi', type: 'society' });
  expect(res.status).toBe(201);
  const orgId = res.body.items[0]?.organizationId ?? '';
  return { orgId, organizer: await as(`org-${orgId}`, orgId, 'organizer') };
}

/** An activity of the organizer's unit that starts after now: submitting it late earns `registration-late` alone. */
const laterActivity = () => ({ ...completeActivity(), startsAt: '2021-11-20T09:00:00+08:00', endsAt: '2021-11-20T11:30:00+08:00' });

async function created(organizer: Client, body: Record<string, unknown> = laterActivity()): Promise<string> {
  const res = await organizer.post<{ activityId: string }>(`${C}/activities`, body);
  expect(res.status).toBe(201);
  return res.body.activityId;
}

async function submitted(organizer: Client, activityId: string): Promise<FlagView[]> {
  const res = await organizer.post<{ flags: FlagView[] }>(`/v1/activities/${activityId}/submit`);
  expect(res.status).toBe(200);
  return res.body.flags;
}

/** Every page of a flag list, following `nextCursor`. */
async function allPages(c: Client, query: string): Promise<Array<Page<FlagView>>> {
  const pages: Array<Page<FlagView>> = [];
  let cursor: string | null = null;
  do {
    const res: ApiResponse<Page<FlagView>> = await c.get<Page<FlagView>>(`${C}/flags?${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(res.status).toBe(200);
    pages.push(res.body);
    cursor = res.body.nextCursor;
  } while (cursor && pages.length < 50);
  return pages;
}

const flagsOf = async (c: Client, query: string) => (await allPages(c, `${query}&limit=100`)).flatMap((p) => p.items);

beforeAll(async () => {
  runtime = await spawnRuntime(dataDir, { SCIDAY_CLOCK: '2021-10-25T09:00:00+08:00' });
  info = runtimeInfo(dataDir);
  aws = clientsFor(info);
  admin = await as('admin-7', 'xinxiang-kx', 'admin');
  reviewer = await as('reviewer-1', 'xinxiang-kx', 'reviewer');
  analyst = await as('analyst-1', 'xinxiang-kx', 'analyst');
});

afterAll(async () => {
  await stopRuntime(runtime, dataDir);
});

describe('API: GET /v1/campaigns/{campaignId}/flags', () => {
  let orgId = '';
  let organizer: Client;
  const ids: Record<'onTimeStart' | 'startedAlready', string> = { onTimeStart: '', startedAlready: '' };

  beforeAll(async () => {
    ({ orgId, organizer } = await newUnit());
    // registration-late alone; then results-late once its news link completes it.
    ids.onTimeStart = await created(organizer);
    expect((await submitted(organizer, ids.onTimeStart)).map((f) => f.code)).toEqual(['registration-late']);
    const results = await organizer.put(`/v1/activities/${ids.onTimeStart}/results`, { actualParticipants: 80, newsLinks: ['https://news.example.cn/kepu/1'] });
    expect(results.status).toBe(200);
    // registration-late and not-published-in-advance (it started on 2021-09-12).
    ids.startedAlready = await created(organizer, completeActivity());
    expect((await submitted(organizer, ids.startedAlready)).map((f) => f.code).sort()).toEqual(['not-published-in-advance', 'registration-late']);
    // summary-late, on the unit.
    const summary = await organizer.put(`${C}/organizations/${orgId}/summary`, { text: '本单位开展科普进社区活动两场，参与群众三百余人次。' });
    expect(summary.status).toBe(200);
  });

  it('lists a unit’s flags oldest first, as API.md shapes them, times in +08:00', async () => {
    // Act
    const flags = await flagsOf(reviewer, `organizationId=${orgId}`);

    // Assess
    expect(flags.map((f) => `${f.code}:${f.activityId ?? '-'}`).sort()).toEqual(
      [
        `not-published-in-advance:${ids.startedAlready}`,
        `registration-late:${ids.onTimeStart}`,
        `registration-late:${ids.startedAlready}`,
        `results-late:${ids.onTimeStart}`,
        'summary-late:-',
      ].sort(),
    );
    const raised = flags.map((f) => `${new Date(f.raisedAt).toISOString()}#${f.flagId}`);
    expect(raised).toEqual([...raised].sort());
    for (const f of flags) {
      expect(f).toMatchObject({ campaignId: '2021-xinxiang', organizationId: orgId, waived: false });
      expect(f.flagId).toMatch(/^[0-9a-f]{32}$/);
      expect(f.raisedAt).toMatch(/^2021-10-25T\d{2}:\d{2}:\d{2}(\.\d+)?\+08:00$/);
      expect(f.lateBySeconds).toBeGreaterThan(0);
      expect(f).not.toHaveProperty('waivedAt');
    }
    // Admins read the same list.
    expect((await flagsOf(admin, `organizationId=${orgId}`)).map((f) => f.flagId)).toEqual(flags.map((f) => f.flagId));
  });

  it.each([
    ['code=registration-late', ['registration-late', 'registration-late']],
    ['code=summary-late', ['summary-late']],
    ['milestone=registration', ['not-published-in-advance', 'registration-late', 'registration-late']],
    ['milestone=completion', ['results-late', 'summary-late']],
    ['waived=false', ['not-published-in-advance', 'registration-late', 'registration-late', 'results-late', 'summary-late']],
    ['waived=true', []],
    ['code=registration-late&milestone=completion', []],
  ])('filters by %s', async (query, codes) => {
    const flags = await flagsOf(reviewer, `organizationId=${orgId}&${query}`);
    expect(flags.map((f) => f.code).sort()).toEqual(codes);
  });

  it('filters the whole campaign by code without a unit', async () => {
    const flags = await flagsOf(reviewer, 'code=results-late');
    expect(flags.length).toBeGreaterThanOrEqual(1);
    expect(flags.every((f) => f.code === 'results-late')).toBe(true);
    expect(flags.filter((f) => f.activityId === ids.onTimeStart)).toHaveLength(1);
  });

  it('pages a filtered list with ?limit and ?cursor: every flag once, in order', async () => {
    // Prepare
    const all = await flagsOf(reviewer, `organizationId=${orgId}`);

    // Act
    const pages = await allPages(reviewer, `organizationId=${orgId}&limit=2`);

    // Assess
    expect(pages.map((p) => p.items.length)).toEqual([2, 2, 1]);
    expect(pages.at(-1)?.nextCursor).toBeNull();
    expect(pages.flatMap((p) => p.items.map((f) => f.flagId))).toEqual(all.map((f) => f.flagId));
  });

  it('pages the unfiltered list one flag at a time', async () => {
    const first = await reviewer.get<Page<FlagView>>(`${C}/flags?limit=1`);
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(1);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await reviewer.get<Page<FlagView>>(`${C}/flags?limit=1&cursor=${encodeURIComponent(first.body.nextCursor ?? '')}`);
    expect(second.body.items).toHaveLength(1);
    expect(second.body.items[0]?.flagId).not.toBe(first.body.items[0]?.flagId);
  });

  it.each([
    ['code=late', 'code'],
    ['milestone=summary', 'milestone'],
    ['waived=yes', 'waived'],
    ['organizationId=%E7%BA%A2%E6%97%97', 'organizationId'],
    ['limit=0', 'limit'],
    ['cursor=garbage', 'cursor'],
  ])('answers 400 problem+json naming the parameter for ?%s', async (query, name) => {
    const res = await reviewer.get<Problem>(`${C}/flags?${query}`, { 'accept-language': 'en' });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body.title).toBe('Bad request parameters');
    expect(res.body.detail).toContain(name);
  });

  it('refuses a cursor of another list', async () => {
    const other = await reviewer.get<Page<FlagView>>(`${C}/flags?organizationId=${orgId}&limit=1`);
    const inbox = await admin.get<Page<unknown>>(`${C}/organizations/${orgId}/inbox?cursor=${encodeURIComponent(other.body.nextCursor ?? '')}`);
    expect(inbox.status).toBe(400);
  });

  it('is for reviewers and admins: organizers and analysts get 403, an unknown campaign 404', async () => {
    expect((await organizer.get(`${C}/flags?organizationId=${orgId}`)).status).toBe(403);
    expect((await analyst.get(`${C}/flags`)).status).toBe(403);
    expect((await reviewer.get('/v1/campaigns/1999-nowhere/flags')).status).toBe(404);
    expect((await client(info.url).get(`${C}/flags`)).status).toBe(401);
  });
});

describe('API: POST /v1/flags/{flagId}/waive', () => {
  const reason = '该活动因疫情防控要求延后发布，经核实同意豁免。';
  let orgId = '';
  let organizer: Client;
  let activityId = '';
  let flags: FlagView[] = [];

  const flaggedActivities = async () =>
    (await reviewer.get<Page<{ activityId: string }>>(`${C}/activities?flagged=true&organizationId=${orgId}&limit=100`)).body.items.map((a) => a.activityId);

  beforeAll(async () => {
    ({ orgId, organizer } = await newUnit());
    activityId = await created(organizer, completeActivity());
    flags = await submitted(organizer, activityId);
    expect(flags).toHaveLength(2);
  });

  it('refuses everyone but admins (403), and an unknown flag is 404, a short reason 422', async () => {
    const [flag] = flags;
    for (const c of [reviewer, organizer, analyst]) {
      expect((await c.post(`/v1/flags/${flag?.flagId}/waive`, { reason })).status).toBe(403);
    }
    const missing = await admin.post<Problem>(`/v1/flags/${'0'.repeat(32)}/waive`, { reason });
    expect(missing.status).toBe(404);
    expect(missing.body.title).toBe('未找到该资源');
    const short = await admin.post<Problem>(`/v1/flags/${flag?.flagId}/waive`, { reason: '同意' });
    expect(short.status).toBe(422);
    expect(short.body.errors?.map((e) => [e.path, e.code])).toEqual([['reason', 'too_short']]);
    const extra = await admin.post<Problem>(`/v1/flags/${flag?.flagId}/waive`, { reason, waivedBy: 'someone' });
    expect(extra.body.errors?.map((e) => [e.path, e.code])).toEqual([['waivedBy', 'unrecognized_key']]);
    expect((await flagsOf(reviewer, `organizationId=${orgId}&waived=true`))).toEqual([]);
  });

  it('waives once (200, then 409 flag_already_waived); the activity stays flagged until its last open flag is waived', async () => {
    // Prepare
    const [first, second] = flags as [FlagView, FlagView];
    const before = await organizer.get(`/v1/activities/${activityId}`);
    expect(before.headers.get('etag')).toBe('"2"');
    expect(await flaggedActivities()).toEqual([activityId]);

    // Act
    const waived = await admin.post<FlagView>(`/v1/flags/${first.flagId}/waive`, { reason });
    const again = await admin.post<Problem>(`/v1/flags/${first.flagId}/waive`, { reason }, { 'accept-language': 'en' });

    // Assess
    expect(waived.status).toBe(200);
    expect(waived.body).toMatchObject({ ...first, waived: true, waivedReason: reason, waivedBy: 'admin-7' });
    expect(waived.body.waivedAt).toMatch(/^2021-10-25T\d{2}:\d{2}:\d{2}(\.\d+)?\+08:00$/);
    expect(again.status).toBe(409);
    expect(again.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(again.body.errors).toEqual([{ path: 'flagId', code: 'flag_already_waived', message: `This flag is already waived: ${first.flagId}` }]);
    // One flag still open: still flagged.
    expect(await flaggedActivities()).toEqual([activityId]);
    const listed = await flagsOf(reviewer, `organizationId=${orgId}&waived=true`);
    expect(listed).toEqual([waived.body]);

    // The activity shows the waiver, at a new version: a PATCH based on the old read is 412.
    const after = await organizer.get<{ flags: FlagView[] }>(`/v1/activities/${activityId}`);
    expect(after.headers.get('etag')).toBe('"3"');
    expect(after.body.flags.find((f) => f.flagId === first.flagId)).toMatchObject({ waived: true, waivedReason: reason });
    const stale = await organizer.patch(`/v1/activities/${activityId}`, { description: '改一改' }, { 'if-match': '"2"' });
    expect(stale.status).toBe(412);
    expect(stale.headers.get('etag')).toBe('"3"');

    // The last open flag waived: `?flagged=true` no longer lists it, and a later PATCH keeps it so.
    expect((await admin.post(`/v1/flags/${second.flagId}/waive`, { reason })).status).toBe(200);
    expect(await flaggedActivities()).toEqual([]);
    expect((await organizer.patch(`/v1/activities/${activityId}`, { description: '改一改' }, { 'if-match': '"4"' })).status).toBe(200);
    expect(await flaggedActivities()).toEqual([]);
    expect((await flagsOf(reviewer, `organizationId=${orgId}&waived=false`))).toEqual([]);
  });

  it('is audited: the flag’s trail names the admin and the reason; the activity’s history has no count bookkeeping', async () => {
    const [first] = flags as [FlagView];
    const audit = new DynamoDbAuditRepository({ client: aws.doc, tableName: info.resources.tables.audit?.name ?? '' });
    const subject: ItemKey = keys.activityFlag(activityId, first.milestone, first.code);
    const entry = await eventually(async () => (await audit.trail(subject)).find((e) => e.action === 'updated'), 15_000, 'the waiver’s audit entry');
    expect(entry).toMatchObject({ entity: 'Flag', actor: 'admin-7' });
    expect(entry.changes).toContainEqual({ path: 'waivedReason', new: reason });
    const history = await eventually(async () => {
      const h = await organizer.get<{ items: Array<{ action: string; changes: Array<{ path: string }> }> }>(`/v1/activities/${activityId}/history`);
      // created, submitted, the PATCH after the waivers
      return h.body.items.length >= 3 ? h.body.items : undefined;
    });
    expect(history.filter((e) => e.changes.every((c) => c.path === 'version'))).toEqual([]);
  });
});

describe('API: concurrent waivers of one flag', () => {
  it('waive it once: one 200, the others 409, the activity’s count and version moved once', async () => {
    // Prepare
    const { orgId, organizer } = await newUnit();
    const activityId = await created(organizer);
    const [flag] = await submitted(organizer, activityId);

    // Act
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, i) => admin.post<Problem>(`/v1/flags/${flag?.flagId}/waive`, { reason: `并发豁免测试，第 ${i + 1} 次` })),
    );

    // Assess
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409, 409, 409, 409, 409]);
    const activity = await organizer.get(`/v1/activities/${activityId}`);
    expect(activity.headers.get('etag')).toBe('"3"');
    const flagged = await reviewer.get<Page<unknown>>(`${C}/activities?flagged=true&organizationId=${orgId}`);
    expect(flagged.body.items).toEqual([]);
    const stored = await aws.doc.send(
      new QueryCommand({ TableName: info.resources.tables.main?.name, KeyConditionExpression: 'pk = :pk AND sk = :sk', ExpressionAttributeValues: { ':pk': `ACT#${activityId}`, ':sk': 'A' } }),
    );
    expect(stored.Items?.[0]?.openFlags).toBe(0);
  });
});

describe('API: POST /v1/campaigns/{campaignId}/extensions', () => {
  const reason = '受台风影响停电三天，经研究同意延期登记。';
  const until = '2021-10-31T23:59:59+08:00';

  it('grants 201; a submit before `until` then raises no registration-late', async () => {
    // Prepare
    const { orgId, organizer } = await newUnit();
    const lateId = await created(organizer);
    expect((await submitted(organizer, lateId)).map((f) => f.code)).toEqual(['registration-late']);

    // Act
    const res = await admin.post<Record<string, string>>(`${C}/extensions`, { organizationId: orgId, milestone: 'registration', until, reason });

    // Assess
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      extensionId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      campaignId: '2021-xinxiang',
      organizationId: orgId,
      milestone: 'registration',
      until,
      reason,
      grantedBy: 'admin-7',
      grantedAt: expect.stringMatching(/^2021-10-25T\d{2}:\d{2}:\d{2}(\.\d+)?\+08:00$/),
    });
    const onTimeId = await created(organizer);
    expect(await submitted(organizer, onTimeId)).toEqual([]);
    // Flags raised before the grant stay (an admin waives them).
    expect((await flagsOf(reviewer, `organizationId=${orgId}`)).map((f) => f.activityId)).toEqual([lateId]);

    // Audited: the entry names the admin and carries the reason.
    const audit = new DynamoDbAuditRepository({ client: aws.doc, tableName: info.resources.tables.audit?.name ?? '' });
    const subject = keys.extension('2021-xinxiang', orgId, new Date(res.body.grantedAt ?? '').toISOString(), res.body.extensionId ?? '');
    const entry = await eventually(async () => (await audit.trail(subject))[0], 15_000, 'the extension’s audit entry');
    expect(entry).toMatchObject({ entity: 'Extension', action: 'created', actor: 'admin-7' });
    expect(entry.changes).toContainEqual({ path: 'reason', new: reason });
    expect(entry.changes).toContainEqual({ path: 'grantedBy', new: 'admin-7' });
  });

  it('extends only the named activity when activityId is given', async () => {
    const { orgId, organizer } = await newUnit();
    const [extended, other] = [await created(organizer), await created(organizer)];
    const res = await admin.post(`${C}/extensions`, { organizationId: orgId, activityId: extended, milestone: 'registration', until, reason });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ activityId: extended });
    expect(await submitted(organizer, extended)).toEqual([]);
    expect((await submitted(organizer, other)).map((f) => f.code)).toEqual(['registration-late']);
  });

  it('answers 422 for a unit not in the campaign or an activity not of that unit', async () => {
    const { orgId } = await newUnit();
    const { organizer: otherOrganizer } = await newUnit();
    const othersActivity = await created(otherOrganizer);
    const base = { organizationId: orgId, milestone: 'registration', until, reason };

    const unit = await admin.post<Problem>(`${C}/extensions`, { ...base, organizationId: 'no-such-unit' });
    expect(unit.status).toBe(422);
    expect(unit.body.errors?.map((e) => [e.path, e.code])).toEqual([['organizationId', 'unknown_organization']]);
    expect(unit.body.errors?.[0]?.message).toBe('本次活动没有这个组织单位：no-such-unit');
    for (const activityId of [othersActivity, 'no-such-activity']) {
      const activity = await admin.post<Problem>(`${C}/extensions`, { ...base, activityId });
      expect(activity.status).toBe(422);
      expect(activity.body.errors?.map((e) => [e.path, e.code])).toEqual([['activityId', 'unknown_activity']]);
    }
    const early = await admin.post<Problem>(`${C}/extensions`, { ...base, until: '2021-09-20T00:00:00+08:00', extensionId: 'mine' });
    expect(early.status).toBe(422);
    expect(early.body.errors?.map((e) => [e.path, e.code]).sort()).toEqual([
      ['extensionId', 'unrecognized_key'],
      ['until', 'until_not_after_deadline'],
    ]);
    // Nothing was stored for the unit.
    const stored = await aws.doc.send(
      new QueryCommand({ TableName: info.resources.tables.main?.name, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.extensionsOfOrganization('2021-xinxiang', orgId) } }),
    );
    expect(stored.Items).toEqual([]);
  });

  it('is for admins only (403)', async () => {
    const { orgId, organizer } = await newUnit();
    const body = { organizationId: orgId, milestone: 'registration', until, reason };
    for (const c of [reviewer, organizer, analyst]) expect((await c.post(`${C}/extensions`, body)).status).toBe(403);
    expect(await submitted(organizer, await created(organizer))).toHaveLength(1);
  });

  it('replays an Idempotency-Key: the same extension once; another body with it is 422', async () => {
    // Prepare
    const { orgId } = await newUnit();
    const body = { organizationId: orgId, milestone: 'completion', until: '2021-11-05T23:59:59+08:00', reason };
    const key = { 'idempotency-key': uniqueId('grant') };

    // Act
    const first = await admin.post<{ extensionId: string }>(`${C}/extensions`, body, key);
    const replay = await admin.post<{ extensionId: string }>(`${C}/extensions`, body, key);
    const reused = await admin.post<Problem>(`${C}/extensions`, { ...body, reason: `${reason}（补充）` }, key);

    // Assess
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body).toEqual(first.body);
    expect(reused.status).toBe(422);
    const stored = await aws.doc.send(
      new QueryCommand({ TableName: info.resources.tables.main?.name, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.extensionsOfOrganization('2021-xinxiang', orgId) } }),
    );
    expect(stored.Items?.map((i) => i.extensionId)).toEqual([first.body.extensionId]);
  });
});

describe('API: GET /v1/campaigns/{campaignId}/organizations/{orgId}/inbox', () => {
  let orgId = '';
  let organizer: Client;
  /** Written as the milestone sweep writes them, about instants after any reminder of the campaign. */
  const ats = ['2021-12-01T01:00:00.000Z', '2021-12-03T01:00:00.000Z', '2021-12-02T01:00:00.000Z'];

  const message = (at: string, n: number): InboxMessage => ({
    messageId: `msg-${n}-${orgId}`,
    campaignId: '2021-xinxiang',
    organizationId: orgId,
    kind: 'reminder',
    milestone: 'completion',
    scheduleId: `test-schedule-${n}`,
    title: { zh: `【测试】提醒 ${n}`, en: `[Test] reminder ${n}` },
    text: { zh: '工作总结尚未提交。', en: 'The work summary is not submitted.' },
    gaps: { summaryMissing: true },
    at,
    createdAt: new Date(Date.parse(at) + 2000).toISOString(),
    ...(n === 1 ? { webhook: 'sent' as const } : {}),
  });

  beforeAll(async () => {
    ({ orgId, organizer } = await newUnit());
    for (const [n, at] of ats.entries()) {
      const m = message(at, n);
      await aws.doc.send(
        new PutCommand({
          TableName: info.resources.tables.main?.name,
          Item: { ...keys.inboxMessage(m.campaignId, m.organizationId, m.at, m.messageId), entity: 'InboxMessage', ...m },
        }),
      );
    }
  });

  it('answers the unit’s organizer newest first, times in +08:00, and pages', async () => {
    // Act
    const first = await organizer.get<Page<Record<string, unknown>>>(`${C}/organizations/${orgId}/inbox?limit=2`);
    const second = await organizer.get<Page<Record<string, unknown>>>(`${C}/organizations/${orgId}/inbox?limit=2&cursor=${encodeURIComponent(first.body.nextCursor ?? '')}`);

    // Assess
    expect(first.status).toBe(200);
    expect(first.body.items.map((m) => m.at)).toEqual(['2021-12-03T09:00:00+08:00', '2021-12-02T09:00:00+08:00']);
    expect(first.body.items[0]).toEqual({
      messageId: `msg-1-${orgId}`,
      campaignId: '2021-xinxiang',
      organizationId: orgId,
      kind: 'reminder',
      milestone: 'completion',
      scheduleId: 'test-schedule-1',
      title: { zh: '【测试】提醒 1', en: '[Test] reminder 1' },
      text: { zh: '工作总结尚未提交。', en: 'The work summary is not submitted.' },
      gaps: { summaryMissing: true },
      at: '2021-12-03T09:00:00+08:00',
      createdAt: '2021-12-03T09:00:02+08:00',
      webhook: 'sent',
    });
    expect(second.status).toBe(200);
    expect(second.body.items[0]).toMatchObject({ messageId: `msg-0-${orgId}`, at: '2021-12-01T09:00:00+08:00' });
    // Whatever else the milestone jobs wrote comes after, still newest first, each message once.
    const rest: Array<Record<string, unknown>> = [];
    let cursor = second.body.nextCursor;
    while (cursor) {
      const page: ApiResponse<Page<Record<string, unknown>>> = await organizer.get(`${C}/organizations/${orgId}/inbox?limit=2&cursor=${encodeURIComponent(cursor)}`);
      rest.push(...page.body.items);
      cursor = page.body.nextCursor;
    }
    const all = [...first.body.items, ...second.body.items, ...rest];
    const instants = all.map((m) => Date.parse(String(m.at)));
    expect(instants).toEqual([...instants].sort((a, b) => b - a));
    expect(new Set(all.map((m) => m.messageId)).size).toBe(all.length);
  });

  it('answers admins; another unit’s organizer 404 as for a missing unit; reviewers and analysts 403', async () => {
    const admins = await admin.get<Page<{ messageId: string }>>(`${C}/organizations/${orgId}/inbox`);
    expect(admins.status).toBe(200);
    expect(admins.body.items.slice(0, 3).map((m) => m.messageId)).toEqual([`msg-1-${orgId}`, `msg-2-${orgId}`, `msg-0-${orgId}`]);

    const { organizer: intruder } = await newUnit();
    const other = await intruder.get<Problem>(`${C}/organizations/${orgId}/inbox`);
    const missing = await intruder.get<Problem>(`${C}/organizations/no-such-unit/inbox`);
    expect(other.status).toBe(404);
    expect(other.body).toEqual({ ...missing.body, detail: other.body.detail });
    expect(other.text).not.toContain('提醒');
    expect((await admin.get(`${C}/organizations/no-such-unit/inbox`)).status).toBe(404);
    expect((await reviewer.get(`${C}/organizations/${orgId}/inbox`)).status).toBe(403);
    expect((await analyst.get(`${C}/organizations/${orgId}/inbox`)).status).toBe(403);
    expect((await organizer.get(`${C}/organizations/${orgId}/inbox?limit=101`)).status).toBe(400);
  });
});

// Campaigns at run time (issue 15, ADR 0023/0024), through the local runtime as the association
// would: the 2022 campaign is copied from 2021, edited, published, its deadlines moved, its
// milestones fired by moving the clock, and 2021's data stays exactly as it was. A second city's
// campaign runs beside it and nothing crosses between them.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDbAuditRepository } from '../../shared/repositories/dynamodb-audit-repository';
import { campaignKey } from '../../shared/repositories/campaign-repository';
import { xinxiang2021 } from '../../shared/campaigns/2021-xinxiang';
import { copyDefinition } from '../../shared/use-cases/create-campaign';
import { stopRuntime, spawnRuntimeKeepingUnits } from '../helpers/private-runtime';
import { clientsFor, eventually, runtimeInfo } from '../helpers/runtime';
import { client, completeActivity, tokenFor, type Caller, type Client } from '../helpers/api';

/** Units kept of the seed campaign's 130: the clock moves fan out one job per unit (test/helpers/private-runtime.ts). */
const UNITS = 50;

jest.setTimeout(240_000);

const dataDir = mkdtempSync(join(tmpdir(), 'sciday-campaigns-'));
let runtime: ChildProcess;
let url: string;

const callers = {
  admin: { sub: 'admin-xx', orgId: 'city-kx', roles: ['admin'] },
  reviewer: { sub: 'reviewer-xx', orgId: 'city-kx', roles: ['reviewer'] },
  organizer: { sub: 'org-hq', orgId: 'hongqi-kx', roles: ['organizer'] },
  anyangAdmin: { sub: 'admin-ay', orgId: 'city-kx', roles: ['admin'], city: 'anyang' },
  anyangOrganizer: { sub: 'org-ay', orgId: 'hongqi-kx', roles: ['organizer'], city: 'anyang' },
} satisfies Record<string, Caller>;
type Who = keyof typeof callers;

/** A client with a fresh token (tokens live in wall-clock time, so one per call is cheap and safe). */
const as = async (who: Who): Promise<Client> => client(url, await tokenFor(url, callers[who]));

async function setClock(now: string): Promise<Array<{ scheduleId: string }>> {
  const res = await fetch(`${url}/local/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ now }) });
  expect(res.status).toBe(200);
  return ((await res.json()) as { fired: Array<{ scheduleId: string }> }).fired;
}

interface LocalSchedule {
  id: string;
  at?: string;
}
async function schedulesOf(campaignId: string): Promise<LocalSchedule[]> {
  const res = await fetch(`${url}/local/schedules`);
  expect(res.status).toBe(200);
  const body = (await res.json()) as { schedules: LocalSchedule[] };
  return body.schedules.filter((s) => s.id.includes(`.${campaignId}.`) || s.id.endsWith(`.${campaignId}`));
}
const registrationAt = async (campaignId: string) =>
  (await schedulesOf(campaignId)).find((s) => s.id.endsWith(`${campaignId}.registration`))?.at;

/** Everything of a campaign a unit, a reviewer or an analyst would read: to compare before and after. */
async function snapshot2021() {
  const admin = await as('admin');
  const read = async (path: string) => {
    const res = await admin.get(path);
    expect(res.status).toBe(200);
    return res.body;
  };
  const progress = (await read('/v1/campaigns/2021-xinxiang/progress?limit=100')) as { items: unknown[]; asOf?: string };
  const { asOf: _asOf, ...progressItems } = progress;
  return {
    activities: await read('/v1/campaigns/2021-xinxiang/activities?limit=100'),
    flags: await read('/v1/campaigns/2021-xinxiang/flags?limit=100'),
    progress: progressItems,
  };
}

const activity2022 = () => ({
  ...completeActivity(),
  startsAt: '2022-09-20T09:00:00+08:00',
  endsAt: '2022-09-20T11:00:00+08:00',
});

beforeAll(async () => {
  // After 2021's milestones fired and settled: 2021's data is then final.
  runtime = await spawnRuntimeKeepingUnits(UNITS, dataDir, { SCIDAY_CLOCK: '2021-09-20T09:00:00+08:00' });
  url = runtimeInfo(dataDir).url;
});

afterAll(async () => {
  if (runtime) await stopRuntime(runtime, dataDir);
});

describe('The 2022 campaign, made by the association through the API', () => {
  let before2021: Awaited<ReturnType<typeof snapshot2021>>;
  let version: string;

  it('2021 is stored as seed data: listed, published, with its schedules', async () => {
    const list = await (await as('organizer')).get<{ items: Array<{ campaignId: string; status: string }> }>('/v1/campaigns');
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([expect.objectContaining({ campaignId: '2021-xinxiang', status: 'published' })]);
    expect(await eventually(() => registrationAt('2021-xinxiang'), 20_000, '2021 schedules')).toBeDefined();
    // 2021 data: one registered activity, one draft; then its milestones fire.
    const organizer = await as('organizer');
    const a = await organizer.post<{ id: string }>('/v1/campaigns/2021-xinxiang/activities', completeActivity());
    expect(a.status).toBe(201);
    expect((await organizer.post(`/v1/activities/${a.body.id}/submit`, undefined, { 'if-match': '"1"' })).status).toBe(200);
    expect((await organizer.post('/v1/campaigns/2021-xinxiang/activities', completeActivity())).status).toBe(201);
    const fired = await setClock('2021-11-01T09:00:00+08:00');
    expect(fired.map((f) => f.scheduleId)).toEqual(expect.arrayContaining([expect.stringContaining('2021-xinxiang.registration'), expect.stringContaining('2021-xinxiang.completion')]));
    before2021 = await eventually(async () => {
      const s = await snapshot2021();
      return (s.flags as { items: unknown[] }).items.length > 0 ? s : undefined;
    });
  });

  it('copies 2021 into a 2022 draft: dates a year on, units carried over, invisible to units until published', async () => {
    const admin = await as('admin');
    const copy = await admin.post<{ status: string; version: number; copiedFrom: string; definition: typeof xinxiang2021 }>(
      '/v1/campaigns',
      { copyFrom: '2021-xinxiang', id: '2022-xinxiang' },
      { 'idempotency-key': 'copy-2022-xinxiang' },
    );
    expect(copy.status).toBe(201);
    expect(copy.headers.get('location')).toBe('/v1/campaigns/2022-xinxiang/definition');
    expect(copy.body).toMatchObject({ status: 'draft', version: 1, copiedFrom: '2021-xinxiang' });
    const d = copy.body.definition;
    expect(d.year).toBe(2022);
    expect(d.milestones.map((m) => [m.id, m.dueDate])).toEqual([
      ['registration', '2022-09-24'],
      ['completion', '2022-10-22'],
    ]);
    expect(d.period).toEqual({ start: '2022-09-11', end: '2022-09-17' });
    expect(d.name.zh).toBe('2022年新乡市全国科普日活动');
    expect(d.organizations).toHaveLength(UNITS); // the stored 2021 campaign's units
    // The same request again (a retry) replays the first answer.
    const again = await admin.post('/v1/campaigns', { copyFrom: '2021-xinxiang', id: '2022-xinxiang' }, { 'idempotency-key': 'copy-2022-xinxiang' });
    expect(again.status).toBe(201);
    // Another request for the same id: 409.
    expect((await admin.post('/v1/campaigns', { copyFrom: '2021-xinxiang', id: '2022-xinxiang' })).status).toBe(409);
    // A draft is the admins' alone.
    expect((await (await as('organizer')).get('/v1/campaigns/2022-xinxiang')).status).toBe(404);
    expect((await client(url).get('/v1/campaigns/2022-xinxiang')).status).toBe(404);
    expect((await (await as('organizer')).post('/v1/campaigns/2022-xinxiang/activities', activity2022())).status).toBe(404);
    expect((await (await as('organizer')).get<{ items: unknown[] }>('/v1/campaigns')).body.items).toHaveLength(1);
    version = copy.headers.get('etag')!;
  });

  it('edits the draft: the theme 「喜迎二十大，科普新征程」, with If-Match, errors per field in zh and en', async () => {
    const admin = await as('admin');
    const bad = await admin.patch<{ errors: Array<{ path: string; code: string; message: string }> }>(
      '/v1/campaigns/2022-xinxiang/definition',
      { indicators: [], milestones: [{ id: 'registration', name: { zh: '登记', en: 'Registration' }, dueDate: '2023-01-01', source: 'x' }] },
      { 'if-match': version, 'accept-language': 'en' },
    );
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e) => e.path)).toEqual(expect.arrayContaining(['indicators', 'milestones']));
    expect(bad.body.errors.every((e) => e.message.length > 0 && !e.message.includes('{'))).toBe(true);
    const zh = await admin.patch<{ errors: Array<{ message: string }> }>('/v1/campaigns/2022-xinxiang/definition', { timeZone: 'Mars/Olympus' }, { 'if-match': version });
    expect(zh.status).toBe(422);
    expect(zh.body.errors[0]!.message).toContain('时区');
    expect((await admin.patch('/v1/campaigns/2022-xinxiang/definition', { theme: { zh: 'x', en: 'x' } })).status).toBe(428);
    const theme = { zh: '喜迎二十大，科普新征程', en: 'Welcoming the 20th Party Congress: a new journey for science popularization' };
    const ok = await admin.patch<{ version: number; definition: { theme: unknown } }>('/v1/campaigns/2022-xinxiang/definition', { theme }, { 'if-match': version });
    expect(ok.status).toBe(200);
    expect(ok.body.definition.theme).toEqual(theme);
    expect(ok.body.version).toBe(2);
    // The version it replaced is stale now.
    expect((await admin.patch('/v1/campaigns/2022-xinxiang/definition', { theme }, { 'if-match': version })).status).toBe(412);
    // A reviewer or an organizer manages nothing.
    expect((await (await as('reviewer')).patch('/v1/campaigns/2022-xinxiang/definition', { theme }, { 'if-match': '"2"' })).status).toBe(403);
    expect((await (await as('organizer')).post('/v1/campaigns/2022-xinxiang/publish', {})).status).toBe(403);
  });

  it('publishes it: units see it, its schedules are made, every change is in the audit trail', async () => {
    const admin = await as('admin');
    const published = await admin.post<{ status: string }>('/v1/campaigns/2022-xinxiang/publish', { reason: '市科协党组会议通过' });
    expect(published.status).toBe(200);
    expect(published.body.status).toBe('published');
    expect((await admin.post('/v1/campaigns/2022-xinxiang/publish', {})).status).toBe(200);
    const pub = await client(url).get<{ theme: { zh: string }; status: string }>('/v1/campaigns/2022-xinxiang');
    expect(pub.status).toBe(200);
    expect(pub.body.theme.zh).toBe('喜迎二十大，科普新征程');
    const at = await eventually(() => registrationAt('2022-xinxiang'), 20_000, '2022 schedules');
    expect(new Date(at).toISOString()).toBe('2022-09-24T16:00:00.000Z');
    const organizer = await as('organizer');
    const created = await organizer.post<{ id: string }>('/v1/campaigns/2022-xinxiang/activities', activity2022());
    expect(created.status).toBe(201);

    const info = runtimeInfo(dataDir);
    const audit = new DynamoDbAuditRepository({ client: clientsFor(info).doc, tableName: info.resources.tables.audit!.name });
    const trail = await eventually(async () => {
      const t = await audit.trail(campaignKey('2022-xinxiang'));
      return t.length >= 3 ? t : undefined;
    });
    expect(trail.map((e) => [e.action, e.actor])).toEqual([
      ['created', 'admin-xx'],
      ['updated', 'admin-xx'],
      ['updated', 'admin-xx'],
    ]);
    expect(trail[1]!.changes).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'definition.theme.zh', new: '喜迎二十大，科普新征程' })]));
    expect(trail[2]!.changes).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'reason', new: '市科协党组会议通过' })]));
  });

  it('moves a deadline that has not passed (the schedule follows); refuses one that has', async () => {
    const admin = await as('admin');
    const noReason = await admin.put('/v1/campaigns/2022-xinxiang/milestones/registration', { dueDate: '2022-09-26' });
    expect(noReason.status).toBe(422);
    expect((await admin.put('/v1/campaigns/2022-xinxiang/milestones/opening', { dueDate: '2022-09-26', reason: 'x' })).status).toBe(404);
    const after = await admin.put<{ errors: Array<{ code: string }> }>('/v1/campaigns/2022-xinxiang/milestones/registration', { dueDate: '2022-10-30', reason: '晚于信息完善' });
    expect(after.status).toBe(422);
    expect(after.body.errors[0]!.code).toBe('registration_after_completion');
    const moved = await admin.put<{ definition: { milestones: Array<{ id: string; dueDate: string }> }; reason: string }>(
      '/v1/campaigns/2022-xinxiang/milestones/registration',
      { dueDate: '2022-09-26', reason: '中秋假期顺延两天' },
    );
    expect(moved.status).toBe(200);
    expect(moved.body.reason).toBe('中秋假期顺延两天');
    expect(moved.body.definition.milestones.find((m) => m.id === 'registration')!.dueDate).toBe('2022-09-26');
    await eventually(async () => ((await registrationAt('2022-xinxiang')) && new Date((await registrationAt('2022-xinxiang'))!).toISOString() === '2022-09-26T16:00:00.000Z' ? true : undefined), 20_000, 'the moved schedule');

    // Through the old deadline: nothing fires; through the new one: the 2022 milestone fires, and only 2022's flags come.
    const firedOld = await setClock('2022-09-25T12:00:00+08:00');
    // Its reminders moved with it (3 and 1 days before the 26th, at 09:00); the milestone itself did not fire.
    expect(firedOld.map((f) => f.scheduleId).filter((id) => id.includes('2022-xinxiang.registration'))).toEqual([
      'start-reminders.2022-xinxiang.registration.remind-3d',
      'start-reminders.2022-xinxiang.registration.remind-1d',
    ]);
    const fired = await setClock('2022-09-27T09:00:00+08:00');
    expect(fired.map((f) => f.scheduleId)).toEqual(expect.arrayContaining([expect.stringMatching(/2022-xinxiang\.registration$/)]));
    const reviewer = await as('reviewer');
    const flags = await eventually(async () => {
      const res = await reviewer.get<{ items: Array<{ code: string; organizationId: string }> }>('/v1/campaigns/2022-xinxiang/flags?limit=100');
      return res.body.items.some((f) => f.code === 'registration-overdue') ? res.body.items : undefined;
    });
    expect(flags).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'registration-overdue', organizationId: 'hongqi-kx' })]));
    const passed = await admin.put<{ errors: Array<{ code: string; message: string }> }>('/v1/campaigns/2022-xinxiang/milestones/registration', { dueDate: '2022-09-30', reason: '再延' });
    expect(passed.status).toBe(422);
    expect(passed.body.errors[0]!.code).toBe('milestone_passed');
    // 2021 is untouched by all of it.
    expect(await snapshot2021()).toEqual(before2021);
  });

  it('closes 2021: readable, exportable, nothing in it changes', async () => {
    const admin = await as('admin');
    const closed = await admin.post<{ status: string }>('/v1/campaigns/2021-xinxiang/close', { reason: '2021 年度工作结束' });
    expect(closed.status).toBe(200);
    expect(closed.body.status).toBe('closed');
    const organizer = await as('organizer');
    const listed = await organizer.get<{ items: Array<{ id: string; version: number }> }>('/v1/campaigns/2021-xinxiang/activities');
    expect(listed.status).toBe(200);
    const one = listed.body.items[0]!;
    const change = await organizer.patch<{ type: string }>(`/v1/activities/${one.id}`, { title: '改' }, { 'if-match': `"${one.version}"` });
    expect(change.status).toBe(409);
    expect(change.body.type).toContain('campaign_closed');
    expect((await organizer.post('/v1/campaigns/2021-xinxiang/activities', completeActivity())).status).toBe(409);
    expect((await admin.post('/v1/campaigns/2021-xinxiang/publish', {})).status).toBe(409);
    expect((await admin.post('/v1/campaigns/2021-xinxiang/exports', { format: 'csv' })).status).toBe(202);
    await eventually(async () => ((await schedulesOf('2021-xinxiang')).length === 0 ? true : undefined), 20_000, '2021 schedules removed');
    // The web app now opens 2022: no configuration changed.
    expect(await (await fetch(`${url}/config.json`)).json()).toEqual({ mode: 'local', campaignId: '2022-xinxiang' });
  });
});

describe('Two cities side by side', () => {
  it('an Anyang admin makes Anyang’s 2022 campaign; neither city sees or touches the other’s', async () => {
    const anyang = {
      ...copyDefinition({ ...xinxiang2021, cityId: 'anyang' } as never, '2022-anyang', 2022, xinxiang2021.organizations),
      city: { zh: '安阳市', en: 'Anyang' },
      name: { zh: '2022年安阳市全国科普日活动', en: '2022 National Science Popularization Day in Anyang' },
    };
    const xinxiangAdmin = await as('admin');
    const anyangAdmin = await as('anyangAdmin');
    const wrongCity = await xinxiangAdmin.post<{ errors: Array<{ path: string; code: string }> }>('/v1/campaigns', anyang);
    expect(wrongCity.status).toBe(422);
    expect(wrongCity.body.errors).toEqual([expect.objectContaining({ path: 'cityId', code: 'city_not_yours' })]);
    expect((await anyangAdmin.post('/v1/campaigns', anyang)).status).toBe(201);
    expect((await anyangAdmin.post('/v1/campaigns/2022-anyang/publish', {})).status).toBe(200);

    // Each city lists its own.
    const ids = async (c: Client) => (await c.get<{ items: Array<{ campaignId: string }> }>('/v1/campaigns')).body.items.map((i) => i.campaignId).sort();
    expect(await ids(anyangAdmin)).toEqual(['2022-anyang']);
    expect(await ids(xinxiangAdmin)).toEqual(['2021-xinxiang', '2022-xinxiang']);
    // Another city's campaign does not exist for them: every route answers 404.
    for (const [caller, campaign] of [
      [anyangAdmin, '2022-xinxiang'],
      [xinxiangAdmin, '2022-anyang'],
    ] as const) {
      expect((await caller.get(`/v1/campaigns/${campaign}/definition`)).status).toBe(404);
      expect((await caller.patch(`/v1/campaigns/${campaign}/definition`, { theme: { zh: 'x', en: 'x' } }, { 'if-match': '"1"' })).status).toBe(404);
      expect((await caller.post(`/v1/campaigns/${campaign}/close`, {})).status).toBe(404);
      expect((await caller.put(`/v1/campaigns/${campaign}/milestones/completion`, { dueDate: '2022-10-30', reason: 'x' })).status).toBe(404);
      expect((await caller.get(`/v1/campaigns/${campaign}/flags`)).status).toBe(404);
      expect((await caller.get(`/v1/campaigns/${campaign}/progress`)).status).toBe(404);
      expect((await caller.get(`/v1/campaigns/${campaign}/scores`)).status).toBe(404);
      expect((await caller.post(`/v1/campaigns/${campaign}/exports`, { format: 'csv' })).status).toBe(404);
      expect((await caller.post(`/v1/campaigns/${campaign}/organizations`, { organizationId: 'x-kx', name: 'x', county: 'hongqi', type: 'association' })).status).toBe(404);
    }
    // The same unit id in two cities: two units that never meet.
    const anyangUnit = await as('anyangOrganizer');
    const mine = await anyangUnit.post<{ id: string }>('/v1/campaigns/2022-anyang/activities', activity2022());
    expect(mine.status).toBe(201);
    expect((await anyangUnit.post('/v1/campaigns/2022-xinxiang/activities', activity2022())).status).toBe(404);
    expect((await anyangUnit.get('/v1/campaigns/2022-xinxiang/activities')).status).toBe(404);
    const xinxiangUnit = await as('organizer');
    expect((await xinxiangUnit.get(`/v1/activities/${mine.body.id}`)).status).toBe(404);
    const listed = await xinxiangUnit.get<{ items: Array<{ id: string }> }>('/v1/campaigns/2022-xinxiang/activities?limit=100');
    expect(listed.body.items.map((a) => a.id)).not.toContain(mine.body.id);
    expect((await (await as('reviewer')).get(`/v1/activities/${mine.body.id}`)).status).toBe(404);
  });
});

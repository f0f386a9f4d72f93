// The submissions API through the gateway, against the real local services, on a runtime
// whose clock starts on 2021-09-01 (Beijing time) so the 2021 deadlines lie ahead.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';
import { stopRuntime, spawnRuntimeKeepingUnits } from '../helpers/private-runtime';
import { eventually, runtimeInfo } from '../helpers/runtime';
import { client, completeActivity, tokenFor, type Client } from '../helpers/api';

/** Units kept of the seed campaign's 130: the clock moves fan out one job per unit (test/helpers/private-runtime.ts). */
const UNITS = 50;

const dataDir = mkdtempSync(join(tmpdir(), 'sciday-api-'));
let runtime: ChildProcess;
let url = '';
let hongqi: Client; // organizer of hongqi-kx
let weibin: Client; // organizer of another unit
let reviewer: Client;
let analyst: Client;
const C = '/v1/campaigns/2021-xinxiang';
type SigningKey = Parameters<SignJWT['sign']>[0];

beforeAll(async () => {
  runtime = await spawnRuntimeKeepingUnits(UNITS, dataDir, { SCIDAY_CLOCK: '2021-09-01T09:00:00+08:00' });
  url = runtimeInfo(dataDir).url;
  hongqi = client(url, await tokenFor(url, { sub: 'u-hongqi', orgId: 'hongqi-kx', roles: ['organizer'] }));
  weibin = client(url, await tokenFor(url, { sub: 'u-weibin', orgId: 'weibin-kx', roles: ['organizer'] }));
  reviewer = client(url, await tokenFor(url, { sub: 'u-rev', orgId: 'city-kx', roles: ['reviewer'] }));
  analyst = client(url, await tokenFor(url, { sub: 'u-ana', orgId: 'city-kx', roles: ['analyst'] }));
});

afterAll(async () => {
  await stopRuntime(runtime, dataDir);
});

const create = async (c: Client = hongqi, body: unknown = completeActivity()) => {
  const res = await c.post<{ activityId: string; version: number }>(`${C}/activities`, body);
  expect(res.status).toBe(201);
  return res.body.activityId;
};

describe('API: campaign and units', () => {
  it('serves the campaign to anyone, with milestones in +08:00 and the units', async () => {
    const res = await client(url).get<{ milestones: Array<{ id: string; deadline: string }>; organizations: unknown[]; penalty: { points: Record<string, number>; cap: number } }>(C);
    expect(res.status).toBe(200);
    // The penalty rules that apply (campaign data), for every unit to see.
    expect(res.body.penalty).toMatchObject({ points: { 'registration-late': 1, 'results-missing': 2, 'organization-inactive': 0 }, cap: 10 });
    expect(res.body.milestones).toEqual([
      expect.objectContaining({ id: 'registration', deadline: '2021-09-24T23:59:59.999+08:00' }),
      expect.objectContaining({ id: 'completion', deadline: '2021-10-22T23:59:59.999+08:00' }),
    ]);
    expect(res.body.organizations).toHaveLength(UNITS);
    expect((await client(url).get('/v1/campaigns/1999-nowhere')).status).toBe(404);
  });

  it('lists the units to anyone signed in, and to nobody else', async () => {
    const res = await analyst.get<{ items: Array<{ organizationId: string; name: string }> }>(`${C}/organizations`);
    expect(res.status).toBe(200);
    expect(res.body.items).toContainEqual({ organizationId: 'hongqi-kx', name: '红旗区科协', county: 'hongqi', type: 'association' });
    expect((await client(url).get(`${C}/organizations`)).status).toBe(401);
  });
});

describe('API: the life of an activity', () => {
  it('creates a draft, changes it with If-Match, submits it on time, and keeps its history', async () => {
    // Create
    const created = await hongqi.post<{ activityId: string; status: string; version: number; title: string }>(`${C}/activities`, {
      title: '  科普进社区 🚀  ',
      kind: 'joint-action',
      jointAction: 'carbon',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'draft', version: 1, title: '科普进社区 🚀' });
    expect(created.headers.get('etag')).toBe('"1"');
    const id = created.body.activityId;
    expect(created.headers.get('location')).toBe(`/v1/activities/${id}`);

    // Change: If-Match is required and must be current.
    const { kind: _k, jointAction: _j, ...rest } = completeActivity();
    expect((await hongqi.patch(`/v1/activities/${id}`, rest)).status).toBe(428);
    expect((await hongqi.patch(`/v1/activities/${id}`, rest, { 'if-match': '"7"' })).status).toBe(412);
    const changed = await hongqi.patch<{ version: number; title: string }>(`/v1/activities/${id}`, rest, { 'if-match': '"1"' });
    expect(changed.status).toBe(200);
    expect(changed.body.version).toBe(2);
    expect(changed.headers.get('etag')).toBe('"2"');

    // Submit on time (the clock is 2021-09-01): no flags.
    const submitted = await hongqi.post<{ status: string; submittedAt: string; flags: unknown[] }>(`/v1/activities/${id}/submit`);
    expect(submitted.status).toBe(200);
    expect(submitted.body.status).toBe('registered');
    expect(submitted.body.submittedAt).toMatch(/^2021-09-01T09:\d\d:\d\d(\.\d+)?\+08:00$/);
    expect(submitted.body.flags).toEqual([]);
    expect((await hongqi.post(`/v1/activities/${id}/submit`)).status).toBe(409);

    // History: created, updated, registered, by whom, oldest first.
    const history = await eventually(async () => {
      const h = await hongqi.get<{ items: Array<{ action: string; actor: string; changes: Array<{ path: string }> }> }>(`/v1/activities/${id}/history`);
      return h.body.items?.length >= 3 ? h.body.items : undefined;
    });
    expect(history.map((e) => [e.action, e.actor])).toEqual([
      ['created', 'u-hongqi'],
      ['updated', 'u-hongqi'],
      ['updated', 'u-hongqi'],
    ]);
    expect(history[2]?.changes.map((c) => c.path)).toEqual(expect.arrayContaining(['status', 'submittedAt']));
  });

  it('lists what is missing to submit, every field at once', async () => {
    const id = await create(hongqi, { title: '只有标题' });
    const res = await hongqi.post<{ errors: Array<{ path: string; code: string; message: string }> }>(`/v1/activities/${id}/submit`, undefined, {
      'accept-language': 'en',
    });
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e) => e.path).sort()).toEqual(
      ['branded', 'contact', 'contentThemes', 'county', 'endsAt', 'expectedParticipants', 'format', 'kind', 'startsAt'].sort(),
    );
    expect(res.body.errors.every((e) => e.code === 'required' && e.message === 'This field is required')).toBe(true);
  });
});

describe('API: units and roles (BOLA)', () => {
  it('answers another unit’s activity exactly as a missing one, on every route', async () => {
    const id = await create();
    const missing = '00000000-0000-4000-8000-000000000000';
    for (const target of [id, missing]) {
      const answers = [
        await weibin.get(`/v1/activities/${target}`),
        await weibin.patch(`/v1/activities/${target}`, { title: '改' }, { 'if-match': '"1"' }),
        await weibin.post(`/v1/activities/${target}/submit`),
        await weibin.get(`/v1/activities/${target}/history`),
      ];
      expect(answers.map((a) => a.status)).toEqual([404, 404, 404, 404]);
      expect(answers.map((a) => (a.body as { title?: string }).title)).toEqual(Array(4).fill('未找到该资源'));
    }
    const own = await weibin.get<{ items: Array<{ organizationId: string }> }>(`${C}/activities?organizationId=hongqi-kx&limit=100`);
    expect(own.body.items.every((a) => a.organizationId === 'weibin-kx')).toBe(true);
  });

  it('lets reviewers read everything but change nothing, and analysts read no activity', async () => {
    const id = await create();
    expect((await reviewer.get(`/v1/activities/${id}`)).status).toBe(200);
    expect((await reviewer.patch(`/v1/activities/${id}`, { title: '评审改' }, { 'if-match': '"1"' })).status).toBe(403);
    expect((await reviewer.post(`${C}/activities`, completeActivity())).status).toBe(403);
    expect((await analyst.get(`${C}/activities`)).status).toBe(403);
    expect((await analyst.get(`/v1/activities/${id}`)).status).toBe(404);
    const byUnit = await reviewer.get<{ items: Array<{ organizationId: string }> }>(`${C}/activities?organizationId=hongqi-kx&limit=100`);
    expect(byUnit.body.items.length).toBeGreaterThan(0);
    expect(byUnit.body.items.every((a) => a.organizationId === 'hongqi-kx')).toBe(true);
  });

  it('refuses a unit the campaign does not list', async () => {
    const stranger = client(url, await tokenFor(url, { sub: 'x', orgId: 'nowhere-unit', roles: ['organizer'] }));
    expect((await stranger.post(`${C}/activities`, completeActivity())).status).toBe(403);
  });
});

describe('API: tokens', () => {
  const jwk = () => JSON.parse(readFileSync(join(dataDir, 'local-issuer.jwk.json'), 'utf8')) as JWK;
  const claims = { orgId: 'hongqi-kx', roles: ['organizer'] };
  const sign = async (key: SigningKey, opts: { iss?: string; aud?: string; exp?: number; alg?: string } = {}) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: opts.alg ?? 'ES256' })
      .setSubject('u-hongqi')
      .setIssuer(opts.iss ?? 'https://sciday.local/issuer')
      .setAudience(opts.aud ?? 'sciday-api')
      .setIssuedAt(Math.floor(Date.parse('2021-09-01T00:00:00Z') / 1000))
      .setExpirationTime(opts.exp ?? Math.floor(Date.parse('2200-01-01T00:00:00Z') / 1000))
      .sign(key);

  it.each([
    ['missing', async () => undefined],
    ['malformed', async () => 'not-a-jwt'],
    ['alg none', async () => `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: 'u', ...claims, iss: 'https://sciday.local/issuer', aud: 'sciday-api' })).toString('base64url')}.`],
    ['signed with another key', async () => sign((await generateKeyPair('ES256')).privateKey)],
    ['an HMAC token', async () => sign(new TextEncoder().encode('x'.repeat(32)), { alg: 'HS256' })],
    ['from another issuer', async () => sign((await importJWK(jwk(), 'ES256')) as SigningKey, { iss: 'https://evil.example' })],
    ['for another audience', async () => sign((await importJWK(jwk(), 'ES256')) as SigningKey, { aud: 'other-api' })],
    ['expired', async () => sign((await importJWK(jwk(), 'ES256')) as SigningKey, { exp: Math.floor(Date.parse('2021-09-01T00:30:00Z') / 1000) })],
  ])('refuses a token that is %s with 401 problem+json', async (_what, make) => {
    const token = await make();
    const res = await client(url, token).get(`${C}/activities`);
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('accepts the issuer’s own token', async () => {
    const token = await sign((await importJWK(jwk(), 'ES256')) as SigningKey);
    expect((await client(url, token).get(`${C}/activities`)).status).toBe(200);
  });
});

describe('API: bad input changes nothing', () => {
  it.each(['id', 'activityId', 'status', 'flags', 'organizationId', 'version', 'createdAt', 'updatedAt', 'submittedAt', 'media', 'results', 'campaignId'])(
    'refuses the server-owned field %s with 422 naming it',
    async (field) => {
      const res = await hongqi.post<{ errors: Array<{ path: string; code: string }> }>(`${C}/activities`, { title: '字段测试', [field]: 'x' });
      expect(res.status).toBe(422);
      expect(res.body.errors).toContainEqual(expect.objectContaining({ path: field, code: 'unrecognized_key' }));
    },
  );

  it('answers 415 for a body that is not JSON and 400 for malformed JSON', async () => {
    expect((await hongqi.post(`${C}/activities`, 'title=x', { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(415);
    const bad = await hongqi.post<{ title: string }>(`${C}/activities`, '{"title":', { 'accept-language': 'en' });
    expect(bad.status).toBe(400);
    expect(bad.body.title).toBe('Request body is not valid JSON');
  });

  it('keeps Chinese text and emoji byte for byte', async () => {
    const title = '「云上科普日」👩‍🔬🧪 全角１２３，标点！';
    const id = await create(hongqi, { title });
    const read = await hongqi.get(`/v1/activities/${id}`);
    expect(Buffer.from(read.text).includes(Buffer.from(JSON.stringify(title).slice(1, -1)))).toBe(true);
    expect((read.body as { title: string }).title).toBe(title);
  });

  it('never answers 5xx to 1,000 generated or junk bodies', async () => {
    const bodies = fc.sample(
      fc.oneof(
        fc.anything(),
        fc.record({ title: fc.string(), kind: fc.string(), expectedParticipants: fc.oneof(fc.integer(), fc.double(), fc.string()) }, { requiredKeys: [] }),
        fc.string().map((s) => ({ raw: s })),
        fc.jsonValue(),
      ),
      1000,
    );
    const statuses: number[] = [];
    for (let i = 0; i < bodies.length; i += 20) {
      const batch = bodies.slice(i, i + 20).map((b) => {
        const raw = typeof b === 'object' && b !== null && 'raw' in b ? String((b as { raw: unknown }).raw) : JSON.stringify(b ?? null);
        return hongqi.post(`${C}/activities`, raw ?? 'null').then((r) => r.status);
      });
      statuses.push(...(await Promise.all(batch)));
    }
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
  }, 120_000);
});

describe('API: concurrency and idempotency', () => {
  it('lets exactly one of 20 concurrent PATCHes with the same If-Match win', async () => {
    const id = await create();
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => hongqi.patch<{ title: string }>(`/v1/activities/${id}`, { title: `并发修改 ${i}` }, { 'if-match': '"1"' })),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 412)).toHaveLength(19);
    const winner = answers.find((a) => a.status === 200)?.body.title;
    const stored = await hongqi.get<{ title: string; version: number }>(`/v1/activities/${id}`);
    expect(stored.body).toMatchObject({ title: winner, version: 2 });
  });

  it('creates one activity for one Idempotency-Key sent 5 times, some at once', async () => {
    const key = `key-${Date.now()}`;
    const body = { ...completeActivity(), title: `幂等 ${key}` };
    const first = await hongqi.post<{ activityId: string }>(`${C}/activities`, body, { 'idempotency-key': key });
    const rest = await Promise.all([1, 2, 3, 4].map(() => hongqi.post<{ activityId: string }>(`${C}/activities`, body, { 'idempotency-key': key })));
    expect(first.status).toBe(201);
    for (const r of rest) {
      expect(r.status).toBe(201);
      expect(r.body.activityId).toBe(first.body.activityId);
      expect(r.headers.get('idempotent-replayed')).toBe('true');
    }
    const list = await hongqi.get<{ items: Array<{ title: string }> }>(`${C}/activities?limit=100`);
    let items = list.body.items;
    let cursor = (list.body as { nextCursor?: string | null }).nextCursor;
    while (cursor) {
      const next = await hongqi.get<{ items: Array<{ title: string }>; nextCursor: string | null }>(`${C}/activities?limit=100&cursor=${cursor}`);
      items = items.concat(next.body.items);
      cursor = next.body.nextCursor;
    }
    expect(items.filter((a) => a.title === body.title)).toHaveLength(1);
    const other = await hongqi.post(`${C}/activities`, { ...body, title: '另一个' }, { 'idempotency-key': key });
    expect(other.status).toBe(422);
  });

  it('replays the first response of a create after the draft was edited, and refuses a bad key', async () => {
    const key = `edited-${Date.now()}`;
    const body = { ...completeActivity(), title: `重放 ${key}` };
    const first = await hongqi.post<{ activityId: string; version: number; title: string; updatedAt: string }>(`${C}/activities`, body, { 'idempotency-key': key });
    expect(first.status).toBe(201);
    const edited = await hongqi.patch<{ version: number }>(`/v1/activities/${first.body.activityId}`, { title: '改过的标题' }, { 'if-match': '"1"' });
    expect(edited.body.version).toBe(2);
    const replay = await hongqi.post<Record<string, unknown>>(`${C}/activities`, body, { 'idempotency-key': key });
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.headers.get('etag')).toBe('"1"');
    expect(replay.headers.get('location')).toBe(`/v1/activities/${first.body.activityId}`);
    expect(replay.body).toEqual(first.body);
    // The stored draft keeps its edit.
    expect((await hongqi.get<{ title: string; version: number }>(`/v1/activities/${first.body.activityId}`)).body).toMatchObject({ title: '改过的标题', version: 2 });
    const long = await hongqi.post(`${C}/activities`, body, { 'idempotency-key': 'k'.repeat(65) });
    expect(long.status).toBe(400);
  });

  it('pages with opaque cursors and refuses a tampered one', async () => {
    for (let i = 0; i < 3; i += 1) await create(weibin, { title: `分页 ${i}` });
    const first = await weibin.get<{ items: unknown[]; nextCursor: string }>(`${C}/activities?limit=2`);
    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await weibin.get<{ items: unknown[] }>(`${C}/activities?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.status).toBe(200);
    // The key aimed at another unit's partition, the signature kept (ADR 0031: signed, so refused).
    const [payload = '', mac = ''] = first.body.nextCursor.split('.');
    const [version, key] = JSON.parse(Buffer.from(payload, 'base64url').toString()) as [number, Record<string, string>];
    const forged = `${Buffer.from(JSON.stringify([version, { ...key, gsi1pk: 'CAMP#2021-xinxiang#ORG#hongqi-kx' }])).toString('base64url')}.${mac}`;
    expect((await weibin.get(`${C}/activities?limit=2&cursor=${forged}`)).status).toBe(400);
    expect((await weibin.get(`${C}/activities?limit=2&cursor=garbage`)).status).toBe(400);
    expect((await weibin.get(`${C}/activities?limit=0`)).status).toBe(400);
  });
});

// Last: it moves the clock past the deadlines, and the clock only moves forward.
describe('API: late submission', () => {
  it('flags a submission after the deadline and after the start, from the moved clock', async () => {
    const id = await create();
    // A week past the registration deadline (24 Sept), before the completion reminders: the clock
    // fires the registration milestone and its sweep only (moving to 2099 fired every schedule of
    // every year and took over a minute on a busy machine).
    const moved = await fetch(`${url}/local/clock`, { method: 'POST', body: JSON.stringify({ now: '2021-10-01T00:00:00+08:00' }) });
    expect(moved.status).toBe(200);
    // Tokens are minted on the simulated clock: mint again after moving it.
    hongqi = client(url, await tokenFor(url, { sub: 'u-hongqi', orgId: 'hongqi-kx', roles: ['organizer'] }));
    reviewer = client(url, await tokenFor(url, { sub: 'u-rev', orgId: 'city-kx', roles: ['reviewer'] }));
    const res = await hongqi.post<{ flags: Array<{ code: string; lateBySeconds: number; milestone: string; raisedAt: string }> }>(`/v1/activities/${id}/submit`);
    expect(res.status).toBe(200);
    // The registration milestone fired as the clock passed it: the draft was already flagged overdue.
    expect(res.body.flags.map((f) => f.code).sort()).toEqual(['not-published-in-advance', 'registration-late', 'registration-overdue']);
    const late = res.body.flags.find((f) => f.code === 'registration-late');
    // Late since the end of 24 Sept (+08:00), six days and the seconds the clock ran since.
    expect(late?.lateBySeconds).toBeGreaterThanOrEqual(6 * 86400);
    expect(late?.lateBySeconds).toBeLessThan(6 * 86400 + 3600);
    expect(late?.raisedAt).toMatch(/\+08:00$/);
    const read = await hongqi.get<{ flags: unknown[] }>(`/v1/activities/${id}`);
    expect(read.body.flags).toHaveLength(3);
    const flagged = await reviewer.get<{ items: Array<{ activityId: string }> }>(`${C}/activities?flagged=true&limit=100`);
    expect(flagged.body.items.map((a) => a.activityId)).toContain(id);
  });
});

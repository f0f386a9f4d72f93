// Issue 17, item 10: what one unit can make grow without bound. Through the gateway, against
// the real local services: the units list and an activity's history are paged with the
// contract's `limit`/`cursor` (signed, bound to their list), and the campaign's caps on drafts
// per unit and media per activity are enforced.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnRuntime } from '../helpers/global-setup';
import { stopRuntime } from '../helpers/private-runtime';
import { eventually, runtimeInfo } from '../helpers/runtime';
import { client, completeActivity, tokenFor, type Client } from '../helpers/api';

const dataDir = mkdtempSync(join(tmpdir(), 'sciday-unit-growth-'));
let runtime: ChildProcess;
let admin: Client;
let hongqi: Client;
let weibin: Client;
const C = '/v1/campaigns/2021-xinxiang';

interface PageOf<T> {
  items: T[];
  nextCursor: string | null;
}
interface Problem {
  status: number;
  title: string;
  detail?: string;
  errors?: Array<{ path: string; code: string; message: string }>;
}

beforeAll(async () => {
  runtime = await spawnRuntime(dataDir, { SCIDAY_CLOCK: '2021-09-01T09:00:00+08:00' });
  const { url } = runtimeInfo(dataDir);
  admin = client(url, await tokenFor(url, { sub: 'u-admin', orgId: 'city-kx', roles: ['admin'] }));
  hongqi = client(url, await tokenFor(url, { sub: 'u-hongqi', orgId: 'hongqi-kx', roles: ['organizer'] }));
  weibin = client(url, await tokenFor(url, { sub: 'u-weibin', orgId: 'weibin-kx', roles: ['organizer'] }));
});

afterAll(async () => {
  await stopRuntime(runtime, dataDir);
});

/** Every page of `path` at `limit`, checking each page's size; the pages and all items. */
async function allPages<T>(c: Client, path: string, limit: number): Promise<{ pages: number; items: T[] }> {
  const items: T[] = [];
  let pages = 0;
  let cursor: string | null = null;
  const sep = path.includes('?') ? '&' : '?';
  do {
    const res: { status: number; body: PageOf<T> } = await c.get<PageOf<T>>(`${path}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(res.status).toBe(200);
    expect(res.body.items.length).toBeLessThanOrEqual(limit);
    items.push(...res.body.items);
    cursor = res.body.nextCursor;
    pages += 1;
    if (cursor !== null) expect(res.body.items).toHaveLength(limit);
  } while (cursor !== null && pages < 1000);
  return { pages, items };
}

describe('GET …/organizations is paged (was: 130 items for limit=2)', () => {
  it('answers at most `limit` units a page, 20 by default, and every unit exactly once across pages', async () => {
    const added = await admin.post<PageOf<{ organizationId: string }>>(`${C}/organizations`, 'name,county,type\n分页测试学会甲,hongqi,society\n分页测试学会乙,weibin,society\n分页测试学会丙,hongqi,school\n', {
      'content-type': 'text/csv; charset=utf-8',
    });
    expect(added.status).toBe(201);
    const addedIds = added.body.items.map((u) => u.organizationId);

    const two = await hongqi.get<PageOf<unknown>>(`${C}/organizations?limit=2`);
    expect(two.status).toBe(200);
    expect(two.body.items).toHaveLength(2);
    expect(typeof two.body.nextCursor).toBe('string');
    const byDefault = await hongqi.get<PageOf<unknown>>(`${C}/organizations`);
    expect(byDefault.body.items).toHaveLength(20);

    const small = await allPages<{ organizationId: string }>(hongqi, `${C}/organizations`, 7);
    const large = await allPages<{ organizationId: string }>(hongqi, `${C}/organizations`, 100);
    const ids = small.items.map((u) => u.organizationId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(large.items.map((u) => u.organizationId));
    expect(ids.length).toBe(130 + 3); // the definition's 130, then the 3 added (in their partition's order)
    expect(ids.slice(-3).sort()).toEqual([...addedIds].sort());
    expect(small.pages).toBe(Math.ceil(133 / 7));
    expect(large.pages).toBe(2);
  });

  it('refuses a limit out of 1..100, and a forged or foreign cursor, with 400 (never 500)', async () => {
    expect((await hongqi.get(`${C}/organizations?limit=0`)).status).toBe(400);
    expect((await hongqi.get(`${C}/organizations?limit=101`)).status).toBe(400);
    const page = await hongqi.get<PageOf<unknown>>(`${C}/organizations?limit=2`);
    const cursor = page.body.nextCursor ?? '';
    const [payload, mac] = cursor.split('.');
    const forged = `${Buffer.from(JSON.stringify([1, { i: 0, sk: 'ORG#zzz' }])).toString('base64url')}.${mac ?? ''}`;
    for (const bad of [forged, `${payload ?? ''}.AAAA`, 'not-a-cursor']) {
      const res = await hongqi.get<Problem>(`${C}/organizations?limit=2&cursor=${encodeURIComponent(bad)}`, { 'accept-language': 'en' });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
    // A cursor of another list (an activity's history) is not one of this list.
    const draft = await hongqi.post<{ activityId: string; version: number }>(`${C}/activities`, { title: '游标测试' });
    for (let v = 1; v <= 2; v++) await hongqi.patch(`/v1/activities/${draft.body.activityId}`, { title: `游标测试 ${v}` }, { 'if-match': `"${v}"` });
    const history = await eventually(async () => {
      const h = await hongqi.get<PageOf<unknown>>(`/v1/activities/${draft.body.activityId}/history?limit=1`);
      return h.body.nextCursor ?? undefined;
    });
    expect((await hongqi.get(`${C}/organizations?limit=2&cursor=${encodeURIComponent(history)}`)).status).toBe(400);
  });
});

describe('GET /v1/activities/{id}/history is paged (was: the whole trail)', () => {
  it('pages the trail oldest first with limit/cursor, each entry once, and binds the cursor to the activity', async () => {
    const created = await hongqi.post<{ activityId: string; version: number }>(`${C}/activities`, { title: '历史分页 0' });
    expect(created.status).toBe(201);
    const id = created.body.activityId;
    const patches = 6;
    for (let v = 1; v <= patches; v++) {
      const res = await hongqi.patch(`/v1/activities/${id}`, { title: `历史分页 ${v}` }, { 'if-match': `"${v}"` });
      expect(res.status).toBe(200);
    }
    const whole = await eventually(async () => {
      const h = await allPages<{ action: string; changes: Array<{ path: string; new?: unknown }> }>(hongqi, `/v1/activities/${id}/history`, 100);
      return h.items.length >= patches + 1 ? h : undefined;
    });
    expect(whole.pages).toBe(1);
    expect(whole.items.map((e) => e.action)).toEqual(['created', ...Array<string>(patches).fill('updated')]);

    const paged = await allPages<{ action: string; changes: Array<{ path: string; new?: unknown }> }>(hongqi, `/v1/activities/${id}/history`, 2);
    expect(paged.pages).toBe(Math.ceil((patches + 1) / 2));
    expect(paged.items).toEqual(whole.items);
    expect(paged.items.at(-1)?.changes).toContainEqual(expect.objectContaining({ path: 'title', new: `历史分页 ${patches}` }));
    const first = await hongqi.get<PageOf<unknown>>(`/v1/activities/${id}/history`);
    expect(first.body.items).toHaveLength(patches + 1); // under the default 20
    expect(first.body.nextCursor).toBeNull();

    // The cursor of this activity's history is refused on another one's, and forged ones too: 400.
    const cursor = (await hongqi.get<PageOf<unknown>>(`/v1/activities/${id}/history?limit=2`)).body.nextCursor ?? '';
    const other = await hongqi.post<{ activityId: string }>(`${C}/activities`, { title: '另一个活动' });
    expect((await hongqi.get(`/v1/activities/${other.body.activityId}/history?cursor=${encodeURIComponent(cursor)}`)).status).toBe(400);
    expect((await hongqi.get(`/v1/activities/${id}/history?cursor=${encodeURIComponent(`${cursor}x`)}`)).status).toBe(400);
    expect((await hongqi.get(`/v1/activities/${id}/history?limit=101`)).status).toBe(400);
    // Still nobody else's to read.
    expect((await weibin.get(`/v1/activities/${id}/history?limit=2`)).status).toBe(404);
  });
});

describe('Caps as campaign data: drafts per unit (caps.draftsPerUnit)', () => {
  const C22 = '/v1/campaigns/2022-xinxiang';

  it('is in the definition with a default, changed by an admin like any other campaign data', async () => {
    const copy = await admin.post<{ definition: { caps: { draftsPerUnit: number } } }>('/v1/campaigns', { copyFrom: '2021-xinxiang', id: '2022-xinxiang' });
    expect(copy.status).toBe(201);
    expect(copy.body.definition.caps).toEqual({ draftsPerUnit: 100 });
    const bad = await admin.patch<Problem>(`${C22}/definition`, { caps: { draftsPerUnit: 0 } }, { 'if-match': copy.headers.get('etag') ?? '' });
    expect(bad.status).toBe(422);
    expect(bad.body.errors?.map((e) => e.path)).toEqual(['caps.draftsPerUnit']);
    const capped = await admin.patch<{ definition: { caps: unknown } }>(`${C22}/definition`, { caps: { draftsPerUnit: 3 } }, { 'if-match': copy.headers.get('etag') ?? '' });
    expect(capped.status).toBe(200);
    expect(capped.body.definition.caps).toEqual({ draftsPerUnit: 3 });
    expect((await admin.post(`${C22}/publish`, { reason: '上限测试' })).status).toBe(200);
  });

  it('refuses a unit’s draft past the cap with 422 naming it (zh-CN and en), per unit, and replays a retry', async () => {
    const ids: string[] = [];
    for (let n = 1; n <= 3; n++) {
      const res = await hongqi.post<{ activityId: string }>(`${C22}/activities`, { title: `草稿 ${n}` }, { 'idempotency-key': `cap-draft-${n}` });
      expect(res.status).toBe(201);
      ids.push(res.body.activityId);
    }
    const zh = await hongqi.post<Problem>(`${C22}/activities`, { title: '第四个草稿' });
    expect(zh.status).toBe(422);
    expect(zh.headers.get('content-type')).toContain('application/problem+json');
    expect(zh.body.errors).toEqual([{ path: '', code: 'draft_limit_reached', message: expect.stringContaining('3 个未登记的草稿') }]);
    const en = await hongqi.post<Problem>(`${C22}/activities`, { title: '第四个草稿' }, { 'accept-language': 'en' });
    expect(en.status).toBe(422);
    expect(en.body.errors?.[0]?.message).toMatch(/holds 3 unregistered drafts, the campaign’s cap/);

    // A retry of a request that was let in is answered with its draft, not refused.
    const retry = await hongqi.post<{ activityId: string }>(`${C22}/activities`, { title: '草稿 3' }, { 'idempotency-key': 'cap-draft-3' });
    expect(retry.status).toBe(201);
    expect(retry.body.activityId).toBe(ids[2]);
    // Nothing more was stored, and another unit has its own allowance.
    const listed = await hongqi.get<PageOf<{ activityId: string }>>(`${C22}/activities?organizationId=hongqi-kx&limit=100`);
    expect(listed.body.items.map((a) => a.activityId).sort()).toEqual([...ids].sort());
    expect((await weibin.post(`${C22}/activities`, { title: '卫滨区的草稿' })).status).toBe(201);
    // The 2021 campaign keeps its own cap (the default).
    expect((await hongqi.post(`${C}/activities`, { title: '2021 年的草稿' })).status).toBe(201);
  });

  it('lets exactly the cap in when a unit’s creates race, and a registered draft frees its place', async () => {
    // weibin holds 1 of its 3; eight creates at once take the other 2 places, no more.
    const in2022 = { ...completeActivity(), county: 'weibin', startsAt: '2022-09-12T09:00:00+08:00', endsAt: '2022-09-12T11:30:00+08:00' };
    const raced = await Promise.all(Array.from({ length: 8 }, (_, n) => weibin.post<{ activityId: string }>(`${C22}/activities`, { ...in2022, title: `并发草稿 ${n}` })));
    expect(raced.map((r) => r.status).sort()).toEqual([201, 201, 422, 422, 422, 422, 422, 422]);
    const listed = await weibin.get<PageOf<{ activityId: string; status: string }>>(`${C22}/activities?organizationId=weibin-kx&limit=100`);
    expect(listed.body.items).toHaveLength(3);
    expect((await weibin.post(`${C22}/activities`, { title: '第四个' })).status).toBe(422);
    // Registering one leaves two drafts: one more fits, then the cap holds again.
    const first = raced.find((r) => r.status === 201);
    const submitted = await weibin.post(`/v1/activities/${first?.body.activityId}/submit`, undefined, { 'if-match': '1' });
    expect(submitted.status).toBe(200);
    expect((await weibin.post(`${C22}/activities`, { title: '腾出的位置' })).status).toBe(201);
    expect((await weibin.post(`${C22}/activities`, { title: '又满了' })).status).toBe(422);
  });
});

describe('Local runtime: its stream readers paused and resumed (POST /local/streams, the load run’s request path)', () => {
  it('holds the stream’s work while paused and does all of it, once, after', async () => {
    const { url } = runtimeInfo(dataDir);
    const streams = (paused: unknown) => fetch(`${url}/local/streams`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ paused }) });
    expect((await streams('yes')).status).toBe(422);
    const paused = await streams(true);
    expect(await paused.json()).toEqual({ paused: true });
    try {
      const draft = await hongqi.post<{ activityId: string }>(`${C}/activities`, { title: '暂停时登记的草稿' });
      expect(draft.status).toBe(201);
      // The audit trail is written from the stream: nothing while its readers are paused.
      await new Promise((r) => setTimeout(r, 1500));
      const held = await hongqi.get<PageOf<unknown>>(`/v1/activities/${draft.body.activityId}/history`);
      expect(held.body.items).toHaveLength(0);
      expect(await (await streams(false)).json()).toEqual({ paused: false });
      const trail = await eventually(async () => {
        const h = await hongqi.get<PageOf<unknown>>(`/v1/activities/${draft.body.activityId}/history`);
        return h.body.items.length > 0 ? h.body.items : undefined;
      }, 20_000, 'the audit entry after the readers resumed');
      expect(trail).toHaveLength(1);
    } finally {
      await streams(false);
    }
  });
});

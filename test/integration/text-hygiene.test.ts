// Issue 17, item 14: a title with a right-to-left override (U+202E) or a unit name with a
// zero-width space (U+200B) would show one thing to reviewers and exports and store another.
// Through the gateway, against the real local services: 422 naming the field, in zh-CN and
// en, and nothing stored.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnRuntime } from '../helpers/global-setup';
import { stopRuntime } from '../helpers/private-runtime';
import { runtimeInfo } from '../helpers/runtime';
import { client, completeActivity, tokenFor, type Client } from '../helpers/api';

const dataDir = mkdtempSync(join(tmpdir(), 'sciday-text-hygiene-'));
let runtime: ChildProcess;
let admin: Client;
let hongqi: Client;
const C = '/v1/campaigns/2021-xinxiang';

interface Problem {
  status: number;
  title: string;
  errors: Array<{ path: string; code: string; message: string }>;
}

beforeAll(async () => {
  runtime = await spawnRuntime(dataDir, { SCIDAY_CLOCK: '2021-09-01T09:00:00+08:00' });
  const { url } = runtimeInfo(dataDir);
  admin = client(url, await tokenFor(url, { sub: 'u-admin', orgId: 'city-kx', roles: ['admin'] }));
  hongqi = client(url, await tokenFor(url, { sub: 'u-hongqi', orgId: 'hongqi-kx', roles: ['organizer'] }));
});

afterAll(async () => {
  await stopRuntime(runtime, dataDir);
});

const activityTitles = async (): Promise<string[]> => {
  const res = await hongqi.get<{ items: Array<{ title?: string }> }>(`${C}/activities?limit=100`);
  expect(res.status).toBe(200);
  return res.body.items.map((a) => a.title ?? '');
};

describe('Text hygiene: hidden characters in short texts', () => {
  it('refuses a title with a right-to-left override (U+202E): 422 on `title`, zh-CN and en, nothing stored', async () => {
    const before = await activityTitles();
    const title = '科普讲座\u202e exe.gpj';
    const zh = await hongqi.post<Problem>(`${C}/activities`, { ...completeActivity(), title });
    expect(zh.status).toBe(422);
    expect(zh.headers.get('content-type')).toContain('application/problem+json');
    expect(zh.body.errors).toEqual([{ path: 'title', code: 'hidden_character', message: expect.stringContaining('U+202E') }]);
    expect(zh.body.errors[0]?.message).toMatch(/双向文字控制符/);

    const en = await hongqi.post<Problem>(`${C}/activities`, { title }, { 'accept-language': 'en' });
    expect(en.status).toBe(422);
    expect(en.body.errors.map((e) => `${e.path} ${e.code}`)).toEqual(['title hidden_character']);
    expect(en.body.errors[0]?.message).toMatch(/bidirectional overrides.*U\+202E/);

    expect(await activityTitles()).toEqual(before);
  });

  it('refuses the override in a PATCH of a stored draft too, which keeps its title', async () => {
    const created = await hongqi.post<{ activityId: string; version: number; title: string }>(`${C}/activities`, { title: '干净的标题' });
    expect(created.status).toBe(201);
    const res = await hongqi.patch<Problem>(`/v1/activities/${created.body.activityId}`, { title: '干净的\u202e标题', venue: { name: '科技\u200b馆', address: '人民路1号' } }, { 'if-match': `"${created.body.version}"` });
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e) => `${e.path} ${e.code}`).sort()).toEqual(['title hidden_character', 'venue.name hidden_character']);
    const stored = await hongqi.get<{ title: string; version: number }>(`/v1/activities/${created.body.activityId}`);
    expect(stored.body).toMatchObject({ title: '干净的标题', version: created.body.version });
  });

  it('refuses a unit name with a zero-width space (U+200B): 422 on `name`, nothing stored', async () => {
    const units = async () => {
      const names: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { body: { items: Array<{ name: string }>; nextCursor: string | null } } = await admin.get<{ items: Array<{ name: string }>; nextCursor: string | null }>(
          `${C}/organizations?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        );
        names.push(...page.body.items.map((u) => u.name));
        cursor = page.body.nextCursor;
      } while (cursor);
      return names;
    };
    const before = await units();
    const name = '红旗区\u200b科普学会';
    const res = await admin.post<Problem>(`${C}/organizations`, { name, county: 'hongqi', type: 'society' }, { 'accept-language': 'en' });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([{ path: 'name', code: 'hidden_character', message: expect.stringMatching(/zero-width.*U\+200B/) }]);

    const csv = await admin.post<Problem>(`${C}/organizations`, `name,county,type\n${name},hongqi,society\n`, { 'content-type': 'text/csv; charset=utf-8' });
    expect(csv.status).toBe(422);
    expect(csv.body.errors.map((e) => `${e.path} ${e.code}`)).toEqual(['rows.1.name hidden_character']);

    const after = await units();
    expect(after).toEqual(before);
    expect(after.filter((n) => n.includes('科普学会'))).toEqual([]);
  });

  it('refuses a contact name with a zero-width space in a unit’s settings', async () => {
    const res = await hongqi.patch<Problem>(`${C}/organizations/hongqi-kx`, { contact: { name: '王\u200b芳', phone: '13800138000' } }, { 'if-match': '"0"' });
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e) => `${e.path} ${e.code}`)).toEqual(['contact.name hidden_character']);
  });
});

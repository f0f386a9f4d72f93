// The organizing units through the gateway, against the real local services: an admin adds
// units (JSON, or a CSV imported all or nothing), a unit's organizer changes its settings.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { findCampaign } from '../../shared/campaigns';
import { ConflictError } from '../../shared/errors';
import { keys } from '../../shared/repositories/keys';
import { DynamoDbOrganizationDirectory, organizationSettingsPartition } from '../../shared/repositories/organization-repository';
import { spawnRuntime } from '../helpers/global-setup';
import { stopRuntime } from '../helpers/private-runtime';
import { clientsFor, runtimeInfo } from '../helpers/runtime';
import { client, tokenFor, type Client } from '../helpers/api';

const dataDir = mkdtempSync(join(tmpdir(), 'sciday-orgs-'));
let runtime: ChildProcess;
let url = '';
let admin: Client;
let hongqi: Client; // organizer of hongqi-kx
let weibin: Client; // organizer of another unit
let reviewer: Client;
const C = '/v1/campaigns/2021-xinxiang';
const ORGS = `${C}/organizations`;

interface Unit {
  organizationId: string;
  name: string;
  county: string;
  type: string;
  contact?: { name: string; phone: string; email?: string };
  listedAt?: string;
}
interface Problem {
  status: number;
  errors: Array<{ path: string; code: string; message: string }>;
}

beforeAll(async () => {
  runtime = await spawnRuntime(dataDir, { SCIDAY_CLOCK: '2021-09-01T09:00:00+08:00' });
  url = runtimeInfo(dataDir).url;
  admin = client(url, await tokenFor(url, { sub: 'u-admin', orgId: 'city-kx', roles: ['admin'] }));
  hongqi = client(url, await tokenFor(url, { sub: 'u-hongqi', orgId: 'hongqi-kx', roles: ['organizer'] }));
  weibin = client(url, await tokenFor(url, { sub: 'u-weibin', orgId: 'weibin-kx', roles: ['organizer'] }));
  reviewer = client(url, await tokenFor(url, { sub: 'u-rev', orgId: 'city-kx', roles: ['reviewer'] }));
});

afterAll(async () => {
  await stopRuntime(runtime, dataDir);
});

/** Every unit, page after page (the list is paged: 130 units from the definition alone). */
const listed = async (): Promise<Unit[]> => {
  const items: Unit[] = [];
  let cursor: string | null = null;
  do {
    const res: { status: number; body: { items: Unit[]; nextCursor: string | null } } = await reviewer.get<{ items: Unit[]; nextCursor: string | null }>(
      `${ORGS}?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    expect(res.status).toBe(200);
    items.push(...res.body.items);
    cursor = res.body.nextCursor;
  } while (cursor);
  return items;
};
const postCsv = (c: Client, text: string, headers: Record<string, string> = {}) =>
  c.post<{ items: Unit[] } & Problem>(ORGS, text, { 'content-type': 'text/csv; charset=utf-8', ...headers });
const paths = (p: Problem) => p.errors.map((e) => `${e.path} ${e.code}`).sort();

describe('API: adding organizing units', () => {
  it('adds one unit from JSON: a server id, 201 with Location, listed to everyone signed in', async () => {
    const res = await admin.post<{ items: Unit[] }>(ORGS, {
      name: '新乡市天文爱好者协会 🔭',
      county: 'hongqi',
      type: 'society',
      contact: { name: '李会长', phone: '139 0373 0000' },
    });
    expect(res.status).toBe(201);
    const [unit] = res.body.items;
    expect(unit).toEqual({
      organizationId: expect.stringMatching(/^hongqi-[0-9a-z]{8}$/),
      name: '新乡市天文爱好者协会 🔭',
      county: 'hongqi',
      type: 'society',
      contact: { name: '李会长', phone: '13903730000' },
      listedAt: expect.stringMatching(/^2021-09-01T09:\d\d:\d\d\.\d{3}\+08:00$/),
    });
    expect(res.headers.get('location')).toBe(`${ORGS}/${unit?.organizationId}`);

    const items = await listed();
    expect(items).toContainEqual({ organizationId: unit?.organizationId, name: '新乡市天文爱好者协会 🔭', county: 'hongqi', type: 'society' });
    const campaign = await client(url).get<{ organizations: Unit[] }>(C);
    expect(campaign.body.organizations.map((o) => o.organizationId)).toContain(unit?.organizationId);
  });

  it('imports a CSV with Chinese headings and a BOM: 201, every row listed, a replay answers the same', async () => {
    const csv = '\uFEFF名称,县区,类型,联系人,联系电话,邮箱\r\n' +
      '卫滨区青少年科技馆,卫滨区,科普场馆,王馆长,0373-5820656,wang@example.cn\r\n' +
      '"获嘉县农学会, 第一分会",huojia,学会,,,\r\n' +
      '新乡市第一中学,city,school,"张 老师",13803730001,\r\n';
    const res = await postCsv(admin, csv, { 'idempotency-key': 'import-1' });
    expect(res.status).toBe(201);
    expect(res.body.items.map((u) => [u.name, u.county, u.type])).toEqual([
      ['卫滨区青少年科技馆', 'weibin', 'venue'],
      ['获嘉县农学会, 第一分会', 'huojia', 'society'],
      ['新乡市第一中学', 'city', 'school'],
    ]);
    expect(res.body.items[0]?.contact).toEqual({ name: '王馆长', phone: '0373-5820656', email: 'wang@example.cn' });
    expect(res.headers.get('location')).toBeNull();

    const ids = (await listed()).map((o) => o.organizationId);
    for (const u of res.body.items) expect(ids.filter((id) => id === u.organizationId)).toHaveLength(1);

    const replay = await postCsv(admin, csv, { 'idempotency-key': 'import-1' });
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body).toEqual(res.body);
    expect(await listed()).toHaveLength(ids.length);
  });

  it('imports all rows or none: one unknown county names rows.2.county and nothing is added', async () => {
    const before = await listed();
    const res = await postCsv(
      admin,
      'name,county,type,contactName,contactPhone\n延津县科普志愿者协会,yanjin,society,,\n封丘县科普协会,atlantis,society,,\n长垣市科技馆,changyuan,venue,赵,12345\n',
      { 'accept-language': 'en' },
    );
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(paths(res.body)).toEqual(['rows.2.county unknown_county', 'rows.3.contactPhone invalid_phone']);
    expect(res.body.errors.find((e) => e.path === 'rows.2.county')?.message).toMatch(/^Not a county or district of this campaign: atlantis/);
    const after = await listed();
    expect(after).toEqual(before);
    expect(after.map((o) => o.name)).not.toContain('延津县科普志愿者协会');
  });

  it('refuses duplicate names in a county, against listed units and between rows (422 duplicate_item)', async () => {
    const before = await listed();
    const res = await postCsv(admin, 'name,county,type\n红旗区科协,hongqi,association\n原阳县科普学会,yuanyang,society\n原阳县 科普学会,yuanyang,society\n');
    expect(res.status).toBe(422);
    expect(paths(res.body)).toEqual(['rows.1.name duplicate_item', 'rows.3.name duplicate_item']);
    const json = await admin.post<Problem>(ORGS, [{ name: '新乡市天文爱好者协会 🔭', county: 'hongqi', type: 'other' }]);
    expect(json.status).toBe(422);
    expect(paths(json.body)).toEqual(['0.name duplicate_item']);
    expect(await listed()).toEqual(before);
  });

  it('caps an import at 100 rows, refuses server fields, and other media types', async () => {
    const rows = Array.from({ length: 101 }, (_, i) => `学会${i},city,society`).join('\n');
    const tooMany = await postCsv(admin, `name,county,type\n${rows}\n`);
    expect(tooMany.status).toBe(422);
    expect(paths(tooMany.body)).toEqual(['rows too_many']);
    const own = await admin.post<Problem>(ORGS, { organizationId: 'mine', name: '甲学会', county: 'city', type: 'society' });
    expect(paths(own.body)).toEqual(['organizationId unrecognized_key']);
    expect((await admin.post(ORGS, 'name=x', { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(415);
    expect((await postCsv(admin, 'name,county,type\n"open,city,society\n')).status).toBe(400);
  });

  it('writes an import of 100 rows in one transaction', async () => {
    const rows = Array.from({ length: 100 }, (_, i) => `延津县第${i + 1}科普小组,延津县,其他`).join('\r\n');
    const res = await postCsv(admin, `名称,县区,类型\r\n${rows}`);
    expect(res.status).toBe(201);
    expect(res.body.items).toHaveLength(100);
    const names = new Set((await listed()).map((o) => o.name));
    expect(res.body.items.every((u) => names.has(u.name) && u.county === 'yanjin' && u.type === 'other')).toBe(true);
  });

  it('stores units all or none: one taken id and no unit of the batch is written', async () => {
    const info = runtimeInfo(dataDir);
    const campaign = findCampaign('2021-xinxiang');
    if (!campaign) throw new Error('no campaign');
    const directory = new DynamoDbOrganizationDirectory({ client: clientsFor(info).doc, tableName: info.resources.tables.main?.name ?? '' });
    const unit = (organizationId: string) => ({
      organizationId, name: organizationId, county: 'city', type: 'other' as const, listedAt: '2021-09-01T01:00:00.000Z', listedBy: 'u-test',
    });
    await directory.add(campaign, [unit('city-atomic01')]);
    await expect(directory.add(campaign, [unit('city-atomic02'), unit('city-atomic01')])).rejects.toBeInstanceOf(ConflictError);
    const ids = (await directory.list(campaign)).map((o) => o.organizationId);
    expect(ids).toContain('city-atomic01');
    expect(ids).not.toContain('city-atomic02');
  });

  it('is for admins only: an organizer gets 403', async () => {
    expect((await hongqi.post(ORGS, { name: '红旗区某学会', county: 'hongqi', type: 'society' })).status).toBe(403);
    expect((await postCsv(reviewer, 'name,county,type\n红旗区某学会,hongqi,society\n')).status).toBe(403);
  });
});

describe('API: a unit’s settings', () => {
  type Settings = Unit & { webhookUrl?: string; version: number; updatedAt?: string };
  const HONGQI = `${ORGS}/hongqi-kx`;

  it('lets the unit’s organizer change them with If-Match, ETag "0" before the first change', async () => {
    const res = await hongqi.patch<Settings>(
      HONGQI,
      { contact: { name: '红旗区科协 张老师', phone: '0373-5820656', email: 'zhang@example.cn' }, webhookUrl: 'https://hooks.example.cn/科普日' },
      { 'if-match': '"0"' },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toBe('"1"');
    expect(res.body).toEqual({
      organizationId: 'hongqi-kx',
      name: '红旗区科协',
      county: 'hongqi',
      type: 'association',
      contact: { name: '红旗区科协 张老师', phone: '0373-5820656', email: 'zhang@example.cn' },
      webhookUrl: 'https://hooks.example.cn/科普日',
      version: 1,
      updatedAt: expect.stringMatching(/^2021-09-01T09:\d\d:\d\d\.\d{3}\+08:00$/),
    });

    // Merge patch: null removes, the rest stays; an admin may change them too.
    const second = await admin.patch<Settings>(HONGQI, { webhookUrl: null }, { 'if-match': '"1"' });
    expect(second.status).toBe(200);
    expect(second.headers.get('etag')).toBe('"2"');
    expect(second.body.contact?.name).toBe('红旗区科协 张老师');
    expect(second.body).not.toHaveProperty('webhookUrl');

    // The unit is still listed once, and no settings item is listed as a unit.
    const items = await listed();
    expect(items.filter((o) => o.organizationId === 'hongqi-kx')).toEqual([
      { organizationId: 'hongqi-kx', name: '红旗区科协', county: 'hongqi', type: 'association' },
    ]);
    expect(items.every((o) => o.name && o.county && o.type)).toBe(true);
    // Settings live in a partition of their own.
    const info = runtimeInfo(dataDir);
    const query = (pk: string) =>
      clientsFor(info).doc.send(
        new QueryCommand({ TableName: info.resources.tables.main?.name, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk } }),
      );
    expect((await query(keys.organizationsPartition('2021-xinxiang'))).Items?.every((i) => i.entity === 'Organization')).toBe(true);
    expect((await query(organizationSettingsPartition('2021-xinxiang'))).Items).toEqual([
      expect.objectContaining({ entity: 'OrganizationSettings', organizationId: 'hongqi-kx', version: 2, updatedBy: 'u-admin' }),
    ]);
    expect(new Set(items.map((o) => o.organizationId)).size).toBe(items.length);
  });

  it('needs If-Match (428) and the current one (412, with the current ETag)', async () => {
    const missing = await hongqi.patch(HONGQI, { webhookUrl: 'https://hooks.example.cn/a' });
    expect(missing.status).toBe(428);
    const stale = await hongqi.patch(HONGQI, { webhookUrl: 'https://hooks.example.cn/a' }, { 'if-match': '"0"' });
    expect(stale.status).toBe(412);
    expect(stale.headers.get('etag')).toBe('"2"');
  });

  it('lets exactly one of 10 concurrent first changes win (the others 412)', async () => {
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => admin.patch(`${ORGS}/weibin-kx`, { webhookUrl: `https://hooks.example.cn/${i}` }, { 'if-match': '"0"' })),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, ...Array(9).fill(412)]);
  });

  it('refuses an http webhook (422 https_required)', async () => {
    const res = await hongqi.patch<Problem>(HONGQI, { webhookUrl: 'http://hooks.example.cn/x' }, { 'if-match': '"2"' });
    expect(res.status).toBe(422);
    expect(paths(res.body)).toEqual(['webhookUrl https_required']);
  });

  it('answers another unit’s organizer 404 as a missing unit, and a reviewer 403', async () => {
    const other = await weibin.patch<{ title: string }>(HONGQI, { webhookUrl: 'https://hooks.example.cn/x' }, { 'if-match': '"2"' });
    const nowhere = await weibin.patch<{ title: string }>(`${ORGS}/nowhere-kx`, {}, { 'if-match': '"0"' });
    expect([other.status, nowhere.status]).toEqual([404, 404]);
    expect(other.body.title).toBe(nowhere.body.title);
    expect((await reviewer.patch(HONGQI, {}, { 'if-match': '"2"' })).status).toBe(403);
  });

  it('serves units added at run time: their contact from creation is version 0', async () => {
    const added = await admin.post<{ items: Unit[] }>(ORGS, {
      name: '辉县市科普作家协会',
      county: 'huixian',
      type: 'society',
      contact: { name: '周', phone: '13903730002' },
    });
    const id = added.body.items[0]?.organizationId ?? '';
    const organizer = client(url, await tokenFor(url, { sub: 'u-new', orgId: id, roles: ['organizer'] }));
    const unchanged = await organizer.patch<Settings>(`${ORGS}/${id}`, {}, { 'if-match': '"0"' });
    expect(unchanged.status).toBe(200);
    expect(unchanged.headers.get('etag')).toBe('"0"');
    expect(unchanged.body).toMatchObject({ organizationId: id, contact: { name: '周', phone: '13903730002' }, version: 0 });
    const changed = await organizer.patch<Settings>(`${ORGS}/${id}`, { webhookUrl: 'https://hooks.example.cn/周' }, { 'if-match': '"0"' });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ contact: { name: '周' }, webhookUrl: 'https://hooks.example.cn/周', version: 1 });
  });
});

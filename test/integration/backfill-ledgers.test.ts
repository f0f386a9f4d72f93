// The personal-data ledgers' backfill (migration 0011, ADR 0047) on a runtime of its own: a person
// reports for their unit (an activity with their contact, the unit's summary and settings, which a
// colleague then changes: the person is only in its trail); the ledger items the stream wrote are then deleted, as if written before ADR 0047, so GET /v1/me/data
// finds nothing. The migration records them again from the items as stored, a second run changes
// nothing, and an erasure then scrubs every one of them.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteCommand, ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PSEUDONYM_KEY_FILE } from '../../infra/local/cursor-key';
import { hmacPseudonyms } from '../../shared/clients/pseudonyms';
import { backfillPersonalDataLedgers } from '../../shared/migrations/backfill-personal-data-ledgers';
import { spawnRuntime } from '../helpers/global-setup';
import { stopRuntime } from '../helpers/private-runtime';
import { clientsFor, eventually, runtimeInfo } from '../helpers/runtime';
import { client, completeActivity, tokenFor, type Client } from '../helpers/api';

const dataDir = mkdtempSync(join(tmpdir(), 'sciday-backfill-ledgers-'));
let runtime: ChildProcess;
let url = '';
let doc: DynamoDBDocumentClient;
let tables: { main: string; audit: string };
const C = '/v1/campaigns/2021-xinxiang';

const SUB = 'u-zhao-backfill';
const PHONE = '13855556666';
const EMAIL = 'zhao.backfill@example.cn';
const contact = { name: '回填赵六', phone: PHONE, email: EMAIL };

let zhao: Client;
let colleague: Client;
let admin: Client;

interface MyData {
  items: Array<{ subject: { pk: string; sk: string }; as: string[]; contact?: { phone?: string } }>;
}

async function scan(table: string): Promise<Array<Record<string, unknown>>> {
  const items: Array<Record<string, unknown>> = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

const ledgerItems = async () => (await scan(tables.audit)).filter((i) => String(i.sk).startsWith('TOUCH#'));
// Attributes in one order, whatever order a Scan answers them in.
const canonical = (v: unknown): unknown =>
  Array.isArray(v) ? v.map(canonical) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)).map(([k, x]) => [k, canonical(x)])) : v;
const sorted = (items: Array<Record<string, unknown>>) => items.map((i) => JSON.stringify(canonical(i))).sort();
const subjectsOf = (data: MyData) => data.items.map((i) => `${i.subject.pk}/${i.subject.sk}`).sort();
const backfill = () =>
  backfillPersonalDataLedgers({
    client: doc,
    mainTable: tables.main,
    auditTable: tables.audit,
    // The runtime's own key (infra/local/runtime.ts hands it to the handlers): the same contact hashes.
    pseudonyms: hmacPseudonyms(Buffer.from(readFileSync(join(dataDir, PSEUDONYM_KEY_FILE), 'utf8').trim(), 'base64url')),
  });

beforeAll(async () => {
  runtime = await spawnRuntime(dataDir, { SCIDAY_CLOCK: '2021-09-01T09:00:00+08:00' });
  const info = runtimeInfo(dataDir);
  url = info.url;
  doc = clientsFor(info).doc;
  tables = { main: info.resources.tables.main!.name, audit: info.resources.tables.audit!.name };
  zhao = client(url, await tokenFor(url, { sub: SUB, orgId: 'hongqi-kx', roles: ['organizer'] }));
  colleague = client(url, await tokenFor(url, { sub: 'u-qian-colleague', orgId: 'hongqi-kx', roles: ['organizer'] }));
  admin = client(url, await tokenFor(url, { sub: 'admin-xx', orgId: 'city-kx', roles: ['admin'] }));
});

afterAll(async () => {
  await stopRuntime(runtime, dataDir);
});

describe('Migration: 0011-backfill-personal-data-ledgers', () => {
  let activityId = '';
  let written: string[] = [];

  it('records items written before the ledgers, so access finds them, and a second run changes nothing', async () => {
    const created = await zhao.post<{ activityId: string }>(`${C}/activities`, { ...completeActivity(), contact });
    expect(created.status).toBe(201);
    activityId = created.body.activityId;
    expect((await zhao.post(`/v1/activities/${activityId}/submit`)).status).toBe(200);
    expect((await zhao.put(`${C}/organizations/hongqi-kx/summary`, { text: '本单位科普日活动工作总结，回填测试用，群众反响良好。' })).status).toBe(200);
    expect((await zhao.patch(`${C}/organizations/hongqi-kx`, { contact }, { 'if-match': '"0"' })).status).toBe(200);
    const settings = await colleague.patch(`${C}/organizations/hongqi-kx`, { contact: { name: '同事钱七', phone: '13977778888' } }, { 'if-match': '"1"' });
    expect(settings.status).toBe(200);
    const expected = [`ACT#${activityId}/A`, 'CAMP#2021-xinxiang#ORGSET/ORG#hongqi-kx', 'CAMP#2021-xinxiang#UNIT#hongqi-kx/SUMMARY'];
    written = subjectsOf(
      await eventually(async () => {
        const res = await zhao.get<MyData>('/v1/me/data');
        return expected.every((s) => subjectsOf(res.body).includes(s)) ? res.body : undefined;
      }),
    );
    await eventually(async () => ((await colleague.get<MyData>('/v1/me/data')).body.items.length > 0 ? true : undefined));
    const byStream = await ledgerItems();

    // As before ADR 0047: the items are there, the ledgers are not.
    for (const item of byStream) await doc.send(new DeleteCommand({ TableName: tables.audit, Key: { pk: item.pk, sk: item.sk } }));
    expect((await zhao.get<MyData>('/v1/me/data')).body.items).toEqual([]);
    const main = sorted(await scan(tables.main));

    const first = await backfill();
    expect(first).toMatchObject({ campaigns: 1, touched: expect.any(Number) });
    expect(first.items).toBeGreaterThanOrEqual(first.touched);
    expect(first.personTouches).toBeGreaterThanOrEqual(3);
    expect(first.contactTouches).toBeGreaterThanOrEqual(4);
    // What the audit writer wrote, the backfill writes: the same ledger items, and the items left as they were.
    expect(sorted(await ledgerItems())).toEqual(sorted(byStream));
    expect(sorted(await scan(tables.main))).toEqual(main);
    const found = await zhao.get<MyData>('/v1/me/data');
    expect(subjectsOf(found.body)).toEqual(written);
    expect(found.body.items.find((i) => i.subject.pk === `ACT#${activityId}`)).toMatchObject({ as: ['updatedBy', 'createdBy'], contact: { phone: PHONE } });

    // The settings name the colleague now: the person is found by the item's trail.
    expect(found.body.items.find((i) => i.subject.pk.endsWith('#ORGSET'))).toMatchObject({ as: [] });

    const ledgers = sorted(await scan(tables.audit));
    expect(await backfill()).toEqual(first);
    expect(sorted(await scan(tables.audit))).toEqual(ledgers);
    expect(sorted(await scan(tables.main))).toEqual(main);
  });

  it('lets an erasure find and scrub what the backfill recorded', async () => {
    const erased = await admin.post<{ counts: Record<string, number> }>(
      `/v1/people/${SUB}/erasure`,
      { reason: '本人申请删除个人信息', mode: 'erase', contacts: { phone: PHONE, email: EMAIL } },
      { 'idempotency-key': 'erasure-zhao-1' },
    );
    expect(erased.status).toBe(201);
    expect(erased.body.counts).toMatchObject({ items: written.length, scrubbed: written.length });
    const traces = [SUB, PHONE, EMAIL, contact.name];
    const holding = (items: Array<Record<string, unknown>>) => items.filter((i) => traces.some((t) => JSON.stringify(i).includes(t)));
    expect(holding(await scan(tables.main))).toEqual([]);
    await eventually(async () => ((await zhao.get<MyData>('/v1/me/data')).body.items.length === 0 ? true : undefined), 15_000, 'the ledgers emptied');
    // The trails too, the settings' included (the audit writer redacts them from the stream).
    await eventually(async () => (holding(await scan(tables.audit)).length === 0 ? true : undefined), 15_000, 'the audit table without the person').catch(() => undefined);
    expect(holding(await scan(tables.audit))).toEqual([]);
    expect((await admin.get<{ contact?: unknown }>(`/v1/activities/${activityId}`)).body.contact).toBeUndefined();
  });
});

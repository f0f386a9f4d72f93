// PIPL access and erasure (ADR 0047) through the gateway: a person with a distinctive name, phone
// and e-mail reports for their unit; GET /v1/me/data answers what they did; an admin erases them;
// then nothing of them is left in the main or audit table (a Scan, here in the test only), in an
// export made afterwards, or in the runtime's log lines.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutCommand, ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PRIVACY_NOTICE } from '../../shared/domain/privacy-notice';
import { stopRuntime, spawnRuntimeKeepingUnits } from '../helpers/private-runtime';
import { clientsFor, eventually, runtimeInfo } from '../helpers/runtime';
import { client, completeActivity, tokenFor, type Client } from '../helpers/api';

/** Units kept of the seed campaign's 130: the clock moves fan out one job per unit (test/helpers/private-runtime.ts). */
const UNITS = 50;

const dataDir = mkdtempSync(join(tmpdir(), 'sciday-personal-data-'));
let runtime: ChildProcess;
let url = '';
let doc: DynamoDBDocumentClient;
let tables: { main: string; audit: string; progress: string; idempotency: string };
let logs = '';
const C = '/v1/campaigns/2021-xinxiang';

const SUB = 'u-li-erase';
const NAME = '测试擦除李四';
const PHONE = '13811112222';
const EMAIL = 'li.erase@example.cn';
const TRACES = [SUB, NAME, PHONE, EMAIL];
const contact = { name: NAME, phone: PHONE, email: EMAIL };

let li: Client;
let colleague: Client;
let admin: Client;
let analyst: Client;

interface MyData {
  sub: string;
  items: Array<{ subject: { pk: string; sk: string }; entity?: string; as: string[]; contact?: { phone?: string }; fileName?: string }>;
  auditEntries: Array<{ actor: string; subject: { pk: string } }>;
  ownItems: Array<Record<string, unknown>>;
}

const as = async (sub: string, orgId: string, roles: string[], city?: string) => client(url, await tokenFor(url, { sub, orgId, roles, ...(city ? { city } : {}) }));

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

const tracesIn = (text: string) => TRACES.filter((t) => text.includes(t));

beforeAll(async () => {
  runtime = await spawnRuntimeKeepingUnits(UNITS, dataDir, { SCIDAY_CLOCK: '2021-09-01T09:00:00+08:00', POWERTOOLS_LOG_LEVEL: 'INFO' }, { output: (t) => (logs += t) });
  const info = runtimeInfo(dataDir);
  url = info.url;
  doc = clientsFor(info).doc;
  tables = { main: info.resources.tables.main!.name, audit: info.resources.tables.audit!.name, progress: info.resources.tables.progress!.name, idempotency: info.resources.tables.idempotency!.name };
  li = await as(SUB, 'hongqi-kx', ['organizer']);
  colleague = await as('u-wang-colleague', 'hongqi-kx', ['organizer']);
  admin = await as('admin-xx', 'city-kx', ['admin']);
  analyst = await as('analyst-xx', 'city-kx', ['analyst']);
});

afterAll(async () => {
  await stopRuntime(runtime, dataDir);
});

describe('API: personal information (PIPL)', () => {
  let registeredId = '';
  let draftId = '';

  it('lets a person download what they did, and only theirs', async () => {
    const created = await li.post<{ activityId: string }>(`${C}/activities`, { ...completeActivity(), contact });
    expect(created.status).toBe(201);
    registeredId = created.body.activityId;
    // With Idempotency-Key, as the web app sends it: the exactly-once records hold the answers.
    expect((await li.post(`/v1/activities/${registeredId}/submit`, undefined, { 'idempotency-key': 'li-submit-1' })).status).toBe(200);
    // A photo whose file name, as uploaded, holds the person's name (the media item keeps it).
    const photo = await li.post<{ mediaId: string }>(`/v1/activities/${registeredId}/uploads`, { kind: 'photo', fileName: `${NAME}的讲座.jpg`, contentType: 'image/jpeg', size: 2048 }, { 'idempotency-key': 'li-upload-1' });
    expect(photo.status).toBe(201);
    const draft = await li.post<{ activityId: string; version: number }>(`${C}/activities`, { title: '测试擦除的草稿活动', contact });
    expect(draft.status).toBe(201);
    draftId = draft.body.activityId;
    // A colleague changes the draft afterwards: its `updatedBy` is then someone else.
    expect((await colleague.patch(`/v1/activities/${draftId}`, { title: '同事修改过的草稿' }, { 'if-match': `"${draft.body.version}"` })).status).toBe(200);
    expect((await li.put(`${C}/organizations/hongqi-kx/summary`, { text: '本单位科普日活动工作总结，共组织活动多场，群众反响良好。' })).status).toBe(200);
    expect((await li.patch(`${C}/organizations/hongqi-kx`, { contact }, { 'if-match': '"0"' })).status).toBe(200);
    // A privacy-notice acknowledgement, as the privacy notice's route stores it.
    await doc.send(new PutCommand({ TableName: tables.main, Item: { pk: `PERSON#${SUB}`, sk: 'NOTICE#2021-1', entity: 'NoticeAcknowledgement', sub: SUB, version: '2021-1', acknowledgedAt: '2021-09-01T01:00:00.000Z' } }));

    const mine = await eventually(async () => {
      const res = await li.get<MyData>('/v1/me/data');
      expect(res.status).toBe(200);
      return res.body.items.length >= 6 ? res : undefined;
    });
    expect(mine.headers.get('content-disposition')).toMatch(/^attachment/);
    expect(mine.body.sub).toBe(SUB);
    const subjects = mine.body.items.map((i) => `${i.subject.pk}/${i.subject.sk}`);
    expect(subjects).toEqual(
      expect.arrayContaining([`ACT#${registeredId}/A`, `ACT#${draftId}/A`, 'CAMP#2021-xinxiang#UNIT#hongqi-kx/SUMMARY', 'CAMP#2021-xinxiang#ORGSET/ORG#hongqi-kx', `PERSON#${SUB}/NOTICE#2021-1`]),
    );
    expect(mine.body.items.find((i) => i.subject.pk === `ACT#${registeredId}` && i.subject.sk === 'A')).toMatchObject({ as: ['updatedBy', 'createdBy'], contact: { phone: PHONE } });
    expect(mine.body.items.find((i) => i.entity === 'Media')).toMatchObject({ as: ['createdBy'], fileName: `${NAME}的讲座.jpg` });
    expect(mine.body.auditEntries.length).toBeGreaterThanOrEqual(5);
    expect(mine.body.auditEntries.every((e) => e.actor === SUB)).toBe(true);
    expect(mine.body.ownItems).toEqual([expect.objectContaining({ sub: SUB, version: '2021-1' })]);

    // The colleague's download names the draft they changed, and nothing of li's.
    const theirs = await eventually(async () => {
      const res = await colleague.get<MyData>('/v1/me/data');
      return res.body.items.length > 0 ? res.body : undefined;
    });
    expect(theirs.items.map((i) => i.subject.pk)).toEqual([`ACT#${draftId}`]);
    expect(theirs.auditEntries.every((e) => e.actor === 'u-wang-colleague')).toBe(true);
    expect(theirs.ownItems).toEqual([]);
  });

  it('asks again when the privacy notice has a new version', async () => {
    // An acknowledgement of an earlier version, as stored before the notice changed.
    const who = 'u-notice-earlier';
    await doc.send(new PutCommand({ TableName: tables.main, Item: { pk: `PERSON#${who}`, sk: 'NOTICE#2020-1', entity: 'NoticeAcknowledgement', sub: who, version: '2020-1', acknowledgedAt: '2020-09-01T01:00:00.000Z' } }));
    const person = await as(who, 'hongqi-kx', ['organizer']);
    const asked = await person.get<{ version: string; acknowledgedAt: string | null }>('/v1/me/privacy-notice');
    expect(asked.body).toMatchObject({ version: PRIVACY_NOTICE.version, acknowledgedAt: null });
    expect(PRIVACY_NOTICE.version).not.toBe('2020-1');
    expect((await person.put('/v1/me/privacy-notice', { version: '2020-1' })).status).toBe(422);
    expect((await person.put('/v1/me/privacy-notice', { version: PRIVACY_NOTICE.version })).status).toBe(200);
    expect((await person.get<{ acknowledgedAt: string | null }>('/v1/me/privacy-notice')).body.acknowledgedAt).not.toBeNull();
  });

  it('lets only an admin of the person’s city erase them', async () => {
    const body = { reason: '本人申请删除个人信息', mode: 'erase', contacts: { phone: PHONE, email: EMAIL } };
    expect((await li.post(`/v1/people/${SUB}/erasure`, body)).status).toBe(403);
    expect((await analyst.post(`/v1/people/${SUB}/erasure`, body)).status).toBe(403);
    const anyang = await as('admin-ay', 'city-kx', ['admin'], 'anyang');
    expect((await anyang.post(`/v1/people/${SUB}/erasure`, body)).status).toBe(404);
    expect((await admin.post(`/v1/people/${SUB}/erasure`, { ...body, mode: 'forget' })).status).toBe(422);
  });

  it('erases the person: pseudonyms for their sub, contacts gone, trails redacted, nothing left to find', async () => {
    const body = { reason: '本人申请删除个人信息', mode: 'erase', contacts: { phone: PHONE, email: EMAIL } };
    const key = { 'idempotency-key': 'erasure-li-1' };
    const erased = await admin.post<{ erasureId: string; pseudonym: string; counts: Record<string, number> }>(`/v1/people/${SUB}/erasure`, body, key);
    expect({ status: erased.status, errors: erased.status === 201 ? [] : logs.split('\n').filter((l) => l.includes('"level":"ERROR"')) }).toEqual({ status: 201, errors: [] });
    expect(erased.body.pseudonym).toMatch(/^anon-/);
    expect(erased.body.counts).toMatchObject({ items: 6, scrubbed: 6, notices: 1 });
    expect(erased.text).not.toContain(SUB);
    const again = await admin.post<{ erasureId: string }>(`/v1/people/${SUB}/erasure`, body, key);
    expect(again.body.erasureId).toBe(erased.body.erasureId);

    // The audit writer redacts the trails and empties the ledgers from the stream.
    await eventually(async () => {
      const res = await li.get<MyData>('/v1/me/data');
      return res.body.items.length === 0 && res.body.auditEntries.length === 0 && res.body.ownItems.length === 0 ? true : undefined;
    });
    const main = await scan(tables.main);
    const holding = (items: Array<Record<string, unknown>>) => items.filter((i) => tracesIn(JSON.stringify(i)).length > 0);
    await eventually(async () => (holding(await scan(tables.audit)).length === 0 ? true : undefined), 15_000, 'the audit table without the person').catch(() => undefined);
    expect(holding(main)).toEqual([]);
    const audit = await scan(tables.audit);
    expect(holding(audit)).toEqual([]);
    // Nor the read models (progress, scores, public calendar).
    expect(holding(await scan(tables.progress))).toEqual([]);
    // The exactly-once records keep a request's first answer to replay it (API.md: 24 h), keyed by a
    // hash of the caller's own key: none is searchable by person, and each is gone within 24 h of
    // its request by TTL, so within 24 h of the erasure (ADR 0047, amended).
    // (Powertools stamps the expiry with the real time, not the runtime's moved clock.)
    const erasedAt = Date.now() / 1000;
    const records = holding(await scan(tables.idempotency));
    for (const record of records) expect(Number(record.expiration)).toBeLessThanOrEqual(erasedAt + 24 * 3600);
    // An acknowledgement is its own record and is not audited (ADR 0046): no trail under the person's key
    // nor the pseudonym's, and the item itself is gone (mode erase).
    expect(audit.filter((e) => String(e.pk).startsWith('AUDIT#PERSON#'))).toEqual([]);
    expect(main.filter((i) => i.pk === `PERSON#${SUB}` || i.pk === `PERSON#${erased.body.pseudonym}`)).toEqual([]);

    // What must stay stays, under the pseudonym: the registered activity and its trail.
    const activity = await admin.get<{ status: string; contact?: unknown }>(`/v1/activities/${registeredId}`);
    expect(activity.body.status).toBe('registered');
    expect(activity.body.contact).toBeUndefined();
    const history = await admin.get<{ items: Array<{ actor: string; action: string; changes: Array<{ path: string; old?: unknown; new?: unknown }> }> }>(
      `/v1/activities/${registeredId}/history`,
    );
    expect(history.body.items[0]).toMatchObject({ action: 'created', actor: erased.body.pseudonym });
    expect(history.body.items.at(-1)).toMatchObject({ actor: 'admin-xx', changes: expect.arrayContaining([{ path: 'contact' }]) });
    // The photo keeps a neutral name: its id and extension.
    const media = await admin.get<{ items: Array<{ mediaId: string; fileName: string }> }>(`/v1/activities/${registeredId}/media`);
    expect(media.body.items.map((m) => m.fileName)).toEqual([`${media.body.items[0]?.mediaId}.jpg`]);
    // The colleague's change of the draft keeps their name.
    const draftHistory = await admin.get<{ items: Array<{ actor: string }> }>(`/v1/activities/${draftId}/history`);
    expect(draftHistory.body.items.map((e) => e.actor)).toEqual(expect.arrayContaining([erased.body.pseudonym, 'u-wang-colleague']));

    // An export made after the erasure holds none of it.
    const requested = await analyst.post<{ exportId: string }>(`${C}/exports`, { format: 'csv' });
    expect(requested.status).toBe(202);
    const done = await eventually(
      async () => {
        const res = await analyst.get<{ status: string; files: Array<{ url: string | null }> }>(`/v1/exports/${requested.body.exportId}`);
        return res.body.status === 'succeeded' ? res.body : undefined;
      },
      60_000,
      'the export',
    );
    const files = await Promise.all(done.files.filter((f) => f.url).map(async (f) => (await fetch(f.url!)).text()));
    expect(files.length).toBeGreaterThan(0);
    expect(tracesIn(files.join('\n'))).toEqual([]);

    // Nor did any log line of the runtime name them.
    expect(logs.length).toBeGreaterThan(0);
    expect(tracesIn(logs).filter((t) => t !== SUB)).toEqual([]);
  });

  it('pseudonymises on request: the acknowledgement stays under the pseudonym, and the erasure itself is audited', async () => {
    const SUB2 = 'u-zhao-pseudo';
    const zhao = await as(SUB2, 'hongqi-kx', ['organizer']);
    const created = await zhao.post<{ activityId: string }>(`${C}/activities`, { ...completeActivity(), contact: { name: '假名化赵六', phone: '13955556666' } });
    expect(created.status).toBe(201);
    await doc.send(new PutCommand({ TableName: tables.main, Item: { pk: `PERSON#${SUB2}`, sk: 'NOTICE#2021-1', entity: 'NoticeAcknowledgement', sub: SUB2, version: '2021-1', acknowledgedAt: '2021-09-01T01:00:00.000Z' } }));
    await eventually(async () => ((await zhao.get<MyData>('/v1/me/data')).body.items.length >= 2 ? true : undefined));
    const erased = await admin.post<{ erasureId: string; pseudonym: string }>(`/v1/people/${SUB2}/erasure`, { reason: '本人申请假名化', mode: 'pseudonymise', contacts: { phone: '13955556666' } });
    expect(erased.status).toBe(201);
    // The audit writer rewrites the trails and empties the ledgers from the stream: wait for it.
    await eventually(async () => {
      const res = await zhao.get<MyData>('/v1/me/data');
      return res.body.items.length === 0 && res.body.auditEntries.length === 0 && res.body.ownItems.length === 0 ? true : undefined;
    });
    const main = await scan(tables.main);
    expect(main.filter((i) => JSON.stringify(i).includes(SUB2) || JSON.stringify(i).includes('13955556666'))).toEqual([]);
    expect(main.find((i) => i.pk === `PERSON#${erased.body.pseudonym}` && i.sk === 'NOTICE#2021-1')).toMatchObject({ sub: erased.body.pseudonym, version: '2021-1' });
    // The erasure is an item of its own, and the audit writer records it: who asked, never the sub.
    const trail = await eventually(async () => {
      const entries = (await scan(tables.audit)).filter((e) => JSON.stringify(e).includes(erased.body.erasureId));
      return entries.length > 0 ? entries : undefined;
    }, 15_000, 'the erasure’s audit entry');
    expect(JSON.stringify(trail)).toContain('admin-xx');
    await eventually(async () => ((await scan(tables.audit)).every((e) => !JSON.stringify(e).includes(SUB2)) ? true : undefined), 15_000, 'the trails without the sub');
  });

  it('purges a closed campaign past its retention, once: contacts gone, actors pseudonymised', async () => {
    const zhang = await as('u-zhang-retain', 'hongqi-kx', ['organizer']);
    const kept = ['u-zhang-retain', '保留期张三', '13933334444'];
    const created = await zhang.post<{ activityId: string }>(`${C}/activities`, { ...completeActivity(), contact: { name: '保留期张三', phone: '13933334444' } });
    expect(created.status).toBe(201);
    const id = created.body.activityId;
    expect((await zhang.post(`/v1/activities/${id}/submit`)).status).toBe(200);
    expect((await zhang.post(`/v1/activities/${id}/uploads`, { kind: 'photo', fileName: '保留期张三的合影.jpg', contentType: 'image/jpeg', size: 2048 })).status).toBe(201);
    expect((await admin.post(`${C}/close`, { reason: '活动结束，资料归档' })).status).toBe(200);
    const definition = await admin.get<{ definition: { retentionDays: number } }>(`${C}/definition`);
    expect(definition.body.definition.retentionDays).toBe(1095);
    // Closed on 2021-09-01: expires 1,095 days later.
    const main = () => scan(tables.main);
    expect((await main()).filter((i) => i.pk === 'RETAIN#2024-08')).toEqual([expect.objectContaining({ campaignId: '2021-xinxiang', expiresOn: '2024-08-31' })]);
    await eventually(async () => ((await scan(tables.audit)).some((e) => e.pk === `PERSON#u-zhang-retain`) ? true : undefined));

    const moveClock = async (now: string) => {
      const res = await fetch(`${url}/local/clock`, { method: 'POST', body: JSON.stringify({ now, frozen: true }) });
      expect(res.status).toBe(200);
      admin = await as('admin-xx', 'city-kx', ['admin']);
    };
    await moveClock('2024-08-30T04:00:00+08:00');
    expect((await admin.get<{ contact?: unknown }>(`/v1/activities/${id}`)).body.contact).toEqual({ name: '保留期张三', phone: '13933334444' });

    await moveClock('2024-09-01T04:00:00+08:00');
    const holding = (items: Array<Record<string, unknown>>) => items.filter((i) => kept.some((t) => JSON.stringify(i).includes(t)));
    await eventually(async () => (holding([...(await main()), ...(await scan(tables.audit))]).length === 0 ? true : undefined), 30_000, 'the purge').catch(() => undefined);
    expect(holding(await main())).toEqual([]);
    expect(holding(await scan(tables.audit))).toEqual([]);
    expect((await main()).find((i) => i.pk === 'RETAIN#2024-08')).toMatchObject({ purgedAt: expect.any(String) });
    const purged = await admin.get<{ version: number; contact?: unknown }>(`/v1/activities/${id}`);
    expect(purged.body.contact).toBeUndefined();
    const history = await admin.get<{ items: Array<{ actor: string }> }>(`/v1/activities/${id}/history`);
    expect(history.body.items.map((e) => e.actor)).toEqual(expect.arrayContaining([expect.stringMatching(/^anon-/), 'system']));

    // The next day's run finds nothing due and changes nothing. The audit writer finishes the
    // purge's ledger work (deleting touches that hold hashes only) from the stream: wait until the
    // audit table stops changing before counting.
    let auditBefore = (await scan(tables.audit)).length;
    await eventually(async () => {
      await new Promise((r) => setTimeout(r, 1000));
      const now = (await scan(tables.audit)).length;
      const settled = now === auditBefore;
      auditBefore = now;
      return settled ? true : undefined;
    }, 20_000, 'the audit table to settle');
    await moveClock('2024-09-02T04:00:00+08:00');
    await new Promise((r) => setTimeout(r, 1500));
    expect((await admin.get<{ version: number }>(`/v1/activities/${id}`)).body.version).toBe(purged.body.version);
    expect((await scan(tables.audit)).length).toBe(auditBefore);
  });
});

// A unit's webhook URL holds its robot's access token (PIPL, ADR 0048): sealed in the table, so
// never in clear in the stored item, the audit trail written from its stream, or an export; shown
// whole only to those who may change it (the unit's organizer, an admin of the city).
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { AesGcmSealer, webhookContext } from '../../shared/clients/secret-sealer';
import { WEBHOOK_KEY_FILE } from '../../infra/local/cursor-key';
import { spawnRuntime } from '../helpers/global-setup';
import { stopRuntime } from '../helpers/private-runtime';
import { clientsFor, eventually, runtimeInfo, type Clients } from '../helpers/runtime';
import { client, tokenFor, type Client } from '../helpers/api';

const dataDir = mkdtempSync(join(tmpdir(), 'sciday-webhook-secrets-'));
const C = '/v1/campaigns/2021-xinxiang';
const TOKEN = 'f3c1e2d4-9b7a-4c21-8e55-robot-token-7d2a';
const URL_ = `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=${TOKEN}`;
let runtime: ChildProcess;
let aws: Clients;
let tables: { main: string; audit: string };
let organizer: Client;
let admin: Client;
let otherUnit: Client;
let reviewer: Client;
let analyst: Client;

beforeAll(async () => {
  runtime = await spawnRuntime(dataDir, { SCIDAY_CLOCK: '2021-09-01T09:00:00+08:00' });
  const info = runtimeInfo(dataDir);
  aws = clientsFor(info);
  tables = { main: info.resources.tables.main?.name ?? '', audit: info.resources.tables.audit?.name ?? '' };
  const as = async (sub: string, orgId: string, role: string) => client(info.url, await tokenFor(info.url, { sub, orgId, roles: [role] }));
  organizer = await as('u-hongqi', 'hongqi-kx', 'organizer');
  admin = await as('u-admin', 'xinxiang-kx', 'admin');
  otherUnit = await as('u-weibin', 'weibin-kx', 'organizer');
  reviewer = await as('u-rev', 'xinxiang-kx', 'reviewer');
  analyst = await as('u-analyst', 'xinxiang-kx', 'analyst');
});

afterAll(async () => {
  for (const c of Object.values(aws)) c.destroy();
  await stopRuntime(runtime, dataDir);
});

const scanAll = async (table: string) => {
  const items: Array<Record<string, unknown>> = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await aws.doc.send(new ScanCommand({ TableName: table, ...(ExclusiveStartKey ? { ExclusiveStartKey } : {}) }));
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
};

describe('A unit’s webhook URL (ADR 0048)', () => {
  it('is answered whole to the unit’s organizer and an admin, stored sealed, and sealed in every audit entry', async () => {
    // Act: the organizer sets it, an admin changes the contact beside it
    const set = await organizer.patch<{ webhookUrl?: string }>(`${C}/organizations/hongqi-kx`, { webhookUrl: URL_ }, { 'if-match': '"0"' });
    const changed = await admin.patch<{ webhookUrl?: string }>(`${C}/organizations/hongqi-kx`, { contact: { name: '张老师', phone: '0373-5820656' } }, { 'if-match': '"1"' });
    // Assess: those who may change it see it
    expect(set.status).toBe(200);
    expect(set.body.webhookUrl).toBe(URL_);
    expect(changed.body.webhookUrl).toBe(URL_);
    // The stored item holds it sealed, for this unit only (the data dir's key opens it)
    const items = await scanAll(tables.main);
    expect(JSON.stringify(items)).not.toContain(TOKEN);
    const settings = items.find((i) => i.entity === 'OrganizationSettings' && i.organizationId === 'hongqi-kx');
    expect(String(settings?.webhookUrl)).toMatch(/^sealed:v1:/);
    const key = Buffer.from(readFileSync(join(dataDir, WEBHOOK_KEY_FILE), 'utf8').trim(), 'base64url');
    const sealer = new AesGcmSealer(async () => key);
    await expect(sealer.open(String(settings?.webhookUrl), webhookContext('2021-xinxiang', 'hongqi-kx'))).resolves.toBe(URL_);
    await expect(sealer.open(String(settings?.webhookUrl), webhookContext('2021-xinxiang', 'weibin-kx'))).rejects.toThrow();
    // The audit trail has both changes, the URL sealed, and the contact change did not touch it
    const audits = await eventually(async () => {
      // Entries only: the audit table also holds the person and contact ledgers (ADR 0047).
      const found = (await scanAll(tables.audit)).filter((a) => a.entity === 'OrganizationSettings' && String(a.pk).startsWith('AUDIT#'));
      return found.length >= 2 ? found : undefined;
    }, 20_000, 'the audit entries of the settings');
    expect(JSON.stringify(audits)).not.toContain(TOKEN);
    expect(JSON.stringify(audits)).toContain('sealed:v1:');
    const paths = audits.map((a) => (a.changes as Array<{ path: string }>).map((c) => c.path));
    expect(paths).toEqual(expect.arrayContaining([expect.arrayContaining(['webhookUrl']), expect.not.arrayContaining(['webhookUrl'])]));
  });

  it('is shown to no one else: another unit’s organizer and a reviewer get no settings, the unit list names no URL', async () => {
    expect((await otherUnit.patch(`${C}/organizations/hongqi-kx`, { contact: null }, { 'if-match': '"2"' })).status).toBe(404);
    expect((await reviewer.patch(`${C}/organizations/hongqi-kx`, { contact: null }, { 'if-match': '"2"' })).status).toBe(403);
    const list = await reviewer.get(`${C}/organizations?limit=100`);
    expect(list.status).toBe(200);
    expect(JSON.stringify(list.body)).not.toContain('qyapi');
  });

  it('is in no export', async () => {
    const asked = await analyst.post<{ exportId: string }>(`${C}/exports`, { format: 'csv' });
    expect(asked.status).toBe(202);
    const done = await eventually(async () => {
      const res = await analyst.get<{ status: string; files: Array<{ url: string | null }> }>(`/v1/exports/${asked.body.exportId}`);
      if (res.body.status === 'failed') throw new Error('the export failed');
      return res.body.status === 'succeeded' ? res.body : undefined;
    }, 60_000, 'the export');
    expect(done.files.length).toBeGreaterThan(0);
    for (const file of done.files.filter((f) => f.url)) {
      const text = Buffer.from(await (await fetch(file.url ?? '')).arrayBuffer()).toString('latin1');
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain('qyapi');
    }
  });
});

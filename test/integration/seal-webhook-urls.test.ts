// Migration 0008 (shared/migrations/seal-webhook-urls.ts, ADR 0048) on the running local runtime's
// tables: a webhook URL stored in clear by an earlier version is sealed for its unit, its audit
// entries are masked, and a second run changes nothing.
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { AesGcmSealer, webhookContext } from '../../shared/clients/secret-sealer';
import { sealWebhookUrls } from '../../shared/migrations/seal-webhook-urls';
import { keys } from '../../shared/repositories/keys';
import { organizationSettingsKey } from '../../shared/repositories/organization-repository';
import { clientsFor, runtimeInfo, uniqueId } from '../helpers/runtime';

const info = runtimeInfo();
const { doc, ...others } = clientsFor(info);
const tableName = info.resources.tables.main?.name ?? '';
const auditTableName = info.resources.tables.audit?.name ?? '';
const campaignId = uniqueId('seal');
const sealer = new AesGcmSealer(async () => Buffer.alloc(32, 'migration-test-key'));
const url = 'https://oapi.dingtalk.com/robot/send?access_token=0123456789abcdef';

afterAll(() => {
  doc.destroy();
  for (const client of Object.values(others)) client.destroy();
});

describe('Migration 0008: seal webhook URLs', () => {
  it('seals a plain URL for its unit, masks it in the audit trail, and a second run changes nothing', async () => {
    // Prepare: settings and their audit entry as an earlier version wrote them
    const key = organizationSettingsKey(campaignId, 'hongqi-kx');
    await doc.send(new PutCommand({ TableName: tableName, Item: { ...key, entity: 'OrganizationSettings', campaignId, organizationId: 'hongqi-kx', version: 1, webhookUrl: url } }));
    const entry = { ...keys.auditEntry(key, '2021-09-01T01:00:00.000Z', uniqueId('event')), subject: key, entity: 'OrganizationSettings', action: 'created', actor: 'u', changes: [{ path: 'version', new: 1 }, { path: 'webhookUrl', new: url }] };
    await doc.send(new PutCommand({ TableName: auditTableName, Item: entry }));

    // Act
    const first = await sealWebhookUrls({ client: doc, tableName, auditTableName, sealer });
    const stored = (await doc.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }))).Item;
    const second = await sealWebhookUrls({ client: doc, tableName, auditTableName, sealer });
    const again = (await doc.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }))).Item;
    const audited = (await doc.send(new GetCommand({ TableName: auditTableName, Key: { pk: entry.pk, sk: entry.sk }, ConsistentRead: true }))).Item;

    // Assess
    expect(first).toMatchObject({ sealed: expect.any(Number) });
    expect(first.sealed).toBeGreaterThanOrEqual(1);
    expect(String(stored?.webhookUrl)).toMatch(/^sealed:v1:/);
    await expect(sealer.open(String(stored?.webhookUrl), webhookContext(campaignId, 'hongqi-kx'))).resolves.toBe(url);
    expect(audited?.changes).toEqual([{ path: 'version', new: 1 }, { path: 'webhookUrl', new: 'https://oapi.dingtalk.com/…cdef' }]);
    expect(again?.webhookUrl).toBe(stored?.webhookUrl);
    expect(JSON.stringify(second)).not.toContain(campaignId);
    expect(second.sealed).toBe(0);
  });
});

// Migration 0007 (shared/migrations/count-drafts.ts, ADR 0042) on the running local runtime's main
// table: drafts written the way an earlier version wrote them (no draft count) get their unit's
// count; a count with no draft behind it goes to 0; registered activities are not counted; a second
// run sets the same numbers.
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { findCampaign } from '../../shared/campaigns/index';
import type { Campaign } from '../../shared/domain/campaign';
import { countDrafts } from '../../shared/migrations/count-drafts';
import { keys } from '../../shared/repositories/keys';
import { completeActivity } from '../helpers/api';
import { clientsFor, runtimeInfo, uniqueId } from '../helpers/runtime';
import { activityItems, draftRecord } from '../helpers/seed';

const info = runtimeInfo();
const { doc, ...others } = clientsFor(info);
const tableName = info.resources.tables.main?.name ?? '';
const campaign = { ...(findCampaign('2021-xinxiang') as Campaign), id: uniqueId('drafts') };

afterAll(() => {
  doc.destroy();
  for (const client of Object.values(others)) client.destroy();
});

const count = async (organizationId: string) =>
  (await doc.send(new GetCommand({ TableName: tableName, Key: keys.draftCount(campaign.id, organizationId), ConsistentRead: true }))).Item?.drafts;

describe('Migration 0007: count drafts', () => {
  it('counts each unit’s stored drafts, resets a count with none behind it, and a second run sets the same', async () => {
    // Prepare: hongqi 3 drafts and 1 registered, weibin 1 draft, all without a count; muye a stale count.
    const at = '2021-09-10T01:00:00.000Z';
    const records = [
      ...['a1', 'a2', 'a3', 'a4'].map((id) => draftRecord(campaign, { activityId: `${campaign.id}-${id}`, organizationId: 'hongqi-kx', at, body: completeActivity() })),
      draftRecord(campaign, { activityId: `${campaign.id}-b1`, organizationId: 'weibin-kx', at, body: completeActivity() }),
    ];
    const items = await activityItems(records);
    items[3] = { ...items[3], status: 'registered', version: 2, submittedAt: at };
    for (const Item of items) await doc.send(new PutCommand({ TableName: tableName, Item }));
    await doc.send(new PutCommand({ TableName: tableName, Item: { ...keys.draftCount(campaign.id, 'muye-kx'), entity: 'DraftCount', campaignId: campaign.id, organizationId: 'muye-kx', drafts: -2 } }));
    expect(await count('hongqi-kx')).toBeUndefined();

    // Act
    const report = await countDrafts({ client: doc, tableName });

    // Assess
    expect(report.drafts).toBeGreaterThanOrEqual(4);
    expect([await count('hongqi-kx'), await count('weibin-kx'), await count('muye-kx')]).toEqual([3, 1, 0]);
    await countDrafts({ client: doc, tableName });
    expect([await count('hongqi-kx'), await count('weibin-kx'), await count('muye-kx')]).toEqual([3, 1, 0]);
  });
});

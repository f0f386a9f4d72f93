// Hot keys at national scale (ADR 0028, docs/scale.md): one second of the country's peak — 2,000
// activities created and submitted across 400 units, one in ten raising a flag — written through
// the repositories and the submit use case against the running DynamoDB Local, every write
// recorded on its way out. The burst goes to a copy of the main table without a stream (its keys and
// indexes as provisioned): what the stream makes of each write is charged on paper below, and 4,000
// records through the runtime's projectors only cost every later suite time. The live projector is
// proven on its own, smaller burst (one activity per unit) in the real table. Each write is charged to the partition-key value it lands on, in the
// main table and in each index that carries the item (projection ALL: the index write costs the
// item's size), and so are the writes the table's stream makes of it (one audit entry; the progress
// projector's contribution and its unit's totals, both in transactions). No key value may take more
// than DynamoDB's 1,000 WCU/s per partition; before the sharding, the campaign's activities
// partition took twelve times that. Then the readers of the sharded partitions (the reviewers' list,
// the flags list, the export's readers, the board) see every item once and in order, the live
// projector writes the sharded totals, and the migration moves what was written before.
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Principal } from '../../shared/auth/principal';
import { findCampaign } from '../../shared/campaigns/index';
import type { ActivityRecord } from '../../shared/domain/activity';
import type { Campaign } from '../../shared/domain/campaign';
import { fixedClock } from '../../shared/domain/clock';
import { DynamoDbExportSource, type Pages } from '../../shared/export/readers';
import { shardCampaignPartitions } from '../../shared/migrations/shard-campaign-partitions';
import { DynamoDbActivityRepository } from '../../shared/repositories/activity-repository';
import { fixedCampaignCatalog } from '../../shared/repositories/cached-campaign-catalog';
import { DynamoDbExtensionSource } from '../../shared/repositories/extension-repository';
import { DynamoDbFlagRepository } from '../../shared/repositories/flag-repository';
import { CAMPAIGN_SHARDS, keys } from '../../shared/repositories/keys';
import { DynamoDbProgressStore, progressKeys } from '../../shared/repositories/progress-repository';
import { submitActivity } from '../../shared/use-cases/submit-activity';
import { completeActivity } from '../helpers/api';
import { itemSize, writeUnits } from '../helpers/dynamo-capacity';
import { clientsFor, eventually, runtimeInfo, uniqueId } from '../helpers/runtime';
import { createMainTable } from '../bench/local-dynamo';
import { activityItems, batchWrite, draftRecord } from '../helpers/seed';

jest.setTimeout(300_000);

type Item = Record<string, unknown>;

const info = runtimeInfo();
const { doc, ...others } = clientsFor(info);
const liveMainTable = info.resources.tables.main?.name ?? '';
const progressTable = info.resources.tables.progress?.name ?? '';
/** The burst's table: the main table's keys and indexes, no stream (made in beforeAll). */
let mainTable = '';

/** The national peak (docs/scale.md): this many submissions in one second. */
const NATIONAL_RATE = 2_000;
/** DynamoDB's write capacity of one partition, per second. */
const PARTITION_WCU = 1_000;
const UNITS = 400;
const PER_UNIT = NATIONAL_RATE / UNITS;

// A campaign of its own (2021-xinxiang's rules, 400 units), so no other test's counts move.
const base = findCampaign('2021-xinxiang') as Campaign;
const run = uniqueId('hot');
/** The live projector's campaign: the same units, one activity each, in the runtime's main table. */
const live = `${run}-live`;
const units = Array.from({ length: UNITS }, (_, u) => ({ ...(base.organizations[0] as Campaign['organizations'][number]), organizationId: `${run}-u${u}` }));
const campaign: Campaign = { ...base, id: run, organizations: units };

beforeAll(async () => {
  mainTable = await createMainTable(info.endpoints.dynamodb, `hotkeys-${run}`);
});

afterAll(async () => {
  await others.dynamodb.send(new DeleteTableCommand({ TableName: mainTable }));
  doc.destroy();
  for (const client of Object.values(others)) client.destroy();
});

/** A write as it left the process: the table, the whole item, whether in a transaction (2× capacity). */
interface Write {
  readonly table: string;
  readonly item: Item;
  readonly transactional: boolean;
}

/** The document client, every Put-family write recorded (Put, TransactWriteItems' Puts, BatchWriteItem's PutRequests). */
function recording(writes: Write[]): DynamoDBDocumentClient {
  return {
    send: (command: { input: Record<string, unknown> }) => {
      const input = command.input as {
        TableName?: string;
        Item?: Item;
        TransactItems?: Array<{ Put?: { TableName: string; Item: Item } }>;
        RequestItems?: Record<string, unknown>;
      };
      if (input.TableName && input.Item) writes.push({ table: input.TableName, item: input.Item, transactional: false });
      for (const t of input.TransactItems ?? []) if (t.Put) writes.push({ table: t.Put.TableName, item: t.Put.Item, transactional: true });
      for (const [table, requests] of Object.entries(input.RequestItems ?? {})) {
        if (!Array.isArray(requests)) continue;
        for (const r of requests as Array<{ PutRequest?: { Item: Item } }>) if (r.PutRequest) writes.push({ table, item: r.PutRequest.Item, transactional: false });
      }
      return doc.send(command as never);
    },
  } as unknown as DynamoDBDocumentClient;
}

/** WCU per partition-key value, per table and index (`main`, `main/gsi1` …, `audit`, `progress`). */
type Load = Map<string, Map<string, number>>;

function charge(load: Load, where: string, value: string, wcu: number): void {
  const keysOf = load.get(where) ?? new Map<string, number>();
  keysOf.set(value, (keysOf.get(value) ?? 0) + wcu);
  load.set(where, keysOf);
}

/** The PROGRESS-projected entities (ADR 0021). */
const PROJECTED = new Set(['Activity', 'Results', 'Flag', 'Summary']);

/** What the burst's writes cost each key value, with what the main table's stream makes of them. */
function loadOf(writes: readonly Write[]): Load {
  const load: Load = new Map();
  for (const { item, transactional } of writes) {
    const wcu = writeUnits(itemSize(item), transactional);
    charge(load, 'main', String(item.pk), wcu);
    for (const index of ['gsi1', 'gsi2', 'gsi3']) {
      const value = item[`${index}pk`];
      // Projection ALL: the index entry is the item. A transaction's index writes are counted at its rate too.
      if (typeof value === 'string') charge(load, `main/${index}`, value, wcu);
    }
    // record-audit: one entry per change (about 400 B: 1 WCU), in the item's own trail.
    charge(load, 'audit', keys.auditTrail({ pk: String(item.pk), sk: String(item.sk) }), 1);
    // project-progress: the subject's contribution and its unit's totals, in one transaction (under 1 KB each: 2 WCU).
    if (PROJECTED.has(String(item.entity))) {
      const unit = { campaignId: String(item.campaignId), organizationId: String(item.organizationId) };
      charge(load, 'progress', progressKeys.contributionsPartition(unit), 2);
      charge(load, 'progress', progressKeys.totals(unit).pk, 2);
    }
  }
  return load;
}

/** The same load with every shard of this campaign's partitions folded into its unsharded name (the design before ADR 0028). */
function unsharded(load: Load): Load {
  const folded: Load = new Map();
  for (const [where, values] of load) for (const [value, wcu] of values) charge(folded, where, value.startsWith(`CAMP#${run}#`) ? value.replace(/#S\d+$/, '') : value, wcu);
  return folded;
}

const hottest = (values: ReadonlyMap<string, number>): [string, number] => [...values].reduce((a, b) => (b[1] > a[1] ? b : a), ['', 0]);

async function all(pages: Pages): Promise<Item[]> {
  const items: Item[] = [];
  for await (const page of pages) items.push(...page);
  return items;
}

const organizer = (organizationId: string): Principal => ({ sub: `sub-${organizationId}`, orgId: organizationId, roles: new Set(['organizer']), city: campaign.cityId });

/** A pool of `width` workers over `tasks`. */
async function pool<T>(tasks: readonly T[], width: number, work: (task: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    for (let i = next++; i < tasks.length; i = next++) await work(tasks[i] as T);
  }));
}

/**
 * Writes one draft per entry of `perUnit` for every unit into `table` (through `client`), then submits
 * them 16 at a time: in the last hour before they start (09-11 23:30, Asia/Shanghai), one in ten after
 * its start (09-12 11:00), raising `not-published-in-advance`.
 */
async function burst(client: DynamoDBDocumentClient, table: string, of: Campaign, perUnit: number): Promise<ActivityRecord[]> {
  // Created in the same second as they are submitted.
  const drafts = units.flatMap((u, n) =>
    Array.from({ length: perUnit }, (_, i) =>
      draftRecord(of, { activityId: `${of.id}-a${n}-${i}`, organizationId: u.organizationId, at: new Date(Date.UTC(2021, 8, 11, 15, 30, 0, n * perUnit + i)).toISOString(), body: completeActivity() }),
    ),
  );
  await batchWrite(client, table, await activityItems(drafts), 8);
  const deps = (at: string) => ({
    activities: new DynamoDbActivityRepository({ client, tableName: table }),
    campaigns: fixedCampaignCatalog([of]),
    clock: fixedClock(at),
    extensions: new DynamoDbExtensionSource({ client: doc, tableName: table }),
  });
  const onTime = deps('2021-09-11T15:30:00.000Z');
  const late = deps('2021-09-12T03:00:00.000Z');
  await pool(drafts.map((d, i) => ({ d, i })), 16, async ({ d, i }) => {
    await submitActivity({ principal: organizer(d.organizationId), activityId: d.activityId, ifMatch: 1 }, i % 10 === 0 ? late : onTime);
  });
  return drafts;
}

describe('Hot keys: one second of the national peak', () => {
  const writes: Write[] = [];

  beforeAll(async () => {
    // 2,000 drafts over 400 units, recorded on their way to the stream-less copy.
    await burst(recording(writes), mainTable, campaign, PER_UNIT);
  });

  it('writes no partition-key value past its share of DynamoDB’s 1,000 WCU/s; unsharded, the campaign’s partitions would take several times that', () => {
    const entities = writes.reduce<Record<string, number>>((n, w) => ({ ...n, [String(w.item.entity)]: (n[String(w.item.entity)] ?? 0) + 1 }), {});
    expect(entities).toEqual({ Activity: 2 * NATIONAL_RATE, Flag: NATIONAL_RATE / 10 });

    const load = loadOf(writes);
    const before = unsharded(load);
    const figures = [...load].map(([where, values]) => {
      const [key, wcu] = hottest(values);
      const [oldKey, oldWcu] = hottest(before.get(where) ?? new Map());
      const total = [...values.values()].reduce((a, b) => a + b, 0);
      return { where, keys: values.size, totalWcu: total, hottest: key, hottestWcu: wcu, unshardedHottest: oldKey, unshardedWcu: oldWcu };
    });
    // The figures docs/scale.md quotes.
    process.stdout.write(`hot keys, one national second (${NATIONAL_RATE} creates + submits, ${NATIONAL_RATE / 10} flags):\n${figures.map((f) => JSON.stringify(f)).join('\n')}\n`);

    // The burst is one second at the national rate: WCU in the burst = WCU/s at peak. Keep half of each partition free.
    expect(figures.filter((f) => f.hottestWcu > PARTITION_WCU / 2).map((f) => `${f.where} ${f.hottest}: ${f.hottestWcu} WCU`)).toEqual([]);
    const at = (where: string) => figures.find((f) => f.where === where);
    // Before ADR 0028 the campaign's activities (gsi2) and its units' totals (progress) each had one hot key.
    expect(at('main/gsi2')?.unshardedHottest).toBe(keys.unsharded('activities', run));
    expect(at('main/gsi2')?.unshardedWcu).toBeGreaterThan(5 * PARTITION_WCU);
    expect(at('progress')?.unshardedWcu).toBeGreaterThan(PARTITION_WCU);
    // Every shard takes its share.
    const gsi2 = load.get('main/gsi2') ?? new Map<string, number>();
    expect([...gsi2.keys()].filter((k) => k.startsWith(`CAMP#${run}#ACT#S`))).toHaveLength(CAMPAIGN_SHARDS.activities);
    const totals = [...(load.get('progress') ?? new Map<string, number>()).keys()].filter((k) => /#PROGRESS#S\d+$/.test(k));
    expect(totals).toHaveLength(CAMPAIGN_SHARDS.progress);
  });

  it('lists the campaign’s activities across the shards in order, each once, with the same cursors’ contract', async () => {
    const repo = new DynamoDbActivityRepository({ client: doc, tableName: mainTable });
    const seen: ActivityRecord[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await repo.list({ campaignId: run, filters: {}, limit: 250, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items);
      cursor = page.nextCursor ?? undefined;
      pages += 1;
    } while (cursor && pages < 20);
    const order = seen.map((a) => keys.activityInCampaign(a.createdAt, a.activityId));
    expect(seen).toHaveLength(NATIONAL_RATE);
    expect(new Set(order).size).toBe(NATIONAL_RATE);
    expect(order).toEqual([...order].sort());
    // A filter across the shards: the flagged ones (one in ten), in order.
    const flagged = await repo.list({ campaignId: run, filters: { flagged: true }, limit: 500 });
    expect(flagged.items).toHaveLength(NATIONAL_RATE / 10);
    expect(flagged.nextCursor).toBeNull();
    // A cursor is bound to its list: the flags list refuses it.
    const first = await repo.list({ campaignId: run, filters: {}, limit: 10 });
    const flags = new DynamoDbFlagRepository({ client: doc, tableName: mainTable });
    await expect(flags.list({ campaignId: run, filters: {}, limit: 10, cursor: first.nextCursor ?? '' })).rejects.toThrow(/cursor/);
  });

  it('lists the flags by time raised across the shards; a unit’s flags come from its one shard', async () => {
    const flags = new DynamoDbFlagRepository({ client: doc, tableName: mainTable });
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await flags.list({ campaignId: run, filters: {}, limit: 60, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((f) => `${f.raisedAt}#${f.flagId}`));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toHaveLength(NATIONAL_RATE / 10);
    expect(seen).toEqual([...seen].sort());
    const unit = units[0]?.organizationId ?? '';
    const own = await flags.list({ campaignId: run, filters: { organizationId: unit }, limit: 50 });
    expect(own.items.map((f) => f.organizationId)).toEqual([unit]);
  });

  it('hands the export every item of the sharded partitions', async () => {
    const source = new DynamoDbExportSource({ client: doc, tableName: mainTable });
    const [activities, flags] = await Promise.all([all(source.activities(run)), all(source.flags(run))]);
    expect(new Set(activities.map((a) => a.activityId)).size).toBe(NATIONAL_RATE);
    expect(activities).toHaveLength(NATIONAL_RATE);
    expect(flags).toHaveLength(NATIONAL_RATE / 10);
  });

  it('the live progress projector keeps the units’ totals in their shards, none in the unsharded partition', async () => {
    // One activity per unit in the runtime's main table, whose stream the projector follows.
    await burst(doc, liveMainTable, { ...campaign, id: live }, 1);
    const store = new DynamoDbProgressStore({ client: doc, tableName: progressTable });
    const totals = await eventually(
      async () => {
        const t = await store.campaignTotals(live);
        const registered = t.reduce((n, u) => n + u.counters.registered, 0);
        return t.length === UNITS && registered === UNITS ? t : undefined;
      },
      120_000,
      `the projector to count ${UNITS} registered activities`,
    );
    expect(totals.reduce((n, u) => n + u.counters.flagsOpen, 0)).toBe(UNITS / 10);
    // Every shard of the totals holds some of them (400 units over 32 shards), the unsharded partition none.
    const shards = await Promise.all(
      progressKeys.totalsShards(live).map(async (pk) => {
        const r = await doc.send(new QueryCommand({ TableName: progressTable, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk }, Select: 'COUNT' }));
        return r.Count ?? 0;
      }),
    );
    expect(shards.reduce((a, b) => a + b, 0)).toBe(UNITS);
    expect(shards.filter((n) => n === 0)).toEqual([]);
    const legacy = await doc.send(new QueryCommand({ TableName: progressTable, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': progressKeys.totalsPartition(live) } }));
    expect(legacy.Items ?? []).toHaveLength(0);
  });
});

describe('Migration 0004: items written before the sharding move into their shards', () => {
  const c = uniqueId('unsharded');
  const org = 'hongqi-kx';
  const activityId = `${c}-a1`;
  const at = '2021-09-15T02:00:00.000Z';
  // As the previous version wrote them: the unsharded campaign partitions.
  const OLD_MAIN: Item[] = [
    { ...keys.activity(activityId), gsi2pk: `CAMP#${c}#ACT`, gsi2sk: `${at}#${activityId}`, gsi1pk: keys.activitiesOfOrganization(c, org), gsi1sk: keys.activityInOrganization(at, activityId), entity: 'Activity', activityId, campaignId: c, organizationId: org, status: 'registered', version: 2, createdAt: at, createdBy: 's', updatedAt: at, updatedBy: 's', title: '旧数据' },
    { ...keys.activityResults(activityId), gsi2pk: `CAMP#${c}#RESULTS`, gsi2sk: activityId, entity: 'Results', activityId, campaignId: c, organizationId: org, version: 1, actualParticipants: 10, newsLinks: [] },
    { ...keys.mediaOfActivity(activityId, `${c}-m1`), gsi2pk: `CAMP#${c}#MEDIA`, gsi2sk: `${at}#${c}-m1`, entity: 'Media', mediaId: `${c}-m1`, campaignId: c, organizationId: org, subject: { type: 'activity', campaignId: c, organizationId: org, activityId }, kind: 'photo', status: 'accepted', createdAt: at },
    { ...keys.activityFlag(activityId, 'registration', 'registration-late'), gsi1pk: `CAMP#${c}#FLAG`, gsi1sk: `${at}#f1`, gsi2pk: 'FLAG#f1', gsi2sk: 'FLAG', entity: 'Flag', flagId: 'f1', campaignId: c, organizationId: org, activityId, code: 'registration-late', milestone: 'registration', raisedAt: at, waived: false },
  ];
  // A unit's totals in the unsharded partition (with a listing: added at run time) and its contributions, which do not move.
  const unit = { campaignId: c, organizationId: org };
  const OLD_TOTALS: Item = { pk: `CAMP#${c}#PROGRESS`, sk: `UNIT#${org}`, entity: 'UnitProgress', campaignId: c, organizationId: org, registered: 1, flagsOpen: 1, registeredLate: 1, lastChangeAt: at, rev: 7, unit: { name: '红旗区科协', county: 'hongqi', type: 'association' } };
  const CONTRIBUTIONS: Item[] = [
    { ...progressKeys.contribution(unit, `ACT#${activityId}`), entity: 'ProgressContribution', kind: 'activity', campaignId: c, organizationId: org, registered: 1, changedAt: at, seq: '1'.padStart(40, '0'), ver: 1 },
    { ...progressKeys.contribution(unit, 'FLAG#f1'), entity: 'ProgressContribution', kind: 'flag', campaignId: c, organizationId: org, flagsOpen: 1, registeredLate: 1, seq: '2'.padStart(40, '0'), ver: 1 },
  ];

  it('gives each its shard, so the readers find it; the totals move as the sum of the contributions; a second run moves nothing', async () => {
    for (const Item of OLD_MAIN) await doc.send(new PutCommand({ TableName: mainTable, Item }));
    for (const Item of [OLD_TOTALS, ...CONTRIBUTIONS]) await doc.send(new PutCommand({ TableName: progressTable, Item }));
    const source = new DynamoDbExportSource({ client: doc, tableName: mainTable });
    const found = async () => ({
      activities: (await all(source.activities(c))).length,
      results: (await all(source.results(c))).length,
      media: (await all(source.media(c))).length,
      flags: (await all(source.flags(c))).length,
    });
    expect(await found()).toEqual({ activities: 0, results: 0, media: 0, flags: 0 });

    const first = await shardCampaignPartitions({ client: doc, tableName: mainTable, progressTable });
    expect(first.moved).toBeGreaterThanOrEqual(4);
    expect(first.totalsMoved).toBeGreaterThanOrEqual(1);
    expect(await found()).toEqual({ activities: 1, results: 1, media: 1, flags: 1 });
    const moved = await doc.send(new GetCommand({ TableName: mainTable, Key: keys.activity(activityId) }));
    expect(moved.Item?.gsi2pk).toBe(keys.activitiesOfCampaign(c, activityId));

    const store = new DynamoDbProgressStore({ client: doc, tableName: progressTable });
    const totals = await store.campaignTotals(c);
    expect(totals).toEqual([
      expect.objectContaining({ organizationId: org, counters: expect.objectContaining({ registered: 1, flagsOpen: 1, registeredLate: 1, draft: 0 }), lastChangeAt: at, listing: { name: '红旗区科协', county: 'hongqi', type: 'association' } }),
    ]);
    const legacy = await doc.send(new GetCommand({ TableName: progressTable, Key: { pk: OLD_TOTALS.pk, sk: OLD_TOTALS.sk } }));
    expect(legacy.Item).toBeUndefined();

    const second = await shardCampaignPartitions({ client: doc, tableName: mainTable, progressTable });
    expect(second).toMatchObject({ moved: 0, totalsMoved: 0 });
    expect(await store.campaignTotals(c)).toEqual(totals);
  });
});

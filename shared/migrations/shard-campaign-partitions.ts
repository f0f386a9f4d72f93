/**
 * Moves items written before the campaign-wide partitions were write-sharded (ADR 0028) into their
 * shards. Without it such an item is in no list, no export and no score (the readers query the
 * shards only), and a unit's board row would start again from nothing.
 *
 * Main table: a parallel Scan for activities, results and media whose `gsi2pk`, and flags whose
 * `gsi1pk`, is still the unsharded name (`CAMP#<c>#ACT`, `#RESULTS`, `#MEDIA`, `#FLAG`); each gets
 * its shard's value (the same `keys.*` formulas the repositories write with) by one UpdateItem
 * conditioned on the old value still being there (a rewrite in between already has its shard).
 *
 * Progress table (when given): each unit's totals item still in `CAMP#<c>#PROGRESS` is rewritten in
 * the unit's shard as the sum of the unit's contributions (the rebuild's step 4, ADR 0021: the
 * contributions did not move and are the truth; a live change between the reads moves `rev`, and the
 * sum is taken again), keeping its listing, then the old item is deleted if its `rev` is still the
 * one read. Whatever the order it runs in with the rebuild or the projector, the totals are the sum.
 *
 * Idempotent: a second run finds nothing to move. One machine: the local runtime runs it once per
 * data dir at start-up; AWS: `npm run -s migrate -- --table <main> --progress-table <progress>`.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { scanSegments } from '../repositories/query-all';
import { totalsOf, type UnitListing, type UnitTotals } from '../domain/progress';
import { keys, type ShardedPartition } from '../repositories/keys';
import { DynamoDbProgressStore, progressKeys, type UnitRef } from '../repositories/progress-repository';

export const SHARD_CAMPAIGN_PARTITIONS = '0004-shard-campaign-partitions';

type Item = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

/** Per entity: the index attribute it is listed by, its kind of partition, and its shard's value (undefined: it lacks what that is made of). */
const MOVES: Readonly<Record<string, { attribute: 'gsi1pk' | 'gsi2pk'; kind: ShardedPartition; shard: (item: Item, campaignId: string) => string | undefined }>> = {
  Activity: { attribute: 'gsi2pk', kind: 'activities', shard: (i, c) => (str(i.activityId) ? keys.activitiesOfCampaign(c, String(i.activityId)) : undefined) },
  Results: { attribute: 'gsi2pk', kind: 'results', shard: (i, c) => (str(i.activityId) ? keys.resultsOfCampaign(c, String(i.activityId)) : undefined) },
  Media: { attribute: 'gsi2pk', kind: 'media', shard: (i, c) => (str(i.mediaId) ? keys.mediaOfCampaign(c, String(i.mediaId)) : undefined) },
  Flag: { attribute: 'gsi1pk', kind: 'flags', shard: (i, c) => (str(i.organizationId) ? keys.flagsOfCampaign(c, String(i.organizationId)) : undefined) },
};

/** A shard's value ends in `#S<n>`; an unsharded name of these kinds has no `#S` (ids have no `#`). */
const SHARD_MARK = '#S';
/** Rounds of one unit's totals when live changes keep racing them. */
const MAX_ROUNDS = 5;

export interface ShardReport {
  /** Main-table items still under an unsharded name. */
  readonly found: number;
  readonly moved: number;
  /** Rewritten (or deleted) between the Scan and the update: nothing to do. */
  readonly raced: number;
  /** Missing the attributes their shard is made of: left alone. */
  readonly unusable: number;
  /** Units' totals moved into their shard (progress table). */
  readonly totalsMoved: number;
}

export async function shardCampaignPartitions(deps: {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  /** The progress table, whose totals move too; skipped when absent. */
  readonly progressTable?: string;
  readonly segments?: number;
  readonly progress?: (report: ShardReport) => void;
}): Promise<ShardReport> {
  const totals = { found: 0, moved: 0, raced: 0, unusable: 0, totalsMoved: 0 };
  const segments = deps.segments ?? 4;
  const entities = Object.keys(MOVES);
  await parallelScan(deps.client, deps.tableName, segments, {
    FilterExpression:
      `(entity IN (${entities.filter((e) => MOVES[e]?.attribute === 'gsi2pk').map((e) => `:${e}`).join(', ')}) AND attribute_exists(gsi2pk) AND NOT contains(gsi2pk, :mark))` +
      ' OR (entity = :Flag AND attribute_exists(gsi1pk) AND NOT contains(gsi1pk, :mark))',
    ExpressionAttributeValues: { ...Object.fromEntries(entities.map((e) => [`:${e}`, e])), ':mark': SHARD_MARK },
  }, async (item) => {
    const move = MOVES[String(item.entity)];
    const campaignId = str(item.campaignId) ?? str((item.subject as Item | undefined)?.campaignId);
    if (!move || !campaignId || item[move.attribute] !== keys.unsharded(move.kind, campaignId)) return;
    totals.found += 1;
    const shard = move.shard(item, campaignId);
    if (!shard) {
      totals.unusable += 1;
      return;
    }
    try {
      await deps.client.send(
        new UpdateCommand({
          TableName: deps.tableName,
          Key: { pk: item.pk, sk: item.sk },
          UpdateExpression: 'SET #attr = :shard',
          ConditionExpression: '#attr = :old',
          ExpressionAttributeNames: { '#attr': move.attribute },
          ExpressionAttributeValues: { ':shard': shard, ':old': item[move.attribute] },
        }),
      );
      totals.moved += 1;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      totals.raced += 1;
    }
  }, () => deps.progress?.({ ...totals }));

  const progressTable = deps.progressTable;
  if (progressTable) {
    const store = new DynamoDbProgressStore({ client: deps.client, tableName: progressTable });
    await parallelScan(deps.client, progressTable, segments, {
      FilterExpression: 'entity = :e AND NOT contains(pk, :mark)',
      ExpressionAttributeValues: { ':e': 'UnitProgress', ':mark': SHARD_MARK },
    }, async (item) => {
      const [campaignId, organizationId] = [str(item.campaignId), str(item.organizationId) ?? str(String(item.sk).replace(/^UNIT#/, ''))];
      if (!campaignId || !organizationId || item.pk !== progressKeys.totalsPartition(campaignId)) return;
      if (await moveTotals(deps.client, progressTable, store, { campaignId, organizationId }, item)) totals.totalsMoved += 1;
    }, () => deps.progress?.({ ...totals }));
  }
  return { ...totals };
}

/** A unit's totals into its shard, as the sum of its contributions; then the unsharded item deleted if unchanged. */
async function moveTotals(client: DynamoDBDocumentClient, tableName: string, store: DynamoDbProgressStore, unit: UnitRef, old: Item): Promise<boolean> {
  let legacy: Item | undefined = old;
  for (let round = 1; legacy && round <= MAX_ROUNDS; round += 1) {
    const listing = listingOf(legacy);
    for (let attempt = 1; attempt <= MAX_ROUNDS; attempt += 1) {
      const before = await store.unitTotals(unit);
      const kept = listing ?? before?.listing;
      const sum: UnitTotals = { ...totalsOf(await store.contributions(unit)), ...(kept ? { listing: kept } : {}) };
      if (await store.resetTotals(unit, sum, before?.rev)) break;
    }
    try {
      await client.send(
        new DeleteCommand({
          TableName: tableName,
          Key: { pk: legacy.pk, sk: legacy.sk },
          ...(legacy.rev === undefined
            ? { ConditionExpression: 'attribute_not_exists(rev)' }
            : { ConditionExpression: 'rev = :rev', ExpressionAttributeValues: { ':rev': legacy.rev } }),
        }),
      );
      return true;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      // Written by a projector of the previous version meanwhile: its contribution is stored, sum again.
      const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: { pk: old.pk, sk: old.sk }, ConsistentRead: true }));
      legacy = Item;
    }
  }
  return false;
}

function listingOf(item: Item): UnitListing | undefined {
  const unit = item.unit as Item | undefined;
  const [name, nameEn, county, type] = [str(unit?.name), str(unit?.nameEn), str(unit?.county), str(unit?.type)];
  return name && county && type ? { name, ...(nameEn ? { nameEn } : {}), county, type: type as UnitListing['type'] } : undefined;
}

/** A parallel Scan with a filter; `each` for every item found (one at a time per segment), `page` after each non-empty page. */
async function parallelScan(
  client: DynamoDBDocumentClient,
  tableName: string,
  segments: number,
  filter: { FilterExpression: string; ExpressionAttributeValues: Item },
  each: (item: Item) => Promise<void>,
  page: () => void,
): Promise<void> {
  await scanSegments(client, { TableName: tableName, ...filter }, segments, async (items) => {
    for (const item of items) await each(item);
    if (items.length > 0) page();
  });
}

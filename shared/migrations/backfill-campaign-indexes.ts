/**
 * Backfill: gives results, media, summary and extension items written before those items carried
 * their campaign's gsi2 keys (the partitions the exports and the scores read, keys.ts
 * `*Index`) the keys the repositories now write. Without them such an item is in no export and
 * counts in no score.
 *
 * A parallel Scan of the main table (only items without `gsi2pk`, of those entities), then one
 * conditional UpdateItem per item found: `SET gsi2pk, gsi2sk` only if the item still exists and
 * still has no `gsi2pk` (a rewrite in between already has its keys). Running it again finds
 * nothing to do. An item without the attributes its keys are made of is counted and left alone.
 *
 * One machine: the local runtime runs it once per data dir at start-up. AWS: `npm run -s migrate
 * -- --table <name>` (infra/migrate.ts) with the deployer's credentials.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { scanSegments } from '../repositories/query-all';
import { keys } from '../repositories/keys';

export const BACKFILL_CAMPAIGN_INDEXES = '0001-backfill-campaign-indexes';

type Item = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

/** The gsi2 keys an item of each entity gets, or undefined when it lacks what they are made of. */
const INDEX_OF: Readonly<Record<string, (item: Item) => { gsi2pk: string; gsi2sk: string } | undefined>> = {
  Results: (i) => {
    const [c, a] = [str(i.campaignId), str(i.activityId)];
    return c && a ? keys.resultsIndex(c, a) : undefined;
  },
  Media: (i) => {
    const subject = (i.subject ?? {}) as Item;
    const [c, at, id] = [str(i.campaignId) ?? str(subject.campaignId), str(i.createdAt), str(i.mediaId)];
    return c && at && id ? keys.mediaIndex(c, at, id) : undefined;
  },
  Summary: (i) => {
    const [c, o] = [str(i.campaignId), str(i.organizationId)];
    return c && o ? keys.summaryIndex(c, o) : undefined;
  },
  Extension: (i) => {
    const [c, o, at, id] = [str(i.campaignId), str(i.organizationId), str(i.grantedAt), str(i.extensionId)];
    return c && o && at && id ? keys.extensionIndex(c, o, at, id) : undefined;
  },
};

export interface BackfillReport {
  /** Items without gsi2 keys found. */
  readonly found: number;
  readonly updated: number;
  /** Rewritten (or deleted) between the Scan and the update: nothing to do. */
  readonly raced: number;
  /** Missing the attributes their keys are made of: left alone. */
  readonly unusable: number;
}

export async function backfillCampaignIndexes(deps: {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly segments?: number;
  readonly progress?: (report: BackfillReport) => void;
}): Promise<BackfillReport> {
  const totals = { found: 0, updated: 0, raced: 0, unusable: 0 };
  const entities = Object.keys(INDEX_OF);
  const segments = deps.segments ?? 4;
  await scanSegments(
    deps.client,
    {
      TableName: deps.tableName,
      FilterExpression: `attribute_not_exists(gsi2pk) AND entity IN (${entities.map((_e, i) => `:e${i}`).join(', ')})`,
      ExpressionAttributeValues: Object.fromEntries(entities.map((e, i) => [`:e${i}`, e])),
    },
    segments,
    async (items) => {
      for (const item of items) {
        totals.found += 1;
        const index = INDEX_OF[String(item.entity)]?.(item);
        if (!index) {
          totals.unusable += 1;
          continue;
        }
        try {
          await deps.client.send(
            new UpdateCommand({
              TableName: deps.tableName,
              Key: { pk: item.pk, sk: item.sk },
              UpdateExpression: 'SET gsi2pk = :pk, gsi2sk = :sk',
              ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(gsi2pk)',
              ExpressionAttributeValues: { ':pk': index.gsi2pk, ':sk': index.gsi2sk },
            }),
          );
          totals.updated += 1;
        } catch (error) {
          if (!(error instanceof ConditionalCheckFailedException)) throw error;
          totals.raced += 1;
        }
      }
      if (items.length > 0) deps.progress?.({ ...totals });
    },
  );
  return { ...totals };
}

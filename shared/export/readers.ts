/**
 * Paged readers of everything a campaign's export needs: each an async generator over Query
 * pages (never a Scan, never a query per activity), so the export holds one page at a time.
 *
 * | entity | partition |
 * |---|---|
 * | activities | gsi2 `CAMP#<c>#ACT#S<n>`, 32 shards (ADR 0028) |
 * | results | gsi2 `CAMP#<c>#RESULTS#S<n>`, 32 shards |
 * | media (activities' and summaries') | gsi2 `CAMP#<c>#MEDIA#S<n>`, 128 shards |
 * | summaries | gsi2 `CAMP#<c>#SUMMARY` |
 * | flags (activities' and units') | gsi1 `CAMP#<c>#FLAG#S<n>`, 32 shards |
 * | units added at run time | `CAMP#<c>#ORGS` (the definition's units come from the campaign) |
 * | reviews (scores only) | gsi2 `CAMP#<c>#REVIEW` |
 * | extensions (scores only: the on-time rate) | gsi2 `CAMP#<c>#EXT` |
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys } from '../repositories/keys';
import { shardedPages } from '../repositories/sharded-query';
import type { StoredItem } from './rows';

/** Items per Query page (DynamoDB also stops a page at 1 MB). */
export const PAGE_SIZE = 500;

export type Pages = AsyncIterable<readonly StoredItem[]>;

/** Port: a campaign's stored items, page by page. */
export interface ExportSource {
  activities(campaignId: string): Pages;
  results(campaignId: string): Pages;
  media(campaignId: string): Pages;
  summaries(campaignId: string): Pages;
  flags(campaignId: string): Pages;
  /** Units added at run time (the campaign definition's units are not stored). */
  addedOrganizations(campaignId: string): Pages;
}

/**
 * Port: every stored item the scores read, a page at a time: what an export reads, and the
 * reviews and extensions (DynamoDbExportSource and TableCopySource implement it).
 */
export interface ScoringSource extends ExportSource {
  reviews(campaignId: string): Pages;
  extensions(campaignId: string): Pages;
}

/** The readers of a campaign's export: ExportSource's, and the scores' reviews and extensions. */
export type ExportReader = keyof ExportSource | 'reviews' | 'extensions';

/**
 * Where each reader's items live: the partitions of the table or of an index (several when the
 * partition is write-sharded, ADR 0028), and the entity its items carry (other entities in the same
 * partitions are skipped). The one declaration both the paged Queries and the reading of a table
 * copy (table-copy-source.ts) follow.
 */
export const EXPORT_PARTITIONS: Readonly<Record<ExportReader, { readonly index?: 'gsi1' | 'gsi2'; readonly partitions: (campaignId: string) => readonly string[]; readonly entity: string }>> = {
  activities: { index: 'gsi2', partitions: (c) => keys.shards('activities', c), entity: 'Activity' },
  results: { index: 'gsi2', partitions: (c) => keys.shards('results', c), entity: 'Results' },
  media: { index: 'gsi2', partitions: (c) => keys.shards('media', c), entity: 'Media' },
  summaries: { index: 'gsi2', partitions: (c) => [keys.summariesOfCampaign(c)], entity: 'Summary' },
  flags: { index: 'gsi1', partitions: (c) => keys.shards('flags', c), entity: 'Flag' },
  addedOrganizations: { partitions: (c) => [keys.organizationsPartition(c)], entity: 'Organization' },
  reviews: { index: 'gsi2', partitions: (c) => [keys.reviewsOfCampaign(c)], entity: 'Review' },
  extensions: { index: 'gsi2', partitions: (c) => [keys.extensionsOfCampaign(c)], entity: 'Extension' },
};

/** The attribute that holds a reader's partition key (`pk`, `gsi1pk` or `gsi2pk`). */
export const partitionAttribute = (reader: ExportReader): string => {
  const index = EXPORT_PARTITIONS[reader].index;
  return index ? `${index}pk` : 'pk';
};

export class DynamoDbExportSource implements ExportSource {
  public constructor(private readonly deps: { client: DynamoDBDocumentClient; tableName: string; pageSize?: number; shardConcurrency?: number }) {}

  public activities(campaignId: string): Pages {
    return this.pages('activities', campaignId);
  }

  public results(campaignId: string): Pages {
    return this.pages('results', campaignId);
  }

  public media(campaignId: string): Pages {
    return this.pages('media', campaignId);
  }

  public summaries(campaignId: string): Pages {
    return this.pages('summaries', campaignId);
  }

  public flags(campaignId: string): Pages {
    return this.pages('flags', campaignId);
  }

  public addedOrganizations(campaignId: string): Pages {
    return this.pages('addedOrganizations', campaignId);
  }

  /** Not part of ExportSource: the scores read them (DynamoDbExportSource is also the scores' ScoringSource). */
  public reviews(campaignId: string): Pages {
    return this.pages('reviews', campaignId);
  }

  public extensions(campaignId: string): Pages {
    return this.pages('extensions', campaignId);
  }

  /**
   * Every item of one reader's partitions (of the table or an index), a page at a time, shards a few
   * at once in no particular order (the export's SQL and the scores order what they need); other
   * entities are skipped.
   */
  private async *pages(reader: ExportReader, campaignId: string): AsyncGenerator<readonly StoredItem[]> {
    const { index, partitions, entity } = EXPORT_PARTITIONS[reader];
    const query = (partition: string) => ({
      TableName: this.deps.tableName,
      ...(index ? { IndexName: index } : {}),
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': partitionAttribute(reader) },
      ExpressionAttributeValues: { ':pk': partition },
      Limit: this.deps.pageSize ?? PAGE_SIZE,
    });
    for await (const page of shardedPages(this.deps.client, partitions(campaignId), query, this.deps.shardConcurrency)) {
      const items = page.filter((item) => item.entity === entity);
      if (items.length > 0) yield items;
    }
  }
}

/**
 * Paged readers of everything a campaign's export needs: each an async generator over Query
 * pages (never a Scan, never a query per activity), so the export holds one page at a time.
 *
 * | entity | partition |
 * |---|---|
 * | activities | gsi2 `CAMP#<c>#ACT` |
 * | results | gsi2 `CAMP#<c>#RESULTS` |
 * | media (activities' and summaries') | gsi2 `CAMP#<c>#MEDIA` |
 * | summaries | gsi2 `CAMP#<c>#SUMMARY` |
 * | flags (activities' and units') | gsi1 `CAMP#<c>#FLAG` |
 * | units added at run time | `CAMP#<c>#ORGS` (the definition's units come from the campaign) |
 * | reviews (scores only) | gsi2 `CAMP#<c>#REVIEW` |
 * | extensions (scores only: the on-time rate) | gsi2 `CAMP#<c>#EXT` |
 */
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys } from '../repositories/keys';
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

export class DynamoDbExportSource implements ExportSource {
  public constructor(private readonly deps: { client: DynamoDBDocumentClient; tableName: string; pageSize?: number }) {}

  public activities(campaignId: string): Pages {
    return this.pages({ index: 'gsi2', partition: keys.activitiesOfCampaign(campaignId), entity: 'Activity' });
  }

  public results(campaignId: string): Pages {
    return this.pages({ index: 'gsi2', partition: keys.resultsOfCampaign(campaignId), entity: 'Results' });
  }

  public media(campaignId: string): Pages {
    return this.pages({ index: 'gsi2', partition: keys.mediaOfCampaign(campaignId), entity: 'Media' });
  }

  public summaries(campaignId: string): Pages {
    return this.pages({ index: 'gsi2', partition: keys.summariesOfCampaign(campaignId), entity: 'Summary' });
  }

  public flags(campaignId: string): Pages {
    return this.pages({ index: 'gsi1', partition: keys.flagsOfCampaign(campaignId), entity: 'Flag' });
  }

  public addedOrganizations(campaignId: string): Pages {
    return this.pages({ partition: keys.organizationsPartition(campaignId), entity: 'Organization' });
  }

  /** Not part of ExportSource: the scores read them (DynamoDbExportSource is also the scores' ScoringSource). */
  public reviews(campaignId: string): Pages {
    return this.pages({ index: 'gsi2', partition: keys.reviewsOfCampaign(campaignId), entity: 'Review' });
  }

  public extensions(campaignId: string): Pages {
    return this.pages({ index: 'gsi2', partition: keys.extensionsOfCampaign(campaignId), entity: 'Extension' });
  }

  /** Every item of one partition (of the table or an index), a page at a time; other entities are skipped. */
  private async *pages(input: { index?: 'gsi1' | 'gsi2'; partition: string; entity: string }): AsyncGenerator<readonly StoredItem[]> {
    const pk = input.index ? `${input.index}pk` : 'pk';
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.deps.client.send(
        new QueryCommand({
          TableName: this.deps.tableName,
          ...(input.index ? { IndexName: input.index } : {}),
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': pk },
          ExpressionAttributeValues: { ':pk': input.partition },
          Limit: this.deps.pageSize ?? PAGE_SIZE,
          ExclusiveStartKey: start,
        }),
      );
      const items = (page.Items ?? []).filter((item) => item.entity === input.entity);
      if (items.length > 0) yield items;
      start = page.LastEvaluatedKey;
    } while (start);
  }
}

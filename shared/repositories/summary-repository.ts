import { GetCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { FlagRecord, SummaryRecord } from '../domain/activity';
import { StaleVersionError } from '../errors';
import { flagPut } from './activity-repository';
import { cancellation, versionCondition } from './conditions';
import { keys, recordOf } from './keys';

/** Port: one work summary per unit and campaign. */
export interface SummaryRepository {
  get(campaignId: string, organizationId: string): Promise<SummaryRecord | undefined>;
  /** Writes `summary` (new, or replacing `expectedVersion`) with any flags it raised; 412 if changed. */
  put(summary: SummaryRecord, expectedVersion: number | undefined, flags: readonly FlagRecord[]): Promise<void>;
}

export class DynamoDbSummaryRepository implements SummaryRepository {
  public constructor(private readonly deps: { client: DynamoDBDocumentClient; tableName: string }) {}

  public async get(campaignId: string, organizationId: string): Promise<SummaryRecord | undefined> {
    const { Item } = await this.deps.client.send(
      new GetCommand({ TableName: this.deps.tableName, Key: keys.summary(campaignId, organizationId), ConsistentRead: true }),
    );
    return Item ? recordOf<SummaryRecord>(Item) : undefined;
  }

  public async put(summary: SummaryRecord, expectedVersion: number | undefined, flags: readonly FlagRecord[]): Promise<void> {
    const key = keys.summary(summary.campaignId, summary.organizationId);
    try {
      await this.deps.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.deps.tableName,
                Item: {
                  ...key,
                  // gsi2: every work summary of the campaign, one per unit (exports).
                  ...keys.summaryIndex(summary.campaignId, summary.organizationId),
                  entity: 'Summary',
                  ...summary,
                },
                ...versionCondition(expectedVersion),
              },
            },
            ...flags.map((f) => flagPut(this.deps.tableName, keys.organizationFlag(summary.campaignId, summary.organizationId, f.milestone, f.code), f)),
          ],
        }),
      );
    } catch (error) {
      if (cancellation(error).failed.length === 0) throw error;
      const current = await this.get(summary.campaignId, summary.organizationId);
      throw new StaleVersionError(current?.version ?? 0, { cause: error });
    }
  }
}

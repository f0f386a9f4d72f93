/**
 * A reviewer's review of one organizing unit (评审): one item per unit and campaign, in the
 * unit's partition (`CAMP#<c>#UNIT#<org>` / `REVIEW`), versioned like the work summary. Its gsi2
 * (`CAMP#<c>#REVIEW` / `<org>`) lists every review of a campaign in one Query (scores, exports).
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { IndicatorId } from '../domain/campaign';
import { StaleVersionError } from '../errors';
import { isOwnWrite, ON_CONDITION_FAILURE, versionCondition } from './conditions';
import { keys, recordOf } from './keys';

/** A review as stored. Times are UTC ISO. */
export interface ReviewRecord {
  readonly campaignId: string;
  readonly organizationId: string;
  readonly version: number;
  /** 0..100 per indicator the campaign leaves partly to the reviewer (`computedShare < 1`). */
  readonly scores: Readonly<Partial<Record<IndicatorId, number>>>;
  readonly comment?: string;
  /** Activities of the unit the reviewer marks as distinctive (特色鲜明、实效显著). */
  readonly distinctiveActivityIds?: readonly string[];
  /** Who wrote this version (`sub`) and when. */
  readonly reviewedBy: string;
  readonly reviewedAt: string;
  /** When the unit was first reviewed. */
  readonly firstReviewedAt: string;
  /**
   * The same as `reviewedBy` / `reviewedAt`, under the names every versioned item carries: the
   * audit trail reads its actor from `updatedBy` and its business time from `updatedAt`.
   */
  readonly updatedBy: string;
  readonly updatedAt: string;
}

/** Port: one review per unit and campaign. */
export interface ReviewRepository {
  get(campaignId: string, organizationId: string): Promise<ReviewRecord | undefined>;
  /** Writes `review` (new, or replacing `expectedVersion`); 412 (StaleVersionError) if it changed meanwhile. */
  put(review: ReviewRecord, expectedVersion: number | undefined): Promise<void>;
}

/** The stored item: key, gsi2 (every review of the campaign), entity. */
export function reviewItem(review: ReviewRecord): Record<string, unknown> {
  return {
    ...keys.review(review.campaignId, review.organizationId),
    gsi2pk: keys.reviewsOfCampaign(review.campaignId),
    gsi2sk: review.organizationId,
    entity: 'Review',
    ...review,
  };
}

export function reviewFromItem(item: Record<string, unknown>): ReviewRecord {
  return recordOf<ReviewRecord>(item);
}

export class DynamoDbReviewRepository implements ReviewRepository {
  public constructor(private readonly deps: { client: DynamoDBDocumentClient; tableName: string }) {}

  public async get(campaignId: string, organizationId: string): Promise<ReviewRecord | undefined> {
    const { Item } = await this.deps.client.send(
      new GetCommand({ TableName: this.deps.tableName, Key: keys.review(campaignId, organizationId), ConsistentRead: true }),
    );
    return Item ? reviewFromItem(Item) : undefined;
  }

  public async put(review: ReviewRecord, expectedVersion: number | undefined): Promise<void> {
    try {
      await this.deps.client.send(
        new PutCommand({ TableName: this.deps.tableName, Item: reviewItem(review), ...versionCondition(expectedVersion), ...ON_CONDITION_FAILURE }),
      );
    } catch (error) {
      // A retried put that met its own lost write succeeded (ADR 0026).
      if (isOwnWrite(error, reviewItem(review))) return;
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const current = await this.get(review.campaignId, review.organizationId);
      throw new StaleVersionError(current?.version ?? 0, { cause: error });
    }
  }
}

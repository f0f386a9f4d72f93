import { QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { KeyTakenError } from '../errors';
import type { MilestoneId } from '../domain/campaign';
import type { ExtensionFacts } from '../domain/rules';
import { cursorScope, decodeCursor, encodeCursor } from './page';
import type { Page } from './page';
import { cancellation, itemCreatedBy } from './conditions';
import { keys } from './keys';

/** An extension as stored: who granted which deadline to whom, and why. Times are UTC ISO. */
export interface ExtensionRecord {
  readonly extensionId: string;
  readonly campaignId: string;
  readonly organizationId: string;
  /** Only this activity's deadline moves; the whole unit's when absent. */
  readonly activityId?: string;
  readonly milestone: MilestoneId;
  /** The new last on-time instant. */
  readonly until: string;
  readonly reason: string;
  /** The admin's `sub`. */
  readonly grantedBy: string;
  readonly grantedAt: string;
}

/** Port: granting extensions (each grant is a new item; the latest `until` that applies counts). */
export interface ExtensionRepository {
  /** Stores a grant once per id (`KeyTakenError` when the id is taken), with the request's token. */
  grant(extension: ExtensionRecord, token: string): Promise<void>;
  /** The grant stored under `extensionId` by the request with this token, if any. */
  grantedBy(extensionId: string, token: string): Promise<ExtensionRecord | undefined>;
}

/** One page of a campaign's extensions (`GET /v1/campaigns/{campaignId}/extensions`). */
export interface ExtensionListQuery {
  readonly campaignId: string;
  /** Only this unit's grants. */
  readonly organizationId?: string;
  readonly limit: number;
  readonly cursor?: string;
}

/**
 * Port: reading the grants. A unit's oldest first; a whole campaign's by unit, then oldest
 * first (the order of gsi2, where the scores and exports read them too).
 */
export interface ExtensionList {
  list(query: ExtensionListQuery): Promise<Page<ExtensionRecord>>;
}

/**
 * The stored item. {@link DynamoDbExtensionSource} reads `organizationId`, `activityId`,
 * `milestone` and `until` of every item in the unit's extension partition: keep those names.
 */
export function extensionItem(e: ExtensionRecord): Record<string, unknown> {
  return {
    ...keys.extension(e.campaignId, e.organizationId, e.grantedAt, e.extensionId),
    // gsi2: every extension of a campaign (the scores' on-time rate, the exports).
    ...keys.extensionIndex(e.campaignId, e.organizationId, e.grantedAt, e.extensionId),
    entity: 'Extension',
    ...e,
  };
}

/** Port: the extensions granted to a unit, as the milestone rules read them. */
export interface ExtensionSource {
  forOrganization(campaignId: string, organizationId: string): Promise<ExtensionFacts[]>;
}

/** Adapter: the extensions granted to a unit (written by `POST /v1/campaigns/{campaignId}/extensions`). */
export class DynamoDbExtensionSource implements ExtensionSource {
  public constructor(private readonly deps: { client: DynamoDBDocumentClient; tableName: string }) {}

  public async forOrganization(campaignId: string, organizationId: string): Promise<ExtensionFacts[]> {
    const page = await this.deps.client.send(
      new QueryCommand({
        TableName: this.deps.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.extensionsOfOrganization(campaignId, organizationId) },
        ConsistentRead: true,
      }),
    );
    return (page.Items ?? []).map((i) => ({
      organizationId: String(i.organizationId),
      ...(i.activityId ? { activityId: String(i.activityId) } : {}),
      milestone: i.milestone as MilestoneId,
      until: new Date(String(i.until)),
    }));
  }
}

/** The record of a stored item (its keys and entity left behind). */
export function extensionFromItem(i: Record<string, unknown>): ExtensionRecord {
  return {
    extensionId: String(i.extensionId),
    campaignId: String(i.campaignId),
    organizationId: String(i.organizationId),
    ...(i.activityId ? { activityId: String(i.activityId) } : {}),
    milestone: i.milestone as MilestoneId,
    until: String(i.until),
    reason: String(i.reason),
    grantedBy: String(i.grantedBy),
    grantedAt: String(i.grantedAt),
  };
}

/** The attributes a cursor carries: LastEvaluatedKey of the unit's partition, or of gsi2. */
const UNIT_CURSOR_KEYS = ['pk', 'sk'] as const;
const CAMPAIGN_CURSOR_KEYS = ['pk', 'sk', 'gsi2pk', 'gsi2sk'] as const;

/** Adapter: writes one item per grant in the unit's extension partition, and lists them. */
export class DynamoDbExtensionRepository implements ExtensionRepository, ExtensionList {
  public constructor(private readonly deps: { client: DynamoDBDocumentClient; tableName: string }) {}

  /**
   * One unit's grants from its own partition (a consistent read: a grant just made is listed),
   * or the campaign's from gsi2. A cursor is valid only for the list it came from.
   */
  public async list(query: ExtensionListQuery): Promise<Page<ExtensionRecord>> {
    const ofUnit = query.organizationId !== undefined;
    const partition = ofUnit
      ? keys.extensionsOfOrganization(query.campaignId, query.organizationId ?? '')
      : keys.extensionsOfCampaign(query.campaignId);
    const cursorKeys = ofUnit ? UNIT_CURSOR_KEYS : CAMPAIGN_CURSOR_KEYS;
    const scope = cursorScope('extensions', partition);
    const startKey = await decodeCursor(scope, query.cursor, cursorKeys, { [ofUnit ? 'pk' : 'gsi2pk']: partition });
    const input: QueryCommandInput = {
      TableName: this.deps.tableName,
      ...(ofUnit ? { ConsistentRead: true } : { IndexName: 'gsi2' }),
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': ofUnit ? 'pk' : 'gsi2pk' },
      ExpressionAttributeValues: { ':pk': partition },
      Limit: query.limit,
      ExclusiveStartKey: startKey,
    };
    const page = await this.deps.client.send(new QueryCommand(input));
    const last = page.LastEvaluatedKey as Record<string, string> | undefined;
    return { items: (page.Items ?? []).map(extensionFromItem), nextCursor: await encodeCursor(scope, last) };
  }

  /**
   * The grant's key holds its time, so a retry at another instant would not collide with it: the
   * id is taken by an item of its own in the same transaction, which also names the request.
   */
  public async grant(extension: ExtensionRecord, token: string): Promise<void> {
    try {
      await this.deps.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.deps.tableName,
                Item: { ...keys.extensionId(extension.extensionId), entity: 'ExtensionId', createToken: token, extension },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            { Put: { TableName: this.deps.tableName, Item: extensionItem(extension), ConditionExpression: 'attribute_not_exists(pk)' } },
          ],
        }),
      );
    } catch (error) {
      if (cancellation(error).failed.length > 0) {
        throw new KeyTakenError(`extension ${extension.extensionId} exists`, { cause: error });
      }
      throw error;
    }
  }

  public async grantedBy(extensionId: string, token: string): Promise<ExtensionRecord | undefined> {
    const item = await itemCreatedBy(this.deps, keys.extensionId(extensionId), token);
    return item ? extensionFromItem(item.extension as Record<string, unknown>) : undefined;
  }
}

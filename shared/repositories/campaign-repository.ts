/**
 * Campaigns stored in the main table (ADR 0023): one item per campaign in one small partition
 * (`CAMPAIGNS`), holding the definition exactly as validated, its status and a version. Every
 * write is conditional on the version read, and every change passes through the table's stream,
 * so the audit trail records it (actor `updatedBy`, `reason`) and the schedules follow it.
 *
 * A city has a handful of campaigns a year: listing them is one Query of one partition, and
 * handlers read them through the cached catalog (`shared/clients/campaign-catalog.ts`), never
 * per request.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { loadCampaign, type Campaign, type CampaignDefinition, type CampaignStatus } from '../domain/campaign';
import { ConflictError, KeyTakenError, StaleVersionError } from '../errors';
import { isOwnWrite, itemCreatedBy, ON_CONDITION_FAILURE } from './conditions';
import { keys } from './keys';
import { queryAll } from './query-all';

export const CAMPAIGNS_PARTITION = 'CAMPAIGNS';
export const campaignKey = (campaignId: string) => ({ pk: CAMPAIGNS_PARTITION, sk: `CAMPAIGN#${campaignId}` });

/** A campaign as stored: its definition, where it is in its life, who changed it last and why. */
export interface StoredCampaign {
  readonly campaign: Campaign;
  readonly definition: CampaignDefinition;
  readonly status: CampaignStatus;
  readonly version: number;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly updatedAt: string;
  readonly updatedBy: string;
  /** Why the last change was made (a moved date, a closing), when one was given. */
  readonly reason?: string;
  /** The campaign this one was copied from. */
  readonly copiedFrom?: string;
  readonly publishedAt?: string;
  readonly closedAt?: string;
}

export interface NewCampaign {
  readonly definition: CampaignDefinition;
  readonly status: CampaignStatus;
  readonly at: string;
  readonly by: string;
  readonly reason?: string;
  readonly copiedFrom?: string;
}

export interface CampaignChange {
  readonly definition?: CampaignDefinition;
  readonly status?: CampaignStatus;
  readonly at: string;
  readonly by: string;
  readonly reason?: string;
}

/**
 * Port: the campaigns as the use cases read them, whatever their status (ADR 0023). Handlers get a
 * cached one (`shared/clients/campaign-catalog.ts`, adapter `CachedCampaignCatalog` over the
 * store below): an edit is seen within the cache's time-to-live.
 */
export interface CampaignCatalog {
  find(campaignId: string): Promise<Campaign | undefined>;
  /** Every campaign, in id order. */
  all(): Promise<Campaign[]>;
  /** Forgets what a cache holds (all, or one campaign), so the next read is of the campaign as stored. */
  invalidate?(campaignId?: string): void;
}

/** Whether any review of a campaign exists (its weights are then fixed). Adapter: `DynamoDbCampaignReviews`. */
export interface CampaignReviews {
  exist(campaignId: string): Promise<boolean>;
}

/** Port: what the catalog reads of the stored campaigns. */
export type CampaignReads = Pick<CampaignStore, 'get' | 'list'>;

/** Port: the stored campaigns, as the admin API reads and writes them. */
export interface CampaignStore {
  /** One campaign (strongly consistent: the admin API reads what it writes). */
  get(campaignId: string): Promise<StoredCampaign | undefined>;
  /** Every campaign, in id order. */
  list(): Promise<StoredCampaign[]>;
  /** Stores a new campaign at version 1; `KeyTakenError` (409) when the id is taken. `createToken` names the request (ADR 0025). */
  create(campaign: NewCampaign, createToken?: string): Promise<StoredCampaign>;
  /** The campaign stored under `campaignId` by the request with this token, if any. */
  createdBy(campaignId: string, createToken: string): Promise<StoredCampaign | undefined>;
  /** Applies `change` if the campaign is still at `expectedVersion`; 412 otherwise. */
  update(campaignId: string, expectedVersion: number, change: CampaignChange): Promise<StoredCampaign>;
}

/** The stored item's attributes as a {@link StoredCampaign}; throws if the definition no longer validates. */
export function storedCampaignOf(item: Record<string, unknown>): StoredCampaign {
  const status = item.status as CampaignStatus;
  const definition = item.definition as CampaignDefinition;
  const optional = (name: string) => (typeof item[name] === 'string' ? { [name]: item[name] as string } : {});
  return {
    campaign: loadCampaign(definition, status),
    definition,
    status,
    version: Number(item.version),
    createdAt: String(item.createdAt),
    createdBy: String(item.createdBy),
    updatedAt: String(item.updatedAt),
    updatedBy: String(item.updatedBy),
    ...optional('reason'),
    ...optional('copiedFrom'),
    ...optional('publishedAt'),
    ...optional('closedAt'),
  };
}

function itemOf(record: Omit<StoredCampaign, 'campaign'>): Record<string, unknown> {
  return {
    ...campaignKey(record.definition.id),
    entity: 'Campaign',
    campaignId: record.definition.id,
    cityId: record.definition.cityId,
    status: record.status,
    definition: record.definition,
    version: record.version,
    createdAt: record.createdAt,
    createdBy: record.createdBy,
    updatedAt: record.updatedAt,
    updatedBy: record.updatedBy,
    ...(record.reason ? { reason: record.reason } : {}),
    ...(record.copiedFrom ? { copiedFrom: record.copiedFrom } : {}),
    ...(record.publishedAt ? { publishedAt: record.publishedAt } : {}),
    ...(record.closedAt ? { closedAt: record.closedAt } : {}),
  };
}

/**
 * The reads of the stored campaigns, all the catalog needs ({@link CampaignReads}): apart from
 * the writes so that a function that only reads campaigns leaves those out of its bundle (ADR 0050).
 */
export class DynamoDbCampaignReads implements CampaignReads {
  public constructor(protected readonly deps: { readonly client: DynamoDBDocumentClient; readonly tableName: string }) {}

  public async get(campaignId: string): Promise<StoredCampaign | undefined> {
    const { Item } = await this.deps.client.send(
      new GetCommand({ TableName: this.deps.tableName, Key: campaignKey(campaignId), ConsistentRead: true }),
    );
    return Item ? storedCampaignOf(Item) : undefined;
  }

  public async list(): Promise<StoredCampaign[]> {
    const items = await queryAll(this.deps.client, {
      TableName: this.deps.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': CAMPAIGNS_PARTITION, ':prefix': 'CAMPAIGN#' },
      ConsistentRead: true,
    });
    return items.map(storedCampaignOf).sort((a, b) => a.campaign.id.localeCompare(b.campaign.id));
  }
}

/** The reads and the admin API's writes. */
export class DynamoDbCampaignStore extends DynamoDbCampaignReads implements CampaignStore {
  public async createdBy(campaignId: string, createToken: string): Promise<StoredCampaign | undefined> {
    const item = await itemCreatedBy(this.deps, campaignKey(campaignId), createToken);
    return item ? storedCampaignOf(item) : undefined;
  }

  public async create(campaign: NewCampaign, createToken?: string): Promise<StoredCampaign> {
    const record = {
      definition: campaign.definition,
      status: campaign.status,
      version: 1,
      createdAt: campaign.at,
      createdBy: campaign.by,
      updatedAt: campaign.at,
      updatedBy: campaign.by,
      ...(campaign.reason ? { reason: campaign.reason } : {}),
      ...(campaign.copiedFrom ? { copiedFrom: campaign.copiedFrom } : {}),
      ...(campaign.status === 'published' ? { publishedAt: campaign.at } : {}),
    };
    try {
      await this.deps.client.send(
        new PutCommand({
          TableName: this.deps.tableName,
          Item: { ...itemOf(record), ...(createToken ? { createToken } : {}) },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new KeyTakenError(`campaign ${campaign.definition.id} already exists`, { cause: error });
      throw error;
    }
    return storedCampaignOf(itemOf(record));
  }

  public async update(campaignId: string, expectedVersion: number, change: CampaignChange): Promise<StoredCampaign> {
    const current = await this.get(campaignId);
    if (!current) throw new ConflictError(`campaign ${campaignId} does not exist`);
    if (current.version !== expectedVersion) throw new StaleVersionError(current.version);
    const status = change.status ?? current.status;
    const { campaign: _loaded, reason: _reason, ...kept } = current;
    const record = {
      ...kept,
      definition: change.definition ?? current.definition,
      status,
      version: current.version + 1,
      updatedAt: change.at,
      updatedBy: change.by,
      ...(change.reason ? { reason: change.reason } : {}),
      ...(status === 'published' && current.status !== 'published' ? { publishedAt: change.at } : {}),
      ...(status === 'closed' && current.status !== 'closed' ? { closedAt: change.at } : {}),
    };
    try {
      await this.deps.client.send(
        new PutCommand({
          TableName: this.deps.tableName,
          Item: itemOf(record),
          ConditionExpression: 'version = :expected',
          ExpressionAttributeValues: { ':expected': expectedVersion },
          ...ON_CONDITION_FAILURE,
        }),
      );
    } catch (error) {
      // A retried put that met its own lost write succeeded (ADR 0026).
      if (isOwnWrite(error, itemOf(record))) return storedCampaignOf(itemOf(record));
      if (error instanceof ConditionalCheckFailedException) {
        const now = await this.get(campaignId);
        throw new StaleVersionError(now?.version ?? expectedVersion + 1, { cause: error });
      }
      throw error;
    }
    return storedCampaignOf(itemOf(record));
  }
}

/** Whether any review of a campaign exists: one Query of its reviews' gsi2 partition, at most one item. */
export class DynamoDbCampaignReviews implements CampaignReviews {
  public constructor(private readonly deps: { readonly client: DynamoDBDocumentClient; readonly tableName: string }) {}

  public async exist(campaignId: string): Promise<boolean> {
    const { Items } = await this.deps.client.send(
      new QueryCommand({
        TableName: this.deps.tableName,
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.reviewsOfCampaign(campaignId) },
        Limit: 1,
      }),
    );
    return (Items?.length ?? 0) > 0;
  }
}

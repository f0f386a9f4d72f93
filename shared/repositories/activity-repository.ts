import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { ActivityRecord, FlagRecord, ResultsRecord } from '../domain/activity';
import { inDueIndex } from '../domain/milestone-rules';
import { KeyTakenError, NotFoundError, StaleVersionError } from '../errors';
import { cursorScope, decodeCursor, encodeCursor, type Page } from './page';
import { cancellation, isOwnWrite, ON_CONDITION_FAILURE, versionCondition } from './conditions';
import { CAMPAIGN_SHARDS, keys, recordOf, STORAGE_ATTRIBUTES } from './keys';
import { queryPage } from './query-all';
import { shardedPage } from './sharded-query';

/** The entity of a unit's draft count (machinery: not audited). */
export const DRAFT_COUNT_ENTITY = 'DraftCount';

/** A registered draft leaves its unit's draft count (unconditional: a count from before ADR 0042 may start low). */
const draftCountDown = (tableName: string, activity: ActivityRecord) => ({
  Update: {
    TableName: tableName,
    Key: keys.draftCount(activity.campaignId, activity.organizationId),
    UpdateExpression: 'ADD drafts :minus SET entity = :entity, campaignId = :c, organizationId = :o',
    ExpressionAttributeValues: { ':minus': -1, ':entity': DRAFT_COUNT_ENTITY, ':c': activity.campaignId, ':o': activity.organizationId },
  },
});

/** Filters of the activity list (`?status=&county=&jointAction=&format=&flagged=true`). */
export interface ActivityFilters {
  readonly status?: string;
  readonly county?: string;
  readonly jointAction?: string;
  readonly format?: string;
  readonly flagged?: boolean;
}

export interface ActivityListQuery {
  readonly campaignId: string;
  /** One unit's activities; all of the campaign's when absent. */
  readonly organizationId?: string;
  readonly filters: ActivityFilters;
  readonly limit: number;
  readonly cursor?: string;
}

/** A unit holds as many drafts as its campaign allows (`caps.draftsPerUnit`): the new one was not written. */
export class DraftCapReachedError extends Error {
  public constructor(public readonly cap: number) {
    super(`the unit holds ${cap} drafts`);
    this.name = 'DraftCapReachedError';
  }
}

/**
 * Port: one activity at a time and the flags raised on it (all but the list): what the use cases
 * that change an activity need.
 */
export interface ActivityStore {
  /**
   * Writes a new draft and counts it in its unit's drafts, at once: `KeyTakenError` when the id is
   * taken (checked first), `DraftCapReachedError` when the unit already holds `draftCap` drafts.
   */
  create(activity: ActivityRecord, draftCap: number): Promise<void>;
  get(activityId: string): Promise<{ activity: ActivityRecord; flags: FlagRecord[]; results?: ResultsRecord } | undefined>;
  /** Replaces the activity if it is still at `expectedVersion`: 404 if gone, 412 if changed. */
  replace(activity: ActivityRecord, expectedVersion: number): Promise<void>;
  /**
   * Writes the activity (registered at submit, completed by its results or media) and the
   * flags that change raised, at once, if the activity is still at `expectedVersion`. `leavesDrafts`:
   * the change registers a draft (its unit's draft count goes down in the same transaction).
   */
  saveWithFlags(activity: ActivityRecord, expectedVersion: number, flags: readonly FlagRecord[], options?: { leavesDrafts?: boolean }): Promise<void>;
  /**
   * Writes results (new, or replacing `expectedResultsVersion`) and, when they complete the
   * activity, the completed activity (if still at `expectedActivityVersion`) and its flags.
   */
  putResults(input: {
    campaignId: string;
    organizationId: string;
    results: ResultsRecord;
    expectedResultsVersion: number | undefined;
    completed?: { activity: ActivityRecord; expectedActivityVersion: number; flags: readonly FlagRecord[] };
  }): Promise<void>;
}

/** Port: activities and the flags raised on them, and the lists. */
export interface ActivityRepository extends ActivityStore {
  list(query: ActivityListQuery): Promise<Page<ActivityRecord>>;
}

const SERVER_ATTRIBUTES = new Set([
  ...STORAGE_ATTRIBUTES,
  'activityId', 'campaignId', 'organizationId', 'status', 'version', 'createdAt', 'createdBy', 'updatedAt', 'updatedBy', 'submittedAt', 'completedAt', 'withdrawnAt', 'withdrawnReason', 'openFlags',
  'createToken', 'submitToken',
]);

/**
 * The stored item: server attributes and the organizer's fields side by side (flat, so audits and
 * filters read them). `raised` are the flags written with it (their count joins `openFlags`).
 */
function toItem(a: ActivityRecord, raised: readonly FlagRecord[] = []): Record<string, unknown> {
  const openFlags = (a.openFlags ?? 0) + raised.length;
  return {
    ...a.fields,
    ...keys.activity(a.activityId),
    gsi1pk: keys.activitiesOfOrganization(a.campaignId, a.organizationId),
    gsi1sk: keys.activityInOrganization(a.createdAt, a.activityId),
    // gsi2: one shard of the campaign's activities (ADR 0028), from the activity id.
    gsi2pk: keys.activitiesOfCampaign(a.campaignId, a.activityId),
    gsi2sk: keys.activityInCampaign(a.createdAt, a.activityId),
    // gsi3, the due index: only what can still earn a milestone's flag (the domain's milestone table).
    ...(inDueIndex(a.status, raised.map((f) => f.code))
      ? { gsi3pk: keys.dueOfOrganization(a.campaignId, a.organizationId), gsi3sk: keys.dueActivity(a.createdAt, a.activityId) }
      : {}),
    entity: 'Activity',
    activityId: a.activityId,
    campaignId: a.campaignId,
    organizationId: a.organizationId,
    status: a.status,
    version: a.version,
    createdAt: a.createdAt,
    createdBy: a.createdBy,
    updatedAt: a.updatedAt,
    updatedBy: a.updatedBy,
    ...(a.submittedAt ? { submittedAt: a.submittedAt } : {}),
    ...(a.completedAt ? { completedAt: a.completedAt } : {}),
    ...(a.withdrawnAt ? { withdrawnAt: a.withdrawnAt } : {}),
    ...(a.withdrawnReason ? { withdrawnReason: a.withdrawnReason } : {}),
    ...(openFlags > 0 ? { openFlags } : {}),
    ...(a.createToken ? { createToken: a.createToken } : {}),
    ...(a.submitToken ? { submitToken: a.submitToken } : {}),
  };
}

function fromItem(item: Record<string, unknown>): ActivityRecord {
  const fields = Object.fromEntries(Object.entries(item).filter(([k]) => !SERVER_ATTRIBUTES.has(k)));
  return {
    activityId: item.activityId as string,
    campaignId: item.campaignId as string,
    organizationId: item.organizationId as string,
    status: item.status as ActivityRecord['status'],
    version: Number(item.version),
    createdAt: item.createdAt as string,
    createdBy: item.createdBy as string,
    updatedAt: item.updatedAt as string,
    updatedBy: item.updatedBy as string,
    ...(typeof item.submittedAt === 'string' ? { submittedAt: item.submittedAt } : {}),
    ...(typeof item.completedAt === 'string' ? { completedAt: item.completedAt } : {}),
    ...(typeof item.withdrawnAt === 'string' ? { withdrawnAt: item.withdrawnAt } : {}),
    ...(typeof item.withdrawnReason === 'string' ? { withdrawnReason: item.withdrawnReason } : {}),
    ...(item.openFlags ? { openFlags: Number(item.openFlags) } : {}),
    ...(typeof item.createToken === 'string' ? { createToken: item.createToken } : {}),
    ...(typeof item.submitToken === 'string' ? { submitToken: item.submitToken } : {}),
    fields,
  };
}

function resultsFromItem(item: Record<string, unknown>): ResultsRecord {
  return recordOf<ResultsRecord>(item, ['campaignId', 'organizationId']);
}

/** A flag's item: its key, gsi1 listing every flag of the campaign by time raised, gsi2 finding it by id. */
export function flagItem(key: { pk: string; sk: string }, f: FlagRecord): Record<string, unknown> {
  const byId = keys.flagById(f.flagId);
  return {
    ...key,
    // gsi1: one shard of the campaign's flags (ADR 0028), from the unit id.
    gsi1pk: keys.flagsOfCampaign(f.campaignId, f.organizationId),
    gsi1sk: `${f.raisedAt}#${f.flagId}`,
    gsi2pk: byId.pk,
    gsi2sk: byId.sk,
    entity: 'Flag',
    ...f,
  };
}

/** The transaction item that raises `f` under `key`: one flag per (code, subject, milestone), never overwritten. */
export function flagPut(tableName: string, key: { pk: string; sk: string }, f: FlagRecord) {
  return { Put: { TableName: tableName, Item: flagItem(key, f), ConditionExpression: 'attribute_not_exists(pk)' } };
}

export function flagFromItem(item: Record<string, unknown>): FlagRecord {
  return recordOf<FlagRecord>(item);
}

/**
 * {@link ActivityStore} over the main table. Apart from the lists ({@link DynamoDbActivityRepository})
 * so that a function that only changes activities leaves the list queries out of its bundle (ADR 0050).
 */
export class DynamoDbActivityStore implements ActivityStore {
  public constructor(protected readonly deps: { client: DynamoDBDocumentClient; tableName: string }) {}

  /**
   * One transaction: the activity (its id must be free) and `ADD drafts 1` on the unit's draft count
   * while it is under the cap (ADR 0042). O(1) whatever the unit holds, and exact under any race.
   */
  public async create(activity: ActivityRecord, draftCap: number): Promise<void> {
    try {
      await this.deps.client.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: this.deps.tableName, Item: toItem(activity), ConditionExpression: 'attribute_not_exists(pk)' } },
            {
              Update: {
                TableName: this.deps.tableName,
                Key: keys.draftCount(activity.campaignId, activity.organizationId),
                UpdateExpression: 'ADD drafts :one SET entity = :entity, campaignId = :c, organizationId = :o',
                ConditionExpression: 'attribute_not_exists(drafts) OR drafts < :cap',
                ExpressionAttributeValues: { ':one': 1, ':cap': draftCap, ':entity': DRAFT_COUNT_ENTITY, ':c': activity.campaignId, ':o': activity.organizationId },
              },
            },
          ],
        }),
      );
    } catch (error) {
      const { failed } = cancellation(error);
      if (failed.includes(0)) throw new KeyTakenError(`activity ${activity.activityId} exists`, { cause: error });
      if (failed.includes(1)) throw new DraftCapReachedError(draftCap);
      throw error;
    }
  }

  public async get(activityId: string) {
    const page = await this.deps.client.send(
      new QueryCommand({
        TableName: this.deps.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.activityPartition(activityId) },
        ConsistentRead: true,
      }),
    );
    const items = page.Items ?? [];
    const main = items.find((i) => i.sk === 'A');
    if (!main) return undefined;
    const flags = items.filter((i) => String(i.sk).startsWith(keys.flagPrefix)).map(flagFromItem);
    const results = items.find((i) => i.sk === 'RESULTS');
    return { activity: fromItem(main), flags, ...(results ? { results: resultsFromItem(results) } : {}) };
  }

  /** Why a conditional write on `activityId` failed: it is gone (404) or at another version (412). */
  private async conflict(activityId: string, cause: unknown): Promise<never> {
    const current = await this.deps.client.send(
      new GetCommand({ TableName: this.deps.tableName, Key: keys.activity(activityId), ConsistentRead: true }),
    );
    if (!current.Item) throw new NotFoundError(`activity ${activityId} not found`, { cause });
    throw new StaleVersionError(Number(current.Item.version), { cause });
  }

  public async replace(activity: ActivityRecord, expectedVersion: number): Promise<void> {
    try {
      await this.deps.client.send(
        new PutCommand({
          TableName: this.deps.tableName,
          Item: toItem(activity),
          ...versionCondition(expectedVersion),
          ...ON_CONDITION_FAILURE,
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        // The SDK retried a put whose answer was lost and the retry failed its own condition:
        // the item stored is exactly this one, so the write succeeded (ADR 0026).
        if (isOwnWrite(error, toItem(activity))) return;
        await this.conflict(activity.activityId, error);
      }
      throw error;
    }
  }

  public async saveWithFlags(activity: ActivityRecord, expectedVersion: number, flags: readonly FlagRecord[], options?: { leavesDrafts?: boolean }): Promise<void> {
    try {
      await this.deps.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.deps.tableName,
                Item: toItem(activity, flags),
                ...versionCondition(expectedVersion),
              },
            },
            ...flags.map((f) => flagPut(this.deps.tableName, keys.activityFlag(activity.activityId, f.milestone, f.code), f)),
            ...(options?.leavesDrafts ? [draftCountDown(this.deps.tableName, activity)] : []),
          ],
        }),
      );
    } catch (error) {
      if (cancellation(error).failed.includes(0)) await this.conflict(activity.activityId, error);
      throw error;
    }
  }

  public async putResults(input: Parameters<ActivityRepository['putResults']>[0]): Promise<void> {
    const { results } = input;
    const resultsPut = {
      Put: {
        TableName: this.deps.tableName,
        Item: {
          ...keys.activityResults(results.activityId),
          // gsi2: every results item of the campaign (exports read them in pages, never per activity).
          ...keys.resultsIndex(input.campaignId, results.activityId),
          entity: 'Results',
          campaignId: input.campaignId,
          organizationId: input.organizationId,
          ...results,
        },
        ...versionCondition(input.expectedResultsVersion),
      },
    };
    const completed = input.completed;
    const extra = completed
      ? [
          {
            Put: {
              TableName: this.deps.tableName,
              Item: toItem(completed.activity, completed.flags),
              ...versionCondition(completed.expectedActivityVersion),
            },
          },
          ...completed.flags.map((f) => flagPut(this.deps.tableName, keys.activityFlag(results.activityId, f.milestone, f.code), f)),
        ]
      : [];
    try {
      await this.deps.client.send(new TransactWriteCommand({ TransactItems: [resultsPut, ...extra] }));
    } catch (error) {
      if (cancellation(error).failed.length > 0) {
        const current = await this.deps.client.send(
          new GetCommand({ TableName: this.deps.tableName, Key: keys.activityResults(results.activityId), ConsistentRead: true }),
        );
        throw new StaleVersionError(Number(current.Item?.version ?? 0), { cause: error });
      }
      throw error;
    }
  }
}

/** The store and the lists: a unit's activities (gsi1), a campaign's (gsi2's shards). */
export class DynamoDbActivityRepository extends DynamoDbActivityStore implements ActivityRepository {
  public async list(query: ActivityListQuery): Promise<Page<ActivityRecord>> {
    if (query.organizationId === undefined) return this.listCampaign(query);
    const index = 'gsi1';
    const partition = keys.activitiesOfOrganization(query.campaignId, query.organizationId);
    const keyNames = ['pk', 'sk', `${index}pk`, `${index}sk`];
    const { filters, names, values } = activityFilters(query.filters);
    names['#pk'] = `${index}pk`;
    values[':pk'] = partition;
    // Bound to this unit's list with these filters; the key names the unit's partition (ADR 0031).
    const scope = cursorScope('activities', partition, query.filters);
    const startKey = (await decodeCursor(scope, query.cursor, keyNames, { [`${index}pk`]: partition })) as Record<string, unknown> | undefined;
    // A filter is applied after DynamoDB reads a page: the page is refilled until full (ADR 0041).
    const { items, cursorKey } = await queryPage(
      this.deps.client,
      {
        TableName: this.deps.tableName,
        IndexName: index,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ...(filters.length ? { FilterExpression: filters.join(' AND ') } : {}),
      },
      {
        limit: query.limit,
        startKey,
        cursorKeys: keyNames,
        // One more than the page needs: a full last page then answers no cursor (no empty page after it).
        readSize: (kept) => (filters.length ? Math.max(FILTERED_READ, query.limit + 1) : query.limit - kept + 1),
      },
    );
    return { items: items.map(fromItem), nextCursor: await encodeCursor(scope, cursorKey as Record<string, string> | undefined) };
  }

  /**
   * Every activity of a campaign, oldest first: gsi2's shards (ADR 0028) merged in `createdAt#id`
   * order. The cursor is the last item's `gsi2sk`, bound to the campaign's list (its unsharded name).
   */
  private async listCampaign(query: ActivityListQuery): Promise<Page<ActivityRecord>> {
    const scope = cursorScope('activities', keys.unsharded('activities', query.campaignId), query.filters);
    const { filters, names, values } = activityFilters(query.filters);
    const after = (await decodeCursor(scope, query.cursor, CAMPAIGN_CURSOR_KEYS))?.gsi2sk;
    const page = await shardedPage(this.deps.client, {
      shards: keys.shards('activities', query.campaignId),
      sortKey: 'gsi2sk',
      after: after === undefined ? undefined : String(after),
      limit: query.limit,
      // Unfiltered, a share of the page per shard; filtered, batches (fewer round trips).
      readSize: filters.length ? FILTERED_READ : Math.max(MIN_SHARD_READ, Math.ceil((2 * query.limit) / CAMPAIGN_SHARDS.activities)),
      query: (shard, from) => ({
        TableName: this.deps.tableName,
        IndexName: 'gsi2',
        KeyConditionExpression: from === undefined ? '#pk = :pk' : '#pk = :pk AND #sk > :after',
        ExpressionAttributeNames: { ...names, '#pk': 'gsi2pk', ...(from === undefined ? {} : { '#sk': 'gsi2sk' }) },
        ExpressionAttributeValues: { ...values, ':pk': shard, ...(from === undefined ? {} : { ':after': from }) },
        ...(filters.length ? { FilterExpression: filters.join(' AND ') } : {}),
      }),
    });
    return { items: page.items.map(fromItem), nextCursor: await encodeCursor(scope, page.after === undefined ? undefined : { gsi2sk: page.after }) };
  }
}

/** What a cursor of a campaign's whole list carries: the last activity's gsi2 sort key. */
const CAMPAIGN_CURSOR_KEYS = ['gsi2sk'] as const;
/** Items one Query of a shard reads at least (unfiltered), and when a filter drops items. */
const MIN_SHARD_READ = 5;
const FILTERED_READ = 100;

/** The FilterExpression of the list's filters (`flagged`: any flag not waived). */
function activityFilters(query: ActivityFilters): { filters: string[]; names: Record<string, string>; values: Record<string, unknown> } {
  const filters: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (field === 'flagged') {
      // An activity with any flag not waived.
      names['#openFlags'] = 'openFlags';
      values[':noFlags'] = 0;
      filters.push('#openFlags > :noFlags');
      continue;
    }
    names[`#${field}`] = field;
    values[`:${field}`] = value;
    filters.push(`#${field} = :${field}`);
  }
  return { filters, names, values };
}

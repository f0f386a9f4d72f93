/**
 * Flags across a campaign: the reviewers' list (gsi1's shards, merged by time raised) and the admin's waiver
 * (a flag found by its id through gsi2). Flags are raised elsewhere (submit, results, summary,
 * the milestone sweeps) with {@link flagPut}; this port only reads and waives them.
 */
import { GetCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { FlagRecord } from '../domain/activity';
import type { MilestoneId } from '../domain/campaign';
import type { FlagCode } from '../domain/flags';
import { ConflictError, NotFoundError, type FieldIssue } from '../errors';
import { cursorScope, decodeCursor, encodeCursor, type Page } from './page';
import { flagFromItem } from './activity-repository';
import { cancellation } from './conditions';
import { keys, type ItemKey } from './keys';
import { shardedPage } from './sharded-query';

/** A flag as stored, with its waiver once an admin waived it. */
export interface StoredFlag extends FlagRecord {
  /** When it was waived (UTC ISO). */
  readonly waivedAt?: string;
  /** Who waived it (the admin's `sub`). */
  readonly waivedBy?: string;
}

/** Filters of the flag list (`?code=&organizationId=&milestone=&waived=`), already validated. */
export interface FlagFilters {
  readonly code?: FlagCode;
  readonly organizationId?: string;
  readonly milestone?: MilestoneId;
  readonly waived?: boolean;
}

export interface FlagListQuery {
  readonly campaignId: string;
  readonly filters: FlagFilters;
  readonly limit: number;
  readonly cursor?: string;
}

/** An admin's waiver of one flag. */
export interface Waiver {
  readonly reason: string;
  /** The admin's `sub`. */
  readonly by: string;
  /** When (UTC ISO). */
  readonly at: string;
}

/** A flag found by its id, with the key of its item (in its activity's or unit's partition). */
export interface FoundFlag {
  readonly key: ItemKey;
  readonly flag: StoredFlag;
}

/** The flag was waived already (409): a waiver is given once and never replaced. */
export class FlagAlreadyWaivedError extends ConflictError {
  /** The field-level code the answer carries (`errors[0].code`). */
  public readonly issues: readonly FieldIssue[];

  public constructor(flagId: string, options?: ErrorOptions) {
    super(`flag ${flagId} is already waived`, options);
    this.name = 'FlagAlreadyWaivedError';
    this.issues = [{ path: 'flagId', code: 'flag_already_waived', params: { value: flagId } }];
  }
}

/** Port: reading and waiving flags. */
export interface FlagRepository {
  /** A campaign's flags, oldest first, filtered; pages are refilled until `limit` or the end. */
  list(query: FlagListQuery): Promise<Page<StoredFlag>>;
  /** One flag by its id, or `undefined`. */
  find(flagId: string): Promise<FoundFlag | undefined>;
  /**
   * Marks the flag waived and, when it is on an activity, takes it off the activity's open-flag
   * count (and bumps the activity's version), all at once. {@link FlagAlreadyWaivedError} when it
   * was waived meanwhile; `NotFoundError` when the flag or its activity is gone.
   */
  waive(found: FoundFlag, waiver: Waiver): Promise<StoredFlag>;
}

/** Attempts of the waiver transaction while another transaction holds the flag or its activity. */
const MAX_ATTEMPTS = 3;
/** Most items one Query reads while refilling a filtered page. */
const READ_BATCH = 100;
/** What a cursor of this list carries: the last flag's gsi1 sort key (`<raisedAt>#<flagId>`, unique in the campaign). */
const CURSOR_KEYS = ['gsi1sk'] as const;
/** Items one Query of a shard reads at least, unfiltered. */
const MIN_SHARD_READ = 5;

export class DynamoDbFlagRepository implements FlagRepository {
  public constructor(private readonly deps: { client: DynamoDBDocumentClient; tableName: string }) {}

  public async list(query: FlagListQuery): Promise<Page<StoredFlag>> {
    // The list's name (its cursors are bound to it); its items are in gsi1's shards (ADR 0028).
    const scope = cursorScope('flags', keys.unsharded('flags', query.campaignId), query.filters);
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const filters: string[] = [];
    for (const [field, value] of Object.entries(query.filters)) {
      if (value === undefined) continue;
      names[`#${field}`] = field;
      values[`:${field}`] = value;
      filters.push(`#${field} = :${field}`);
    }
    const after = (await decodeCursor(scope, query.cursor, CURSOR_KEYS))?.gsi1sk;
    // A unit's flags are all in its own shard: one Query. Otherwise every shard, merged by time raised.
    const shards =
      query.filters.organizationId === undefined
        ? keys.shards('flags', query.campaignId)
        : [keys.flagsOfCampaign(query.campaignId, query.filters.organizationId)];
    const page = await shardedPage(this.deps.client, {
      shards,
      sortKey: 'gsi1sk',
      after: after === undefined ? undefined : String(after),
      limit: query.limit,
      // Filtered, read in batches (fewer round trips); unfiltered, a share of the page per shard.
      readSize: filters.length ? Math.max(READ_BATCH, query.limit) : Math.max(MIN_SHARD_READ, Math.ceil((2 * query.limit) / shards.length)),
      query: (shard, from) => ({
        TableName: this.deps.tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: from === undefined ? '#pk = :pk' : '#pk = :pk AND #sk > :after',
        ExpressionAttributeNames: { ...names, '#pk': 'gsi1pk', ...(from === undefined ? {} : { '#sk': 'gsi1sk' }) },
        ExpressionAttributeValues: { ...values, ':pk': shard, ...(from === undefined ? {} : { ':after': from }) },
        ...(filters.length ? { FilterExpression: filters.join(' AND ') } : {}),
      }),
    });
    return { items: page.items.map(flagFromItem) as StoredFlag[], nextCursor: await encodeCursor(scope, page.after === undefined ? undefined : { gsi1sk: page.after }) };
  }

  public async find(flagId: string): Promise<FoundFlag | undefined> {
    const byId = keys.flagById(flagId);
    const page = await this.deps.client.send(
      new QueryCommand({
        TableName: this.deps.tableName,
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk = :sk',
        ExpressionAttributeValues: { ':pk': byId.pk, ':sk': byId.sk },
        Limit: 1,
      }),
    );
    const hit = page.Items?.[0];
    if (!hit) return undefined;
    // A GSI read is eventually consistent: read the item itself for its current state.
    const key = { pk: String(hit.pk), sk: String(hit.sk) };
    const { Item } = await this.deps.client.send(new GetCommand({ TableName: this.deps.tableName, Key: key, ConsistentRead: true }));
    return Item ? { key, flag: flagFromItem(Item) as StoredFlag } : undefined;
  }

  public async waive(found: FoundFlag, waiver: Waiver): Promise<StoredFlag> {
    const { flag } = found;
    const flagUpdate = {
      Update: {
        TableName: this.deps.tableName,
        Key: found.key,
        UpdateExpression: 'SET waived = :true, waivedReason = :reason, waivedBy = :by, waivedAt = :at',
        ConditionExpression: 'waived = :false',
        ExpressionAttributeValues: { ':true': true, ':false': false, ':reason': waiver.reason, ':by': waiver.by, ':at': waiver.at },
      },
    };
    const activityUpdate = flag.activityId
      ? [
          {
            // A new version: a PATCH based on an older read gets 412 instead of overwriting the count.
            Update: {
              TableName: this.deps.tableName,
              Key: keys.activity(flag.activityId),
              UpdateExpression: 'ADD openFlags :minusOne SET version = version + :one',
              ConditionExpression: 'attribute_exists(pk)',
              ExpressionAttributeValues: { ':minusOne': -1, ':one': 1 },
            },
          },
        ]
      : [];
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.deps.client.send(new TransactWriteCommand({ TransactItems: [flagUpdate, ...activityUpdate] }));
        break;
      } catch (error) {
        // Another transaction on the flag or the activity (a second waiver, a PATCH) was in flight.
        const { failed, conflicted } = cancellation(error);
        if (conflicted && attempt < MAX_ATTEMPTS) continue;
        if (failed.includes(0) || conflicted) {
          // `waived = false` failed, or the flag stayed busy: waived meanwhile, gone, or try again.
          const { Item } = await this.deps.client.send(new GetCommand({ TableName: this.deps.tableName, Key: found.key, ConsistentRead: true }));
          if (!Item) throw new NotFoundError(`flag ${flag.flagId} not found`, { cause: error });
          if (Item.waived === true) throw new FlagAlreadyWaivedError(flag.flagId, { cause: error });
          throw new ConflictError('another change to this flag or its activity is in progress; send the request again', { cause: error });
        }
        if (failed.includes(1)) {
          throw new NotFoundError(`activity ${flag.activityId ?? ''} of flag ${flag.flagId} not found`, { cause: error });
        }
        throw error;
      }
    }
    return { ...flag, waived: true, waivedReason: waiver.reason, waivedBy: waiver.by, waivedAt: waiver.at };
  }
}

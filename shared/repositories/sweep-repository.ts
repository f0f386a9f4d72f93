/**
 * What the milestone sweeps and reminders read and write, one unit at a time, without a Scan:
 * - the unit's due activities come from the sparse due index (gsi3), which holds only what can
 *   still become late;
 * - whether the unit registered any activity in time is answered by reading the unit's
 *   activities (gsi1) only until the first one registered in time is found;
 * - flags are written once per (code, subject, milestone) by a conditional put.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { GetCommand, PutCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { FlagRecord, ResultsRecord } from '../domain/activity';
import type { InboxMessage } from '../domain/inbox';
import type { MediaRecord } from '../domain/media';
import type { ActivityFormat, ActivityStatus } from '../domain/activity';
import { flagItem } from './activity-repository';
import { cancellation, conditionalWrite } from './conditions';
import { keys, recordOf } from './keys';
import { queryAll, queryPages } from './query-all';

/** What a sweep knows of an activity of the unit. */
export interface SweptActivity {
  readonly activityId: string;
  readonly organizationId: string;
  readonly status: ActivityStatus;
  readonly version: number;
  readonly createdAt: string;
  readonly submittedAt?: string;
  readonly completedAt?: string;
  readonly format?: ActivityFormat;
  readonly onlineUrl?: string;
}

const ACTIVITY_PROJECTION = ['activityId', 'organizationId', '#status', 'version', 'createdAt', 'submittedAt', 'completedAt', '#format', 'onlineUrl'];
const PROJECTION_NAMES = { '#status': 'status', '#format': 'format' };

function fromItem(i: Record<string, unknown>): SweptActivity {
  return {
    activityId: String(i.activityId),
    organizationId: String(i.organizationId),
    status: i.status as ActivityStatus,
    version: Number(i.version),
    createdAt: String(i.createdAt),
    ...(typeof i.submittedAt === 'string' ? { submittedAt: i.submittedAt } : {}),
    ...(typeof i.completedAt === 'string' ? { completedAt: i.completedAt } : {}),
    ...(typeof i.format === 'string' ? { format: i.format as ActivityFormat } : {}),
    ...(typeof i.onlineUrl === 'string' ? { onlineUrl: i.onlineUrl } : {}),
  };
}

/** Port: the sweeps' view of the table. */
export interface SweepStore {
  /** The unit's activities that can still earn a milestone flag (the due index). */
  dueActivities(campaignId: string, organizationId: string): Promise<SweptActivity[]>;
  /**
   * The unit's activities registered at or before `by`, read only until `accept` takes one
   * (which is returned). Drafts and later registrations are read past, never returned.
   */
  findRegistered(campaignId: string, organizationId: string, by: Date, accept: (a: SweptActivity) => boolean): Promise<SweptActivity | undefined>;
  /** Raises a flag on an activity (and counts it on the activity); false if it was already raised. */
  raiseActivityFlag(flag: FlagRecord & { activityId: string }): Promise<boolean>;
  /** Raises a flag on a unit; false if it was already raised. */
  raiseUnitFlag(flag: FlagRecord): Promise<boolean>;
  /** Takes an activity out of the due index: nothing can make it late any more. */
  settle(activityId: string): Promise<void>;
  /** When the unit's work summary was first submitted, if it was. */
  summarySubmittedAt(campaignId: string, organizationId: string): Promise<string | undefined>;
  /** An activity's results and media (what the completion rule counts). */
  evidence(activityId: string): Promise<{ results?: ResultsRecord; media: MediaRecord[] }>;
  /** Writes an inbox message once: `false` (and the stored one) when it was already written. */
  writeInbox(message: InboxMessage): Promise<{ written: boolean; stored: InboxMessage }>;
}

/**
 * The part of {@link SweepStore} that only reads what a unit still owes (the reminders' gaps):
 * the unit status route gets no write access through it.
 */
export type ReminderGapReader = Pick<SweepStore, 'dueActivities' | 'findRegistered' | 'summarySubmittedAt' | 'evidence'>;

export class DynamoDbSweepStore implements SweepStore {
  public constructor(private readonly deps: { client: DynamoDBDocumentClient; tableName: string }) {}

  public async dueActivities(campaignId: string, organizationId: string): Promise<SweptActivity[]> {
    const items = await queryAll(this.deps.client, {
      TableName: this.deps.tableName,
      IndexName: 'gsi3',
      KeyConditionExpression: 'gsi3pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.dueOfOrganization(campaignId, organizationId) },
      ProjectionExpression: ACTIVITY_PROJECTION.join(', '),
      ExpressionAttributeNames: PROJECTION_NAMES,
    });
    return items.map(fromItem);
  }

  public async findRegistered(campaignId: string, organizationId: string, by: Date, accept: (a: SweptActivity) => boolean) {
    const pages = queryPages(this.deps.client, {
      TableName: this.deps.tableName,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      // Stored instants are UTC ISO strings of one width: they compare as strings.
      FilterExpression: 'submittedAt <= :by',
      ExpressionAttributeValues: { ':pk': keys.activitiesOfOrganization(campaignId, organizationId), ':by': by.toISOString() },
      ProjectionExpression: ACTIVITY_PROJECTION.join(', '),
      ExpressionAttributeNames: PROJECTION_NAMES,
    });
    for await (const page of pages) {
      const found = (page.Items ?? []).map(fromItem).find(accept);
      if (found) return found;
    }
    return undefined;
  }

  public async raiseActivityFlag(flag: FlagRecord & { activityId: string }): Promise<boolean> {
    try {
      await this.deps.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.deps.tableName,
                Item: flagItem(keys.activityFlag(flag.activityId, flag.milestone, flag.code), flag),
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              // A new version: a PATCH based on an older read gets 412 instead of overwriting the count.
              Update: {
                TableName: this.deps.tableName,
                Key: keys.activity(flag.activityId),
                UpdateExpression: 'ADD openFlags :one, version :one',
                ConditionExpression: 'attribute_exists(pk)',
                ExpressionAttributeValues: { ':one': 1 },
              },
            },
          ],
        }),
      );
      return true;
    } catch (error) {
      const { failed } = cancellation(error);
      // Already raised (by another run, or by submit/results): one flag, however often a sweep runs.
      if (failed.includes(0)) return false;
      // The activity is gone: nothing to flag.
      if (failed.includes(1)) return false;
      throw error;
    }
  }

  public async raiseUnitFlag(flag: FlagRecord): Promise<boolean> {
    return conditionalWrite(
      this.deps.client.send(
        new PutCommand({
          TableName: this.deps.tableName,
          Item: flagItem(keys.organizationFlag(flag.campaignId, flag.organizationId, flag.milestone, flag.code), flag),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  }

  public async settle(activityId: string): Promise<void> {
    // A deleted activity has nothing left to settle.
    await conditionalWrite(
      this.deps.client.send(
        new UpdateCommand({
          TableName: this.deps.tableName,
          Key: keys.activity(activityId),
          UpdateExpression: 'REMOVE gsi3pk, gsi3sk',
          ConditionExpression: 'attribute_exists(pk)',
        }),
      ),
    );
  }

  public async summarySubmittedAt(campaignId: string, organizationId: string): Promise<string | undefined> {
    const got = await this.deps.client.send(
      new GetCommand({
        TableName: this.deps.tableName,
        Key: keys.summary(campaignId, organizationId),
        ProjectionExpression: 'submittedAt',
        ConsistentRead: true,
      }),
    );
    return typeof got.Item?.submittedAt === 'string' ? got.Item.submittedAt : undefined;
  }

  public async evidence(activityId: string): Promise<{ results?: ResultsRecord; media: MediaRecord[] }> {
    const items = await queryAll(this.deps.client, {
      TableName: this.deps.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.activityPartition(activityId) },
    });
    const results = items.find((i) => i.sk === 'RESULTS') as unknown as ResultsRecord | undefined;
    const media = items.filter((i) => String(i.sk).startsWith(keys.mediaPrefix)) as unknown as MediaRecord[];
    return { ...(results ? { results } : {}), media };
  }

  public async writeInbox(message: InboxMessage): Promise<{ written: boolean; stored: InboxMessage }> {
    try {
      await this.deps.client.send(
        new PutCommand({
          TableName: this.deps.tableName,
          Item: {
            ...keys.inboxMessage(message.campaignId, message.organizationId, message.at, message.messageId),
            entity: 'InboxMessage',
            ...message,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { written: true, stored: message };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        // The document client does not unmarshall the item a failed condition returns.
        const old = error.Item ? unmarshall(error.Item) : { ...message };
        return { written: false, stored: recordOf<InboxMessage>(old) };
      }
      throw error;
    }
  }
}

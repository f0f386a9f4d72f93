import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { MediaRecord, MediaSubject } from '../domain/media';
import { KeyTakenError } from '../errors';
import { itemCreatedBy } from './conditions';
import { keys, recordOf, type ItemKey } from './keys';
import { queryAll } from './query-all';

/** Port: media items. */
export interface MediaRepository {
  /** Stores a pending media item once per id (`KeyTakenError` when taken), with its request's token (ADR 0025). */
  create(media: MediaRecord, createToken?: string): Promise<void>;
  /** The media item stored under `mediaId` by the request with this token, if any. */
  createdBy(subject: MediaSubject, mediaId: string, createToken: string): Promise<MediaRecord | undefined>;
  list(subject: MediaSubject): Promise<MediaRecord[]>;
  get(subject: MediaSubject, mediaId: string): Promise<MediaRecord | undefined>;
  /**
   * Decides a pending item once: `accepted` or `rejected` with a reason. Answers `false` when
   * it was decided already (a duplicated or concurrent event), changing nothing.
   */
  decide(subject: MediaSubject, mediaId: string, decision: MediaDecision): Promise<boolean>;
}

export interface MediaDecision {
  readonly status: 'accepted' | 'rejected';
  readonly reason?: string;
  readonly size: number;
  /** Accepted: the copy of the judged bytes, the only object served (ADR 0032). */
  readonly checkedKey?: string;
  readonly detectedContentType?: string;
  readonly sha256?: string;
  /** The accepted item this one duplicates (same SHA-256, same activity). */
  readonly duplicateOf?: string;
  /** When the camera says the photo was taken (EXIF, local time). */
  readonly capturedAt?: string;
  /** Soft findings that do not refuse the file. */
  readonly warnings?: readonly string[];
  readonly checkedAt: string;
}

/** Whether a stored item holds decision `d` itself (same verdict, same check instant and findings). */
function isThisDecision(item: Record<string, unknown>, d: MediaDecision): boolean {
  return (
    item.status === d.status &&
    item.checkedAt === d.checkedAt &&
    Number(item.size) === d.size &&
    item.reason === d.reason &&
    item.sha256 === d.sha256 &&
    item.checkedKey === d.checkedKey &&
    item.duplicateOf === d.duplicateOf
  );
}

const keyOf = (subject: MediaSubject, mediaId: string): ItemKey =>
  subject.type === 'activity'
    ? keys.mediaOfActivity(subject.activityId, mediaId)
    : keys.mediaOfSummary(subject.campaignId, subject.organizationId, mediaId);

/** The record of a stored media item: storage attributes (keys, index keys, entity) removed. */
export function mediaFromItem(item: Record<string, unknown>): MediaRecord {
  return recordOf<MediaRecord>(item, ['campaignId', 'organizationId', 'createToken']);
}

export class DynamoDbMediaRepository implements MediaRepository {
  public constructor(private readonly deps: { client: DynamoDBDocumentClient; tableName: string }) {}

  public async create(media: MediaRecord, createToken?: string): Promise<void> {
    try {
      await this.deps.client.send(
        new PutCommand({
          TableName: this.deps.tableName,
          Item: {
            ...keyOf(media.subject, media.mediaId),
            // gsi2: every media item of the campaign, activities' and summaries' alike (exports).
            ...keys.mediaIndex(media.subject.campaignId, media.createdAt, media.mediaId),
            entity: 'Media',
            campaignId: media.subject.campaignId,
            organizationId: media.subject.organizationId,
            ...media,
            ...(createToken ? { createToken } : {}),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new KeyTakenError(`media ${media.mediaId} exists`, { cause: error });
      throw error;
    }
  }

  public async createdBy(subject: MediaSubject, mediaId: string, createToken: string): Promise<MediaRecord | undefined> {
    const item = await itemCreatedBy(this.deps, keyOf(subject, mediaId), createToken);
    return item ? mediaFromItem(item) : undefined;
  }

  public async get(subject: MediaSubject, mediaId: string): Promise<MediaRecord | undefined> {
    const { Item } = await this.deps.client.send(
      new GetCommand({ TableName: this.deps.tableName, Key: keyOf(subject, mediaId), ConsistentRead: true }),
    );
    return Item ? mediaFromItem(Item) : undefined;
  }

  public async decide(subject: MediaSubject, mediaId: string, d: MediaDecision): Promise<boolean> {
    try {
      await this.deps.client.send(
        new UpdateCommand({
          TableName: this.deps.tableName,
          Key: keyOf(subject, mediaId),
          UpdateExpression: `SET #status = :status, size = :size, checkedAt = :at${d.reason ? ', reason = :reason' : ''}${d.detectedContentType ? ', detectedContentType = :detected' : ''}${d.sha256 ? ', sha256 = :sha' : ''}${d.checkedKey ? ', checkedKey = :checked' : ''}${d.duplicateOf ? ', duplicateOf = :dup' : ''}${d.capturedAt ? ', capturedAt = :captured' : ''}${d.warnings?.length ? ', warnings = :warnings' : ''}`,
          ConditionExpression: '#status = :pending',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':status': d.status,
            ':size': d.size,
            ':at': d.checkedAt,
            ':pending': 'pending',
            ...(d.reason ? { ':reason': d.reason } : {}),
            ...(d.detectedContentType ? { ':detected': d.detectedContentType } : {}),
            ...(d.sha256 ? { ':sha': d.sha256 } : {}),
            ...(d.checkedKey ? { ':checked': d.checkedKey } : {}),
            ...(d.duplicateOf ? { ':dup': d.duplicateOf } : {}),
            ...(d.capturedAt ? { ':captured': d.capturedAt } : {}),
            ...(d.warnings?.length ? { ':warnings': d.warnings } : {}),
          },
        }),
      );
      return true;
    } catch (error) {
      // Decided already, unless the decision stored is exactly this one: the SDK retried an update
      // whose answer was lost, and the retry failed its own condition (ADR 0026).
      if (error instanceof ConditionalCheckFailedException) return error.Item !== undefined && isThisDecision(unmarshall(error.Item), d);
      throw error;
    }
  }

  public async list(subject: MediaSubject): Promise<MediaRecord[]> {
    const found = await queryAll(this.deps.client, {
      TableName: this.deps.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :media)',
      ExpressionAttributeValues: { ':pk': keyOf(subject, 'x').pk, ':media': keys.mediaPrefix },
      ConsistentRead: true,
    });
    const items = found.map(mediaFromItem);
    return items.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }
}

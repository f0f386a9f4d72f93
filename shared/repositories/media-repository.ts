import { PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { MediaRecord, MediaSubject } from '../domain/media';
import { keys, type ItemKey } from './keys';

/** Port: media items. */
export interface MediaRepository {
  create(media: MediaRecord): Promise<void>;
  list(subject: MediaSubject): Promise<MediaRecord[]>;
}

const keyOf = (subject: MediaSubject, mediaId: string): ItemKey =>
  subject.type === 'activity'
    ? keys.mediaOfActivity(subject.activityId, mediaId)
    : keys.mediaOfSummary(subject.campaignId, subject.organizationId, mediaId);

export class DynamoDbMediaRepository implements MediaRepository {
  public constructor(private readonly deps: { client: DynamoDBDocumentClient; tableName: string }) {}

  public async create(media: MediaRecord): Promise<void> {
    await this.deps.client.send(
      new PutCommand({
        TableName: this.deps.tableName,
        Item: { ...keyOf(media.subject, media.mediaId), entity: 'Media', campaignId: media.subject.campaignId, organizationId: media.subject.organizationId, ...media },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  public async list(subject: MediaSubject): Promise<MediaRecord[]> {
    const items: MediaRecord[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    const pk = keyOf(subject, 'x').pk;
    do {
      const page = await this.deps.client.send(
        new QueryCommand({
          TableName: this.deps.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :media)',
          ExpressionAttributeValues: { ':pk': pk, ':media': keys.mediaPrefix },
          ConsistentRead: true,
          ExclusiveStartKey,
        }),
      );
      for (const item of page.Items ?? []) {
        const { pk: _pk, sk: _sk, entity: _e, campaignId: _c, organizationId: _o, ...media } = item;
        items.push(media as MediaRecord);
      }
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return items.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }
}

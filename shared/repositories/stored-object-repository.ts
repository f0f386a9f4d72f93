import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys } from './keys';

export interface StoredObjectObservation {
  readonly bucket: string;
  readonly key: string;
  readonly size: number;
  readonly etag: string;
  readonly contentType?: string;
  /** The S3 event's sequencer: orders events of one key. */
  readonly sequencer: string;
  readonly observedAt: string;
}

/** Port: what the media check has seen of each stored object. */
export interface StoredObjectRepository {
  /**
   * Records `o` unless an event of a later sequencer was recorded already (`stale`). The same event
   * again answers `recorded`: its first delivery may have failed after recording it (or its answer
   * was lost and the SDK's retry met its own write), and its check must still run; the check itself
   * decides a medium only once (ADR 0026).
   */
  record(o: StoredObjectObservation): Promise<'recorded' | 'stale'>;
}

/** S3 sequencers compare as hex strings once padded to one length. */
export const normaliseSequencer = (sequencer: string): string => sequencer.toUpperCase().padStart(32, '0');

export class DynamoDbStoredObjectRepository implements StoredObjectRepository {
  public constructor(private readonly deps: { client: DynamoDBDocumentClient; tableName: string }) {}

  public async record(o: StoredObjectObservation): Promise<'recorded' | 'stale'> {
    const sequencer = normaliseSequencer(o.sequencer);
    try {
      await this.deps.client.send(
        new PutCommand({
          TableName: this.deps.tableName,
          Item: { ...keys.storedObject(o.bucket, o.key), entity: 'StoredObject', ...o, sequencer },
          // S3 delivers at least once and out of order: only a newer event may win.
          ConditionExpression: 'attribute_not_exists(pk) OR sequencer < :seq',
          ExpressionAttributeValues: { ':seq': sequencer },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return 'recorded';
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return error.Item?.sequencer?.S === sequencer ? 'recorded' : 'stale';
      throw error;
    }
  }
}

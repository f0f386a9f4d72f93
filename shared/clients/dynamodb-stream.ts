/** Translates DynamoDB stream records (the Lambda event shape) into domain changes. */
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import type { Clock } from '../clock';
import type { AuditAction } from '../domain/audit';
import type { ItemChange } from '../use-cases/record-audit-entry';

const ACTIONS: Record<string, AuditAction> = { INSERT: 'created', MODIFY: 'updated', REMOVE: 'deleted' };

type Image = NonNullable<NonNullable<DynamoDBRecord['dynamodb']>['NewImage']>;
const toPlain = (image: Image | undefined) =>
  image ? unmarshall(image as unknown as Record<string, AttributeValue>) : undefined;

/** The change a stream record describes; throws on a record that is not an item change. */
export function itemChangeFromStreamRecord(record: DynamoDBRecord, clock: Clock): ItemChange {
  const action = ACTIONS[record.eventName ?? ''];
  const keys = toPlain(record.dynamodb?.Keys);
  if (!action || !record.eventID || typeof keys?.pk !== 'string' || typeof keys.sk !== 'string') {
    throw new TypeError(`Not an item change of the main table: ${record.eventID ?? 'no event id'}`);
  }
  const oldImage = toPlain(record.dynamodb?.OldImage);
  const newImage = toPlain(record.dynamodb?.NewImage);
  return {
    eventId: record.eventID,
    action,
    // The business time the use case stamped (its injected clock), else now: the
    // stream's ApproximateCreationDateTime is wall time even when the clock is moved.
    at: typeof newImage?.updatedAt === 'string' && !Number.isNaN(Date.parse(newImage.updatedAt))
      ? new Date(newImage.updatedAt)
      : clock.now(),
    keys: { pk: keys.pk, sk: keys.sk },
    ...(oldImage ? { oldImage } : {}),
    ...(newImage ? { newImage } : {}),
  };
}

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

/** Instants an image may carry, from the one that names a change best to the one that names its birth. */
const BUSINESS_INSTANTS = ['updatedAt', 'waivedAt', 'checkedAt', 'completedAt', 'submittedAt', 'grantedAt', 'raisedAt', 'createdAt'] as const;

/**
 * When a change happened: the business time the use case stamped (its injected clock: the
 * stream's ApproximateCreationDateTime is wall time even when the clock is moved), else the
 * record's own creation time, else now. It keys the audit entry, so it must be the same every time
 * a record is delivered again (a retried batch): `now` only when the record carries no time at all.
 */
function changeTime(record: DynamoDBRecord, image: Record<string, unknown> | undefined, clock: Clock): Date {
  for (const name of BUSINESS_INSTANTS) {
    const value = image?.[name];
    if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return new Date(value);
  }
  const created = record.dynamodb?.ApproximateCreationDateTime;
  return typeof created === 'number' ? new Date(created * 1000) : clock.now();
}

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
    at: changeTime(record, newImage, clock),
    keys: { pk: keys.pk, sk: keys.sk },
    ...(oldImage ? { oldImage } : {}),
    ...(newImage ? { newImage } : {}),
  };
}

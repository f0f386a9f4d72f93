/**
 * Strip accepted photos (ADR 0048): photos accepted before this version are served from a
 * `checked/` copy that still holds their GPS position, serials, XMP and thumbnails. For each
 * accepted photo with a checked copy:
 * 1. read the copy whole and strip it (`stripPhotoMetadata`, by the type its bytes show);
 * 2. nothing to remove: done (so a second run changes nothing);
 * 3. otherwise store the stripped bytes under a new check id, switch the item's `checkedKey` (and
 *    `size`) to it only if it still names the old copy, then delete the old copy (a raced item
 *    keeps its key and the new copy is deleted).
 * On AWS the deleted copy stays a noncurrent version for the `checked/` retention (90 days) and
 * then goes.
 *
 * One machine: the local runtime runs it once per data dir at start-up, after 0005. AWS: `npm run
 * -s migrate -- … --media-bucket <name>` (infra/migrate.ts).
 */
import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { checkedObjectKey, UPLOADS_PREFIX } from '../domain/media';
import { stripPhotoMetadata } from '../domain/photo-metadata';
import { SNIFF_BYTES, sniffContentType } from '../domain/sniff';
import type { ObjectStore } from '../repositories/object-store';
import { scanSegments } from '../repositories/query-all';

export const STRIP_ACCEPTED_PHOTOS = '0009-strip-accepted-photos';

/**
 * The same walk once more, now that HEIC is stripped too (its Exif and XMP items blanked in place,
 * ADR 0048's open point): a HEIC accepted before kept its GPS. Photos stripped already are `clean`.
 */
export const STRIP_ACCEPTED_HEIC_PHOTOS = '0012-strip-accepted-heic-photos';

export interface StripPhotosReport {
  /** Accepted photos with a checked copy found. */
  readonly found: number;
  /** Their copy held metadata: replaced by a stripped one. */
  readonly stripped: number;
  /** Nothing to remove (stripped already, or a type not stripped). */
  readonly clean: number;
  /** The copy is gone, or the item changed between the Scan and the update. */
  readonly skipped: number;
}

export async function stripAcceptedPhotos(deps: {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly objects: ObjectStore;
  readonly bucket: string;
  readonly newCheckId?: () => string;
}): Promise<StripPhotosReport> {
  const totals = { found: 0, stripped: 0, clean: 0, skipped: 0 };

  const strip = async (item: Record<string, unknown>): Promise<'stripped' | 'clean' | 'skipped'> => {
    const [objectKey, checkedKey] = [item.objectKey, item.checkedKey];
    if (typeof objectKey !== 'string' || !objectKey.startsWith(UPLOADS_PREFIX) || typeof checkedKey !== 'string') return 'skipped';
    const read = await deps.objects.inspect(deps.bucket, checkedKey, SNIFF_BYTES, () => true, true);
    const type = read && sniffContentType(read.start);
    if (!read?.bytes || !type) return 'skipped';
    const stripped = stripPhotoMetadata(read.bytes, type);
    if (stripped === read.bytes) return 'clean';
    const strippedKey = checkedObjectKey(objectKey, (deps.newCheckId ?? randomUUID)());
    await deps.objects.put(deps.bucket, strippedKey, stripped, type);
    try {
      await deps.client.send(
        new UpdateCommand({
          TableName: deps.tableName,
          Key: { pk: item.pk, sk: item.sk },
          UpdateExpression: 'SET checkedKey = :stripped, #size = :size',
          ConditionExpression: 'checkedKey = :old',
          ExpressionAttributeNames: { '#size': 'size' },
          ExpressionAttributeValues: { ':stripped': strippedKey, ':size': stripped.length, ':old': checkedKey },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      await deps.objects.remove(deps.bucket, strippedKey);
      return 'skipped';
    }
    await deps.objects.remove(deps.bucket, checkedKey);
    return 'stripped';
  };

  await scanSegments(
    deps.client,
    {
      TableName: deps.tableName,
      FilterExpression: 'entity = :media AND kind = :photo AND #status = :accepted AND attribute_exists(checkedKey)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':media': 'Media', ':photo': 'photo', ':accepted': 'accepted' },
    },
    4,
    async (items) => {
      for (const item of items) {
        totals.found += 1;
        totals[await strip(item)] += 1;
      }
    },
  );
  return totals;
}

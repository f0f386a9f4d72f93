/**
 * Freeze: gives media accepted before ADR 0032 the copy of their checked bytes that view URLs are
 * now signed for (`checkedKey`, under `checked/`), as the media check makes it for new uploads.
 * Until then such an item has no view URL.
 *
 * A parallel Scan of the main table for accepted media items without `checkedKey`; for each, the
 * upload is copied to `checked/…/<checkId>` and the copy's SHA-256 compared with the one the
 * check recorded:
 * - equal: `SET checkedKey` only if the item is still accepted and still has none, then the
 *   upload key is emptied;
 * - different (the form was posted again after the check, the hole ADR 0032 closes): the copy is
 *   deleted and the upload moved to `quarantine/`; the item keeps no URL (counted as `changed`);
 * - gone: nothing to copy, the item keeps no URL.
 * Running it again finds nothing to do.
 *
 * One machine: the local runtime runs it once per data dir at start-up. AWS: `npm run -s migrate
 * -- --table <name> --media-bucket <name>` (infra/migrate.ts) with the deployer's credentials.
 */
import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { scanSegments } from '../repositories/query-all';
import { checkedObjectKey, UPLOADS_PREFIX } from '../domain/media';
import type { ObjectStore } from '../repositories/object-store';

export const FREEZE_ACCEPTED_MEDIA = '0005-freeze-accepted-media';

export interface FreezeReport {
  /** Accepted items without a checked copy found. */
  readonly found: number;
  readonly frozen: number;
  /** Their upload no longer holds the bytes the check accepted: quarantined, no URL. */
  readonly changed: number;
  /** Their upload is gone (or they name no upload or checksum): no URL. */
  readonly gone: number;
  /** Changed or given a copy by someone else between the Scan and the update. */
  readonly raced: number;
}

type Item = Record<string, unknown>;

export async function freezeAcceptedMedia(deps: {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly objects: ObjectStore;
  readonly bucket: string;
  readonly newCheckId?: () => string;
  readonly segments?: number;
  readonly progress?: (report: FreezeReport) => void;
}): Promise<FreezeReport> {
  const totals = { found: 0, frozen: 0, changed: 0, gone: 0, raced: 0 };
  const segments = deps.segments ?? 4;

  const freeze = async (item: Item): Promise<keyof typeof totals> => {
    const [objectKey, sha256] = [item.objectKey, item.sha256];
    if (typeof objectKey !== 'string' || !objectKey.startsWith(UPLOADS_PREFIX) || typeof sha256 !== 'string') return 'gone';
    const checkedKey = checkedObjectKey(objectKey, (deps.newCheckId ?? randomUUID)());
    if (!(await deps.objects.copy(deps.bucket, objectKey, checkedKey))) return 'gone';
    if ((await deps.objects.sha256(deps.bucket, checkedKey)) !== sha256) {
      await deps.objects.remove(deps.bucket, checkedKey);
      await deps.objects.quarantine(deps.bucket, objectKey);
      return 'changed';
    }
    try {
      await deps.client.send(
        new UpdateCommand({
          TableName: deps.tableName,
          Key: { pk: item.pk, sk: item.sk },
          UpdateExpression: 'SET checkedKey = :checked',
          ConditionExpression: '#status = :accepted AND attribute_not_exists(checkedKey)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':checked': checkedKey, ':accepted': 'accepted' },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      await deps.objects.remove(deps.bucket, checkedKey);
      return 'raced';
    }
    await deps.objects.remove(deps.bucket, objectKey);
    return 'frozen';
  };

  await scanSegments(
    deps.client,
    {
      TableName: deps.tableName,
      FilterExpression: 'entity = :media AND #status = :accepted AND attribute_not_exists(checkedKey)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':media': 'Media', ':accepted': 'accepted' },
    },
    segments,
    async (items) => {
      for (const item of items) {
        totals.found += 1;
        totals[await freeze(item)] += 1;
      }
      deps.progress?.({ ...totals });
    },
  );
  return totals;
}

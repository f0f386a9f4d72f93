/**
 * Records what actually landed in storage for one S3 ObjectCreated event.
 *
 * Primary course:
 * 1. Ask storage for the object's real size and ETag (never trust the browser).
 * 2. Record the observation once per event: duplicates and older events change nothing.
 *
 * Alternative course: the object is gone (deleted or quarantined since) → nothing to record.
 */
import type { Clock } from '../clock';
import type { StoredObjectEvent } from '../../events/schemas/s3-event-notification';
import type { ObjectStore } from '../repositories/object-store';
import type { StoredObjectRepository } from '../repositories/stored-object-repository';

export type RecordStoredObjectOutcome = 'recorded' | 'stale' | 'gone';

export async function recordStoredObject(
  event: StoredObjectEvent,
  deps: { objects: Pick<ObjectStore, 'head'>; observations: StoredObjectRepository; clock: Clock },
): Promise<RecordStoredObjectOutcome> {
  const head = await deps.objects.head(event.bucket, event.key);
  if (!head) return 'gone';
  return deps.observations.record({
    bucket: event.bucket,
    key: event.key,
    size: head.size,
    etag: head.etag,
    ...(head.contentType ? { contentType: head.contentType } : {}),
    sequencer: event.sequencer,
    observedAt: deps.clock.now().toISOString(),
  });
}

/**
 * Which export jobs one committed change of the main table starts (pure): an export item just
 * created (`INSERT`, entity `Export`) → one `{ version: 1, exportId }` for the exports queue.
 * Nothing else, not even a change of an export item (its own status changes), ever starts one.
 * A stream record delivered twice sends the message twice: run-export finds the job done.
 */
import type { ExportRequestV1 } from '../../events/schemas/export-request.v1';
import type { ItemChange } from './record-audit-entry';

export function exportRequestsOf(change: ItemChange): ExportRequestV1[] {
  const image = change.newImage;
  if (change.action !== 'created' || image?.entity !== 'Export' || typeof image.exportId !== 'string') return [];
  return [{ version: 1, exportId: image.exportId }];
}

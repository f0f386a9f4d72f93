/**
 * Turns one committed change of a main-table item into an audit entry.
 *
 * Primary course:
 * 1. Diff the old and new images field by field.
 * 2. Skip the machinery that is not a record: the lease on a campaign's `latest/` exports
 *    (entity `ExportLatest`) is a lock taken and released by every Parquet export; the export's
 *    own item carries that export's history. So are an export slot's holder and a caller's
 *    request budget (`ExportSlot`, `RequestBudget`, ADR 0033). A privacy-notice acknowledgement
 *    (`NoticeAcknowledgement`) is itself the record, written once: a copy would only outlive an erasure.
 *    Skip a modification that changed nothing a person sees. A change of `version` alone is
 *    the bookkeeping that goes with the open-flag count (a flag raised by a sweep, or waived by
 *    an admin, bumps its activity's version so a stale PATCH gets 412): the flag's own item
 *    carries that history, so the activity's trail does not repeat it under someone else's name.
 * 3. Name the actor: `updatedBy` of the item, else the admin who waived a flag (`waivedBy`) or
 *    granted an extension (`grantedBy`), else `system`.
 * 4. Append the entry, keyed by the stream event id so a redelivery writes nothing.
 */
import { diffImages, type AuditAction } from '../domain/audit';
import type { AuditRepository } from '../repositories/audit-repository';

export interface ItemChange {
  readonly eventId: string;
  readonly action: AuditAction;
  readonly at: Date;
  readonly keys: { readonly pk: string; readonly sk: string };
  readonly oldImage?: Record<string, unknown>;
  readonly newImage?: Record<string, unknown>;
}

export type RecordAuditOutcome = 'written' | 'duplicate' | 'unchanged' | 'not-audited';

/** Entities whose changes are machinery, not records (see step 2). */
export const UNAUDITED_ENTITIES: ReadonlySet<string> = new Set(['ExportLatest', 'ExtensionId', 'ExportSlot', 'RequestBudget', 'DraftCount', 'NoticeAcknowledgement']);

/** Attributes naming who made a change, in the order they are looked for. */
const ACTOR_ATTRIBUTES = ['updatedBy', 'waivedBy', 'grantedBy'] as const;

/** Who made the change an image shows, `system` when it names nobody. */
export function actorOf(image: Record<string, unknown>): string {
  const named = ACTOR_ATTRIBUTES.map((a) => image[a]).find((v): v is string => typeof v === 'string' && v.length > 0);
  return named ?? 'system';
}

export async function recordAuditEntry(change: ItemChange, deps: { audit: AuditRepository }): Promise<RecordAuditOutcome> {
  const entity = (change.newImage ?? change.oldImage ?? {}).entity;
  if (typeof entity === 'string' && UNAUDITED_ENTITIES.has(entity)) return 'not-audited';
  const changes = diffImages(change.oldImage, change.newImage);
  if (change.action === 'updated' && changes.every((c) => c.path === 'version')) return 'unchanged';
  const image = change.newImage ?? change.oldImage ?? {};
  return deps.audit.append({
    subject: change.keys,
    ...(typeof image.entity === 'string' ? { entity: image.entity } : {}),
    action: change.action,
    actor: actorOf(image),
    at: change.at.toISOString(),
    eventId: change.eventId,
    changes,
  });
}

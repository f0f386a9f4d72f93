/**
 * Turns one committed change of a main-table item into an audit entry.
 *
 * Primary course:
 * 1. Diff the old and new images field by field.
 * 2. Skip a modification that changed nothing a person sees.
 * 3. Append the entry, keyed by the stream event id so a redelivery writes nothing.
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

export type RecordAuditOutcome = 'written' | 'duplicate' | 'unchanged';

export async function recordAuditEntry(change: ItemChange, deps: { audit: AuditRepository }): Promise<RecordAuditOutcome> {
  const changes = diffImages(change.oldImage, change.newImage);
  if (change.action === 'updated' && changes.length === 0) return 'unchanged';
  const image = change.newImage ?? change.oldImage ?? {};
  const actor = typeof image.updatedBy === 'string' ? image.updatedBy : 'system';
  return deps.audit.append({
    subject: change.keys,
    ...(typeof image.entity === 'string' ? { entity: image.entity } : {}),
    action: change.action,
    actor,
    at: change.at.toISOString(),
    eventId: change.eventId,
    changes,
  });
}

import type { AuditAction, FieldChange } from '../domain/audit';
import type { ItemKey } from './keys';

export interface AuditEntry {
  readonly subject: ItemKey;
  /** `entity` attribute of the item (e.g. `Activity`), when it has one. */
  readonly entity?: string;
  readonly action: AuditAction;
  /** Who made the change (`updatedBy` of the item), `system` otherwise. */
  readonly actor: string;
  /** When the change was committed (ISO 8601, UTC). */
  readonly at: string;
  /** The stream event id: the idempotency key of the entry. */
  readonly eventId: string;
  readonly changes: readonly FieldChange[];
}

/** Port: the audit trail. */
export interface AuditRepository {
  /** Appends `entry` once; a second append of the same event answers `duplicate`. */
  append(entry: AuditEntry): Promise<'written' | 'duplicate'>;
  /** The trail of one item, oldest first. */
  trail(subject: ItemKey): Promise<AuditEntry[]>;
}

/** Port: a trail read a page at a time (the history route), oldest first. */
export interface AuditTrailPages {
  /**
   * At most `limit` entries of `subject`'s trail whose sort key (`<at>#<eventId>`, see
   * keys.auditEntry) is after `afterSk` (from the start when absent), each with that key.
   */
  trailPage(subject: ItemKey, afterSk: string | undefined, limit: number): Promise<Array<AuditEntry & { readonly sk: string }>>;
}

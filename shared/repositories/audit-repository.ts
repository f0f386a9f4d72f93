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

/** An item the person or contact ledger points at (ADR 0047). */
export interface Touch {
  readonly subject: ItemKey;
  readonly entity?: string;
  readonly campaignId?: string;
}

/**
 * Port: the ledgers of who and which contact an item named (ADR 0047), and the one permitted
 * rewrite of the trail (a scrub). Written only by the audit writer; read by erasure and access.
 */
export interface PersonalDataLedger {
  /** Records (again: idempotent) that `touch.subject` named these persons and contact hashes. */
  touch(touch: Touch, persons: readonly string[], contactHashes: readonly string[]): Promise<void>;
  /** Forgets that `subject` named these persons and contact hashes. */
  untouch(subject: ItemKey, persons: readonly string[], contactHashes: readonly string[]): Promise<void>;
  /** Every item that named `sub`, by Query. */
  touchedBy(sub: string): Promise<Touch[]>;
  /** Every item whose contact held a value of this hash, by Query. */
  touchedByContact(hash: string): Promise<Touch[]>;
  /** Replaces an entry of the trail (same key): a scrub's redaction. */
  replace(entry: AuditEntry): Promise<void>;
}

/** Port: a trail read a page at a time (the history route), oldest first. */
export interface AuditTrailPages {
  /**
   * At most `limit` entries of `subject`'s trail whose sort key (`<at>#<eventId>`, see
   * keys.auditEntry) is after `afterSk` (from the start when absent), each with that key.
   */
  trailPage(subject: ItemKey, afterSk: string | undefined, limit: number): Promise<Array<AuditEntry & { readonly sk: string }>>;
}

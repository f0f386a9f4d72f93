/**
 * Keeps the person and contact ledgers (ADR 0047) from one committed change of a main-table item,
 * and after a scrub rewrites that item's trail: part of `record-audit`, so after the change's own
 * entry (the audit table is its writer's alone, ADR 0004).
 *
 * Primary course:
 * 1. A change that is not a scrub: record that the item named the persons of its images' actor
 *    attributes and the hashes of its contact's phone and e-mail. A put of the same ledger item
 *    again is a no-op, so a redelivery changes nothing. An item deleted stays in the ledgers: its
 *    trail still names them.
 * 2. A scrub: the stream is ordered per item, and the audit writer handles a scrub only after the
 *    batch's other records, so every earlier change of the item has its entry by now. Redact each
 *    entry of the item's trail that names a marked person or contact (Query by item; an entry
 *    already redacted is not written again), then forget the item in the ledgers of the persons
 *    and contact hashes the scrub took out. The new image's persons (someone else's, or none) are
 *    recorded as in 1; the old image's marked ones never are.
 */
import { actorSubsOf, auditSubjectOf, contactValuesOf, contactValuesOfEntry, markedPerson, personsOfEntry, redactedEntry, scrubMarkerOf, type Pseudonyms } from '../domain/personal-data';
import type { AuditEntry, AuditRepository, PersonalDataLedger, Touch } from '../repositories/audit-repository';
import type { ItemChange } from './record-audit-entry';

export interface LedgerDeps {
  readonly audit: AuditRepository & PersonalDataLedger;
  readonly pseudonyms: Pseudonyms;
}

/** Whether a change is a scrub's (the audit writer runs those after the batch's other records). */
export const isScrubChange = (change: ItemChange): boolean => scrubMarkerOf(change.oldImage, change.newImage) !== undefined;

/** The images of one item: a change's, or an item as stored (the backfill, migration 0011). */
export type ItemImages = Pick<ItemChange, 'keys' | 'oldImage' | 'newImage'>;

const touchOf = (change: ItemImages): Touch => {
  const image = change.newImage ?? change.oldImage ?? {};
  return {
    subject: change.keys,
    ...(typeof image.entity === 'string' ? { entity: image.entity } : {}),
    ...(typeof image.campaignId === 'string' ? { campaignId: image.campaignId } : {}),
  };
};

const hashesOf = (img: Record<string, unknown> | undefined, pseudonyms: Pseudonyms) => contactValuesOf(img).map((v) => pseudonyms.contactHash(v.kind, v.value));

/**
 * Step 1: records that the item named the persons of its images' actor attributes and the hashes
 * of its contact's phone and e-mail. The audit writer's rule for a change that is not a scrub, and
 * the backfill's for an item as stored (its image as `newImage`): one rule for both. The backfill
 * also gives the item's trail (`history`): the persons and contacts of its earlier images, each of
 * which the writer would have recorded from its change.
 */
export async function recordTouches(change: ItemImages, deps: LedgerDeps, history: readonly AuditEntry[] = []): Promise<{ persons: number; contacts: number }> {
  const persons = [...new Set([...actorSubsOf(change.oldImage), ...actorSubsOf(change.newImage), ...history.flatMap(personsOfEntry)])];
  const hashes = [
    ...new Set([
      ...hashesOf(change.oldImage, deps.pseudonyms),
      ...hashesOf(change.newImage, deps.pseudonyms),
      ...history.flatMap(contactValuesOfEntry).map((v) => deps.pseudonyms.contactHash(v.kind, v.value)),
    ]),
  ];
  if (persons.length > 0 || hashes.length > 0) await deps.audit.touch(touchOf(change), persons, hashes);
  return { persons: persons.length, contacts: hashes.length };
}

export async function keepPersonalDataLedger(change: ItemChange, deps: LedgerDeps): Promise<'recorded' | 'redacted' | 'none'> {
  const { pseudonyms } = deps;
  const marker = scrubMarkerOf(change.oldImage, change.newImage);
  if (!marker) {
    const recorded = await recordTouches(change, deps);
    return recorded.persons + recorded.contacts > 0 ? 'recorded' : 'none';
  }
  const named = new Set(actorSubsOf(change.oldImage));
  // The scrub renamed a media item's file (the name as uploaded): its earlier entries lose that name too.
  const fileName = typeof change.oldImage?.fileName === 'string' && change.oldImage.fileName !== change.newImage?.fileName;
  for (const entry of await deps.audit.trail(auditSubjectOf(change.keys, pseudonyms))) {
    for (const p of personsOfEntry(entry)) named.add(p);
    const redacted = redactedEntry(entry, marker, pseudonyms, { fileName });
    if (redacted) await deps.audit.replace(redacted);
  }
  const forgotten = [...named].filter((p) => markedPerson(p, marker, pseudonyms));
  const kept = new Set(hashesOf(change.newImage, pseudonyms));
  const removedHashes = hashesOf(change.oldImage, pseudonyms).filter((h) => !kept.has(h));
  const wanted = marker.contacts === 'all' ? removedHashes : removedHashes.filter((h) => marker.contacts.includes(h));
  // A marked contact whose values the item no longer holds (changed before the scrub): its hashes are the marker's.
  const hashes = [...new Set([...wanted, ...(marker.contacts === 'all' ? [] : marker.contacts)])];
  await deps.audit.untouch(change.keys, forgotten, hashes);
  const remaining = actorSubsOf(change.newImage);
  if (remaining.length > 0 || kept.size > 0) await deps.audit.touch(touchOf(change), remaining, [...kept]);
  return 'redacted';
}

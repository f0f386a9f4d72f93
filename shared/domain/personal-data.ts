/**
 * Personal information under PIPL (ADR 0047), as pure rules: where a stored item names a person
 * (its actor attributes hold a `sub`; its `contact` holds a name, a phone and an e-mail), how a
 * scrub changes an item, and how an audit entry is redacted after one.
 *
 * Hashing needs a key, so it is a port ({@link Pseudonyms}): the adapter is an HMAC with the
 * stack's pseudonym key (shared/clients/pseudonyms.ts).
 */

/** Attributes that hold the `sub` of whoever created, changed or decided an item. */
export const ACTOR_ATTRIBUTES = [
  'updatedBy',
  'createdBy',
  'waivedBy',
  'grantedBy',
  'requestedBy',
  'reviewedBy',
  'listedBy',
  // A privacy-notice acknowledgement names its person (`PERSON#<sub>` / `NOTICE#<version>`).
  'sub',
] as const;

/** Actor values that name no person: the machinery's own names and pseudonyms already given. */
const NOT_A_PERSON = new Set(['system', 'milestone']);
export const PSEUDONYM_PREFIX = 'anon-';

/** Whether an actor value is a person's `sub` (not `system`, `milestone` or a pseudonym). */
export const isPersonSub = (value: unknown): value is string =>
  typeof value === 'string' && value.length > 0 && !NOT_A_PERSON.has(value) && !value.startsWith(PSEUDONYM_PREFIX);

/** Keyed hashes of personal values: stable for one stack, not reversible without its key. */
export interface Pseudonyms {
  /** `anon-<hmac(sub)>`: what stands for a person once their traces are pseudonymised. */
  pseudonymOf(sub: string): string;
  /** The hash of a normalised phone number or e-mail address (`CONTACT#<hash>`). */
  contactHash(kind: 'phone' | 'email', value: string): string;
}

/** The contact values (phone, e-mail) of an image's `contact`, normalised for hashing. */
export function contactValuesOf(image: Record<string, unknown> | undefined): Array<{ kind: 'phone' | 'email'; value: string }> {
  const contact = image?.contact;
  if (typeof contact !== 'object' || contact === null) return [];
  const { phone, email } = contact as Record<string, unknown>;
  return [
    ...(typeof phone === 'string' && phone ? [{ kind: 'phone' as const, value: phone }] : []),
    ...(typeof email === 'string' && email ? [{ kind: 'email' as const, value: email.toLowerCase() }] : []),
  ];
}

/** The persons an image names in its actor attributes. */
export function actorSubsOf(image: Record<string, unknown> | undefined): string[] {
  return [...new Set(ACTOR_ATTRIBUTES.map((a) => image?.[a]).filter(isPersonSub))];
}

/**
 * Written on an item by a scrub, so that the audit writer knows the change it sees is one
 * (ADR 0047): it then records which fields changed without their values, rewrites the item's
 * earlier entries and drops the item from the ledgers of the persons it no longer names. Holds
 * hashes only, never a value it removed.
 */
export interface ScrubMarker {
  /** Why: an erasure request, or the campaign's retention. */
  readonly kind: 'erasure' | 'retention';
  /** The erasure's id, or the campaign's: a second scrub of the same kind and ref changes nothing. */
  readonly ref: string;
  /** Who: the admin who asked, or `system`. */
  readonly by: string;
  readonly at: string;
  /** Pseudonyms of the persons whose subs are replaced; `all` for every person. */
  readonly pseudonyms: readonly string[] | 'all';
  /** Hashes of the contact values removed; `all` for every contact. */
  readonly contacts: readonly string[] | 'all';
}

/** The attribute holding the marker: storage, never shown or audited as a field. */
export const SCRUB_ATTRIBUTE = 'scrub';

/** A scrub's change to one item: attributes to set, attributes to remove. */
export interface ScrubPlan {
  readonly set: Readonly<Record<string, unknown>>;
  readonly remove: readonly string[];
}

/** Whether the contact of `image` is one `marker` removes. */
function contactMatches(image: Record<string, unknown>, marker: ScrubMarker, pseudonyms: Pseudonyms): boolean {
  const values = contactValuesOf(image);
  if (image.contact === undefined) return false;
  if (marker.contacts === 'all') return true;
  const wanted = new Set(marker.contacts);
  return values.some((v) => wanted.has(pseudonyms.contactHash(v.kind, v.value)));
}

/** Whether an actor value is one `marker` pseudonymises. */
function actorMatches(value: unknown, marker: ScrubMarker, pseudonyms: Pseudonyms): value is string {
  if (!isPersonSub(value)) return false;
  return marker.pseudonyms === 'all' || marker.pseudonyms.includes(pseudonyms.pseudonymOf(value));
}

/** A media item's name as uploaded (it may hold a person's name: "张三的发言.jpg"). */
const FILE_NAME = 'fileName';

/**
 * The name a scrubbed media item keeps: its id and the extension of the name it had
 * (`m-1a2b.jpg`), so a download still has a usable name and nothing a person typed.
 */
export function neutralFileName(item: Record<string, unknown>): string {
  const extension = typeof item[FILE_NAME] === 'string' ? /\.[A-Za-z0-9]{1,8}$/.exec(item[FILE_NAME])?.[0]?.toLowerCase() ?? '' : '';
  return `${typeof item.mediaId === 'string' ? item.mediaId : 'file'}${extension}`;
}

/** Whether a scrub replaces the item's file name: every one at retention; an erased person's uploads. */
function fileNameMatches(item: Record<string, unknown>, marker: ScrubMarker, pseudonyms: Pseudonyms): boolean {
  if (typeof item[FILE_NAME] !== 'string') return false;
  return marker.pseudonyms === 'all' || actorMatches(item.createdBy, marker, pseudonyms);
}

/**
 * What a scrub changes on `item`: each actor attribute naming a marked person becomes their
 * pseudonym, a marked contact is removed whole (its name goes with its phone and e-mail), a media
 * item's file name as uploaded becomes {@link neutralFileName} (every one at retention, the erased
 * person's uploads at an erasure), and the marker is set. `undefined` when the item carries this
 * marker already (a scrub run again).
 *
 * @example
 * scrubPlanOf({ updatedBy: 'u1', contact: { name: '李四', phone: '13811112222' } }, marker, pseudonyms);
 * // { set: { updatedBy: 'anon-…', scrub: marker }, remove: ['contact'] }
 */
export function scrubPlanOf(item: Record<string, unknown>, marker: ScrubMarker, pseudonyms: Pseudonyms): ScrubPlan | undefined {
  const current = item[SCRUB_ATTRIBUTE] as Partial<ScrubMarker> | undefined;
  if (current?.kind === marker.kind && current.ref === marker.ref) return undefined;
  const set: Record<string, unknown> = {};
  for (const attribute of ACTOR_ATTRIBUTES) {
    const value = item[attribute];
    if (actorMatches(value, marker, pseudonyms)) set[attribute] = pseudonyms.pseudonymOf(value);
  }
  // Before the actors are swapped: an erasure takes the file names of the person's own uploads.
  if (fileNameMatches(item, marker, pseudonyms)) set[FILE_NAME] = neutralFileName(item);
  set[SCRUB_ATTRIBUTE] = marker;
  return { set, remove: contactMatches(item, marker, pseudonyms) ? ['contact'] : [] };
}

/** The marker a change wrote: set or replaced by this change, not carried over from an earlier one. */
export function scrubMarkerOf(oldImage: Record<string, unknown> | undefined, newImage: Record<string, unknown> | undefined): ScrubMarker | undefined {
  const marker = newImage?.[SCRUB_ATTRIBUTE] as ScrubMarker | undefined;
  if (!marker || typeof marker !== 'object') return undefined;
  const before = oldImage?.[SCRUB_ATTRIBUTE] as ScrubMarker | undefined;
  return before && before.kind === marker.kind && before.ref === marker.ref && before.at === marker.at ? undefined : marker;
}

/** One field's change in an audit entry. */
interface Change {
  readonly path: string;
  readonly old?: unknown;
  readonly new?: unknown;
}

const isActorPath = (path: string): boolean => (ACTOR_ATTRIBUTES as readonly string[]).includes(path);
const isContactPath = (path: string): boolean => path === 'contact' || path.startsWith('contact.');

/** Contact values a change's old or new side holds (a whole `contact` or one of its fields). */
function contactValuesOfChange(change: Change): Array<{ kind: 'phone' | 'email'; value: string }> {
  const sides = [change.old, change.new];
  if (change.path === 'contact') return sides.flatMap((v) => contactValuesOf({ contact: v }));
  if (change.path === 'contact.phone') return sides.flatMap((v) => contactValuesOf({ contact: { phone: v } }));
  if (change.path === 'contact.email') return sides.flatMap((v) => contactValuesOf({ contact: { email: v } }));
  return [];
}

/**
 * An audit entry of a scrubbed item with the marked persons and contacts taken out: a marked
 * actor (the entry's and in actor fields) becomes the pseudonym; when the entry touched a marked
 * contact, every contact field of it loses its values (only the path stays); when the scrub
 * renamed the item's file (`scrubbed.fileName`), so does its file name. `undefined` when
 * nothing changes, so a rewrite run again writes nothing.
 */
export function redactedEntry<E extends { readonly actor: string; readonly changes: readonly Change[] }>(
  entry: E,
  marker: ScrubMarker,
  pseudonyms: Pseudonyms,
  scrubbed: { readonly fileName?: boolean } = {},
): E | undefined {
  const swap = (v: unknown): unknown => (actorMatches(v, marker, pseudonyms) ? pseudonyms.pseudonymOf(v) : v);
  const contactHit =
    marker.contacts === 'all'
      ? entry.changes.some((c) => isContactPath(c.path) && (c.old !== undefined || c.new !== undefined))
      : entry.changes.some((c) => contactValuesOfChange(c).some((v) => (marker.contacts as readonly string[]).includes(pseudonyms.contactHash(v.kind, v.value))));
  const changes = entry.changes.map((c): Change => {
    if (isContactPath(c.path)) return contactHit ? { path: c.path } : c;
    if (c.path === FILE_NAME) return scrubbed.fileName ? { path: c.path } : c;
    if (!isActorPath(c.path)) return c;
    return { path: c.path, ...(c.old === undefined ? {} : { old: swap(c.old) }), ...(c.new === undefined ? {} : { new: swap(c.new) }) };
  });
  const actor = swap(entry.actor) as string;
  const changed = actor !== entry.actor || changes.some((c, i) => c !== entry.changes[i] && JSON.stringify(c) !== JSON.stringify(entry.changes[i]));
  return changed ? { ...entry, actor, changes } : undefined;
}

/** The contact values (phone, e-mail) an audit entry's changes hold, old and new, normalised for hashing. */
export function contactValuesOfEntry(entry: { readonly changes: readonly Change[] }): Array<{ kind: 'phone' | 'email'; value: string }> {
  return entry.changes.flatMap(contactValuesOfChange);
}

/** The persons named anywhere in an audit entry (its actor and actor fields). */
export function personsOfEntry(entry: { readonly actor: string; readonly changes: readonly Change[] }): string[] {
  const values = [entry.actor, ...entry.changes.filter((c) => isActorPath(c.path)).flatMap((c) => [c.old, c.new])];
  return [...new Set(values.filter(isPersonSub))];
}

/**
 * The key an item's audit trail is kept under: a person's own items (`PERSON#<sub>`, e.g. their
 * privacy-notice acknowledgements) under `PERSON#<pseudonym>` from the start, so that no trail's
 * key ever holds a sub (a key cannot be rewritten; ADR 0047). Every other item under its own key.
 */
export function auditSubjectOf<K extends { readonly pk: string; readonly sk: string }>(keys: K, pseudonyms: Pseudonyms): K {
  const sub = keys.pk.startsWith('PERSON#') ? keys.pk.slice('PERSON#'.length) : undefined;
  return sub && isPersonSub(sub) ? { ...keys, pk: `PERSON#${pseudonyms.pseudonymOf(sub)}` } : keys;
}

/** Whether `sub` is one `marker` pseudonymises. */
export const markedPerson = (sub: string, marker: ScrubMarker, pseudonyms: Pseudonyms): boolean => actorMatches(sub, marker, pseudonyms);

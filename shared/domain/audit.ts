/**
 * The audit trail's pure rules: what changed between two images of an item.
 */

/** One field's change; a path is dotted for nested maps (`contact.phone`). */
export interface FieldChange {
  readonly path: string;
  readonly old?: unknown;
  readonly new?: unknown;
}

export type AuditAction = 'created' | 'updated' | 'deleted';

/** Attributes that are storage mechanics, not data a person changed. */
export const NON_AUDITED_ATTRIBUTES: ReadonlySet<string> = new Set([
  'pk',
  'sk',
  'gsi1pk',
  'gsi1sk',
  'gsi2pk',
  'gsi2sk',
  'gsi3pk',
  'gsi3sk',
  'expiresAt',
  // A count kept beside the flags themselves, which carry their own history.
  'openFlags',
  // Which request created or submitted an item (ADR 0025): mechanics of exactly-once writes.
  'createToken',
  'createIndex',
  'submitToken',
  // The marker of a scrub of personal data (ADR 0047): its entry names the scrub as its actor.
  'scrub',
]);

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array) && !(v instanceof Set);

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a instanceof Set && b instanceof Set) return a.size === b.size && [...a].every((x) => b.has(x));
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  if (a instanceof Uint8Array && b instanceof Uint8Array) return Buffer.from(a).equals(Buffer.from(b));
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((k) => sameValue(a[k], b[k]));
  }
  return false;
}

/**
 * Field-level differences from `before` to `after`, nested maps descended into,
 * lists and sets compared whole, sorted by path. Either image may be absent
 * (creation, deletion).
 *
 * @example
 * diffImages({ title: 'a', contact: { phone: '1' } }, { title: 'a', contact: { phone: '2' } });
 * // [{ path: 'contact.phone', old: '1', new: '2' }]
 */
export function diffImages(
  before: Record<string, unknown> | undefined,
  after: Record<string, unknown> | undefined,
  ignore: ReadonlySet<string> = NON_AUDITED_ATTRIBUTES,
  prefix = '',
): FieldChange[] {
  const a = before ?? {};
  const b = after ?? {};
  const changes: FieldChange[] = [];
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => !(prefix === '' && ignore.has(k)));
  for (const key of keys.sort()) {
    const path = prefix ? `${prefix}.${key}` : key;
    const [x, y] = [a[key], b[key]];
    if (sameValue(x, y)) continue;
    if (isPlainObject(x) && isPlainObject(y)) {
      changes.push(...diffImages(x, y, ignore, path));
    } else {
      changes.push({ path, ...(x === undefined ? {} : { old: x }), ...(y === undefined ? {} : { new: y }) });
    }
  }
  return changes;
}

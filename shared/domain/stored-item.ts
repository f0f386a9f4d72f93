/**
 * A stored item as the rules read it, and tolerant readers of its attributes: the same for a
 * DynamoDB item, a stream image and an export row shaped as its item (shared/export/row-facts.ts).
 * A reader answers `undefined` (or empty) for a missing or malformed value rather than throwing.
 */

/** An item as stored: attribute names to values. */
export type StoredItem = Readonly<Record<string, unknown>>;

/** A non-empty string. */
export const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);
/** A finite number, not negative. */
export const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined);
/** An instant stored as ISO text. */
export const date = (v: unknown): Date | undefined => {
  const s = str(v);
  if (!s) return undefined;
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? undefined : d;
};
/** The strings of a list or a string set. */
export const strings = (v: unknown): string[] => {
  const items = v instanceof Set ? [...v] : v;
  return Array.isArray(items) ? items.filter((x): x is string => typeof x === 'string') : [];
};
/** A map attribute (`{}` for anything else). */
export const record = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

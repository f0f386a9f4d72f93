/**
 * DynamoDB's item-size arithmetic (the rules of "Item sizes and formats" in the DynamoDB developer
 * guide), for tests and benches that count capacity: the size of an item as a document client
 * writes it, and the write capacity units (1 KB each, rounded up; twice that in a transaction)
 * one write of it costs.
 */

/** Bytes DynamoDB counts for a value (not its attribute name). */
export function valueSize(value: unknown): number {
  if (value === null || value === undefined || typeof value === 'boolean') return 1;
  if (typeof value === 'string') return Buffer.byteLength(value, 'utf8');
  if (typeof value === 'number' || typeof value === 'bigint') {
    // About one byte per two significant digits, plus one.
    const digits = String(value).replace(/^-/, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '').length || 1;
    return Math.min(21, Math.ceil(digits / 2) + 1);
  }
  if (value instanceof Uint8Array) return value.byteLength;
  if (value instanceof Set) return [...value].reduce((n: number, v) => n + valueSize(v), 0);
  // Lists and maps: 3 bytes, plus 1 per element (and a map's names).
  if (Array.isArray(value)) return 3 + value.reduce((n: number, v) => n + 1 + valueSize(v), 0);
  if (typeof value === 'object') {
    return 3 + Object.entries(value as Record<string, unknown>).reduce((n, [k, v]) => n + 1 + Buffer.byteLength(k, 'utf8') + valueSize(v), 0);
  }
  return 0;
}

/** An item's size: every attribute's name and value. */
export function itemSize(item: Readonly<Record<string, unknown>>): number {
  return Object.entries(item).reduce((n, [k, v]) => (v === undefined ? n : n + Buffer.byteLength(k, 'utf8') + valueSize(v)), 0);
}

/** Write capacity units of one write of an item of `bytes` (1 KB units; ×2 in a transaction). */
export const writeUnits = (bytes: number, transactional = false): number => Math.max(1, Math.ceil(bytes / 1024)) * (transactional ? 2 : 1);

/** Read capacity units of reading `bytes` (4 KB units; half for an eventually consistent read). */
export const readUnits = (bytes: number, consistent = true): number => (Math.max(1, Math.ceil(bytes / 4096)) * (consistent ? 2 : 1)) / 2;

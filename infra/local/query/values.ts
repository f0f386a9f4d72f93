/** DuckDB values as plain JSON values, instants in the campaigns' zone. */
import { DuckDBArrayValue, DuckDBDateValue, DuckDBDecimalValue, DuckDBListValue, DuckDBMapValue, DuckDBStructValue, DuckDBTimestampTZValue, DuckDBTimestampValue, type DuckDBValue } from '@duckdb/node-api';

/** A result value as printed: JSON's types (BIGINT becomes a number when it is safe, else a string). */
export type Plain = null | boolean | number | string | Plain[] | { [key: string]: Plain };

export interface QueryResult {
  readonly columns: ReadonlyArray<{ readonly name: string; readonly type: string }>;
  readonly rows: ReadonlyArray<readonly Plain[]>;
}

/** Instants are shown in the campaigns' zone, Asia/Shanghai (UTC+8, no daylight saving), as the API shows them. */
export const DISPLAY_ZONE = { name: 'Asia/Shanghai', offsetMinutes: 8 * 60, suffix: '+08:00' } as const;

const MICROS_PER_SECOND = 1_000_000n;

/** An instant (microseconds since the epoch) as ISO 8601 in the display zone: `2021-09-24T23:59:59.5+08:00` keeps its precision. */
export function instantText(micros: bigint): string {
  const shifted = micros + BigInt(DISPLAY_ZONE.offsetMinutes) * 60n * MICROS_PER_SECOND;
  const fraction = ((shifted % MICROS_PER_SECOND) + MICROS_PER_SECOND) % MICROS_PER_SECOND;
  const seconds = (shifted - fraction) / MICROS_PER_SECOND;
  const wall = new Date(Number(seconds) * 1000).toISOString().slice(0, 19);
  const digits = fraction.toString().padStart(6, '0');
  const shown = fraction === 0n ? '' : `.${digits.endsWith('000') ? digits.slice(0, 3) : digits}`;
  return `${wall}${shown}${DISPLAY_ZONE.suffix}`;
}

/** A whole number as a JSON number when it is exactly representable, else as its digits. */
const wholeNumber = (value: bigint): number | string =>
  value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();

/** A DuckDB value as a plain one. */
export function toPlain(value: DuckDBValue): Plain {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'boolean':
    case 'string':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : String(value);
    case 'bigint':
      return wholeNumber(value);
    default:
      break;
  }
  if (value instanceof DuckDBListValue || value instanceof DuckDBArrayValue) return value.items.map(toPlain);
  if (value instanceof DuckDBStructValue) return Object.fromEntries(Object.entries(value.entries).map(([k, v]) => [k, toPlain(v)]));
  if (value instanceof DuckDBMapValue) return value.entries.map((e) => ({ key: toPlain(e.key), value: toPlain(e.value) }));
  if (value instanceof DuckDBTimestampTZValue) return value.isFinite ? instantText(value.micros) : value.toString();
  if (value instanceof DuckDBTimestampValue) return value.toString().replace(' ', 'T');
  if (value instanceof DuckDBDateValue) return value.toString();
  if (value instanceof DuckDBDecimalValue) return Number(value.toString());
  return String(value);
}

/**
 * CSV as the exports write it, for spreadsheets first (Excel, WPS):
 *
 * - UTF-8 with a byte order mark (without it Excel reads Chinese as mojibake);
 * - RFC 4180: CRLF between records, a field quoted when it holds `"`, `,`, CR or LF, and a `"`
 *   inside doubled;
 * - the header is each column's meaning, Chinese by default or English;
 * - instants in the campaign's zone with their offset (`2021-09-15T09:00:00+08:00`), lists joined
 *   with `; `, booleans `true`/`false`, an empty field for a missing value;
 * - formula injection: a text cell that starts with `=`, `+`, `-`, `@`, a tab or a CR is
 *   prefixed with an apostrophe, so a spreadsheet shows it as text and never evaluates it
 *   (OWASP "CSV injection"). Numbers, booleans and instants are written by the export itself
 *   and are left as they are (a negative number stays a number).
 */
import type { ColumnType, ExportColumn } from './columns';
import { formatInstant, offsetMinutes } from '../domain/time';

export const UTF8_BOM = '\uFEFF';
export const CRLF = '\r\n';
/** How list cells are joined. */
export const LIST_SEPARATOR = '; ';

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** A text cell made inert for spreadsheets: a leading apostrophe when it could start a formula. */
export function neutralizeFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** One field as RFC 4180 writes it. */
export function quoteField(text: string): string {
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One record (without its line break). */
export function csvRecord(fields: readonly string[]): string {
  return fields.map(quoteField).join(',');
}

/** The header record: each column's meaning in `language`. */
export function csvHeader(columns: readonly ExportColumn[], language: 'zh' | 'en'): string {
  return csvRecord(columns.map((c) => neutralizeFormula(c.meaning[language])));
}

/**
 * A value as DuckDB answers it (string, bigint, number, boolean; a TIMESTAMPTZ as a `Date` or a
 * value with `micros`; a LIST as an array or a value with `items`) written as the text of one
 * CSV cell.
 */
export function csvCellText(type: ColumnType, value: unknown, formatInstant: (instant: Date) => string): string {
  if (value === null || value === undefined) return '';
  switch (type) {
    case 'string':
      return neutralizeFormula(String(value));
    case 'int64':
    case 'double':
      return String(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'timestamptz': {
      if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : formatInstant(value);
      const micros = (value as { micros?: unknown }).micros;
      const ms = typeof micros === 'bigint' ? Number(micros / 1000n) : typeof value === 'string' ? Date.parse(value) : Number.NaN;
      return Number.isNaN(ms) ? '' : formatInstant(new Date(ms));
    }
    case 'list<string>': {
      const items = Array.isArray(value) ? value : ((value as { items?: unknown[] }).items ?? []);
      return neutralizeFormula(items.map((x) => String(x)).join(LIST_SEPARATOR));
    }
  }
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/**
 * `formatInstant` for many instants of one zone, fast: the zone's offset is looked up once per
 * 15 minutes of UTC (every offset and every transition of the tz database since 1970 falls on a
 * quarter hour), and the digits are plain arithmetic. Same output as `formatInstant`.
 */
export function zonedInstantFormatter(timeZone: string): (instant: Date) => string {
  const offsets = new Map<number, number>();
  return (instant) => {
    const ms = instant.getTime();
    if (ms < 0) return formatInstant(instant, timeZone);
    const bucket = Math.floor(ms / 900_000);
    let off = offsets.get(bucket);
    if (off === undefined) {
      off = offsetMinutes(instant, timeZone);
      if (offsets.size > 10_000) offsets.clear();
      offsets.set(bucket, off);
    }
    const wall = new Date(Math.floor(ms / 1000) * 1000 + off * 60_000);
    const millis = ms % 1000 === 0 ? '' : `.${pad(ms % 1000, 3)}`;
    const sign = off < 0 ? '-' : '+';
    return `${wall.getUTCFullYear()}-${pad(wall.getUTCMonth() + 1)}-${pad(wall.getUTCDate())}T${pad(wall.getUTCHours())}:${pad(wall.getUTCMinutes())}:${pad(wall.getUTCSeconds())}${millis}${sign}${pad(Math.floor(Math.abs(off) / 60))}:${pad(Math.abs(off) % 60)}`;
  };
}

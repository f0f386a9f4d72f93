/** A query's result printed as an aligned table (CJK and emoji two columns wide), RFC 4180 CSV with formulas made inert, or JSON. */
import { neutralizeFormula } from '../../../shared/export/csv';
import type { OutputFormat } from './args';
import type { Plain, QueryResult } from './values';

const NUMERIC_TYPE = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|BIGNUM|DECIMAL(\(.*\))?)$/;

const WIDE_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x1100, 0x115f], // Hangul Jamo initials
  [0x2e80, 0x303e], // CJK radicals, Kangxi, CJK symbols and punctuation (、。「」)
  [0x3041, 0x33ff], // kana, bopomofo, Hangul compatibility, CJK compatibility
  [0x3400, 0x4dbf], // CJK extension A
  [0x4e00, 0x9fff], // CJK unified ideographs
  [0xa000, 0xa4cf], // Yi
  [0xa960, 0xa97f], // Hangul Jamo extended A
  [0xac00, 0xd7a3], // Hangul syllables
  [0xf900, 0xfaff], // CJK compatibility ideographs
  [0xfe10, 0xfe19], // vertical forms
  [0xfe30, 0xfe6f], // CJK compatibility forms, small forms
  [0xff00, 0xff60], // fullwidth forms (，：（）)
  [0xffe0, 0xffe6], // fullwidth signs
  [0x1f300, 0x1f64f], // pictographs, emoticons
  [0x1f900, 0x1f9ff], // supplemental symbols and pictographs
  [0x20000, 0x2fffd], // CJK extensions B–F
  [0x30000, 0x3fffd], // CJK extension G…
];

const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });
const ZERO_WIDTH = /^[\p{Mn}\p{Me}\p{Cf}\p{Cc}]+$/u;
const EMOJI = /\p{Emoji_Presentation}|\p{Extended_Pictographic}\uFE0F/u;

const isWide = (codePoint: number): boolean => WIDE_RANGES.some(([from, to]) => codePoint >= from && codePoint <= to);

/** Columns a terminal gives one grapheme: 2 for CJK, fullwidth forms and emoji, 0 for marks and controls, else 1. */
function graphemeWidth(grapheme: string): number {
  if (ZERO_WIDTH.test(grapheme)) return 0;
  if (EMOJI.test(grapheme)) return 2;
  return isWide(grapheme.codePointAt(0)!) ? 2 : 1;
}

/** Columns `text` takes in a terminal (East Asian Wide and Fullwidth characters and emoji count 2). */
export function displayWidth(text: string): number {
  let width = 0;
  for (const { segment } of segmenter.segment(text)) width += graphemeWidth(segment);
  return width;
}

/** `text` cut to at most `max` columns, ending in `…` when cut. */
export function truncateToWidth(text: string, max: number): string {
  if (displayWidth(text) <= max) return text;
  let out = '';
  let width = 0;
  for (const { segment } of segmenter.segment(text)) {
    const w = graphemeWidth(segment);
    if (width + w > max - 1) break;
    out += segment;
    width += w;
  }
  return `${out}…`;
}

const pad = (text: string, width: number, right: boolean): string => {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(text)));
  return right ? fill + text : text + fill;
};

/** A nested value as DuckDB's CLI shows it: `[a, b]`, `{'k': v}`. */
function nestedText(value: Plain): string {
  if (value === null) return 'NULL';
  if (Array.isArray(value)) return `[${value.map(nestedText).join(', ')}]`;
  if (typeof value === 'object') return `{${Object.entries(value).map(([k, v]) => `'${k}': ${nestedText(v)}`).join(', ')}}`;
  return String(value);
}

/** Control characters would break the table's lines: show them escaped. */
const NAMED_CONTROLS: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
const escapeControls = (text: string): string =>
  Array.from(text, (c) => {
    const code = c.charCodeAt(0);
    return code < 0x20 || code === 0x7f ? (NAMED_CONTROLS[c] ?? `\\u${code.toString(16).padStart(4, '0')}`) : c;
  }).join('');

export interface TableOptions {
  /** Longest cell, in terminal columns; longer ones end in `…` (csv and json print everything). */
  readonly maxCellWidth?: number;
}

/** psql-style aligned table, numbers right-aligned, and the row count. */
export function formatTable(result: QueryResult, options: TableOptions = {}): string {
  const max = options.maxCellWidth ?? 60;
  const numeric = result.columns.map((c) => NUMERIC_TYPE.test(c.type));
  const header = result.columns.map((c) => truncateToWidth(escapeControls(c.name), max));
  const cells = result.rows.map((row) => row.map((v) => truncateToWidth(escapeControls(nestedText(v)), max)));
  const widths = header.map((h, i) => Math.max(displayWidth(h), ...cells.map((row) => displayWidth(row[i] ?? ''))));
  const line = (values: readonly string[], align: (i: number) => boolean) =>
    ` ${values.map((v, i) => pad(v, widths[i]!, align(i))).join(' | ')}`.trimEnd();
  const count = result.rows.length === 1 ? '(1 row)' : `(${result.rows.length} rows)`;
  return [
    line(header, () => false),
    widths.map((w) => '-'.repeat(w + 2)).join('+'),
    ...cells.map((row) => line(row, (i) => numeric[i]!)),
    count,
    '',
  ].join('\n');
}

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote, CR or LF; quotes doubled. Text
 * (`inert`, the default) that a spreadsheet would read as a formula (`=`, `+`, `-`, `@`, tab, CR
 * first) gets a leading apostrophe, as the exports' CSV does (shared/export/csv.ts); a number
 * column's values are left as they are (`-3` stays a number).
 */
export function csvField(value: Plain, inert = true): string {
  const text = value === null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
  const safe = inert && typeof value === 'string' ? neutralizeFormula(text) : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** RFC 4180: a header record, CRLF after every record; NULL is an empty field, lists are JSON; formulas inert. */
export function formatCsv(result: QueryResult): string {
  const numeric = result.columns.map((c) => NUMERIC_TYPE.test(c.type));
  const records = [result.columns.map((c) => csvField(c.name)), ...result.rows.map((row) => row.map((v, i) => csvField(v, !numeric[i])))];
  return records.map((r) => `${r.join(',')}\r\n`).join('');
}

/** One JSON array of row objects, one row per line (a repeated column name keeps DuckDB's `name_1`). */
export function formatJson(result: QueryResult): string {
  const names = dedupe(result.columns.map((c) => c.name));
  const rows = result.rows.map((row) => JSON.stringify(Object.fromEntries(names.map((n, i) => [n, row[i] ?? null]))));
  return rows.length === 0 ? '[]\n' : `[\n${rows.join(',\n')}\n]\n`;
}

function dedupe(names: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((name) => {
    const n = seen.get(name) ?? 0;
    seen.set(name, n + 1);
    return n === 0 ? name : `${name}_${n}`;
  });
}

export const FORMATTERS: Readonly<Record<OutputFormat, (result: QueryResult) => string>> = {
  table: (r) => formatTable(r),
  csv: formatCsv,
  json: formatJson,
};

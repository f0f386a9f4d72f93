/**
 * `npm run query -- [--format table|csv|json] "<SQL>"` (or `--file q.sql`): SQL over the newest
 * export of each campaign, on one machine, with the tables an Athena user sees on AWS.
 *
 * 1. Finds the running local runtime through `<SCIDAY_DATA_DIR>/runtime.json` (default `.sciday`).
 * 2. Mirrors `campaign=*\/snapshot=latest/` of the exports bucket (Parquet files and manifests)
 *    into `<data dir>/query-cache/`, skipping files whose checksum in the manifest matches the
 *    cached copy. Only when the SQL names a `<entity>_snapshots` table does it mirror every snapshot.
 * 3. Opens DuckDB in memory with one view per table of infra/analytics-catalog.ts, each the
 *    union over campaigns with the same columns, types and partition columns as the Glue table,
 *    then locks it down (ADR 0032): files only under the cache, configuration frozen, so the SQL
 *    can neither read the data dir's secrets (the local issuer's key) nor write anywhere else.
 * 4. Runs the SQL and prints a table (aligned; CJK and emoji are two columns wide), RFC 4180 CSV
 *    with text that could start a spreadsheet formula made inert (as the exports write it), or one
 *    JSON array of row objects.
 *
 * Exit codes: 0 done; 1 the runtime is not running, nothing has been exported yet, or the
 * download failed; 2 bad SQL or bad arguments. Messages are one line, Chinese then English.
 */
import { createHash } from 'node:crypto';
import {
  closeSync,
  createWriteStream,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import {
  DuckDBArrayValue,
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBInstance,
  DuckDBListValue,
  DuckDBMapValue,
  DuckDBStructValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  type DuckDBConnection,
  type DuckDBResultReader,
  type DuckDBValue,
} from '@duckdb/node-api';
import { EXPORT_TABLES } from '../../shared/export/columns';
import { neutralizeFormula } from '../../shared/export/csv';
import { analyticsTables, DUCKDB_TYPES, LATEST_SNAPSHOT, PARTITION, type AnalyticsTable } from '../analytics-catalog';
import type { RuntimeInfo } from './runtime';

// ───────────────────────────── arguments ─────────────────────────────

export type OutputFormat = 'table' | 'csv' | 'json';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['table', 'csv', 'json'];

export interface QueryArgs {
  readonly format: OutputFormat;
  readonly sql: string;
}

export type ParsedArgs = { readonly kind: 'query'; readonly args: QueryArgs } | { readonly kind: 'help' };

export const USAGE = [
  '用法 / usage: npm run query -- [--format table|csv|json] "<SQL>"',
  '              npm run query -- [--format table|csv|json] --file q.sql     (--file - reads standard input)',
  `表 / tables: ${analyticsTables()
    .filter((t) => !t.history)
    .map((t) => t.name)
    .join(', ')} (+ <table>_snapshots: every snapshot, WHERE snapshot = '…')`,
].join('\n');

/** A mistake in the command line: exit 2 with `message` and the usage. */
export class UsageError extends Error {}

/**
 * Reads the command line (what follows `npm run query --`). The SQL is one argument, several
 * (joined with spaces, for unquoted SQL), or the contents of `--file`.
 */
export function parseArgs(argv: readonly string[], readText: (path: string) => string = readSqlFile): ParsedArgs {
  let format: OutputFormat | undefined;
  let file: string | undefined;
  const words: string[] = [];
  const value = (flag: string, next: string | undefined): string => {
    if (next === undefined || next === '') throw new UsageError(`${flag} 缺少取值 / ${flag} needs a value`);
    return next;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (flag === '--help' || flag === '-h') return { kind: 'help' };
    if (flag === '--format' || flag === '-f') {
      if (format !== undefined) throw new UsageError('--format 只能给一次 / --format given twice');
      const given = value('--format', inline ?? argv[++i]);
      if (!OUTPUT_FORMATS.includes(given as OutputFormat)) {
        throw new UsageError(`--format 只能是 table、csv 或 json / --format must be table, csv or json, got "${given}"`);
      }
      format = given as OutputFormat;
    } else if (flag === '--file') {
      if (file !== undefined) throw new UsageError('--file 只能给一次 / --file given twice');
      file = value('--file', inline ?? argv[++i]);
    } else if (arg === '--') {
      words.push(...argv.slice(i + 1));
      break;
    } else if (/^--?[A-Za-z][\w-]*$/.test(arg) && words.length === 0) {
      throw new UsageError(`未知选项 / unknown option ${arg}`);
    } else {
      words.push(arg);
    }
  }
  if (file !== undefined && words.length > 0) throw new UsageError('SQL 与 --file 只能二选一 / give the SQL or --file, not both');
  const sql = (file !== undefined ? readText(file) : words.join(' ')).trim();
  if (sql.length === 0) {
    throw new UsageError(file !== undefined ? `文件 ${file} 中没有 SQL / ${file} holds no SQL` : '缺少 SQL / no SQL given');
  }
  return { kind: 'query', args: { format: format ?? 'table', sql } };
}

function readSqlFile(path: string): string {
  try {
    return readFileSync(path === '-' ? 0 : path, 'utf8');
  } catch (error) {
    throw new UsageError(`无法读取 ${path} / cannot read ${path}: ${(error as Error).message}`);
  }
}

// ───────────────────────────── values ─────────────────────────────

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

// ───────────────────────────── output ─────────────────────────────

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

// ───────────────────────────── errors ─────────────────────────────

/** Exit 1 (environment) or 2 (input) with a one-line message. */
export class QueryCliError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2,
  ) {
    super(message);
  }
}

/** A DuckDB error as one line: its first paragraph, without the `LINE 1: …` excerpt and caret. */
export function oneLine(message: string): string {
  const firstParagraph = message.split(/\n\s*\n/)[0] ?? message;
  return firstParagraph
    .split('\n')
    .filter((l) => !/^LINE \d+:/.test(l.trim()) && l.trim() !== '^')
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export const MESSAGES = {
  notRunning: (dataDir: string) =>
    `本地运行时未在运行（数据目录 ${dataDir}）：请先执行 npm start。 / The local runtime is not running (data dir ${dataDir}): start it with npm start first.`,
  noExport: () =>
    '还没有任何导出：请先导出活动季数据（POST /v1/campaigns/{campaignId}/exports，format 为 parquet）。 / ' +
    'Nothing has been exported yet: export a campaign first (POST /v1/campaigns/{campaignId}/exports with format parquet).',
  badSql: (detail: string) => `SQL 有误 / bad SQL: ${detail}`,
  fileAccess: () =>
    '查询只能读取导出的表，不能读写其他文件，也不能更改设置 / ' +
    'A query reads the exported tables only: it may not read or write other files, nor change settings.',
  download: (detail: string) => `下载导出文件失败 / could not download the exports: ${detail}`,
} as const;

// ───────────────────────────── the runtime and the cache ─────────────────────────────

const pidAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** The running runtime's runtime.json, or a QueryCliError (exit 1) when there is none. */
export function findRuntime(dataDir: string): RuntimeInfo {
  const file = join(dataDir, 'runtime.json');
  let info: RuntimeInfo;
  try {
    info = JSON.parse(readFileSync(file, 'utf8')) as RuntimeInfo;
  } catch {
    throw new QueryCliError(MESSAGES.notRunning(dataDir), 1);
  }
  if (!Number.isInteger(info.pid) || !pidAlive(info.pid) || !info.endpoints?.s3) throw new QueryCliError(MESSAGES.notRunning(dataDir), 1);
  return info;
}

/** SHA-256 of a file, read in 1 MiB chunks (exports can be large). */
function sha256OfFile(file: string): string {
  const hash = createHash('sha256');
  const buffer = Buffer.alloc(1024 * 1024);
  const fd = openSync(file, 'r');
  try {
    for (let n = readSync(fd, buffer); n > 0; n = readSync(fd, buffer)) hash.update(buffer.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

interface RemoteObject {
  readonly key: string;
  readonly size: number;
  readonly etag: string;
}

interface CacheRecord {
  readonly size: number;
  readonly mtimeMs: number;
  readonly sha256: string;
  readonly etag?: string;
}

/** What the cache holds: a mirror of the bucket's keys under `root`, and what is known of each file. */
class ExportCache {
  private readonly indexFile: string;
  private index: Record<string, CacheRecord>;

  constructor(readonly root: string) {
    mkdirSync(root, { recursive: true });
    this.indexFile = join(root, '.index.json');
    try {
      this.index = JSON.parse(readFileSync(this.indexFile, 'utf8')) as Record<string, CacheRecord>;
    } catch {
      this.index = {};
    }
  }

  path(key: string): string {
    return join(this.root, ...key.split('/'));
  }

  /** Where downloads are written until complete; not a key of the bucket, so never pruned. */
  get partialDir(): string {
    return join(this.root, '.partial');
  }

  /** The cached copy's SHA-256 (from the index while the file is unchanged), or undefined if there is none. */
  sha256(key: string): string | undefined {
    const file = this.path(key);
    if (!existsSync(file)) return undefined;
    const stat = statSync(file);
    const known = this.index[key];
    if (known && known.size === stat.size && known.mtimeMs === stat.mtimeMs) return known.sha256;
    const sha256 = sha256OfFile(file);
    this.index[key] = { size: stat.size, mtimeMs: stat.mtimeMs, sha256 };
    return sha256;
  }

  remember(key: string, sha256: string, etag: string): void {
    const stat = statSync(this.path(key));
    this.index[key] = { size: stat.size, mtimeMs: stat.mtimeMs, sha256, etag };
  }

  /** Deletes cached files in scope that are not to be kept (the bucket no longer has them). */
  prune(inScope: (key: string) => boolean, keep: ReadonlySet<string>): void {
    for (const entry of readdirSync(this.root, { withFileTypes: true, recursive: true })) {
      if (!entry.isFile() || entry.name === '.index.json') continue;
      const file = join(entry.parentPath, entry.name);
      if (entry.parentPath === this.partialDir) {
        // Left by a run that was killed mid-download (a day is longer than any download).
        if (Date.now() - statSync(file).mtimeMs > 24 * 3600 * 1000) rmSync(file, { force: true });
        continue;
      }
      const key = relative(this.root, file).split(sep).join('/');
      if (inScope(key) && !keep.has(key)) {
        rmSync(file, { force: true });
        delete this.index[key];
      }
    }
  }

  save(): void {
    writeFileSync(this.indexFile, JSON.stringify(this.index));
  }
}

/** `campaign=<c>/snapshot=<s>/<rest>` → its parts, or undefined for any other key. */
export function parseExportKey(key: string): { campaign: string; snapshot: string; rest: string } | undefined {
  const match = /^campaign=([^/]+)\/snapshot=([^/]+)\/(.+)$/.exec(key);
  // A key becomes a path in the cache: no `.`/`..` segments, no empty ones.
  if (!match || key.split('/').some((segment) => segment === '' || segment === '.' || segment === '..')) return undefined;
  return { campaign: match[1]!, snapshot: match[2]!, rest: match[3]! };
}

/**
 * The SHA-256 of each file a manifest lists, by its path inside the snapshot
 * (`entity=activities/part-0.parquet`). Lenient about the manifest's shape: any object with a
 * `key` and a `sha256` counts, so the copy under `snapshot=latest` may name the keys of either.
 */
export function manifestChecksums(manifest: unknown): Map<string, string> {
  const found = new Map<string, string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (node === null || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    if (typeof record.key === 'string' && typeof record.sha256 === 'string') {
      const inside = parseExportKey(record.key)?.rest ?? record.key;
      if (!inside.split('/').some((segment) => segment === '' || segment === '.' || segment === '..')) {
        found.set(inside, record.sha256.toLowerCase());
      }
    }
    Object.values(record).forEach(visit);
  };
  visit(manifest);
  return found;
}

/** The checksums of a cached manifest file, or undefined when it is not JSON. */
function parseManifest(file: string): Map<string, string> | undefined {
  try {
    return manifestChecksums(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    return undefined;
  }
}

async function listAll(s3: S3Client, bucket: string, prefix: string, delimiter?: string): Promise<{ objects: RemoteObject[]; prefixes: string[] }> {
  const objects: RemoteObject[] = [];
  const prefixes: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, Delimiter: delimiter, ContinuationToken: token }));
    for (const o of page.Contents ?? []) if (o.Key) objects.push({ key: o.Key, size: o.Size ?? 0, etag: o.ETag ?? '' });
    for (const p of page.CommonPrefixes ?? []) if (p.Prefix) prefixes.push(p.Prefix);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return { objects, prefixes };
}

/** Progress of the downloads on stderr, once they are worth watching (≥ 8 MB). */
class Progress {
  private done = 0;
  private files = 0;
  private lastPrint = 0;
  private readonly visible: boolean;

  constructor(
    private readonly totalBytes: number,
    private readonly totalFiles: number,
    private readonly out: NodeJS.WriteStream = process.stderr,
  ) {
    this.visible = totalBytes >= 8 * 1024 * 1024;
  }

  add(bytes: number): void {
    this.done += bytes;
    this.print(false);
  }

  fileDone(): void {
    this.files += 1;
    this.print(this.files === this.totalFiles);
  }

  private print(final: boolean): void {
    if (!this.visible) return;
    const now = Date.now();
    if (!final && now - this.lastPrint < (this.out.isTTY ? 100 : 2000)) return;
    this.lastPrint = now;
    const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
    const text = `下载导出 / downloading exports: ${mb(this.done)}/${mb(this.totalBytes)} MB (${this.files}/${this.totalFiles} files)`;
    this.out.write(this.out.isTTY ? `\r${text}${final ? '\n' : ''}` : `${text}\n`);
  }
}

let downloads = 0;

/**
 * Downloads one object to `target` through a partial file outside the mirrored keys (so a
 * concurrent run's pruning never sees it), renamed into place once complete. Answers its SHA-256.
 */
async function download(s3: S3Client, bucket: string, object: RemoteObject, target: string, progress: Progress, partialDir: string): Promise<string> {
  mkdirSync(dirname(target), { recursive: true });
  mkdirSync(partialDir, { recursive: true });
  const partial = join(partialDir, `${process.pid}-${++downloads}`);
  const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: object.key }));
  const hash = createHash('sha256');
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      progress.add(chunk.length);
      callback(null, chunk);
    },
  });
  try {
    await pipeline(response.Body as Readable, meter, createWriteStream(partial));
    renameSync(partial, target);
  } finally {
    rmSync(partial, { force: true });
  }
  progress.fileDone();
  return hash.digest('hex');
}

export interface SyncResult {
  /** Cached Parquet files by analytics table name (`activities`, `activities_snapshots`, …). */
  readonly files: ReadonlyMap<string, readonly string[]>;
  readonly downloaded: number;
  readonly skipped: number;
}

/**
 * Mirrors the newest export of every campaign (and, with `history`, every snapshot) into the
 * cache, downloading only files whose checksum changed, and says which cached files each table
 * reads. A snapshot counts only once its manifest exists: run-export writes it after the files,
 * and deletes `latest/manifest.json` while it replaces `latest/`. Meanwhile that campaign is read
 * from the copy cached under its previous manifest (or left out), with a note on stderr, never
 * half old and half new.
 */
export async function syncExports(
  s3: S3Client,
  bucket: string,
  cacheRoot: string,
  options: { readonly history: boolean; readonly log?: (line: string) => void },
): Promise<SyncResult> {
  const cache = new ExportCache(cacheRoot);
  const campaigns = (await listAll(s3, bucket, 'campaign=', '/')).prefixes;
  const listed: RemoteObject[] = [];
  for (const campaignPrefix of campaigns) {
    const prefix = options.history ? campaignPrefix : `${campaignPrefix}snapshot=${LATEST_SNAPSHOT}/`;
    listed.push(...(await listAll(s3, bucket, prefix)).objects.filter((o) => parseExportKey(o.key)));
  }
  const byKey = new Map(listed.map((o) => [o.key, o]));

  // Each snapshot's manifest (small, always fetched) names its complete files and their checksums.
  const snapshots = new Map<string, { campaign: string; snapshot: string }>();
  for (const o of listed) {
    const { campaign, snapshot } = parseExportKey(o.key)!;
    snapshots.set(`campaign=${campaign}/snapshot=${snapshot}/`, { campaign, snapshot });
  }
  const entries: Array<{ readonly key: string; readonly sha256: string; readonly remote?: RemoteObject }> = [];
  const untouched: string[] = [];
  for (const [prefix, { campaign, snapshot }] of snapshots) {
    const manifest = byKey.get(`${prefix}manifest.json`);
    const manifestFile = cache.path(`${prefix}manifest.json`);
    if (!manifest) {
      // Being written or replaced: keep (and read) the copy cached from its last manifest, if any.
      untouched.push(prefix);
      const previous = existsSync(manifestFile) ? parseManifest(manifestFile) : undefined;
      for (const [inside, sha256] of previous ?? []) {
        if (inside.endsWith('.parquet') && cache.sha256(`${prefix}${inside}`) === sha256) entries.push({ key: `${prefix}${inside}`, sha256 });
      }
      if (snapshot === LATEST_SNAPSHOT) {
        options.log?.(
          previous
            ? `活动季 ${campaign} 的最新导出正在更新，使用上次缓存的版本 / the latest export of ${campaign} is being replaced: using the copy cached before`
            : `活动季 ${campaign} 的最新导出正在更新，本次未包含 / the latest export of ${campaign} is being replaced and is left out this time`,
        );
      }
      continue;
    }
    await download(s3, bucket, manifest, manifestFile, new Progress(0, 0), cache.partialDir);
    const checksums = parseManifest(manifestFile);
    if (!checksums) {
      options.log?.(`清单无法解析，已跳过 / unreadable manifest, skipped: ${manifest.key}`);
      continue;
    }
    for (const [inside, sha256] of checksums) {
      if (!inside.endsWith('.parquet')) continue; // a CSV export: not queryable, as in Athena
      const remote = byKey.get(`${prefix}${inside}`);
      if (remote) entries.push({ key: remote.key, sha256, remote });
      else options.log?.(`清单中的文件不存在 / a file the manifest lists is missing: ${prefix}${inside}`);
    }
  }

  const stale = entries.filter((e): e is typeof e & { remote: RemoteObject } => !!e.remote && cache.sha256(e.key) !== e.sha256);
  const progress = new Progress(
    stale.reduce((sum, e) => sum + e.remote.size, 0),
    stale.length,
  );
  for (const entry of stale) {
    const sha256 = await download(s3, bucket, entry.remote, cache.path(entry.key), progress, cache.partialDir);
    cache.remember(entry.key, sha256, entry.remote.etag);
    if (sha256 !== entry.sha256) {
      options.log?.(`校验值与清单不符（导出可能正在更新） / checksum differs from the manifest (an export may be changing): ${entry.key}`);
    }
  }

  // What the bucket no longer has goes from the cache too (except snapshots being written).
  const keep = new Set([...entries.map((e) => e.key), ...[...snapshots.keys()].map((p) => `${p}manifest.json`)]);
  cache.prune((key) => {
    const parts = parseExportKey(key);
    if (!parts || untouched.some((prefix) => key.startsWith(prefix))) return false;
    return options.history || parts.snapshot === LATEST_SNAPSHOT;
  }, keep);
  cache.save();

  const tables = new Map<string, string[]>();
  for (const entry of entries) {
    const { snapshot, rest } = parseExportKey(entry.key)!;
    const entity = /^entity=([^/]+)\//.exec(rest)?.[1];
    if (!entity) continue;
    for (const name of [`${entity}_snapshots`, ...(snapshot === LATEST_SNAPSHOT ? [entity] : [])]) {
      tables.set(name, [...(tables.get(name) ?? []), cache.path(entry.key)]);
    }
  }
  return { files: tables, downloaded: stale.length, skipped: entries.length - stale.length };
}

// ───────────────────────────── DuckDB ─────────────────────────────

const ident = (name: string): string => `"${name.replaceAll('"', '""')}"`;
const literal = (text: string): string => `'${text.replaceAll("'", "''")}'`;

/**
 * The view of one analytics table over its cached files: the entity's columns with the
 * catalogue's types, in catalogue order, then the partition columns (as Glue orders them). The
 * typed empty row set keeps every column even when no file has it yet (an older export).
 */
export function viewSql(table: AnalyticsTable, files: readonly string[]): string {
  const columns = [
    ...EXPORT_TABLES[table.entity].columns.map((c) => ({ name: c.name, type: DUCKDB_TYPES[c.type] })),
    ...table.partitions.map((p) => ({ name: p, type: 'VARCHAR' })),
  ];
  const empty = `SELECT ${columns.map((c) => `NULL::${c.type} AS ${ident(c.name)}`).join(', ')} WHERE false`;
  // Key segments are text, even one that looks like a number or a date (`campaign=2022`).
  const hiveTypes = `{${[PARTITION.campaign, PARTITION.snapshot, 'entity'].map((p) => `${literal(p)}: VARCHAR`).join(', ')}}`;
  const source =
    files.length === 0
      ? empty
      : `${empty} UNION ALL BY NAME SELECT * FROM read_parquet([${files.map(literal).join(', ')}], ` +
        `hive_partitioning = true, union_by_name = true, hive_types = ${hiveTypes})`;
  const select = columns.map((c) => `CAST(${ident(c.name)} AS ${c.type}) AS ${ident(c.name)}`).join(', ');
  return `CREATE OR REPLACE VIEW ${ident(table.name)} AS SELECT ${select} FROM (${source})`;
}

/** True when the SQL names a `<entity>_snapshots` table (only then is every snapshot mirrored). */
export const needsHistory = (sql: string): boolean =>
  analyticsTables()
    .filter((t) => t.history)
    .some((t) => new RegExp(`\\b${t.name}\\b`, 'i').test(sql));

/**
 * Once the views exist, the session may touch no file outside `cacheRoot` and change no setting
 * (ADR 0032): without this, `SELECT * FROM read_text('.sciday/local-issuer.jwk.json')` hands out
 * the key that signs admin tokens, and `COPY … TO` writes anywhere the user may. DuckDB 1.5.6
 * then refuses any path outside the allowed directory (a `../` out of it or a symbolic link in it
 * included), ATTACH, INSTALL and LOAD, and every SET. Its spill directory (by default `.tmp` under
 * the working directory, which would be allowed too) moves into the cache. What a query can
 * still write is the cache itself, which the next run checks against the manifests' SHA-256 and
 * downloads again.
 */
const lockDownSql = (cacheRoot: string): readonly string[] => {
  const root = `${resolve(cacheRoot)}${sep}`;
  return [
    `SET temp_directory = ${literal(join(root, '.duckdb-tmp'))}`,
    `SET allowed_directories = [${literal(root)}]`,
    'SET enable_external_access = false',
    'SET lock_configuration = true',
  ];
};

/** DuckDB's answer to a file or setting the lock-down refuses. */
const REFUSED = /^(Permission Error|Invalid Input Error: Cannot change configuration option)/;

/**
 * Runs `sql` over views of the cached files, with file access limited to `cacheRoot`; a DuckDB
 * error becomes QueryCliError (exit 2).
 */
export async function runQuery(files: ReadonlyMap<string, readonly string[]>, sql: string, withHistory: boolean, cacheRoot: string): Promise<QueryResult> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection: DuckDBConnection = await instance.connect();
  try {
    try {
      // Date functions then work in the campaigns' zone (ICU is built into the binding).
      await connection.run(`SET TimeZone = ${literal(DISPLAY_ZONE.name)}`);
    } catch {
      // Without ICU the session stays in UTC; printed instants are converted anyway.
    }
    for (const table of analyticsTables()) {
      if (table.history && !withHistory) continue;
      await connection.run(viewSql(table, files.get(table.name) ?? []));
    }
    for (const statement of lockDownSql(cacheRoot)) await connection.run(statement);
    let reader: DuckDBResultReader;
    try {
      reader = await connection.runAndReadAll(sql);
    } catch (error) {
      const detail = oneLine((error as Error).message);
      throw new QueryCliError(REFUSED.test(detail) ? `${MESSAGES.fileAccess()} (${detail})` : MESSAGES.badSql(detail), 2);
    }
    const names = reader.columnNames();
    const types = reader.columnTypes().map(String);
    return {
      columns: names.map((name, i) => ({ name, type: types[i] ?? '' })),
      rows: reader.getRows().map((row) => row.map(toPlain)),
    };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

// ───────────────────────────── main ─────────────────────────────

export interface CliIo {
  readonly env: NodeJS.ProcessEnv;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/** The whole command; returns the exit code. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const parsed = parseArgs(argv);
    if (parsed.kind === 'help') {
      io.stdout(`${USAGE}\n`);
      return 0;
    }
    const { format, sql } = parsed.args;
    const dataDir = io.env.SCIDAY_DATA_DIR ?? '.sciday';
    const info = findRuntime(dataDir);
    const bucket = info.resources.buckets.exports?.name;
    if (!bucket) throw new QueryCliError(MESSAGES.notRunning(dataDir), 1);
    const s3 = new S3Client({
      region: info.region,
      endpoint: info.endpoints.s3,
      forcePathStyle: true,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const history = needsHistory(sql);
    const cacheRoot = join(dataDir, 'query-cache');
    let synced: SyncResult;
    try {
      synced = await syncExports(s3, bucket, cacheRoot, { history, log: (line) => io.stderr(`${line}\n`) });
    } catch (error) {
      throw new QueryCliError(MESSAGES.download((error as Error).message), 1);
    } finally {
      s3.destroy();
    }
    const latest = analyticsTables().filter((t) => !t.history).some((t) => (synced.files.get(t.name) ?? []).length > 0);
    if (!latest) throw new QueryCliError(MESSAGES.noExport(), 1);
    const result = await runQuery(synced.files, sql, history, cacheRoot);
    io.stdout(FORMATTERS[format](result));
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`${error.message}\n${USAGE}\n`);
      return 2;
    }
    if (error instanceof QueryCliError) {
      io.stderr(`${error.message}\n`);
      return error.exitCode;
    }
    io.stderr(`查询失败 / query failed: ${oneLine((error as Error).message ?? String(error))}\n`);
    return 1;
  }
}

// Run as `npm run query` (node … infra/local/query.ts), not when a test imports this module.
if (process.argv[1] && /[\\/]infra[\\/]local[\\/]query\.ts$/.test(process.argv[1])) {
  void main(process.argv.slice(2), {
    env: process.env,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  }).then((code) => {
    // Exit once stdout has drained (a pipe may still be reading a large result).
    process.stdout.write('', () => process.exit(code));
  });
}

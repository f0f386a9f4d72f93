/** The command line of `npm run query`: the output format and the SQL (an argument or `--file`). */
import { readFileSync } from 'node:fs';
import { analyticsTables } from '../../analytics-catalog';

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

/** DuckDB over the cached exports: one view per analytics table, the session locked down to the cache (ADR 0032), the SQL run. */
import { join, resolve, sep } from 'node:path';
import { type DuckDBConnection, DuckDBInstance, type DuckDBResultReader } from '@duckdb/node-api';
import { EXPORT_TABLES } from '../../../shared/export/columns';
import { type AnalyticsTable, analyticsTables, DUCKDB_TYPES, PARTITION } from '../../analytics-catalog';
import { MESSAGES, oneLine, QueryCliError } from './errors';
import { DISPLAY_ZONE, type QueryResult, toPlain } from './values';

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

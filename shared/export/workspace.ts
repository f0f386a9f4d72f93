/**
 * The DuckDB side of an export: a database file in the export's temp dir where every entity is
 * staged page by page (as NDJSON lines, loaded by DuckDB's read_json), and the SQL that turns the staged tables into the exported
 * tables, columns exactly as EXPORT_TABLES declares them.
 *
 * The activities table is a join done here, not in JS: activity items, results items and media
 * items are staged as they come, and one statement adds each activity's results, its accepted
 * photo and video counts and its unwaived flags. JS never holds more than one page of items;
 * DuckDB keeps the rest on disk (`temp_directory`) when it outgrows `memory_limit`.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { loadDuckDb } from './load-duckdb';
import { EXPORT_ENTITIES, EXPORT_TABLES, type ExportColumn, type ExportEntity } from './columns';
import { activitiesJoinSql } from './copy-sql';
import { NdjsonFile } from './ndjson-file';
import { ACTIVITY_JOINED_COLUMNS, ACTIVITY_RESULT_COLUMNS, type Row } from './rows';

import { DUCKDB_TYPES } from './layout';

export { DUCKDB_TYPES } from './layout';

const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`;
/** A SQL string literal (file paths). */
export const quoteLiteral = (text: string): string => `'${text.replaceAll("'", "''")}'`;

const columnOf = (entity: ExportEntity, name: string): ExportColumn => {
  const column = EXPORT_TABLES[entity].columns.find((c) => c.name === name);
  if (!column) throw new Error(`${entity} has no column ${name}`);
  return column;
};

/** The staging tables: each with the catalogue's columns it receives, in catalogue order. */
export const STAGING_TABLES = {
  /** Activity items: the activity's own columns. */
  activity_items: EXPORT_TABLES.activities.columns.filter((c) => !ACTIVITY_JOINED_COLUMNS.has(c.name)),
  /** Results items, one per activity that has results. */
  activity_results: [columnOf('activities', 'activity_id'), ...ACTIVITY_RESULT_COLUMNS.map((n) => columnOf('activities', n))],
  media: EXPORT_TABLES.media.columns,
  summaries: EXPORT_TABLES.summaries.columns,
  flags: EXPORT_TABLES.flags.columns,
  organizations: EXPORT_TABLES.organizations.columns,
  scores: EXPORT_TABLES.scores.columns,
} as const satisfies Record<string, readonly ExportColumn[]>;
export type StagingTable = keyof typeof STAGING_TABLES;

/** How each exported table's rows are ordered (stable across exports, so files diff well). */
const ORDER_BY: Readonly<Record<ExportEntity, string>> = {
  activities: 'created_at, activity_id',
  media: 'created_at, media_id',
  summaries: 'organization_id',
  flags: 'raised_at, flag_id',
  organizations: 'organization_id',
  scores: 'rank, organization_id',
};

/** The view that joins an activity with its results, accepted media and unwaived flags (the same SQL the copy's activities are, copy-sql.ts). */
export function activitiesViewSql(): string {
  return `CREATE VIEW activities AS
${activitiesJoinSql(DUCKDB_TYPES)}`;
}

/** The rows of an exported table: its catalogue columns in order, ordered stably. */
export function entitySelectSql(entity: ExportEntity): string {
  const columns = EXPORT_TABLES[entity].columns.map((c) => quoteIdent(c.name)).join(', ');
  return `SELECT ${columns} FROM ${entity} ORDER BY ${ORDER_BY[entity]}`;
}

/**
 * Stages the rows of one table: each row is one line of JSON (cells already of their logical
 * types, see rows.ts) appended to a file in the workspace (ndjson-file.ts); {@link close} loads
 * the file with one `read_json` whose columns are the table's DuckDB types, and deletes it. DuckDB
 * parses and converts every cell in its own threads, which is much cheaper than converting cell
 * by cell through an appender (ADR 0016).
 */
export class TableStager {
  private readonly file: NdjsonFile;
  private open = true;

  public constructor(
    /** Runs one statement on the workspace's connection (one at a time). */
    private readonly run: (sql: string) => Promise<unknown>,
    private readonly table: StagingTable,
    path: string,
  ) {
    this.file = new NdjsonFile(path);
  }

  public append(row: Row): void {
    if (!this.open) throw new Error(`${this.table}: stager already closed`);
    this.file.append(JSON.stringify(row));
  }

  /** Rows appended so far. */
  public get rows(): number {
    return this.file.count;
  }

  /** Loads every appended row into the table and removes the file (call once, when the table is complete). */
  public async close(): Promise<void> {
    if (!this.open) return;
    this.open = false;
    this.file.close();
    try {
      if (this.file.count > 0) await this.run(loadNdjsonSql(this.table, this.file.path));
    } finally {
      rmSync(this.file.path, { force: true });
    }
  }

  /** Closes the file without loading it (the export failed). */
  public discard(): void {
    this.open = false;
    this.file.close();
    rmSync(this.file.path, { force: true });
  }
}

/** The statement that appends a staging file to its table: every column read as its DuckDB type, keys not in the table ignored. */
export function loadNdjsonSql(table: StagingTable, path: string): string {
  const columns = STAGING_TABLES[table];
  const types = columns.map((c) => `${quoteLiteral(c.name)}: ${quoteLiteral(DUCKDB_TYPES[c.type])}`).join(', ');
  const names = columns.map((c) => quoteIdent(c.name)).join(', ');
  return `INSERT INTO ${table} (${names}) SELECT ${names} FROM read_json(${quoteLiteral(path)}, format = 'newline_delimited', columns = {${types}}, maximum_object_size = 67108864)`;
}

export interface WorkspaceOptions {
  /** DuckDB's memory limit; beyond it, DuckDB spills to the temp dir. */
  readonly memoryLimit?: string;
  readonly threads?: number;
}

/** One export's DuckDB database, under `dir` (the export's temp dir). */
export class ExportWorkspace {
  private constructor(
    private readonly instance: DuckDBInstance,
    public readonly connection: DuckDBConnection,
    private readonly dir: string,
  ) {}

  /**
   * Opens a fresh database in `dir`: with `staging` (the default), every staging table (empty) and
   * the activities view; with `tables`, one table per exported entity (empty), for an export whose
   * tables a query engine made from a table copy ({@link loadParquet}, ADR 0029).
   */
  public static async open(dir: string, options: WorkspaceOptions = {}, layout: 'staging' | 'tables' = 'staging'): Promise<ExportWorkspace> {
    const { DuckDBInstance } = await loadDuckDb();
    const instance = await DuckDBInstance.create(join(dir, 'staging.duckdb'), {
      memory_limit: options.memoryLimit ?? '512MB',
      threads: String(options.threads ?? 2),
      temp_directory: join(dir, 'spill'),
    });
    const connection = await instance.connect();
    const workspace = new ExportWorkspace(instance, connection, dir);
    try {
      const tables = layout === 'staging' ? Object.entries(STAGING_TABLES) : EXPORT_ENTITIES.map((e) => [e, EXPORT_TABLES[e].columns] as const);
      for (const [table, columns] of tables) {
        const defs = columns.map((c) => `${quoteIdent(c.name)} ${DUCKDB_TYPES[c.type]}`).join(', ');
        await connection.run(`CREATE TABLE ${table} (${defs})`);
      }
      if (layout === 'staging') await connection.run(activitiesViewSql());
    } catch (error) {
      workspace.close();
      throw error;
    }
    return workspace;
  }

  /** A stager of one table, staging through `<table>.ndjson` in the workspace's dir. */
  public stager(table: StagingTable): TableStager {
    return new TableStager((sql) => this.serially(sql), table, join(this.dir, `${table}.ndjson`));
  }

  private last: Promise<unknown> = Promise.resolve();

  /** Runs `sql` after every statement handed here before it (stagers of concurrent entities close at any time). */
  private serially(sql: string): Promise<unknown> {
    const next = this.last.then(() => this.connection.run(sql));
    this.last = next.catch(() => undefined);
    return next;
  }

  /**
   * Appends the rows of Parquet files to the table of `entity` (opened with `tables`), each column
   * cast to its type; with `newKeysOnly`, only rows whose value of that column the table does not
   * hold yet. Instants without a zone (Athena's CTAS writes UTC `timestamp`s) are read as UTC.
   * Answers the rows appended.
   */
  public async loadParquet(entity: ExportEntity, files: readonly string[], options: { readonly newKeysOnly?: string } = {}): Promise<number> {
    if (files.length === 0) return 0;
    const columns = EXPORT_TABLES[entity].columns;
    const names = columns.map((c) => quoteIdent(c.name)).join(', ');
    const casts = columns.map((c) => `CAST(${quoteIdent(c.name)} AS ${DUCKDB_TYPES[c.type]})`).join(', ');
    const key = options.newKeysOnly === undefined ? undefined : quoteIdent(columnOf(entity, options.newKeysOnly).name);
    const where = key ? ` WHERE ${key} NOT IN (SELECT ${key} FROM ${entity} WHERE ${key} IS NOT NULL)` : '';
    await this.connection.run(`SET TimeZone = 'UTC'`);
    const result = await this.connection.run(
      `INSERT INTO ${entity} (${names}) SELECT ${casts} FROM read_parquet([${files.map(quoteLiteral).join(', ')}])${where}`,
    );
    return Number((await result.getRows())[0]?.[0] ?? 0);
  }

  /** Rows of an exported table. */
  public async count(entity: ExportEntity): Promise<number> {
    const reader = await this.connection.runAndReadAll(`SELECT count(*) AS n FROM ${entity}`);
    return Number(reader.getRows()[0]?.[0] ?? 0);
  }

  public close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

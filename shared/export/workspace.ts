/**
 * The DuckDB side of an export: a database file in the export's temp dir where every entity is
 * staged page by page (appender), and the SQL that turns the staged tables into the exported
 * tables, columns exactly as EXPORT_TABLES declares them.
 *
 * The activities table is a join done here, not in JS: activity items, results items and media
 * items are staged as they come, and one statement adds each activity's results, its accepted
 * photo and video counts and its unwaived flags. JS never holds more than one page of items;
 * DuckDB keeps the rest on disk (`temp_directory`) when it outgrows `memory_limit`.
 */
import { join } from 'node:path';
import { DuckDBInstance, LIST, listValue, timestampTZValue, VARCHAR, type DuckDBAppender, type DuckDBConnection } from '@duckdb/node-api';
import { EXPORT_TABLES, type ExportColumn, type ExportEntity } from './columns';
import { ACTIVITY_JOINED_COLUMNS, ACTIVITY_RESULT_COLUMNS, type Cell, type Row } from './rows';

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

/** The expression of each activity column in the activities view (the activity's own columns come from `a`). */
const ACTIVITY_EXPRESSIONS: Readonly<Record<string, string>> = {
  actual_participants: 'r.actual_participants',
  news_links: 'r.news_links',
  results_online_url: 'r.results_online_url',
  highlights: 'r.highlights',
  accepted_photos: 'COALESCE(m.accepted_photos, 0)',
  accepted_videos: 'COALESCE(m.accepted_videos, 0)',
  open_flags: 'COALESCE(f.open_flags, 0)',
};

/** The view that joins an activity with its results, accepted media and unwaived flags. */
export function activitiesViewSql(): string {
  const select = EXPORT_TABLES.activities.columns
    .map((c) => `CAST(${ACTIVITY_EXPRESSIONS[c.name] ?? `a.${quoteIdent(c.name)}`} AS ${DUCKDB_TYPES[c.type]}) AS ${quoteIdent(c.name)}`)
    .join(',\n  ');
  return `CREATE VIEW activities AS
SELECT
  ${select}
FROM activity_items a
LEFT JOIN activity_results r ON r.activity_id = a.activity_id
LEFT JOIN (
  SELECT activity_id,
    count(*) FILTER (WHERE kind = 'photo') AS accepted_photos,
    count(*) FILTER (WHERE kind = 'video') AS accepted_videos
  FROM media WHERE status = 'accepted' AND activity_id IS NOT NULL GROUP BY activity_id
) m ON m.activity_id = a.activity_id
LEFT JOIN (
  SELECT activity_id, count(*) AS open_flags FROM flags WHERE NOT waived AND activity_id IS NOT NULL GROUP BY activity_id
) f ON f.activity_id = a.activity_id`;
}

/** The rows of an exported table: its catalogue columns in order, ordered stably. */
export function entitySelectSql(entity: ExportEntity): string {
  const columns = EXPORT_TABLES[entity].columns.map((c) => quoteIdent(c.name)).join(', ');
  return `SELECT ${columns} FROM ${entity} ORDER BY ${ORDER_BY[entity]}`;
}

/** Appends rows to one staging table, converting each cell to its column's DuckDB type. */
export class TableStager {
  private count = 0;

  public constructor(
    private readonly appender: DuckDBAppender,
    private readonly columns: readonly ExportColumn[],
  ) {}

  public append(row: Row): void {
    for (const column of this.columns) appendCell(this.appender, column, row[column.name] ?? null);
    this.appender.endRow();
    this.count += 1;
  }

  /** Rows appended so far. */
  public get rows(): number {
    return this.count;
  }

  /** Flushes what is buffered and releases the appender (call once, when the table is complete). */
  public close(): void {
    this.appender.closeSync();
  }
}

function appendCell(appender: DuckDBAppender, column: ExportColumn, cell: Cell): void {
  if (cell === null) {
    appender.appendNull();
    return;
  }
  switch (column.type) {
    case 'string':
      appender.appendVarchar(String(cell));
      return;
    case 'int64':
      appender.appendBigInt(BigInt(cell as number));
      return;
    case 'double':
      appender.appendDouble(cell as number);
      return;
    case 'boolean':
      appender.appendBoolean(cell as boolean);
      return;
    case 'timestamptz':
      appender.appendTimestampTZ(timestampTZValue(BigInt(Date.parse(cell as string)) * 1000n));
      return;
    case 'list<string>':
      appender.appendList(listValue([...(cell as readonly string[])]), LIST(VARCHAR));
      return;
  }
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
  ) {}

  /** Opens a fresh database in `dir` with every staging table (empty) and the activities view. */
  public static async open(dir: string, options: WorkspaceOptions = {}): Promise<ExportWorkspace> {
    const instance = await DuckDBInstance.create(join(dir, 'staging.duckdb'), {
      memory_limit: options.memoryLimit ?? '512MB',
      threads: String(options.threads ?? 2),
      temp_directory: join(dir, 'spill'),
    });
    const connection = await instance.connect();
    const workspace = new ExportWorkspace(instance, connection);
    try {
      for (const [table, columns] of Object.entries(STAGING_TABLES)) {
        const defs = columns.map((c) => `${quoteIdent(c.name)} ${DUCKDB_TYPES[c.type]}`).join(', ');
        await connection.run(`CREATE TABLE ${table} (${defs})`);
      }
      await connection.run(activitiesViewSql());
    } catch (error) {
      workspace.close();
      throw error;
    }
    return workspace;
  }

  /** An appender on one staging table. */
  public async stager(table: StagingTable): Promise<TableStager> {
    return new TableStager(await this.connection.createAppender(table), STAGING_TABLES[table]);
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

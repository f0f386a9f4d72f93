/**
 * The analysts' tables over the exports, declared once for both runtimes: the Glue tables that
 * Athena reads on AWS (infra/constructs/analytics.ts) and the DuckDB views of `npm run query`
 * (infra/local/query.ts) have the same names, columns and partition columns, so a query such as
 * `SELECT count(*) FROM activities WHERE campaign = '2021-xinxiang'` runs unchanged on both.
 *
 * The exports bucket's layout (written by run-export):
 * ```
 * campaign=<campaignId>/snapshot=<snapshot>/entity=<entity>/part-0.parquet   (or .csv)
 * campaign=<campaignId>/snapshot=<snapshot>/manifest.json
 * campaign=<campaignId>/snapshot=latest/…                                   (the newest export, copied)
 * ```
 * - `<entity>`: the newest export of every campaign (`snapshot=latest`), partition `campaign`.
 * - `<entity>_snapshots`: every snapshot (milestones and exports on request), partitions
 *   `campaign` and `snapshot`.
 *
 * On Athena both partitions are injected projections (campaigns are data, ADR 0023: no list of
 * them exists at synth), so a query names them: `WHERE campaign = '2021-xinxiang'` (and
 * `AND snapshot = 'registration'` on a `_snapshots` table). DuckDB needs no such condition.
 *
 * Plain data and functions: no CDK, SDK or DuckDB imports (the query CLI loads it quickly).
 */
import { EXPORT_ENTITIES, EXPORT_TABLES, type ColumnType, type ExportEntity } from '../shared/export/columns';
import { entityPrefix, LATEST_SNAPSHOT } from '../shared/export/layout';

export { DUCKDB_TYPES, entityPrefix, LATEST_SNAPSHOT, manifestKey, snapshotPrefix } from '../shared/export/layout';

/** Partition columns, named after the Hive-style key segments (`campaign=…/snapshot=…`). */
export const PARTITION = { campaign: 'campaign', snapshot: 'snapshot' } as const;
export type PartitionColumn = (typeof PARTITION)[keyof typeof PARTITION];

/** Glue (Hive) column types of the catalogue's logical types; Athena reads the Parquet files with them. */
export const GLUE_TYPES: Readonly<Record<ColumnType, string>> = {
  string: 'string',
  int64: 'bigint',
  double: 'double',
  boolean: 'boolean',
  timestamptz: 'timestamp',
  'list<string>': 'array<string>',
};


export interface AnalyticsTable {
  /** Table name in Glue and view name in DuckDB. */
  readonly name: string;
  readonly entity: ExportEntity;
  /** True for `<entity>_snapshots` (every snapshot), false for `<entity>` (the latest). */
  readonly history: boolean;
  /** Partition columns, after the entity's own columns. */
  readonly partitions: readonly PartitionColumn[];
}

/** The table of every snapshot of an entity. */
export const snapshotsTableName = (entity: ExportEntity): string => `${entity}_snapshots`;

/** Every analytics table: `<entity>` and `<entity>_snapshots` for each exported entity. */
export function analyticsTables(): AnalyticsTable[] {
  return EXPORT_ENTITIES.flatMap((entity) => [
    { name: entity, entity, history: false, partitions: [PARTITION.campaign] },
    { name: snapshotsTableName(entity), entity, history: true, partitions: [PARTITION.campaign, PARTITION.snapshot] },
  ]);
}

/** The entity's columns as Glue columns (name, Hive type), in catalogue order. */
export const glueColumns = (entity: ExportEntity): Array<{ name: string; type: string }> =>
  EXPORT_TABLES[entity].columns.map((c) => ({ name: c.name, type: GLUE_TYPES[c.type] }));


/**
 * The key layout of a table's files, with each partition column as an Athena projection
 * placeholder (`${campaign}`): the `storage.location.template` of its Glue table, after `s3://<bucket>/`.
 */
export function locationTemplate(table: AnalyticsTable): string {
  const snapshot = table.history ? `\${${PARTITION.snapshot}}` : LATEST_SNAPSHOT;
  return entityPrefix(`\${${PARTITION.campaign}}`, snapshot, table.entity);
}

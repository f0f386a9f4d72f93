/**
 * Where exports live in the exports bucket, and the DuckDB (Parquet) type of each logical column
 * type: shared by the export engine, the Glue catalogue (CDK) and the query CLI. No DuckDB, SDK or
 * CDK import here, so the CDK app and the CLI load it cheaply.
 *
 * `campaign=<c>/snapshot=<s>/entity=<e>/part-0.<ext>`, `…/snapshot=<s>/manifest.json`.
 */
import type { ColumnType } from './columns';

/** The snapshot analysts query by default (Glue tables, `npm run query`): each campaign's newest export. */
export const LATEST_SNAPSHOT = 'latest';
export const MANIFEST_FILE = 'manifest.json';

/** Key prefix of one snapshot of a campaign. */
export const snapshotPrefix = (campaignId: string, snapshot: string): string => `campaign=${campaignId}/snapshot=${snapshot}/`;

/** Key prefix of one entity's files in one snapshot. */
export const entityPrefix = (campaignId: string, snapshot: string, entity: string): string =>
  `${snapshotPrefix(campaignId, snapshot)}entity=${entity}/`;

/** Key of a snapshot's manifest. */
export const manifestKey = (campaignId: string, snapshot: string): string => `${snapshotPrefix(campaignId, snapshot)}${MANIFEST_FILE}`;

/** DuckDB types of the catalogue's logical types: the types of the Parquet files run-export writes. */
export const DUCKDB_TYPES: Readonly<Record<ColumnType, string>> = {
  string: 'VARCHAR',
  int64: 'BIGINT',
  double: 'DOUBLE',
  boolean: 'BOOLEAN',
  timestamptz: 'TIMESTAMP WITH TIME ZONE',
  'list<string>': 'VARCHAR[]',
};

/**
 * Where a query engine writes the tables of one run of an export read from a table copy (ADR 0029):
 * under the copy's own folder (`<copy prefix><exportId>`), so they expire with the copy and no
 * analyst grant covers them. A run of its own each attempt: Athena writes a CTAS only into an
 * empty folder.
 */
export const copyTablesPrefix = (copyPrefix: string, exportId: string, run: string): string => `${copyPrefix}${exportId}/tables/${run}/`;

/**
 * Where an export's files live in the exports bucket, and the manifest that describes them.
 *
 * ```
 * campaign=<c>/snapshot=<snapshot>/entity=<entity>/part-0.<parquet|csv>
 * campaign=<c>/snapshot=<snapshot>/commendations.csv, chart.svg   (files for people, not tables)
 * campaign=<c>/snapshot=<snapshot>/manifest.json      (written last)
 * campaign=<c>/snapshot=latest/…                     (a copy of the newest Parquet export)
 * ```
 *
 * Hive-style `key=value` folders, so Glue/Athena (and DuckDB's `hive_partitioning`) see
 * `campaign` and `snapshot` as columns. The manifest is written after every file it lists: a
 * reader that finds a manifest finds complete files, and can check each against its size and
 * SHA-256.
 */
import { EXPORT_SCHEMA_VERSION, type ExportEntity } from './columns';
import type { ExportFile, ExportFormat, ExportReadFrom } from './export-record';
import { FORMATS } from './writers';

import { entityPrefix, snapshotPrefix } from './layout';

export { LATEST_SNAPSHOT, MANIFEST_FILE, manifestKey, snapshotPrefix } from './layout';

/** The object key of one entity's file (one part per entity). */
export const entityFileKey = (campaignId: string, snapshot: string, entity: ExportEntity, format: ExportFormat): string =>
  `${entityPrefix(campaignId, snapshot, entity)}part-0.${FORMATS[format].extension}`;

/** The object key of a file for people (the commendation list, the chart), beside the entity folders. */
export const artifactKey = (campaignId: string, snapshot: string, name: string): string => `${snapshotPrefix(campaignId, snapshot)}${name}`;

/**
 * A file of the export that is not a table (no Glue table, not queried): it stays in its own
 * snapshot; the copy of the manifest under `latest/` still names it there.
 */
export interface ExportArtifact {
  readonly name: string;
  readonly key: string;
  readonly bytes: number;
  readonly sha256: string;
  readonly contentType: string;
}

export interface ExportManifest {
  readonly schemaVersion: number;
  readonly exportId: string;
  readonly campaignId: string;
  /** The snapshot these keys are under (`latest` for the promoted copy). */
  readonly snapshot: string;
  /** The snapshot the files were written for (the same as `snapshot`, except in `latest`). */
  readonly sourceSnapshot: string;
  /** The instant the data is as of (UTC ISO). */
  readonly asOf: string;
  readonly format: ExportFormat;
  /** CSV header language. */
  readonly language: 'zh' | 'en';
  /** When the files were written (UTC ISO). */
  readonly generatedAt: string;
  readonly files: readonly ExportFile[];
  /** Files for people beside the tables (absent in manifests written before there were any). */
  readonly artifacts?: readonly ExportArtifact[];
  /**
   * What the rows were read from: `table-copy`, the table exactly as of `asOf` (a milestone's
   * snapshot, ADR 0017); `live-table`, the table while the export ran (absent in older manifests).
   */
  readonly readFrom?: ExportReadFrom;
}

export function buildManifest(input: Omit<ExportManifest, 'schemaVersion' | 'sourceSnapshot'> & { readonly sourceSnapshot?: string }): ExportManifest {
  return {
    schemaVersion: EXPORT_SCHEMA_VERSION,
    exportId: input.exportId,
    campaignId: input.campaignId,
    snapshot: input.snapshot,
    sourceSnapshot: input.sourceSnapshot ?? input.snapshot,
    asOf: input.asOf,
    format: input.format,
    language: input.language,
    generatedAt: input.generatedAt,
    files: input.files.map((f) => ({ entity: f.entity, key: f.key, rows: f.rows, bytes: f.bytes, sha256: f.sha256 })),
    ...(input.artifacts ? { artifacts: input.artifacts.map((a) => ({ name: a.name, key: a.key, bytes: a.bytes, sha256: a.sha256, contentType: a.contentType })) } : {}),
    ...(input.readFrom ? { readFrom: input.readFrom } : {}),
  };
}

/** The same manifest for the copy of its files under another snapshot (`latest`). */
export function manifestUnder(manifest: ExportManifest, snapshot: string): ExportManifest {
  return {
    ...manifest,
    snapshot,
    files: manifest.files.map((f) => ({ ...f, key: entityFileKey(manifest.campaignId, snapshot, f.entity, manifest.format) })),
  };
}

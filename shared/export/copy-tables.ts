/**
 * The export's tables made from a table copy by a query engine instead of read by the function
 * (ADR 0029), and the engine that does it on one machine.
 *
 * The port {@link CopyTableEngine} runs the export's SQL (copy-sql.ts) over a completed copy and
 * answers, for each copy table, its Parquet files fetched into the export's temp dir; the export
 * then loads them into its workspace and writes its files as always (engine.ts).
 *
 * - AWS: `AthenaCopyTables` (athena-copy-export.ts), one CTAS per table over the copy in S3.
 * - One machine and the tests: {@link DuckDbCopyTables}, the same SQL in DuckDB's dialect over
 *   the copy's files fetched from the bucket.
 */
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Campaign } from '../domain/campaign';
import { loadDuckDb } from './load-duckdb';
import { COPY_RELATION, COPY_TABLES, copyTableSelectSql, duckdbCopyRelation, sqlLiteral, type CopyTable } from './copy-sql';
import type { CopyTarget } from './table-copy';

export interface CopyTablesRequest {
  readonly exportId: string;
  readonly campaign: Pick<Campaign, 'id' | 'timeZone'>;
  /** The completed copy's data files (keys in the copy's bucket). */
  readonly dataFiles: readonly string[];
  /** The export's temp dir: the Parquet files are fetched under it. */
  readonly dir: string;
}

/** Each copy table's Parquet files, local paths (a table with no rows may have none). */
export type CopyTableFiles = Readonly<Record<CopyTable, readonly string[]>>;

/** Port: a query engine that makes the export's tables from a table copy. */
export interface CopyTableEngine {
  /** Which engine this is, for the logs (`athena`, `duckdb`). */
  readonly name: string;
  tables(request: CopyTablesRequest): Promise<CopyTableFiles>;
}

/** Streams the object `key` of `bucket` into the file `path` (never held whole). */
export async function fetchObject(s3: Pick<S3Client, 'send'>, bucket: string, key: string, path: string): Promise<void> {
  const res = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const body = res.Body as Readable | undefined;
  if (!body) throw new Error(`s3://${bucket}/${key} has no body`);
  await pipeline(body, createWriteStream(path));
}

/** The copy tables in DuckDB, over the copy's files fetched into the export's temp dir. */
export class DuckDbCopyTables implements CopyTableEngine {
  public readonly name = 'duckdb';

  public constructor(private readonly deps: { readonly target: Pick<CopyTarget, 's3' | 'bucket'>; readonly memoryLimit?: string; readonly threads?: number }) {}

  public async tables(request: CopyTablesRequest): Promise<CopyTableFiles> {
    const copyDir = join(request.dir, 'copy');
    const tablesDir = join(request.dir, 'copy-tables');
    await mkdir(copyDir, { recursive: true });
    await mkdir(tablesDir, { recursive: true });
    const files: string[] = [];
    for (const [i, key] of request.dataFiles.entries()) {
      const path = join(copyDir, `part-${i}.json.gz`);
      await fetchObject(this.deps.target.s3, this.deps.target.bucket, key, path);
      files.push(path);
    }
    const { DuckDBInstance } = await loadDuckDb();
    const instance = await DuckDBInstance.create(':memory:', {
      memory_limit: this.deps.memoryLimit ?? '512MB',
      threads: String(this.deps.threads ?? 2),
      temp_directory: join(request.dir, 'copy-spill'),
    });
    const connection = await instance.connect();
    try {
      // Zone-less text is read as UTC, as on Lambda (and Athena's sessions).
      await connection.run(`SET TimeZone = 'UTC'`);
      if (files.length > 0) await connection.run(`CREATE VIEW ${COPY_RELATION} AS SELECT * FROM ${duckdbCopyRelation(files)}`);
      const out: Partial<Record<CopyTable, string[]>> = {};
      for (const table of COPY_TABLES) {
        if (files.length === 0) {
          out[table] = [];
          continue;
        }
        const path = join(tablesDir, `${table}.parquet`);
        const select = copyTableSelectSql(table, { dialect: 'duckdb', campaignId: request.campaign.id, timeZone: request.campaign.timeZone });
        await connection.run(`COPY (${select}) TO ${sqlLiteral(path)} (FORMAT parquet, COMPRESSION zstd)`);
        out[table] = [path];
      }
      return out as CopyTableFiles;
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  }
}

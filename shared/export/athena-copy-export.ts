/**
 * The export's tables made by Athena from a table copy in S3 (ADR 0029), for campaigns too large
 * for one function to read its copy:
 *
 * 1. `CREATE EXTERNAL TABLE` over the copy's `data/` folder, one column `Item` (copy-sql.ts);
 * 2. one CTAS per copy table, all started at once, each written as Parquet (zstd) into a folder of
 *    its own under the copy (layout.ts `copyTablesPrefix`, a fresh run each attempt);
 * 3. `GetQueryExecution` polled until each is done: a failed or cancelled one stops the others and
 *    fails the run (retryable when Athena says so); so does one still running after `maxWaitMs`;
 * 4. each CTAS's data files, from its data manifest (or, when Athena wrote none, its folder),
 *    fetched into the export's temp dir;
 * 5. whatever happened, `DROP TABLE` of every table it made (metadata only: the files stay, and
 *    expire with the copy).
 *
 * Athena's workers read the copy's files in parallel; the function only waits, then fetches the
 * Parquet files, which are small. Statements run in the export workgroup, in the Glue database of
 * temporary tables, both made by infra/constructs/analytics.ts.
 */
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  GetQueryExecutionCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
  type AthenaClient,
  type QueryExecution,
} from '@aws-sdk/client-athena';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { Clock } from '../domain/clock';
import { COPY_TABLES, copyTableSelectSql, createCopyTableSql, ctasSql, dropTableSql, type CopyTable } from './copy-sql';
import { fetchObject, type CopyTableEngine, type CopyTableFiles, type CopyTablesRequest } from './copy-tables';
import { copyTablesPrefix } from './layout';

/** A statement that failed, was cancelled, or did not finish in time. */
export class CopyQueryError extends Error {
  /** Set when Athena says another attempt may succeed (run-export's isRetryable reads it). */
  public readonly $retryable?: { readonly throttling: boolean };

  public constructor(message: string, options: ErrorOptions & { readonly retryable?: boolean } = {}) {
    super(message, options);
    this.name = 'CopyQueryError';
    if (options.retryable) this.$retryable = { throttling: false };
  }
}

export interface AthenaCopyTablesDeps {
  readonly athena: Pick<AthenaClient, 'send'>;
  readonly s3: Pick<S3Client, 'send'>;
  /** The bucket of the copies (the exports bucket): the copy's files, and the tables' files beside them. */
  readonly bucket: string;
  /** Where table copies go (`table-copies/`). */
  readonly prefix: string;
  /** The workgroup the statements run in (its results location receives the data manifests). */
  readonly workGroup: string;
  /** The Glue database of the temporary tables. */
  readonly database: string;
  /** Real time, for the wait's limit (default: the system clock). */
  readonly clock?: Clock;
  readonly sleep?: (ms: number) => Promise<void>;
  /** A fresh id per run (lower-case letters and digits). */
  readonly newRunId?: () => string;
  /** Between two looks at the running statements (default 2 s). */
  readonly pollMs?: number;
  /** The longest wait for the CTAS (default 10 min: the function has 15). */
  readonly maxWaitMs?: number;
  readonly log?: { warn(message: string, data?: Record<string, unknown>): void };
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const systemNow: Clock = { now: () => new Date() };
const TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);

/** Table names of one run: lower case, the export id made safe, the run id (unique per attempt). */
const runBase = (exportId: string, run: string): string => `${exportId.toLowerCase().replace(/[^a-z0-9]+/g, '_').slice(0, 48)}_${run}`;
const snake = (table: CopyTable): string => table.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** `s3://bucket/key` → its parts. */
function parseS3Url(url: string): { bucket: string; key: string } {
  const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(url.trim());
  if (!m) throw new Error(`not an S3 object URL: ${url}`);
  return { bucket: m[1]!, key: m[2]! };
}

/** The one folder holding every data file of a copy (DynamoDB's export writes them all under `data/`). */
export function dataFolderOf(dataFiles: readonly string[]): string {
  const folders = new Set(dataFiles.map((key) => key.slice(0, key.lastIndexOf('/') + 1)));
  const [folder] = folders;
  if (folders.size !== 1 || !folder) throw new Error(`the copy's data files are not in one folder: ${[...folders].join(', ') || 'none'}`);
  return folder;
}

export class AthenaCopyTables implements CopyTableEngine {
  public readonly name = 'athena';

  public constructor(private readonly deps: AthenaCopyTablesDeps) {}

  public async tables(request: CopyTablesRequest): Promise<CopyTableFiles> {
    const run = (this.deps.newRunId ?? (() => randomBytes(4).toString('hex')))();
    const base = runBase(request.exportId, run);
    const copyTable = `sciday_copy_${base}`;
    const tableOf = (t: CopyTable) => `sciday_tmp_${base}_${snake(t)}`;
    const folder = (t: CopyTable) => `${copyTablesPrefix(this.deps.prefix, request.exportId, run)}${t}/`;
    // The CTAS tables started so far: each is dropped, whatever happens, before the copy's table.
    const made: string[] = [];
    try {
      const location = `s3://${this.deps.bucket}/${dataFolderOf(request.dataFiles)}`;
      await this.wait({ copy: await this.start(createCopyTableSql({ table: copyTable, location })) });
      const started: Partial<Record<CopyTable, string>> = {};
      for (const table of COPY_TABLES) {
        const select = copyTableSelectSql(table, { dialect: 'trino', campaignId: request.campaign.id, timeZone: request.campaign.timeZone, relation: copyTable });
        made.push(tableOf(table));
        started[table] = await this.start(ctasSql({ table: tableOf(table), location: `s3://${this.deps.bucket}/${folder(table)}`, select }));
      }
      const done = await this.wait(started as Record<CopyTable, string>);
      const out: Partial<Record<CopyTable, string[]>> = {};
      for (const table of COPY_TABLES) out[table] = await this.fetchTable(done[table], folder(table), join(request.dir, 'copy-tables', table));
      return out as CopyTableFiles;
    } finally {
      for (const table of [...made, copyTable]) await this.drop(table);
    }
  }

  /** Drops a table this run made (metadata only: the files stay, and expire with the copy); a failure is logged, not thrown. */
  private async drop(table: string): Promise<void> {
    try {
      await this.wait({ drop: await this.start(dropTableSql(table)) });
    } catch (error) {
      this.deps.log?.warn('a temporary Athena table was not dropped', { table, error: error instanceof Error ? error.message : String(error) });
    }
  }

  private async start(sql: string): Promise<string> {
    const out = await this.deps.athena.send(
      new StartQueryExecutionCommand({ QueryString: sql, WorkGroup: this.deps.workGroup, QueryExecutionContext: { Catalog: 'AwsDataCatalog', Database: this.deps.database } }),
    );
    if (!out.QueryExecutionId) throw new Error('StartQueryExecution answered no query id');
    return out.QueryExecutionId;
  }

  /**
   * Polls every statement of `ids` until each has succeeded; a failed or cancelled one, or the wait
   * running out, stops the others and throws.
   */
  private async wait<K extends string>(ids: Readonly<Record<K, string>>): Promise<Record<K, QueryExecution>> {
    const clock = this.deps.clock ?? systemNow;
    const until = clock.now().getTime() + (this.deps.maxWaitMs ?? 10 * 60_000);
    const done: Partial<Record<K, QueryExecution>> = {};
    const pending = new Map<K, string>(Object.entries(ids) as Array<[K, string]>);
    for (;;) {
      for (const [name, id] of pending) {
        const execution = (await this.deps.athena.send(new GetQueryExecutionCommand({ QueryExecutionId: id }))).QueryExecution ?? {};
        const state = execution.Status?.State ?? 'QUEUED';
        if (!TERMINAL.has(state)) continue;
        pending.delete(name);
        if (state === 'SUCCEEDED') {
          done[name] = execution;
          continue;
        }
        await this.stop(pending);
        const error = execution.Status?.AthenaError;
        throw new CopyQueryError(`Athena query ${id} (${name}) ${state}: ${execution.Status?.StateChangeReason ?? error?.ErrorMessage ?? 'no reason given'}`, {
          retryable: error?.Retryable === true,
        });
      }
      if (pending.size === 0) return done as Record<K, QueryExecution>;
      if (clock.now().getTime() >= until) {
        await this.stop(pending);
        throw new CopyQueryError(`Athena queries still running after ${(this.deps.maxWaitMs ?? 600_000) / 1000} s: ${[...pending.keys()].join(', ')}`);
      }
      await (this.deps.sleep ?? defaultSleep)(this.deps.pollMs ?? 2000);
    }
  }

  /** Stops statements still running (best effort: the failure being reported matters more). */
  private async stop(pending: ReadonlyMap<string, string>): Promise<void> {
    for (const id of pending.values()) {
      await this.deps.athena.send(new StopQueryExecutionCommand({ QueryExecutionId: id })).catch(() => undefined);
    }
  }

  /** The Parquet files a CTAS wrote into `folder`, fetched into `dir`. */
  private async fetchTable(execution: QueryExecution, folder: string, dir: string): Promise<string[]> {
    const keys = await this.dataFilesOf(execution, folder);
    await mkdir(dir, { recursive: true });
    const paths: string[] = [];
    for (const [i, key] of keys.entries()) {
      const path = join(dir, `part-${i}.parquet`);
      await fetchObject(this.deps.s3, this.deps.bucket, key, path);
      paths.push(path);
    }
    return paths;
  }

  /** The keys of a CTAS's data files: its data manifest's lines (`s3://…`), or, without one, the objects of its folder. */
  private async dataFilesOf(execution: QueryExecution, folder: string): Promise<string[]> {
    const manifest = execution.Statistics?.DataManifestLocation;
    if (!manifest) return this.listFolder(folder);
    const { bucket, key } = parseS3Url(manifest);
    const res = await this.deps.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const lines = ((await res.Body?.transformToString('utf8')) ?? '').split('\n').filter((l) => l.trim() !== '');
    return lines.map((line) => {
      const file = parseS3Url(line);
      if (file.bucket !== this.deps.bucket || !file.key.startsWith(folder)) throw new Error(`the data manifest ${manifest} names ${line}, outside s3://${this.deps.bucket}/${folder}`);
      return file.key;
    });
  }

  private async listFolder(folder: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.deps.s3.send(new ListObjectsV2Command({ Bucket: this.deps.bucket, Prefix: folder, ContinuationToken: token }));
      for (const o of page.Contents ?? []) {
        const name = o.Key?.slice(folder.length) ?? '';
        // Hive's markers and folders are not data.
        if (o.Key && name !== '' && !name.endsWith('/') && !name.startsWith('_') && !name.startsWith('.')) keys.push(o.Key);
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys;
  }
}

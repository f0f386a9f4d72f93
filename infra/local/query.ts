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
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { analyticsTables } from '../analytics-catalog';
import { parseArgs, USAGE, UsageError } from './query/args';
import { findRuntime, syncExports, type SyncResult } from './query/cache';
import { needsHistory, runQuery } from './query/duckdb';
import { MESSAGES, oneLine, QueryCliError } from './query/errors';
import { FORMATTERS } from './query/output';

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

/**
 * `npm run progress:rebuild -- <campaignId>`: rebuilds one campaign's progress read model (ADR 0021)
 * from the running local runtime's main table, while the runtime runs (the rebuild's writes are
 * conditioned on what it read; the projector may keep going). Finds the runtime through
 * `<SCIDAY_DATA_DIR>/runtime.json` (default `.sciday`). On AWS the same rebuild is part of
 * `npm run -s migrate` (infra/migrate.ts).
 *
 * The report (JSON) goes to stdout. Exit codes: 0 done; 1 the runtime is not running or the
 * rebuild failed; 2 bad arguments or an unknown campaign (one the main table does not store). Messages are one line, Chinese then English.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { progressRebuildDeps } from '../../shared/migrations/build-progress-read-model';
import { rebuildProgress } from '../../shared/use-cases/rebuild-progress';
import type { RuntimeInfo } from './runtime';

async function main(argv: readonly string[]): Promise<number> {
  const [campaignId, ...rest] = argv;
  if (!campaignId || rest.length > 0) {
    process.stderr.write('用法 / Usage: npm run progress:rebuild -- <campaignId>\n');
    return 2;
  }
  const dataDir = process.env.SCIDAY_DATA_DIR ?? '.sciday';
  let info: RuntimeInfo;
  try {
    info = JSON.parse(readFileSync(join(dataDir, 'runtime.json'), 'utf8')) as RuntimeInfo;
  } catch {
    process.stderr.write(`本地运行时未在运行（数据目录 ${dataDir}）：请先执行 npm start。 / The local runtime is not running (data dir ${dataDir}): start it with npm start first.\n`);
    return 1;
  }
  const [mainTable, progressTable] = [info.resources.tables.main?.name, info.resources.tables.progress?.name];
  if (!mainTable || !progressTable) {
    process.stderr.write('本地运行时没有进度表：请用当前版本重新执行 npm start。 / The local runtime has no progress table: restart it with this version (npm start).\n');
    return 1;
  }
  const raw = new DynamoDBClient({ region: info.region, endpoint: info.endpoints.dynamodb, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  try {
    const deps = progressRebuildDeps({ client: DynamoDBDocumentClient.from(raw), mainTable, progressTable });
    // The stored campaigns (ADR 0023), whatever their status.
    if (!(await deps.campaigns.find(campaignId))) {
      process.stderr.write(`没有这个活动年度：${campaignId} / No such campaign: ${campaignId}\n`);
      return 2;
    }
    const started = performance.now();
    const report = await rebuildProgress({ campaignId }, deps);
    process.stdout.write(`${JSON.stringify({ ...report, ms: Math.round(performance.now() - started) })}\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`重建失败 / The rebuild failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}\n`);
    return 1;
  } finally {
    raw.destroy();
  }
}

process.exitCode = await main(process.argv.slice(2));

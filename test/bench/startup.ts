/**
 * `npm start` to a healthy GET /health (fresh data dir, then an existing one), against the
 * baseline of DynamoDB Local alone answering its first request (the dominant cost).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startDynamoDbLocal } from '../../infra/local/dynamodb-local';
import { progress, type Row } from './stats';

/** Port 0: the gateway takes a free port and publishes it in runtime.json. */
const freePortless = '0';

async function timeToHealthy(dataDir: string): Promise<number> {
  const started = performance.now();
  // Exactly what a user types; its own process group, so the stop reaches npm's children.
  const child = spawn('npm', ['start', '--silent'], {
    env: { ...process.env, PORT: freePortless, SCIDAY_DATA_DIR: dataDir, SCIDAY_LOG: 'quiet', POWERTOOLS_LOG_LEVEL: 'ERROR', POWERTOOLS_METRICS_DISABLED: 'true' },
    stdio: ['ignore', 'ignore', 'inherit'],
    detached: true,
  });
  try {
    for (;;) {
      try {
        const info = JSON.parse(readFileSync(join(dataDir, 'runtime.json'), 'utf8')) as { url: string };
        const res = await fetch(`${info.url}/health`);
        if (res.status === 200) return performance.now() - started;
      } catch {
        // not up yet
      }
      if (child.exitCode !== null) throw new Error('runtime exited during start-up');
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    process.kill(-(child.pid ?? 0), 'SIGTERM');
    await exited;
    // npm exits with its child; wait until the runtime has removed its info file.
    for (let i = 0; i < 200; i += 1) {
      try {
        readFileSync(join(dataDir, 'runtime.json'));
      } catch {
        break;
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

async function dynamoDbLocalAlone(dataDir: string): Promise<number> {
  const started = performance.now();
  const ddb = await startDynamoDbLocal({ projectRoot: process.cwd(), dataDir, port: 18000 + Math.floor(Math.random() * 1000) });
  const ms = performance.now() - started;
  await ddb.stop();
  return ms;
}

export async function startupRows(work: string, runs: number): Promise<Row[]> {
  const ddbAlone: number[] = [];
  const fresh: number[] = [];
  const warm: number[] = [];
  const existing = join(work, 'existing');
  mkdirSync(existing);
  for (let i = 0; i < runs; i += 1) {
    ddbAlone.push(await dynamoDbLocalAlone(join(work, `ddb-${i}`)));
    fresh.push(await timeToHealthy(join(work, `fresh-${i}`)));
    warm.push(await timeToHealthy(existing));
    progress(`start-up run ${i + 1}/${runs} done`);
  }
  const base = 'DynamoDB Local alone: spawn → first answer';
  return [
    { name: base, unit: 'ms', samples: ddbAlone },
    { name: 'npm start → healthy, fresh data dir', unit: 'ms', samples: fresh, baseline: base },
    { name: 'npm start → healthy, existing data dir', unit: 'ms', samples: warm, baseline: base },
  ];
}

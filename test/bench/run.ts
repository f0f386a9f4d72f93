// `npm run bench`: figures with a baseline measured in the same run, min/median/max over
// repeated runs. The machine is shared and noisy: read the medians and the ratios.
//
// Rows:
// 1. `npm start` to a healthy GET /health (fresh data dir, then an existing one), against
//    the baseline of DynamoDB Local alone answering its first request (the dominant cost).
// 2. GET /health through the gateway (HTTP + API Gateway v2 event) against calling the same
//    handler module directly with the same event.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDynamoDbLocal } from '../../infra/local/dynamodb-local';
import { startLocalRuntime } from '../../infra/local/runtime';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200);

interface Row {
  readonly name: string;
  readonly unit: string;
  readonly samples: number[];
  readonly baseline?: string;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};
const stats = (xs: number[]) => ({ min: Math.min(...xs), median: median(xs), max: Math.max(...xs) });
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

async function main(): Promise<void> {
  const rows: Row[] = [];
  const work = mkdtempSync(join(tmpdir(), 'sciday-bench-'));
  try {
    // 1. Start-up.
    const ddbAlone: number[] = [];
    const fresh: number[] = [];
    const warm: number[] = [];
    const existing = join(work, 'existing');
    mkdirSync(existing);
    for (let i = 0; i < RUNS; i += 1) {
      ddbAlone.push(await dynamoDbLocalAlone(join(work, `ddb-${i}`)));
      fresh.push(await timeToHealthy(join(work, `fresh-${i}`)));
      warm.push(await timeToHealthy(existing));
      process.stderr.write(`start-up run ${i + 1}/${RUNS} done\n`);
    }
    rows.push({ name: 'DynamoDB Local alone: spawn → first answer', unit: 'ms', samples: ddbAlone });
    rows.push({ name: 'npm start → healthy, fresh data dir', unit: 'ms', samples: fresh, baseline: 'DynamoDB Local alone: spawn → first answer' });
    rows.push({ name: 'npm start → healthy, existing data dir', unit: 'ms', samples: warm, baseline: 'DynamoDB Local alone: spawn → first answer' });

    // 2. Gateway round trip vs the handler called directly, in one runtime.
    process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
    process.env.POWERTOOLS_METRICS_DISABLED = 'true';
    const runtime = await startLocalRuntime({ dataDir: join(work, 'rt'), port: 0 });
    try {
      const event = JSON.parse(readFileSync('events/samples/apigw/get-health.json', 'utf8')) as unknown;
      for (let i = 0; i < 20; i += 1) {
        await runtime.host.invoke('get-health', event);
        await (await fetch(`${runtime.url}/health`)).text();
      }
      const direct: number[] = [];
      const viaGateway: number[] = [];
      for (let i = 0; i < REQUESTS; i += 1) {
        let t = performance.now();
        await runtime.host.invoke('get-health', event);
        direct.push(performance.now() - t);
        t = performance.now();
        await (await fetch(`${runtime.url}/health`)).text();
        viaGateway.push(performance.now() - t);
      }
      rows.push({ name: 'GET /health: handler called directly', unit: 'ms', samples: direct });
      rows.push({ name: 'GET /health: HTTP round trip via gateway', unit: 'ms', samples: viaGateway, baseline: 'GET /health: handler called directly' });
    } finally {
      await runtime.stop();
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }

  const byName = new Map(rows.map((r) => [r.name, r]));
  const lines = [
    '| measure | n | min | median | max | ratio (median / baseline median) |',
    '|---|---:|---:|---:|---:|---|',
    ...rows.map((r) => {
      const s = stats(r.samples);
      const base = r.baseline ? byName.get(r.baseline) : undefined;
      const ratio = base ? `${(s.median / median(base.samples)).toFixed(2)}× ${r.baseline}` : 'baseline';
      return `| ${r.name} | ${r.samples.length} | ${s.min.toFixed(1)} ${r.unit} | ${s.median.toFixed(1)} ${r.unit} | ${s.max.toFixed(1)} ${r.unit} | ${ratio} |`;
    }),
  ];
  console.log(lines.join('\n'));
  mkdirSync('.bench', { recursive: true });
  writeFileSync('.bench/results.json', JSON.stringify({ at: new Date().toISOString(), rows: rows.map((r) => ({ ...r, ...stats(r.samples) })) }, null, 2));
}

await main();
process.exit(0);

// `npm run load` (`-- --quick` for a short run): the API under load through the one-machine runtime,
// against bare DynamoDB Local calls on the same items in the same run, with the same generator.
//
// The runtime is started here on a fresh temp data dir (clock 2021-09-01, before the registration
// deadline, so submits are on time), on loopback only; every target is checked to be loopback.
// For each of RUNS rounds, at 10, 50 and 200 connections, four scenarios, each a bounded autocannon
// run (LOAD_REQUESTS requests, at least 3 per connection, and at most LOAD_MAX_SECONDS × (1 + connections/50)), each right
// after its bare twin or right before it (the order alternates by round), the stream consumers
// caught up before each:
//   create   POST /v1/campaigns/2021-xinxiang/activities (a complete activity, an Idempotency-Key each)
//            | bare: PutItem of the same activity item (attribute_not_exists(pk))
//   submit   POST /v1/activities/{id}/submit of the drafts just created, each once
//            | bare: TransactWriteItems putting the same registered item (version = 1)
//   list     GET /v1/campaigns/2021-xinxiang/activities?limit=20 as the unit's organizer
//            | bare: Query of the same gsi1 partition, Limit 20
//   presign  POST /v1/activities/{id}/uploads (a photo)
//            | bare: PutItem of the same pending media item
// Requests rotate over LOAD_UNITS units (a token each, as their organizers).
// The table gives medians over the rounds; goals: API req/s ≥ 50 % of bare, API p99 ≤ 4× its p50.
// Then the stream slowdown (stream-slowdown.ts): a fixed transaction probe on a fresh DynamoDB Local
// after 0 and more transactions, with the runtime's stream readers, against no stream.
// Results: printed, and written to .bench/load.json (gitignored).
//
// Last (not with --quick): kill -9 under load at full size, 200 submitters (the jest suite; `npm test`
// runs it with 40). LOAD_KILL=none skips it. Then the suites `npm test` runs smaller, at full size:
// the fault injection over all 130 units (`npm test`: 30), the milestones over 1,000 activities and
// 130 units (`npm test`: 500 and 35), and the scores read model's property over 100 random histories
// (`npm test`: 12). LOAD_FULL_SUITES=none skips them.
//
// LOAD_RUNS (3; quick 1), LOAD_REQUESTS (400; quick 200), LOAD_MAX_SECONDS (8; quick 5),
// LOAD_UNITS (8), LOAD_SCENARIOS (all four), LOAD_STREAMS (running; paused: the request path alone), LOAD_SLOWDOWN_STEPS (0,10000,30000; quick 0,5000; "none" skips it).
import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnRuntime } from '../helpers/global-setup';
import { stopRuntime } from '../helpers/private-runtime';
import { completeActivity } from '../helpers/api';
import type { RuntimeInfo } from '../../infra/local/runtime';
import { envCount, median, progress } from '../bench/stats';
import { assertLoopback, fire, type CannonResult, type Shot } from './cannon';
import { cpuDuring } from './cpu';
import { ddbCall, ddbShot, renamed } from './ddb-direct';
import { streamSlowdown, type SlowdownPoint } from './stream-slowdown';

const QUICK = process.argv.includes('--quick');
const RUNS = envCount('LOAD_RUNS', QUICK ? 1 : 3);
const REQUESTS = envCount('LOAD_REQUESTS', QUICK ? 200 : 400);
const MAX_SECONDS = envCount('LOAD_MAX_SECONDS', QUICK ? 5 : 8);
const UNITS = envCount('LOAD_UNITS', 8);
const CONNECTIONS = [10, 50, 200] as const;
const SLOWDOWN_STEPS =
  process.env.LOAD_SLOWDOWN_STEPS === 'none'
    ? []
    : (process.env.LOAD_SLOWDOWN_STEPS ?? (QUICK ? '0,5000' : '0,10000,30000')).split(',').map(Number);
/** A run's time limit: longer with more connections, so that 200 connections complete more than a round of requests. */
const secondsFor = (connections: number): number => Math.round(MAX_SECONDS * (1 + connections / 50));
/**
 * LOAD_STREAMS=paused: the stream readers are paused during each measured run, on both sides, and
 * catch up between runs. On AWS they run on capacity of their own (their Lambda functions, the
 * audit and progress tables); on one machine they share its two cores with the API. Default: running.
 */
const STREAMS_PAUSED = process.env.LOAD_STREAMS === 'paused';
const CLOCK = '2021-09-01T09:00:00+08:00';

async function setStreamsPaused(api: string, paused: boolean): Promise<void> {
  const res = await fetch(`${api}/local/streams`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ paused }) });
  if (!res.ok) throw new Error(`POST /local/streams answered ${res.status}`);
}
const CAMPAIGN = '2021-xinxiang';
const GOAL = { minRatio: 0.5, maxTail: 4 };

type Scenario = 'create' | 'submit' | 'list' | 'presign';
const ALL_SCENARIOS: readonly Scenario[] = ['create', 'submit', 'list', 'presign'];
/** LOAD_SCENARIOS=create,list runs some of them (submit and presign use the drafts create made: keep create). */
const SCENARIOS: readonly Scenario[] = process.env.LOAD_SCENARIOS
  ? ALL_SCENARIOS.filter((s) => process.env.LOAD_SCENARIOS?.split(',').includes(s))
  : ALL_SCENARIOS;

interface Unit {
  readonly orgId: string;
  readonly token: string;
}

interface Sample {
  readonly scenario: Scenario;
  readonly connections: number;
  readonly side: 'api' | 'bare';
  readonly result: CannonResult;
  /** CPU ms per completed request of the runtime's Node process and of DynamoDB Local's JVM. */
  readonly cpuPerRequest: { readonly node: number; readonly java: number };
}

const json = async <T>(res: Response): Promise<T> => {
  const text = await res.text();
  if (!res.ok) throw new Error(`${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
};

/** Resolves once no stream consumer has moved its checkpoint for `quietMs` (or after `maxMs`). */
async function streamsCaughtUp(dataDir: string, quietMs = 1500, maxMs = 60_000): Promise<void> {
  const deadline = Date.now() + maxMs;
  while (Date.now() < deadline) {
    const newest = Math.max(0, ...readdirSync(dataDir).filter((f) => /^stream-.*\.json$/.test(f)).map((f) => statSync(join(dataDir, f)).mtimeMs));
    if (Date.now() - newest >= quietMs) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  progress(`  (stream consumers still busy after ${maxMs / 1000} s; measuring anyway)`);
}

async function main(): Promise<void> {
  const started = performance.now();
  const work = mkdtempSync(join(tmpdir(), 'sciday-load-'));
  const dataDir = join(work, 'runtime');
  mkdirSync(dataDir);
  progress(`load: ${QUICK ? 'quick, ' : ''}${STREAMS_PAUSED ? 'stream readers paused during runs, ' : ''}${RUNS} round(s), ${REQUESTS} requests per run (≥ 3 per connection), ≤ ${MAX_SECONDS} s each, ${UNITS} units`);
  let runtime: ChildProcess | undefined;
  const samples: Sample[] = [];
  let slowdown: SlowdownPoint[] = [];
  try {
    runtime = await spawnRuntime(dataDir, { SCIDAY_CLOCK: CLOCK, SCIDAY_WEB_BUILD: 'never', SCIDAY_DYNAMODB_JAVA_OPTS: process.env.SCIDAY_DYNAMODB_JAVA_OPTS ?? '' });
    const info = JSON.parse(readFileSync(join(dataDir, 'runtime.json'), 'utf8')) as RuntimeInfo;
    assertLoopback(info.url);
    assertLoopback(info.endpoints.dynamodb);
    const ddb = info.endpoints.dynamodb;
    const table = info.resources.tables.main?.name ?? '';
    const pids = { node: runtime.pid ?? -1, java: Number(readFileSync(join(dataDir, 'dynamodb-local.pid'), 'utf8')) };
    const api = info.url;

    const campaign = await json<{ organizations: Array<{ organizationId: string }> }>(await fetch(`${api}/v1/campaigns/${CAMPAIGN}`));
    const units: Unit[] = [];
    for (const { organizationId } of campaign.organizations.slice(0, UNITS)) {
      const { token } = await json<{ token: string }>(
        await fetch(`${api}/local/token`, { method: 'POST', body: JSON.stringify({ sub: `load-${organizationId}`, orgId: organizationId, roles: ['organizer'] }) }),
      );
      units.push({ orgId: organizationId, token });
    }
    const unitOf = (i: number): Unit => units[i % units.length] as Unit;
    const auth = (u: Unit, extra: Record<string, string> = {}) => ({ authorization: `Bearer ${u.token}`, ...extra });
    const createBody = JSON.stringify(completeActivity());
    const uploadBody = JSON.stringify({ kind: 'photo', fileName: 'a.jpg', contentType: 'image/jpeg', size: 1000 });

    // Templates for the bare side: the items the API itself wrote, read back raw.
    const seed = unitOf(0);
    const created = await json<{ activityId: string }>(
      await fetch(`${api}/v1/campaigns/${CAMPAIGN}/activities`, { method: 'POST', headers: auth(seed, { 'content-type': 'application/json', 'idempotency-key': 'load-seed' }), body: createBody }),
    );
    const seedId = created.activityId;
    const readPartition = async () =>
      (await ddbCall<{ Items: Array<Record<string, { S?: string }>> }>(ddb, 'Query', {
        TableName: table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: `ACT#${seedId}` } },
        ConsistentRead: true,
      })).Items;
    const draftItem = (await readPartition()).find((i) => i.sk?.S === 'A');
    if (!draftItem) throw new Error(`the seed activity ${seedId} was not found as ACT#${seedId} / A`);
    await json(await fetch(`${api}/v1/activities/${seedId}/submit`, { method: 'POST', headers: auth(seed) }));
    const upload = await json<{ mediaId: string }>(
      await fetch(`${api}/v1/activities/${seedId}/uploads`, { method: 'POST', headers: auth(seed, { 'content-type': 'application/json' }), body: uploadBody }),
    );
    const afterSeed = await readPartition();
    const submittedItem = afterSeed.find((i) => i.sk?.S === 'A');
    const mediaItem = afterSeed.find((i) => JSON.stringify(i).includes(upload.mediaId) && i.sk?.S !== 'A');
    if (!submittedItem || !mediaItem) throw new Error('the submitted activity or its media item was not found in the activity partition');
    const gsi1 = (draftItem.gsi1pk?.S ?? '').replace(seed.orgId, 'ORG');
    if (!gsi1.includes('ORG')) throw new Error(`unexpected gsi1pk ${draftItem.gsi1pk?.S}`);
    const itemFor = (template: Record<string, unknown>, id: string, orgId: string) => renamed(renamed(template, seedId, id), seed.orgId, orgId);

    let serial = 0;
    const run = async (scenario: Scenario, side: 'api' | 'bare', connections: number, amount: number, next: (i: number) => Shot, expect: number, onAnswer?: (status: number, body: string, shot: Shot) => void) => {
      await streamsCaughtUp(dataDir);
      // LOAD_STREAMS=paused: the request path alone on both sides, the stream readers' work after (ADR 0042).
      if (STREAMS_PAUSED) await setStreamsPaused(api, true);
      const { value: result, cpu } = await cpuDuring(pids, () =>
        fire({ url: side === 'api' ? api : ddb, connections, amount, maxSeconds: secondsFor(connections), expect, next, ...(onAnswer ? { onAnswer } : {}) }),
      ).finally(async () => {
        if (STREAMS_PAUSED) await setStreamsPaused(api, false);
      });
      const per = (ms: number | undefined) => (ms ?? Number.NaN) / Math.max(1, result.completed);
      samples.push({ scenario, connections, side, result, cpuPerRequest: { node: per(cpu.node), java: per(cpu.java) } });
      progress(
        `  ${scenario.padEnd(7)} ${side.padEnd(4)} c=${String(connections).padEnd(3)} ${result.completed} in ${result.seconds.toFixed(1)} s: ${Math.round(result.rps)} req/s, p50 ${result.p50} p99 ${result.p99} max ${result.max} ms` +
          `${result.failures ? `, ${result.failures} FAILED (${result.examples.join(' | ')})` : ''}`,
      );
      return result;
    };

    // Warm-up: every route and the bare calls, unmeasured.
    progress('warm-up');
    const warm = (n: number, next: (i: number) => Shot, url: string) => fire({ url, connections: 5, amount: n, maxSeconds: 20, expect: -1, next });
    await warm(60, (i) => ({ method: 'POST', path: `/v1/campaigns/${CAMPAIGN}/activities`, body: createBody, headers: auth(unitOf(i), { 'content-type': 'application/json', 'idempotency-key': `warm-${i}` }) }), api);
    await warm(60, (i) => ({ method: 'GET', path: `/v1/campaigns/${CAMPAIGN}/activities?limit=20`, headers: auth(unitOf(i)) }), api);
    await warm(30, (i) => ({ method: 'POST', path: `/v1/activities/${seedId}/uploads`, body: uploadBody, headers: auth(seed, { 'content-type': 'application/json', 'x-warm': String(i) }) }), api);
    await warm(60, (i) => ddbShot('PutItem', { TableName: table, Item: itemFor(draftItem, `warm-${i}`, unitOf(i).orgId) }), ddb);
    await warm(60, (i) => ddbShot('Query', { TableName: table, IndexName: 'gsi1', KeyConditionExpression: '#pk = :pk', ExpressionAttributeNames: { '#pk': 'gsi1pk' }, ExpressionAttributeValues: { ':pk': { S: gsi1.replace('ORG', unitOf(i).orgId) } }, Limit: 20 }), ddb);

    for (let round = 0; round < RUNS; round += 1) {
      progress(`round ${round + 1} of ${RUNS}`);
      for (const connections of CONNECTIONS) {
        const amount = Math.max(REQUESTS, 3 * connections);
        const order: Array<'api' | 'bare'> = (round + connections) % 2 === 0 ? ['api', 'bare'] : ['bare', 'api'];
        const tag = `r${round}c${connections}`;
        // Drafts each side created in this round, for its submits and uploads.
        const drafts: Record<'api' | 'bare', Array<{ id: string; unit: Unit }>> = { api: [], bare: [] };
        for (const scenario of SCENARIOS) {
          for (const side of order) {
            if (scenario === 'create') {
              if (side === 'api') {
                await run('create', 'api', connections, amount, (i) => ({
                  method: 'POST',
                  path: `/v1/campaigns/${CAMPAIGN}/activities`,
                  body: createBody,
                  headers: auth(unitOf(i), { 'content-type': 'application/json', 'idempotency-key': `${tag}-${i}` }),
                }), 201, (status, body, shot) => {
                  if (status !== 201) return;
                  const org = units.find((u) => shot.headers?.authorization === `Bearer ${u.token}`);
                  if (org) drafts.api.push({ id: (JSON.parse(body) as { activityId: string }).activityId, unit: org });
                });
              } else {
                const pending = new Map<string, { id: string; unit: Unit }>();
                await run('create', 'bare', connections, amount, (i) => {
                  const unit = unitOf(i);
                  const shot = ddbShot('PutItem', { TableName: table, Item: itemFor(draftItem, `bare-${tag}-${i}`, unit.orgId), ConditionExpression: 'attribute_not_exists(pk)' });
                  pending.set(shot.body ?? '', { id: `bare-${tag}-${i}`, unit });
                  return shot;
                }, 200, (status, _body, shot) => {
                  const draft = pending.get(shot.body ?? '');
                  if (status === 200 && draft) drafts.bare.push(draft);
                });
              }
            } else if (scenario === 'submit') {
              const mine = drafts[side];
              if (mine.length < connections) progress(`  submit ${side} c=${connections}: only ${mine.length} drafts, so ${mine.length} connections`);
              if (mine.length === 0) continue;
              if (side === 'api') {
                await run('submit', 'api', connections, mine.length, (i) => {
                  const d = mine[i % mine.length] as (typeof mine)[number];
                  return { method: 'POST', path: `/v1/activities/${d.id}/submit`, headers: auth(d.unit) };
                }, 200);
              } else {
                await run('submit', 'bare', connections, mine.length, (i) => {
                  const d = mine[i % mine.length] as (typeof mine)[number];
                  return ddbShot('TransactWriteItems', {
                    TransactItems: [{ Put: { TableName: table, Item: itemFor(submittedItem, d.id, d.unit.orgId), ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': { N: '1' } } } }],
                  });
                }, 200);
              }
            } else if (scenario === 'list') {
              if (side === 'api') {
                await run('list', 'api', connections, amount, (i) => ({ method: 'GET', path: `/v1/campaigns/${CAMPAIGN}/activities?limit=20`, headers: auth(unitOf(i)) }), 200);
              } else {
                await run('list', 'bare', connections, amount, (i) =>
                  ddbShot('Query', {
                    TableName: table,
                    IndexName: 'gsi1',
                    KeyConditionExpression: '#pk = :pk',
                    ExpressionAttributeNames: { '#pk': 'gsi1pk' },
                    ExpressionAttributeValues: { ':pk': { S: gsi1.replace('ORG', unitOf(i).orgId) } },
                    Limit: 20,
                  }), 200);
              }
            } else {
              const mine = drafts[side];
              if (mine.length === 0) continue;
              if (side === 'api') {
                await run('presign', 'api', connections, amount, (i) => {
                  const d = mine[i % mine.length] as (typeof mine)[number];
                  return { method: 'POST', path: `/v1/activities/${d.id}/uploads`, body: uploadBody, headers: auth(d.unit, { 'content-type': 'application/json' }) };
                }, 201);
              } else {
                await run('presign', 'bare', connections, amount, (i) => {
                  const d = mine[i % mine.length] as (typeof mine)[number];
                  return ddbShot('PutItem', { TableName: table, Item: renamed(itemFor(mediaItem, d.id, d.unit.orgId), upload.mediaId, `m-${tag}-${i}`) });
                }, 200);
              }
            }
          }
          serial += 1;
        }
      }
    }
    progress(`${serial} scenario runs done`);
  } finally {
    if (runtime) await stopRuntime(runtime, dataDir);
  }

  if (SLOWDOWN_STEPS.length > 0) {
    progress(`stream slowdown: probe after ${SLOWDOWN_STEPS.join(', ')} transactions`);
    slowdown = await streamSlowdown(work, { steps: SLOWDOWN_STEPS, probe: QUICK ? 200 : 400, connections: 10, readers: 'pollers', log: progress });
  }

  const rows = report(samples);
  console.log(rows.table);
  if (slowdown.length) console.log(slowdownTable(slowdown));
  progress(`load took ${Math.round((performance.now() - started) / 1000)} s`);
  mkdirSync('.bench', { recursive: true });
  writeFileSync(
    '.bench/load.json',
    JSON.stringify({ at: new Date().toISOString(), quick: QUICK, streams: STREAMS_PAUSED ? 'paused' : 'running', runs: RUNS, requests: REQUESTS, maxSeconds: MAX_SECONDS, units: UNITS, rows: rows.data, slowdown, samples }, null, 2),
  );
}

function report(samples: readonly Sample[]) {
  const data: Array<Record<string, unknown>> = [];
  const lines = [
    '| scenario | conn | req/s | p50 ms | p99 ms | max ms | bare req/s | ratio | p99/p50 | CPU ms/req node · java (bare java) | goals |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|',
  ];
  for (const scenario of SCENARIOS) {
    for (const connections of CONNECTIONS) {
      const of = (side: 'api' | 'bare') => samples.filter((s) => s.scenario === scenario && s.connections === connections && s.side === side);
      const api = of('api');
      const bare = of('bare');
      if (api.length === 0 || bare.length === 0) continue;
      const m = (xs: readonly Sample[], f: (s: Sample) => number) => median(xs.map(f));
      const rps = m(api, (s) => s.result.rps);
      const bareRps = m(bare, (s) => s.result.rps);
      const p50 = m(api, (s) => s.result.p50);
      const p99 = m(api, (s) => s.result.p99);
      const max = m(api, (s) => s.result.max);
      const ratio = rps / bareRps;
      const tail = p99 / Math.max(1, p50);
      const failures = [...api, ...bare].reduce((n, s) => n + s.result.failures, 0);
      const ok = ratio >= GOAL.minRatio && tail <= GOAL.maxTail && failures === 0;
      const cpu = `${m(api, (s) => s.cpuPerRequest.node).toFixed(1)} · ${m(api, (s) => s.cpuPerRequest.java).toFixed(1)} (${m(bare, (s) => s.cpuPerRequest.java).toFixed(1)})`;
      data.push({ scenario, connections, rps, p50, p99, max, bareRps, bareP50: m(bare, (s) => s.result.p50), bareP99: m(bare, (s) => s.result.p99), ratio, tail, failures, runs: api.length, cpu, ok });
      lines.push(
        `| ${scenario} | ${connections} | ${rps.toFixed(0)} | ${p50} | ${p99} | ${max} | ${bareRps.toFixed(0)} | ${ratio.toFixed(2)} ${ratio >= GOAL.minRatio ? '✓' : '✗'} | ${tail.toFixed(1)} ${tail <= GOAL.maxTail ? '✓' : '✗'} | ${cpu} | ${ok ? 'pass' : `fail${failures ? ` (${failures} errors)` : ''}`} |`,
      );
    }
  }
  return { table: lines.join('\n'), data };
}

function slowdownTable(points: readonly SlowdownPoint[]): string {
  return [
    '| table | after transactions | probe tx/s | p50 ms | p99 ms | DescribeStream ms | GetRecords ms | shards |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...points.map(
      (p) =>
        `| ${p.table} | ${p.after.toLocaleString('en-US')} | ${p.probe.rps.toFixed(0)} | ${p.probe.p50} | ${p.probe.p99} | ${p.reader ? p.reader.describeMs.toFixed(1) : ''} | ${p.reader ? p.reader.getRecordsMs.toFixed(1) : ''} | ${p.reader?.shards ?? ''} |`,
    ),
  ].join('\n');
}

/** A jest suite, as `npm test` runs it, with `env` (its size). */
function suite(project: string, path: string, env: Record<string, string>): number {
  const run = spawnSync(process.execPath, [join(process.cwd(), 'node_modules', 'jest', 'bin', 'jest.js'), '--selectProjects', project, '--runInBand', '--testPathPatterns', path], {
    stdio: 'inherit',
    env: { ...process.env, ...env },
  });
  return run.status ?? 1;
}

/** The fault injection, the milestones and the scores property at full size (`npm test` runs them smaller). LOAD_FULL_SUITES=none skips them (quick runs too). */
function suitesAtFullSize(): number {
  if (QUICK || process.env.LOAD_FULL_SUITES === 'none') return 0;
  progress('fault injection, 130 units (jest: test/faults/faults.test.ts)');
  const faults = suite('faults', 'test/faults/faults\\.test\\.ts', { SCIDAY_FAULTS_UNITS: '130' });
  progress('milestones, 1,000 activities over 130 units (jest: test/integration/milestones.test.ts)');
  const milestones = suite('integration', 'test/integration/milestones\\.test\\.ts', { SCIDAY_MILESTONES_SEEDED: '50', SCIDAY_MILESTONES_UNITS: '130' });
  progress('scores read model against the recomputation, 100 random histories (jest: test/integration/scores-read-model.test.ts)');
  const scores = suite('integration', 'test/integration/scores-read-model\\.test\\.ts', { SCORES_PROPERTY_RUNS: '100' });
  return faults || milestones || scores;
}

/**
 * kill -9 under load at full size (issue 16): 200 concurrent submitters, three rounds — `npm test`
 * runs the same suite with 40. LOAD_KILL=none skips it (quick runs skip it too).
 */
function killUnderLoadAtFullSize(): number {
  if (QUICK || process.env.LOAD_KILL === 'none') return 0;
  progress('kill -9 under load, 200 submitters (jest: test/integration/kill-under-load.test.ts)');
  const run = spawnSync(process.execPath, [join(process.cwd(), 'node_modules', 'jest', 'bin', 'jest.js'), '--selectProjects', 'integration', '--runInBand', '--testPathPatterns', 'test/integration/kill-under-load\\.test\\.ts'], {
    stdio: 'inherit',
    env: { ...process.env, SCIDAY_KILL_SUBMITTERS: process.env.SCIDAY_KILL_SUBMITTERS ?? '200' },
  });
  return run.status ?? 1;
}

await main();
const killed = killUnderLoadAtFullSize();
const fullSize = suitesAtFullSize();
process.exit(killed || fullSize);

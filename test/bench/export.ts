/**
 * The Parquet export of a campaign of N activities against DuckDB's own COPY of the same rows, in
 * the same run (goal: export ≤ 2× the COPY of the rows as DynamoDB hands them, ADR 0016), with
 * the peak RSS of each.
 *
 * - Set-up (once, not a measure): DynamoDB Local (its own temp data dir, on tmpfs where there is
 *   one) with the main table created by provisioning without its stream (see sweep.ts: a stream
 *   slows DynamoDB Local down), and a local S3 (fauxqs, in a child process of its own so that the
 *   objects it holds are not in this process's RSS) with the exports bucket. N activities of
 *   2021-xinxiang spread evenly over its 130 definition units, written as the repositories write
 *   them: each activity goes through DynamoDbActivityRepository.create, then saveWithFlags
 *   (submitted) and putResults (completed), its media through DynamoDbMediaRepository.create and
 *   decide, waivers through DynamoDbFlagRepository.waive, all on a client that applies the
 *   commands to an in-memory table (last write of a key wins; conditions not checked, the data
 *   is consistent by construction); the resulting items are then written 25 at a time with
 *   BatchWriteItem. Of every 10 activities: 6 completed with results, 3 registered, 1 draft; 3 of
 *   10 have 1–3 media items (photos, every third a video; 1 in 20 pending, 1 in 20 rejected, the
 *   rest accepted); 2 in 100 carry a flag (registration-late or results-late), a quarter of them
 *   waived.
 * - Measured: runExport (the run-export function's use case) in this process, with the
 *   handler's repositories, DynamoDbExportSource (pages of 500) and S3ExportStore on the local
 *   services: every entity read page by page (the six readers concurrently) and staged in DuckDB
 *   through NDJSON (file in a temp dir under the OS temp dir, the engine's defaults:
 *   memory_limit 512MB, 2 threads), six Parquet files written by COPY (zstd), uploaded with their
 *   SHA-256, the manifest, the promotion to latest/ (each run is newer than the last, so each run
 *   promotes), the job's states in DynamoDB. The source is wrapped to time each Query page
 *   awaited, and the use case's own log lines are timestamped, which splits each run into: the
 *   entities read and staged (first Query to the scores staged), the activities file (COPY of
 *   the joined view + SHA-256), the other files, and the rest (job get/start, workspace open,
 *   upload, manifest, promotion, job succeed, temp dir).
 * - Baselines, same run: (1) the goal's: DuckDB's COPY of the same N activity rows as DynamoDB
 *   hands them, by the shortest path there is: a bare paged Query loop over the activities
 *   partition (gsi2 `CAMP#2021-xinxiang#ACT`, 500 a page, the same document client), each item
 *   written as a JSON line as it comes, then `COPY (FROM read_json(…)) TO … (FORMAT parquet,
 *   COMPRESSION zstd)` with the columns DuckDB infers (a fresh file database with the engine's
 *   settings). (2) For reference: DuckDB's COPY of the same N rows already in a DuckDB table
 *   (built once, untimed, from the warm-up export's activities file), with the engine's own
 *   statement (`COPY (SELECT <the 35 columns> FROM activities ORDER BY created_at, activity_id)
 *   TO … (FORMAT parquet, COMPRESSION zstd)`): the cost of producing the file from rows in hand,
 *   which no export from DynamoDB can approach (reading alone is 40–45× it).
 * - Memory: the peak RSS of each of the three (the export and both baselines) alone in a fresh node
 *   process (getrusage maxrss, start-up included), with run-export's heap cap as on Lambda
 *   (topology maxHeapMb: --max-old-space-size), BENCH_EXPORT_MEMORY_RUNS (default 3) runs each in a
 *   rotating order. In the timed runs (one long-lived process) process.memoryUsage() is also sampled
 *   every 50 ms for the JS heap's peak (garbage included).
 *
 * One warm-up of each (untimed), then BENCH_RUNS (default 5) runs, each running the three in a
 * rotating order. Every export's activities file is downloaded from S3 and counted with DuckDB:
 * a count other than N (or a wrong join on the warm-up: results, accepted media, open flags)
 * fails the bench (it throws: non-zero exit).
 *
 * BENCH_EXPORT_ACTIVITIES (default 100,000) sets N.
 * Alone: `npx node --import tsx --disable-warning=ExperimentalWarning test/bench/export.ts`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { startDynamoDbLocal } from '../../infra/local/dynamodb-local';
import { provision } from '../../infra/local/provision';
import { topology } from '../../infra/topology';
import { campaignCatalog } from '../../shared/campaigns/catalog';
import { batchWrite, CREDENTIALS, freePort, REGION } from './local-dynamo';
import { findCampaign } from '../../shared/campaigns/index';
import type { ActivityRecord, FlagRecord } from '../../shared/domain/activity';
import { fixedClock } from '../../shared/domain/clock';
import { mediaObjectKey, type MediaRecord, type MediaSubject } from '../../shared/domain/media';
import type { FlagDraft } from '../../shared/domain/activity';
import { EXPORT_ENTITIES } from '../../shared/export/columns';
import type { ExportRecord } from '../../shared/export/export-record';
import { S3ExportStore } from '../../shared/export/export-store';
import { DynamoDbExportSource, PAGE_SIZE, type ExportSource, type Pages } from '../../shared/export/readers';
import { entitySelectSql, quoteLiteral } from '../../shared/export/workspace';
import { DynamoDbActivityRepository } from '../../shared/repositories/activity-repository';
import { DynamoDbExportRepository, DynamoDbLatestLease } from '../../shared/repositories/export-repository';
import { DynamoDbFlagRepository } from '../../shared/repositories/flag-repository';
import { keys } from '../../shared/repositories/keys';
import { DynamoDbMediaRepository } from '../../shared/repositories/media-repository';
import { raiseFlag } from '../../shared/use-cases/flags';
import { runExport, type RunExportDeps } from '../../shared/use-cases/run-export';
import { completeActivity } from '../helpers/api';
import { envCount, median, progress, table, type Row } from './stats';

const CAMPAIGN_ID = '2021-xinxiang';
/** BatchWriteItem requests in flight while seeding. */
const SEED_CONCURRENCY = 8;
/** process.memoryUsage() every this many ms during a measured phase. */
const SAMPLE_MS = 50;
/** The engine's defaults (shared/export/workspace.ts), used for the COPY baseline's database too. */
const DUCKDB_OPTIONS = { memory_limit: '512MB', threads: '2' };

const thousands = (n: number): string => (n >= 1000 && n % 1000 === 0 ? `${n / 1000}k` : n.toLocaleString('en-US'));
const perSecond = (count: number, ms: number): number => (count * 1000) / ms;
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const secs = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;



function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(`export bench: ${message}`);
}

// ---------------------------------------------------------------------------------------------
// Memory sampling

interface Memory {
  readonly startRss: number;
  readonly peakRss: number;
  readonly startHeapUsed: number;
  readonly peakHeapUsed: number;
}

/** Samples process.memoryUsage() every SAMPLE_MS until the answered function is called. */
function sampleMemory(): () => Memory {
  const first = process.memoryUsage();
  let peakRss = first.rss;
  let peakHeapUsed = first.heapUsed;
  const sample = () => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeapUsed = Math.max(peakHeapUsed, m.heapUsed);
  };
  const timer = setInterval(sample, SAMPLE_MS);
  return () => {
    clearInterval(timer);
    sample();
    return { startRss: first.rss, peakRss, startHeapUsed: first.heapUsed, peakHeapUsed };
  };
}

/** A full collection before a phase when the process runs with --expose-gc (not by default). */
const collect = (): void => (globalThis as { gc?: () => void }).gc?.();

// ---------------------------------------------------------------------------------------------
// Local services

/** fauxqs (the runtime's local S3 and SQS) in a child process: what it stores stays out of this process's RSS. */
async function startLocalS3(): Promise<{ endpoint: string; stop: () => Promise<void> }> {
  const port = await freePort();
  const script =
    "import { startFauxqs } from 'fauxqs';" +
    `await startFauxqs({ port: ${port}, host: '127.0.0.1', logger: false, defaultRegion: '${REGION}' });` +
    "process.stdout.write('ready\\n');";
  const child: ChildProcess = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await new Promise<void>((resolveReady, reject) => {
    const timeout = setTimeout(() => reject(new Error(`fauxqs did not start in 30 s: ${stderr}`)), 30_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) {
        clearTimeout(timeout);
        resolveReady();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timeout);
      reject(new Error(`fauxqs exited (${code}): ${stderr}`));
    });
  });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** The main table (no stream, see sweep.ts) and the exports bucket, as provisioning creates them. */
async function provisionTableAndBucket(endpoints: { dynamodb: string; s3: string }, stage: string): Promise<{ tableName: string; bucket: string }> {
  const { main } = topology.tables;
  const exportsBucket = topology.buckets.exports;
  if (!main || !exportsBucket) throw new Error('the topology has no main table or no exports bucket');
  const { stream: _stream, ...mainWithoutStream } = main;
  const clients = {
    dynamodb: new DynamoDBClient({ region: REGION, endpoint: endpoints.dynamodb, credentials: CREDENTIALS }),
    // Not called: the topology handed over has no queues.
    sqs: new SQSClient({ region: REGION, endpoint: endpoints.s3, credentials: CREDENTIALS }),
    s3: new S3Client({ region: REGION, endpoint: endpoints.s3, forcePathStyle: true, credentials: CREDENTIALS }),
  };
  try {
    const resources = await provision({ ...topology, tables: { main: mainWithoutStream }, queues: {}, buckets: { exports: exportsBucket } }, stage, clients);
    const tableName = resources.tables.main?.name;
    const bucket = resources.buckets.exports?.name;
    if (!tableName || !bucket) throw new Error('provisioning created no main table or no exports bucket');
    return { tableName, bucket };
  } finally {
    clients.dynamodb.destroy();
    clients.sqs.destroy();
    clients.s3.destroy();
  }
}

// ---------------------------------------------------------------------------------------------
// Seeding

type Item = Record<string, unknown>;

/**
 * A stand-in for the DynamoDB document client that applies the repositories' Put, Update and
 * TransactWriteItems to an in-memory table (keyed by pk and sk; conditions not evaluated; an Update
 * of a missing item makes it, as UpdateItem does). Updates
 * understand what the repositories send: `SET a = :v, b = b + :v`, `ADD a :v`, `REMOVE a`.
 */
class CapturedTable {
  public readonly items = new Map<string, Item>();

  private static key(key: Item): string {
    return `${String(key.pk)}\u0000${String(key.sk)}`;
  }

  public readonly client = {
    send: async (command: unknown): Promise<Record<string, never>> => {
      if (command instanceof PutCommand) this.put(command.input.Item ?? {});
      else if (command instanceof UpdateCommand) this.update(command.input as UpdateInput);
      else if (command instanceof TransactWriteCommand) {
        for (const t of command.input.TransactItems ?? []) {
          if (t.Put) this.put(t.Put.Item ?? {});
          else if (t.Update) this.update(t.Update as UpdateInput);
          else throw new Error('captured table: only Put and Update in transactions');
        }
      } else throw new Error(`captured table: ${(command as object).constructor.name} is not captured`);
      return {};
    },
  } as unknown as DynamoDBDocumentClient;

  private put(item: Item): void {
    this.items.set(CapturedTable.key(item), structuredClone(item));
  }

  private update(input: UpdateInput): void {
    // As UpdateItem does: a missing item is made from its key (the draft counter's first ADD, ADR 0042).
    const item = this.items.get(CapturedTable.key(input.Key)) ?? { ...input.Key };
    this.items.set(CapturedTable.key(input.Key), item);
    const names = input.ExpressionAttributeNames ?? {};
    const values = input.ExpressionAttributeValues ?? {};
    const name = (token: string): string => (token.startsWith('#') ? (names[token] ?? '') : token);
    const value = (token: string): unknown => {
      if (!(token in values)) throw new Error(`captured table: no value ${token}`);
      return values[token];
    };
    const parts = input.UpdateExpression.split(/\b(SET|ADD|REMOVE)\s+/).map((p) => p.trim());
    for (let i = 1; i < parts.length; i += 2) {
      const action = parts[i];
      for (const clause of (parts[i + 1] ?? '').split(',').map((c) => c.trim()).filter(Boolean)) {
        if (action === 'SET') {
          const [target = '', expression = ''] = clause.split('=').map((s) => s.trim());
          const sum = /^(\S+)\s*\+\s*(\S+)$/.exec(expression);
          item[name(target)] = sum ? Number(item[name(sum[1] ?? '')] ?? 0) + Number(value(sum[2] ?? '')) : value(expression);
        } else if (action === 'ADD') {
          const [target = '', v = ''] = clause.split(/\s+/);
          item[name(target)] = Number(item[name(target)] ?? 0) + Number(value(v));
        } else if (action === 'REMOVE') {
          delete item[name(clause)];
        } else {
          throw new Error(`captured table: cannot apply ${input.UpdateExpression}`);
        }
      }
    }
  }
}

interface UpdateInput {
  readonly Key: Item;
  readonly UpdateExpression: string;
  readonly ExpressionAttributeNames?: Record<string, string>;
  readonly ExpressionAttributeValues?: Record<string, unknown>;
}

interface Seeded {
  readonly tableName: string;
  readonly activities: number;
  readonly withResults: number;
  readonly media: number;
  readonly acceptedPhotos: number;
  readonly acceptedVideos: number;
  readonly flags: number;
  readonly openFlags: number;
  readonly items: number;
  readonly seedMs: number;
}


const hex = (text: string): string => createHash('sha256').update(text).digest('hex');

/** N activities with their results, media and flags (the mix above), through the repositories, into `tableName`. */
async function seed(doc: DynamoDBDocumentClient, tableName: string, count: number): Promise<Seeded> {
  const campaign = findCampaign(CAMPAIGN_ID);
  if (!campaign) throw new Error(`no campaign ${CAMPAIGN_ID}`);
  const units = campaign.organizations.map((o) => o.organizationId);
  const captured = new CapturedTable();
  const target = { client: captured.client, tableName };
  const activities = new DynamoDbActivityRepository(target);
  const mediaRepo = new DynamoDbMediaRepository(target);
  const flagRepo = new DynamoDbFlagRepository(target);
  const fields = completeActivity();
  const by = 'u-bench-export';
  let withResults = 0;
  let media = 0;
  let acceptedPhotos = 0;
  let acceptedVideos = 0;
  let flags = 0;
  let openFlags = 0;

  for (let n = 0; n < count; n += 1) {
    const u = n % units.length;
    const i = Math.floor(n / units.length);
    const organizationId = units[u] ?? '';
    const activityId = `bench-export-${n}`;
    const kind = n % 10 < 6 ? 'completed' : n % 10 < 9 ? 'registered' : 'draft';
    // Created from 2021-09-01 (UTC) on, a minute apart per unit; submitted 2 days later, completed 20 days later.
    const created = Date.UTC(2021, 8, 1) + i * 60_000 + u * 100;
    const at = (days: number, minutes = 0) => new Date(created + days * 86_400_000 + minutes * 60_000).toISOString();
    const base: ActivityRecord = {
      activityId,
      campaignId: campaign.id,
      organizationId,
      status: 'draft',
      version: 1,
      createdAt: at(0),
      createdBy: by,
      updatedAt: at(0),
      updatedBy: by,
      fields: { ...fields, title: `${fields.title} ${u}-${i}`, expectedParticipants: 50 + (n % 300), volunteers: { count: n % 20, hours: (n % 40) + 0.5 } },
    };
    await activities.create(base, Number.MAX_SAFE_INTEGER);
    if (kind === 'draft') continue;

    const waived = n % 400 === 7 || n % 400 === 3;
    const flagOf = (draft: FlagDraft, raisedAt: string): FlagRecord => raiseFlag(campaign.id, draft, new Date(raisedAt));
    const registrationFlags = n % 100 === 7 ? [flagOf({ code: 'registration-late', milestone: 'registration', organizationId, activityId, lateBySeconds: 3600 }, at(2))] : [];
    const registered: ActivityRecord = { ...base, status: 'registered', version: 2, updatedAt: at(2), submittedAt: at(2) };
    await activities.saveWithFlags(registered, 1, registrationFlags);

    const resultsFlags =
      kind === 'completed' && n % 100 === 3
        ? [flagOf({ code: 'results-late', milestone: 'completion', organizationId, activityId, lateBySeconds: 7200 }, at(20))]
        : [];
    if (kind === 'completed') {
      await activities.putResults({
        campaignId: campaign.id,
        organizationId,
        results: {
          activityId,
          version: 1,
          actualParticipants: 40 + (n % 400),
          newsLinks: n % 3 === 0 ? [] : [`https://news.example.cn/xinxiang/${n}`],
          ...(n % 5 === 0 ? { onlineUrl: `https://live.example.cn/${n}` } : {}),
          ...(n % 2 === 0 ? { highlights: `活动亮点 ${n}：社区居民踊跃参与互动问答。` } : {}),
          updatedAt: at(20),
          updatedBy: by,
        },
        expectedResultsVersion: undefined,
        completed: { activity: { ...registered, status: 'completed', version: 3, updatedAt: at(20), completedAt: at(20) }, expectedActivityVersion: 2, flags: resultsFlags },
      });
      withResults += 1;
    }

    const flag = registrationFlags[0] ?? resultsFlags[0];
    if (flag) {
      flags += 1;
      if (waived) {
        await flagRepo.waive({ key: keys.activityFlag(activityId, flag.milestone, flag.code), flag }, { reason: '已核实：系统故障导致延迟', by: 'u-bench-admin', at: at(25) });
      } else {
        openFlags += 1;
      }
    }

    if (n % 10 === 1 || n % 10 === 4 || n % 10 === 8) {
      const subject: MediaSubject = { type: 'activity', campaignId: campaign.id, organizationId, activityId };
      for (let j = 0; j < 1 + (Math.floor(n / 10) % 3); j += 1) {
        const mediaId = `bench-media-${n}-${j}`;
        const video = j === 2;
        const record: MediaRecord = {
          mediaId,
          subject,
          kind: video ? 'video' : 'photo',
          fileName: video ? `video-${j}.mp4` : `IMG_${1000 + j}.jpg`,
          declaredContentType: video ? 'video/mp4' : 'image/jpeg',
          declaredSize: video ? 48_000_000 : 2_400_000,
          objectKey: mediaObjectKey(subject, mediaId),
          status: 'pending',
          createdAt: at(15, j),
          createdBy: by,
        };
        await mediaRepo.create(record);
        media += 1;
        const verdict = (n + j) % 20;
        if (verdict === 0) continue;
        const common = { detectedContentType: record.declaredContentType, size: record.declaredSize - 1000, checkedAt: at(15, j + 1) };
        if (verdict === 1) {
          await mediaRepo.decide(subject, mediaId, { ...common, status: 'rejected', reason: 'type_mismatch' });
        } else {
          await mediaRepo.decide(subject, mediaId, { ...common, status: 'accepted', sha256: hex(mediaId), ...(video ? {} : { capturedAt: '2021-09-12T10:15:00' }) });
          if (video) acceptedVideos += 1;
          else acceptedPhotos += 1;
        }
      }
    }
  }

  const items = [...captured.items.values()];
  const started = performance.now();
  await batchWrite(doc, tableName, items.map((Item) => ({ PutRequest: { Item } })));
  const seedMs = performance.now() - started;
  progress(
    `export: seeded ${count.toLocaleString('en-US')} activities (${withResults} with results, ${media} media items, ${flags} flags of which ${openFlags} open), ${items.length.toLocaleString('en-US')} items, in ${secs(seedMs)}`,
  );
  return { tableName, activities: count, withResults, media, acceptedPhotos, acceptedVideos, flags, openFlags, items: items.length, seedMs };
}

// ---------------------------------------------------------------------------------------------
// The export, instrumented

interface ReadTiming {
  /** When the first page was asked for. */
  firstAt?: number;
  /** Time spent awaiting pages (the Query and its unmarshalling). */
  waitMs: number;
  pages: number;
  items: number;
}

type Reader = keyof ExportSource;
const READERS: readonly Reader[] = ['activities', 'results', 'media', 'summaries', 'flags', 'addedOrganizations'];

/** The source, each page awaited timed. */
function timedSource(inner: ExportSource): { source: ExportSource; timings: Record<Reader, ReadTiming> } {
  const timings = Object.fromEntries(READERS.map((r) => [r, { waitMs: 0, pages: 0, items: 0 }])) as Record<Reader, ReadTiming>;
  async function* timed(pages: Pages, t: ReadTiming): AsyncGenerator<readonly Record<string, unknown>[]> {
    const it = pages[Symbol.asyncIterator]();
    try {
      for (;;) {
        const started = performance.now();
        t.firstAt ??= started;
        const next = await it.next();
        t.waitMs += performance.now() - started;
        if (next.done) return;
        t.pages += 1;
        t.items += next.value.length;
        yield next.value;
      }
    } finally {
      await it.return?.();
    }
  }
  const wrap = (r: Reader) => (campaignId: string) => timed(inner[r](campaignId), timings[r]);
  // Spelled out: a reader added to the port fails to compile here instead of going untimed.
  const source: ExportSource = {
    activities: wrap('activities'),
    results: wrap('results'),
    media: wrap('media'),
    summaries: wrap('summaries'),
    flags: wrap('flags'),
    addedOrganizations: wrap('addedOrganizations'),
  };
  return { source, timings };
}

interface ExportRun {
  readonly ms: number;
  readonly memory: Memory;
  /** Time awaiting Query pages: activity items, and the sum over all readers (they run concurrently, so the sum overlaps). */
  readonly readActivitiesMs: number;
  readonly readAllMs: number;
  /** From the first Query to the last table staged (the entities read and staged concurrently) and the scores staged. */
  readonly stagingMs: number;
  /** The activity items staged: first Query to the table loaded. */
  readonly stageActivitiesMs: number;
  /** The activities file: COPY of the joined view + SHA-256 of the file. */
  readonly activitiesFileMs: number;
  readonly otherFilesMs: number;
  /** Job get/start, workspace open, upload, manifest, promotion, job succeed, temp dir removed. */
  readonly restMs: number;
  readonly uploadMs: number;
  readonly files: Record<string, { rows: number; bytes: number; key: string }>;
  readonly pages: number;
}

interface Harness {
  readonly doc: DynamoDBDocumentClient;
  readonly s3: S3Client;
  readonly tableName: string;
  readonly bucket: string;
  readonly work: string;
  exports: number;
}

async function exportOnce(h: Harness): Promise<ExportRun> {
  const table = { client: h.doc, tableName: h.tableName };
  const exports = new DynamoDbExportRepository(table);
  const n = h.exports++;
  const exportId = `bench-export-${n}`;
  // Each newer than the last: each run is promoted to latest/ (the same work every run).
  const asOf = new Date(Date.UTC(2021, 9, 1) + n * 1000).toISOString();
  const record: ExportRecord = { exportId, campaignId: CAMPAIGN_ID, format: 'parquet', language: 'zh', snapshot: exportId, asOf, status: 'queued', requestedBy: 'u-bench-analyst', requestedAt: asOf };
  check(await exports.create(record), `export ${exportId} exists already`);
  const { source, timings } = timedSource(new DynamoDbExportSource(table));
  const events: Array<{ message: string; data: Record<string, unknown>; at: number }> = [];
  const log = {
    info: (message: string, data: Record<string, unknown> = {}) => void events.push({ message, data, at: performance.now() }),
    warn: (message: string, data: Record<string, unknown> = {}) => progress(`export: ${message} ${JSON.stringify(data)}`),
  };
  const deps: RunExportDeps = {
    exports,
    campaigns: campaignCatalog,
    source,
    store: new S3ExportStore(h.s3, h.bucket),
    lease: new DynamoDbLatestLease(table),
    clock: fixedClock('2021-10-30T00:00:00Z'),
    log,
    tmpRoot: h.work,
  };

  collect();
  const stopSampling = sampleMemory();
  const started = performance.now();
  const outcome = await runExport({ exportId }, deps);
  const ms = performance.now() - started;
  const memory = stopSampling();

  check(outcome.status === 'succeeded', `export ${exportId} ended ${JSON.stringify(outcome)}`);
  if (outcome.status !== 'succeeded') throw new Error('unreachable');
  check(outcome.promotion === 'promoted', `export ${exportId} was ${String(outcome.promotion)}, not promoted`);
  const at = (message: string, field?: string, value?: string): number => {
    const e = events.find((x) => x.message === message && (field === undefined || x.data[field] === value));
    if (!e) throw new Error(`export bench: no log line "${message}" ${field ?? ''} ${value ?? ''}`);
    return e.at;
  };
  const startedAt = at('export started');
  const stagedAt = (t: string) => at('export staged', 'table', t);
  const fileAt = (e: string) => at('export file written', 'entity', e);
  const firstRead = Math.min(...READERS.map((r) => timings[r].firstAt ?? startedAt));
  const stagingMs = stagedAt('scores') - firstRead;
  const readAllMs = READERS.reduce((s, r) => s + timings[r].waitMs, 0);
  const files = Object.fromEntries(outcome.files.map((f) => [f.entity, { rows: f.rows, bytes: f.bytes, key: f.key }]));
  const lastFile = EXPORT_ENTITIES[EXPORT_ENTITIES.length - 1] ?? 'scores';
  const activitiesFileMs = fileAt('activities') - stagedAt('scores');
  const otherFilesMs = fileAt(lastFile) - fileAt('activities');
  return {
    ms,
    memory,
    readActivitiesMs: timings.activities.waitMs,
    readAllMs,
    stagingMs,
    stageActivitiesMs: stagedAt('activity_items') - (timings.activities.firstAt ?? startedAt),
    activitiesFileMs,
    otherFilesMs,
    restMs: ms - stagingMs - activitiesFileMs - otherFilesMs,
    uploadMs: at('export succeeded') - fileAt(lastFile),
    files,
    pages: READERS.reduce((s, r) => s + timings[r].pages, 0),
  };
}

/** Downloads an exported file into the work dir (untimed). */
async function download(h: Harness, key: string, name: string): Promise<string> {
  const res = await h.s3.send(new GetObjectCommand({ Bucket: h.bucket, Key: key }));
  const path = join(h.work, name);
  writeFileSync(path, Buffer.from((await res.Body?.transformToByteArray()) ?? new Uint8Array()));
  return path;
}

const one = async (duck: DuckDBConnection, sql: string): Promise<Record<string, string | null>> =>
  ((await duck.runAndReadAll(sql)).getRowObjectsJson()[0] ?? {}) as Record<string, string | null>;

/** The activities file of `run` counted with DuckDB: exactly N rows, or the bench fails. */
async function checkActivitiesFile(h: Harness, duck: DuckDBConnection, run: ExportRun, seeded: Seeded, label: string): Promise<string> {
  const file = run.files.activities;
  check(file !== undefined, `${label}: no activities file`);
  check(file?.rows === seeded.activities, `${label}: the manifest says ${file?.rows} activity rows, ${seeded.activities} were seeded`);
  const path = await download(h, file?.key ?? '', `${label.replaceAll(/\W+/g, '-')}-activities.parquet`);
  const counted = Number((await one(duck, `SELECT count(*) AS n FROM read_parquet(${quoteLiteral(path)})`)).n);
  check(counted === seeded.activities, `${label}: the activities Parquet file holds ${counted} rows, ${seeded.activities} were seeded`);
  return path;
}

// ---------------------------------------------------------------------------------------------
// Baselines

/** DuckDB's COPY of the rows already in the table `activities`: the engine's own statement. */
async function copyOnce(baseline: DuckDBConnection, work: string, expected: number): Promise<{ ms: number; memory: Memory }> {
  const file = join(work, 'baseline-activities.parquet');
  collect();
  const stopSampling = sampleMemory();
  const started = performance.now();
  const result = await baseline.run(`COPY (${entitySelectSql('activities')}) TO ${quoteLiteral(file)} (FORMAT parquet, COMPRESSION zstd)`);
  const rows = Number((await result.getRows())[0]?.[0] ?? 0);
  const ms = performance.now() - started;
  const memory = stopSampling();
  check(rows === expected, `the baseline COPY wrote ${rows} rows, not ${expected}`);
  rmSync(file, { force: true });
  return { ms, memory };
}

interface ReadCopyRun {
  readonly ms: number;
  /** The paged Query loop, the items written as NDJSON lines as they come. */
  readonly readMs: number;
  /** DuckDB's COPY of those lines (read_json) to Parquet. */
  readonly copyMs: number;
  readonly memory: Memory;
  readonly pages: number;
}

/**
 * The same activity rows from the same store to Parquet by the shortest path there is: a bare
 * paged Query loop over the activities partition (gsi2, pages of PAGE_SIZE, the export's document
 * client), each item written as one JSON line as it comes (1 MB writes), then DuckDB's own
 * `COPY (FROM read_json(…)) TO … (FORMAT parquet, COMPRESSION zstd)`, its columns and types
 * inferred by DuckDB. No typing, no join, no other entity, no upload, no job.
 */
async function readCopyOnce(doc: DynamoDBDocumentClient, tableName: string, work: string, expected: number): Promise<ReadCopyRun> {
  const lines = join(work, 'baseline-activities.ndjson');
  const file = join(work, 'baseline-read-activities.parquet');
  collect();
  const stopSampling = sampleMemory();
  const started = performance.now();
  let start: Record<string, unknown> | undefined;
  let items = 0;
  let pages = 0;
  const fd = openSync(lines, 'w');
  try {
    let buffer: string[] = [];
    let bytes = 0;
    // The partition's shards one after the other (ADR 0028).
    const shards = keys.shards('activities', CAMPAIGN_ID);
    let shard = shards.shift();
    do {
      const page = await doc.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: 'gsi2',
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': 'gsi2pk' },
          ExpressionAttributeValues: { ':pk': shard },
          Limit: PAGE_SIZE,
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) {
        const line = JSON.stringify(item);
        buffer.push(line);
        bytes += line.length + 1;
        items += 1;
      }
      if (bytes >= 1 << 20) {
        writeSync(fd, `${buffer.join('\n')}\n`);
        buffer = [];
        bytes = 0;
      }
      pages += 1;
      start = page.LastEvaluatedKey;
      if (!start) shard = shards.shift();
    } while (start || shard);
    if (buffer.length > 0) writeSync(fd, `${buffer.join('\n')}\n`);
  } finally {
    closeSync(fd);
  }
  const read = performance.now();
  const db = await DuckDBInstance.create(join(work, 'baseline-read.duckdb'), { ...DUCKDB_OPTIONS, temp_directory: join(work, 'baseline-read-spill') });
  const duck = await db.connect();
  let rows: number;
  try {
    const result = await duck.run(`COPY (FROM read_json(${quoteLiteral(lines)}, format = 'newline_delimited')) TO ${quoteLiteral(file)} (FORMAT parquet, COMPRESSION zstd)`);
    rows = Number((await result.getRows())[0]?.[0] ?? 0);
  } finally {
    duck.closeSync();
    db.closeSync();
  }
  const ms = performance.now() - started;
  const memory = stopSampling();
  check(items === expected && rows === expected, `the read + COPY baseline read ${items} activity items and wrote ${rows} rows, not ${expected}`);
  for (const f of [lines, file, join(work, 'baseline-read.duckdb'), join(work, 'baseline-read.duckdb.wal')]) rmSync(f, { force: true });
  return { ms, readMs: read - started, copyMs: ms - (read - started), memory, pages };
}

// ---------------------------------------------------------------------------------------------
// Peak RSS, each phase alone in a fresh process

/** The phases measured for memory, each in a child process of its own (this process's RSS carries what earlier phases left). */
type MemoryPhase = 'export' | 'read-copy' | 'copy';
const PHASE_ENV = 'SCIDAY_BENCH_EXPORT_PHASE';

interface PhaseMemory {
  readonly phase: MemoryPhase;
  readonly ms: number;
  /** RSS just before the phase (after start-up and set-up). */
  readonly startRss: number;
  /** The process's peak RSS (getrusage's maxrss), start-up included. */
  readonly peakRss: number;
}

interface PhaseJob {
  readonly phase: MemoryPhase;
  readonly dynamodb: string;
  readonly s3: string;
  readonly tableName: string;
  readonly bucket: string;
  readonly work: string;
  readonly activities: number;
  /** export: the export's number (ids and asOf after the parent's); copy: the Parquet file the rows come from. */
  readonly exportNumber: number;
  readonly rowsFile: string;
}

/** Runs one phase in a fresh node (the same flags as this one) and answers its memory. */
async function phaseInChild(job: PhaseJob): Promise<PhaseMemory> {
  // As run-export runs on Lambda: V8's old space capped (topology maxHeapMb); the baselines too, so all three run alike.
  const heap = `--max-old-space-size=${topology.functions['run-export'].maxHeapMb}`;
  const child = spawn(process.execPath, [...process.execArgv, heap, new URL(import.meta.url).pathname], {
    env: { ...process.env, [PHASE_ENV]: JSON.stringify(job) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const last = out.trim().split('\n').at(-1) ?? '';
  check(code === 0 && last.startsWith('{'), `the ${job.phase} phase in a child process exited ${code}: ${out.slice(-500)}`);
  return JSON.parse(last) as PhaseMemory;
}

/** In the child: set up (untimed), run the phase once, print its memory as the last line. */
async function runPhase(job: PhaseJob): Promise<void> {
  const raw = new DynamoDBClient({ region: REGION, endpoint: job.dynamodb, credentials: CREDENTIALS });
  const doc = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false } });
  const s3 = new S3Client({ region: REGION, endpoint: job.s3, forcePathStyle: true, credentials: CREDENTIALS });
  let run: () => Promise<unknown>;
  let cleanup = (): void => undefined;
  if (job.phase === 'export') {
    const h: Harness = { doc, s3, tableName: job.tableName, bucket: job.bucket, work: job.work, exports: job.exportNumber };
    run = () => exportOnce(h);
  } else if (job.phase === 'read-copy') {
    run = () => readCopyOnce(doc, job.tableName, job.work, job.activities);
  } else {
    const db = await DuckDBInstance.create(join(job.work, 'baseline-child.duckdb'), { ...DUCKDB_OPTIONS, temp_directory: join(job.work, 'baseline-child-spill') });
    const duck = await db.connect();
    await duck.run(`CREATE TABLE activities AS SELECT * FROM read_parquet(${quoteLiteral(job.rowsFile)})`);
    await duck.run('CHECKPOINT');
    run = () => copyOnce(duck, job.work, job.activities);
    cleanup = () => {
      duck.closeSync();
      db.closeSync();
      rmSync(join(job.work, 'baseline-child.duckdb'), { force: true });
    };
  }
  collect();
  const startRss = process.memoryUsage().rss;
  const started = performance.now();
  await run();
  const ms = performance.now() - started;
  const peakRss = process.resourceUsage().maxRSS * 1024;
  cleanup();
  raw.destroy();
  s3.destroy();
  console.log(JSON.stringify({ phase: job.phase, ms, startRss, peakRss } satisfies PhaseMemory));
}

// ---------------------------------------------------------------------------------------------
// Rows

const share = (part: number, whole: number): string => `${((100 * part) / whole).toFixed(0)} %`;


export async function exportRows(work: string, runs: number, activities: number, memoryRunsDefault = 3): Promise<Row[]> {
  const label = `export ${thousands(activities)}`;
  // On tmpfs where there is one: DynamoDB Local's SQLite file on a shared disk measured the disk.
  const dataDir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : work, 'sciday-bench-export-'));
  const exportWork = mkdtempSync(join(work, 'export-'));
  const [ddb, s3Server] = await Promise.all([startDynamoDbLocal({ projectRoot: process.cwd(), dataDir, port: await freePort() }), startLocalS3()]);
  const raw = new DynamoDBClient({ region: REGION, endpoint: ddb.endpoint, credentials: CREDENTIALS });
  // The marshalling options of shared/clients/dynamodb.ts (what the handler uses).
  const doc = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false } });
  const s3 = new S3Client({ region: REGION, endpoint: s3Server.endpoint, forcePathStyle: true, credentials: CREDENTIALS });
  const checker = await DuckDBInstance.create(':memory:');
  const duck = await checker.connect();
  const baselineDb = await DuckDBInstance.create(join(exportWork, 'baseline.duckdb'), { ...DUCKDB_OPTIONS, temp_directory: join(exportWork, 'baseline-spill') });
  const baseline = await baselineDb.connect();
  try {
    const { tableName, bucket } = await provisionTableAndBucket({ dynamodb: ddb.endpoint, s3: s3Server.endpoint }, `bench-export-${activities}`);
    const seeded = await seed(doc, tableName, activities);
    const h: Harness = { doc, s3, tableName, bucket, work: exportWork, exports: 0 };

    // Warm-up (untimed): the export once, checked in full; the baseline table built from its activities file.
    const warm = await exportOnce(h);
    const warmFile = await checkActivitiesFile(h, duck, warm, seeded, `${label} warm-up`);
    const joined = await one(
      duck,
      `SELECT count(actual_participants) AS results, sum(accepted_photos) AS photos, sum(accepted_videos) AS videos, sum(open_flags) AS flags FROM read_parquet(${quoteLiteral(warmFile)})`,
    );
    const expected = { results: seeded.withResults, photos: seeded.acceptedPhotos, videos: seeded.acceptedVideos, flags: seeded.openFlags };
    check(
      Number(joined.results) === expected.results && Number(joined.photos) === expected.photos && Number(joined.videos) === expected.videos && Number(joined.flags) === expected.flags,
      `${label}: the activities file joins ${JSON.stringify(joined)}, seeded ${JSON.stringify(expected)}`,
    );
    check(warm.files.media?.rows === seeded.media && warm.files.flags?.rows === seeded.flags, `${label}: ${warm.files.media?.rows} media rows and ${warm.files.flags?.rows} flag rows, seeded ${seeded.media} and ${seeded.flags}`);
    await baseline.run(`CREATE TABLE activities AS SELECT * FROM read_parquet(${quoteLiteral(warmFile)})`);
    await baseline.run('CHECKPOINT');
    await copyOnce(baseline, exportWork, activities);
    await readCopyOnce(doc, tableName, exportWork, activities);
    progress(`${label}: warm-up done (export ${secs(warm.ms)})`);

    const exportRuns: ExportRun[] = [];
    const copyRuns: Array<{ ms: number; memory: Memory }> = [];
    const readCopyRuns: ReadCopyRun[] = [];
    const phases = [
      async () => {
        const run = await exportOnce(h);
        await checkActivitiesFile(h, duck, run, seeded, `${label} run ${exportRuns.length + 1}`);
        exportRuns.push(run);
      },
      async () => void copyRuns.push(await copyOnce(baseline, exportWork, activities)),
      async () => void readCopyRuns.push(await readCopyOnce(doc, tableName, exportWork, activities)),
    ];
    for (let run = 0; run < runs; run += 1) {
      // Rotate which goes first.
      for (let k = 0; k < phases.length; k += 1) await phases[(run + k) % phases.length]?.();
      progress(
        `${label}: run ${run + 1}/${runs} done (export ${secs(exportRuns.at(-1)?.ms ?? 0)}, read + COPY ${secs(readCopyRuns.at(-1)?.ms ?? 0)}, COPY of rows in hand ${(copyRuns.at(-1)?.ms ?? 0).toFixed(0)} ms)`,
      );
    }

    // Peak RSS, each phase alone in a fresh process, in a rotating order.
    const memoryRuns = envCount('BENCH_EXPORT_MEMORY_RUNS', memoryRunsDefault);
    const phaseMemory: Record<MemoryPhase, PhaseMemory[]> = { export: [], 'read-copy': [], copy: [] };
    const order: MemoryPhase[] = ['export', 'read-copy', 'copy'];
    for (let run = 0; run < memoryRuns; run += 1) {
      for (let k = 0; k < order.length; k += 1) {
        const phase = order[(run + k) % order.length] ?? 'export';
        const job: PhaseJob = { phase, dynamodb: ddb.endpoint, s3: s3Server.endpoint, tableName, bucket, work: exportWork, activities, exportNumber: h.exports, rowsFile: warmFile };
        if (phase === 'export') h.exports += 1;
        phaseMemory[phase].push(await phaseInChild(job));
      }
      progress(`${label}: memory run ${run + 1}/${memoryRuns} done (peak RSS: export ${mb(phaseMemory.export.at(-1)?.peakRss ?? 0)}, read + COPY ${mb(phaseMemory['read-copy'].at(-1)?.peakRss ?? 0)}, COPY of rows in hand ${mb(phaseMemory.copy.at(-1)?.peakRss ?? 0)})`);
    }
    const phaseNote = (phase: MemoryPhase): string =>
      `each run alone in a fresh node process with run-export's heap cap (--max-old-space-size=${topology.functions['run-export'].maxHeapMb}; getrusage maxrss, start-up included); RSS before the phase median ${mb(median(phaseMemory[phase].map((p) => p.startRss)))}, rise to peak median ${mb(median(phaseMemory[phase].map((p) => p.peakRss - p.startRss)))}`;

    const of = (pick: (r: ExportRun) => number) => exportRuns.map(pick);
    const exportMs = of((r) => r.ms);
    const copyMs = copyRuns.map((r) => r.ms);
    const readCopyMs = readCopyRuns.map((r) => r.ms);
    const m = (xs: readonly number[]) => median(xs);
    const whole = m(exportMs);
    const totalRows = Object.values(exportRuns[0]?.files ?? {}).reduce((s, f) => s + f.rows, 0);
    const activitiesBytes = exportRuns[0]?.files.activities?.bytes ?? 0;
    const readCopyName = `${label}: DuckDB COPY of the same ${activities.toLocaleString('en-US')} activity rows as DynamoDB hands them (bare paged Query → NDJSON → COPY FROM read_json → Parquet)`;
    const copyName = `${label}: DuckDB COPY of the ${activities.toLocaleString('en-US')} activity rows already in a DuckDB table → Parquet`;
    const exportName = `${label}: runExport to Parquet, whole job (6 files, uploaded to local S3, promoted to latest/)`;
    const copyRssName = `${label}: peak RSS of the read + COPY baseline`;
    const parts = {
      staging: m(of((r) => r.stagingMs)),
      activitiesFile: m(of((r) => r.activitiesFileMs)),
      otherFiles: m(of((r) => r.otherFilesMs)),
      rest: m(of((r) => r.restMs)),
    };
    const ratio = whole / m(readCopyMs);
    const dominant = Object.entries(parts).sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
    const verdict = ratio <= 2 ? 'goal met' : `goal not met: ${dominant} dominates (${share(parts[dominant as keyof typeof parts] ?? 0, whole)} of the job)`;
    progress(`${label}: export ${secs(whole)} / read + COPY ${secs(m(readCopyMs))} = ${ratio.toFixed(2)}×, ${verdict} (COPY of rows in hand ${m(copyMs).toFixed(0)} ms: ${(whole / m(copyMs)).toFixed(1)}×)`);

    return [
      {
        name: `${label}: seeding (set-up, not a measure)`,
        unit: 'ms',
        samples: [seeded.seedMs],
        note:
          `${activities.toLocaleString('en-US')} activities (${seeded.withResults.toLocaleString('en-US')} with results, ${seeded.media.toLocaleString('en-US')} media items of which ${(seeded.acceptedPhotos + seeded.acceptedVideos).toLocaleString('en-US')} accepted, ` +
          `${seeded.flags} flags of which ${seeded.openFlags} open) as the repositories write them: ${seeded.items.toLocaleString('en-US')} items, BatchWriteItem × 25, ${SEED_CONCURRENCY} at a time`,
        data: { ...seeded, tableName: undefined },
      },
      {
        name: readCopyName,
        unit: 'ms',
        samples: readCopyMs,
        note:
          `the baseline of the goal (ADR 0016); medians: Query loop + lines ${secs(m(readCopyRuns.map((r) => r.readMs)))} (${readCopyRuns[0]?.pages ?? 0} pages, the export's document client), ` +
          `COPY FROM read_json ${m(readCopyRuns.map((r) => r.copyMs)).toFixed(0)} ms (columns inferred by DuckDB; a fresh file database with the engine's settings, 512MB, 2 threads)`,
        data: { rows: activities, readMs: readCopyRuns.map((r) => r.readMs), copyMs: readCopyRuns.map((r) => r.copyMs), pages: readCopyRuns[0]?.pages },
      },
      {
        name: copyName,
        unit: 'ms',
        samples: copyMs,
        note: `median ${m(copyMs.map((ms) => perSecond(activities, ms))).toFixed(0)} rows/s; the engine's statement (35 columns, ORDER BY created_at, activity_id, zstd) on a plain table in a file database with the engine's settings (512MB, 2 threads), the rows built once from the warm-up export's file; no read: the export is ${(whole / m(copyMs)).toFixed(1)}× this`,
        data: { rows: activities, rowsPerSecond: copyMs.map((ms) => perSecond(activities, ms)) },
      },
      {
        name: exportName,
        unit: 'ms',
        samples: exportMs,
        baseline: readCopyName,
        goal: { maxRatio: 2 },
        note:
          `median ${m(exportMs.map((ms) => perSecond(activities, ms))).toFixed(0)} activities/s (${totalRows.toLocaleString('en-US')} rows in 6 files, ${exportRuns[0]?.pages ?? 0} Query pages; activities file ${mb(activitiesBytes)}); ` +
          `medians: entities read and staged concurrently ${secs(parts.staging)} (${share(parts.staging, whole)}), ` +
          `activities file ${parts.activitiesFile.toFixed(0)} ms (${share(parts.activitiesFile, whole)}), other files ${parts.otherFiles.toFixed(0)} ms, rest ${parts.rest.toFixed(0)} ms (of which upload + manifest + promotion + job succeed ${m(of((r) => r.uploadMs)).toFixed(0)} ms); ${verdict}`,
        data: { activities, rows: totalRows, rowsPerSecond: exportMs.map((ms) => perSecond(activities, ms)), files: exportRuns[0]?.files, parts },
      },
      {
        name: `${label}: export, the entities read and staged (concurrently; first Query to the scores staged)`,
        unit: 'ms',
        samples: of((r) => r.stagingMs),
        baseline: readCopyName,
        note: `the activity items alone (first Query to the table loaded): median ${secs(m(of((r) => r.stageActivitiesMs)))}`,
      },
      {
        name: `${label}: export, DynamoDB reads of the activity items (Query pages awaited)`,
        unit: 'ms',
        samples: of((r) => r.readActivitiesMs),
        baseline: readCopyName,
        note: `summed over the 6 concurrent readers (overlapping): median ${secs(m(of((r) => r.readAllMs)))}`,
      },
      {
        name: `${label}: export, activities file (COPY of the joined view + SHA-256)`,
        unit: 'ms',
        samples: of((r) => r.activitiesFileMs),
        baseline: copyName,
        note: `the other 5 files: median ${m(of((r) => r.otherFilesMs)).toFixed(0)} ms`,
      },
      {
        name: copyRssName,
        unit: 'B',
        samples: phaseMemory['read-copy'].map((p) => p.peakRss),
        note: phaseNote('read-copy'),
      },
      {
        name: `${label}: peak RSS of the COPY of rows in hand`,
        unit: 'B',
        samples: phaseMemory.copy.map((p) => p.peakRss),
        baseline: copyRssName,
        note: `${phaseNote('copy')}; the table built from the warm-up's file before the phase`,
      },
      {
        name: `${label}: peak RSS of the export`,
        unit: 'B',
        samples: phaseMemory.export.map((p) => p.peakRss),
        baseline: copyRssName,
        note: `${phaseNote('export')}; in the timed runs (one long-lived process) the JS heap peaked at median ${mb(median(exportRuns.map((r) => r.memory.peakHeapUsed)))} (garbage included); DynamoDB Local and the local S3 run in their own processes`,
        data: { export: phaseMemory.export, readCopy: phaseMemory['read-copy'], copy: phaseMemory.copy },
      },
    ];
  } finally {
    baseline.closeSync();
    baselineDb.closeSync();
    duck.closeSync();
    checker.closeSync();
    raw.destroy();
    s3.destroy();
    await s3Server.stop();
    await ddb.stop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(exportWork, { recursive: true, force: true });
  }
}

// A memory phase in a child process of the bench.
if (process.env[PHASE_ENV]) {
  await runPhase(JSON.parse(process.env[PHASE_ENV] ?? '{}') as PhaseJob);
  process.exit(0);
}

// Alone: just these rows.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const work = mkdtempSync(join(tmpdir(), 'sciday-bench-'));
  try {
    console.log(table(await exportRows(work, envCount('BENCH_RUNS', 5), envCount('BENCH_EXPORT_ACTIVITIES', 100_000))));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  process.exit(0);
}

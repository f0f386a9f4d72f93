/**
 * The media check's throughput on 1 MB photos, against a bare S3 loop in the same run.
 *
 * - Measured: a local runtime in its own process (as `npm start`); per run, N photo uploads
 *   requested through the API (`POST /v1/activities/{id}/uploads`, 50 per activity, the
 *   campaign's limit), each 1 MB JPEG (unique bytes, so none is a duplicate) posted with its
 *   presigned form through the gateway, 8 at a time as a browser would. The time runs from
 *   the first upload stored (its POST answered) until every media item reads `accepted`
 *   (GET /v1/activities/{id}/media, polled every 100 ms): S3 notification → SQS → check-media
 *   (HeadObject twice, a 64 KiB ranged GET, a streamed SHA-256 of the whole object, the
 *   DynamoDB reads and writes) → accepted. Uploads overlap the checks; the note gives how
 *   long the uploads themselves took.
 * - Baseline: the same N objects, HeadObject + GetObject Range bytes=0-4095 one after the
 *   other with the SDK, against the same local S3 (fauxqs).
 *
 * Both as times for N objects (the ratio is how many times fewer objects/s the check does);
 * objects/s medians are in the notes. BENCH_MEDIA_OBJECTS (default 100) sets N.
 *
 * Alone: `npx node --import tsx --disable-warning=ExperimentalWarning test/bench/media-check.ts`.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { client, completeActivity, tokenFor, type Client } from '../helpers/api';
import { spawnRuntime } from '../helpers/global-setup';
import { stopRuntime } from '../helpers/private-runtime';
import { runtimeInfo } from '../helpers/runtime';
import { sampleFile } from '../helpers/sample-files';
import { envCount, median, progress, table, type Row } from './stats';

const CAMPAIGN = '2021-xinxiang';
const PHOTO_BYTES = 1024 * 1024;
/** The campaign's maxPerActivity for photos. */
const PER_ACTIVITY = 50;
const UPLOAD_CONCURRENCY = 8;
const POLL_MS = 100;

interface Grant {
  readonly activityId: string;
  readonly mediaId: string;
  readonly url: string;
  readonly fields: Record<string, string>;
}

/** A 1 MB JPEG no other upload shares (identical files of one activity are refused as duplicates). */
function photo(): Buffer {
  const file = sampleFile('jpeg', PHOTO_BYTES);
  randomBytes(32).copy(file, file.length - 32);
  return file;
}

/** Runs `work` over `items`, `concurrency` at a time. */
async function pool<T>(items: readonly T[], concurrency: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await work(items[i] as T, i);
      }
    }),
  );
}

/** N pending media items, over as many fresh activities as the per-activity limit needs. */
async function grants(api: Client, count: number): Promise<Grant[]> {
  const activities: string[] = [];
  for (let i = 0; i < Math.ceil(count / PER_ACTIVITY); i += 1) {
    const created = await api.post<{ activityId: string }>(`/v1/campaigns/${CAMPAIGN}/activities`, completeActivity());
    if (created.status !== 201) throw new Error(`create activity answered ${created.status}: ${created.text}`);
    activities.push(created.body.activityId);
  }
  const out: Grant[] = new Array(count);
  await pool(Array.from({ length: count }, (_, i) => i), UPLOAD_CONCURRENCY, async (i) => {
    const activityId = activities[Math.floor(i / PER_ACTIVITY)] ?? '';
    const res = await api.post<{ mediaId: string; url: string; fields: Record<string, string> }>(`/v1/activities/${activityId}/uploads`, {
      kind: 'photo',
      contentType: 'image/jpeg',
      size: PHOTO_BYTES,
      fileName: `photo-${i}.jpg`,
    });
    if (res.status !== 201) throw new Error(`create upload answered ${res.status}: ${res.text}`);
    out[i] = { activityId, ...res.body };
  });
  return out;
}

/** Polls each activity's media until all of its items are accepted; resolves with the time that was seen. */
async function allAccepted(api: Client, items: readonly Grant[]): Promise<number> {
  const waiting = new Map<string, number>();
  for (const g of items) waiting.set(g.activityId, (waiting.get(g.activityId) ?? 0) + 1);
  for (;;) {
    await Promise.all(
      [...waiting].map(async ([activityId, expected]) => {
        const res = await api.get<{ items: Array<{ status: string; reason?: string }> }>(`/v1/activities/${activityId}/media`);
        if (res.status !== 200) throw new Error(`list media answered ${res.status}: ${res.text}`);
        const refused = res.body.items.find((m) => m.status === 'rejected');
        if (refused) throw new Error(`a bench photo was rejected: ${refused.reason}`);
        if (res.body.items.filter((m) => m.status === 'accepted').length >= expected) waiting.delete(activityId);
      }),
    );
    if (waiting.size === 0) return performance.now();
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/** One run: uploads `count` photos; ms from the first stored to all accepted, and the uploads' own span. */
async function checkRun(api: Client, count: number): Promise<{ ms: number; uploadMs: number; tailMs: number }> {
  const items = await grants(api, count);
  let firstStored: number | undefined;
  let lastStored = 0;
  let polling: Promise<number> | undefined;
  const uploads = pool(items, UPLOAD_CONCURRENCY, async (g) => {
    const form = new FormData();
    for (const [k, v] of Object.entries(g.fields)) form.append(k, v);
    form.append('file', new Blob([photo()], { type: 'image/jpeg' }), 'photo.jpg');
    const res = await fetch(g.url, { method: 'POST', body: form });
    await res.arrayBuffer();
    if (res.status >= 300) throw new Error(`presigned POST answered ${res.status}`);
    const at = performance.now();
    firstStored ??= at;
    lastStored = Math.max(lastStored, at);
    polling ??= allAccepted(api, items);
  });
  await uploads;
  const done = await (polling ?? allAccepted(api, items));
  const first = firstStored ?? done;
  return { ms: done - first, uploadMs: lastStored - first, tailMs: done - lastStored };
}

/**
 * The baseline's own objects: the same 1 MB photos, put once under `bench/` (no notification fires
 * there). The run's upload keys cannot serve: a decided upload leaves `uploads/` (ADR 0032).
 */
async function bareObjects(s3: S3Client, bucket: string, count: number): Promise<string[]> {
  const keys = Array.from({ length: count }, (_, i) => `bench/bare-${i}.jpg`);
  await pool(keys, UPLOAD_CONCURRENCY, async (Key) => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body: photo(), ContentType: 'image/jpeg' }));
  });
  return keys;
}

/** The baseline: HeadObject + GetObject bytes=0-4095 of each object, one after the other. */
async function bareLoop(s3: S3Client, bucket: string, keys: readonly string[]): Promise<number> {
  const started = performance.now();
  for (const Key of keys) {
    await s3.send(new HeadObjectCommand({ Bucket: bucket, Key }));
    const res = await s3.send(new GetObjectCommand({ Bucket: bucket, Key, Range: 'bytes=0-4095' }));
    const bytes = await res.Body?.transformToByteArray();
    if (bytes?.length !== 4096) throw new Error(`ranged GET of ${Key} gave ${bytes?.length} bytes`);
  }
  return performance.now() - started;
}

const perSecond = (count: number, ms: number): number => (count * 1000) / ms;

export async function mediaCheckRows(work: string, runs: number, count: number): Promise<Row[]> {
  const dataDir = join(work, 'media-check');
  const runtime = await spawnRuntime(dataDir, { SCIDAY_CLOCK: '2021-09-12T10:00:00+08:00' });
  const info = runtimeInfo(dataDir);
  const s3 = new S3Client({
    region: info.region,
    endpoint: info.endpoints.s3,
    forcePathStyle: true,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    const bucket = info.resources.buckets.media?.name ?? '';
    const api = client(info.url, await tokenFor(info.url, { sub: 'u-bench-media', orgId: 'hongqi-kx', roles: ['organizer'] }));
    // Warm-up: connections, the handlers' first calls, DynamoDB Local's JIT.
    await checkRun(api, Math.min(count, 20));
    const bareKeys = await bareObjects(s3, bucket, count);
    await bareLoop(s3, bucket, bareKeys);
    const checkMs: number[] = [];
    const uploadMs: number[] = [];
    const tailMs: number[] = [];
    const bareMs: number[] = [];
    for (let i = 0; i < runs; i += 1) {
      const run = await checkRun(api, count);
      checkMs.push(run.ms);
      uploadMs.push(run.uploadMs);
      tailMs.push(run.tailMs);
      bareMs.push(await bareLoop(s3, bucket, bareKeys));
      progress(`media check run ${i + 1}/${runs} done`);
    }
    const checkRate = checkMs.map((ms) => perSecond(count, ms));
    const bareRate = bareMs.map((ms) => perSecond(count, ms));
    const base = `S3 bare: HeadObject + GetObject bytes=0-4095, ${count} objects in a loop`;
    return [
      {
        name: base,
        unit: 'ms',
        samples: bareMs,
        note: `median ${median(bareRate).toFixed(1)} objects/s`,
        data: { objects: count, objectsPerSecond: bareRate },
      },
      {
        name: `media check: ${count} × 1 MB photos, first stored → all accepted`,
        unit: 'ms',
        samples: checkMs,
        baseline: base,
        goal: { maxRatio: 2 },
        note: `median ${median(checkRate).toFixed(1)} objects/s; uploads ${UPLOAD_CONCURRENCY} at a time, first → last stored median ${median(uploadMs).toFixed(0)} ms, last stored → all accepted median ${median(tailMs).toFixed(0)} ms`,
        data: { objects: count, objectsPerSecond: checkRate, uploadMs, tailMs },
      },
    ];
  } finally {
    s3.destroy();
    await stopRuntime(runtime, dataDir);
  }
}

// Alone: just these rows.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const work = mkdtempSync(join(tmpdir(), 'sciday-bench-'));
  try {
    console.log(table(await mediaCheckRows(work, envCount('BENCH_RUNS', 5), envCount('BENCH_MEDIA_OBJECTS', 100))));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  process.exit(0);
}

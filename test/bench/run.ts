// `npm run bench`: figures with a baseline measured in the same run, min/median/max over
// repeated runs. The machine is shared and noisy: read the medians and the ratios.
//
// Rows (each module says what it measures and against what):
// 1. startup.ts: `npm start` to a healthy GET /health (fresh data dir, then an existing one),
//    against DynamoDB Local alone answering its first request (the dominant cost).
// 2. in-process.ts: GET /health through the gateway against the handler called directly;
//    create + submit of an activity through the real handlers against the same DynamoDB
//    calls made bare (goal ≤ 1.1×).
// 3. bundles.ts: each API function bundled as CDK does: size against a bare handler (goal
//    ≤ 250 KB), what zod / middy / Powertools weigh in the largest, cold import() against
//    the bare bundle (goal ≤ 1.3×), zod classic against zod/mini.
// 4. media-check.ts: 1 MB photos uploaded through the API until all are accepted (objects/s),
//    against a bare HeadObject + ranged GetObject loop on the same local S3.
// 5. sweep.ts: the milestone sweep of 130 units over 100k activities (and 10k): DynamoDB
//    commands by name per due entry at both scales (0 Scans, or the bench fails), flags/s
//    against as many bare UpdateItem calls on the same items.
// 6. export.ts: a Parquet export of 100k activities (with results, media, flags) through runExport
//    against DynamoDB Local and a local S3, against DuckDB's own COPY of the same rows (goal ≤ 2×)
//    and a bare paged Query of the same partition; where the time goes; peak RSS of each.
// 7. scores.ts: GET scores recomputed on read for 130 units over 10k activities (getScores as the
//    handler runs it) against the bare paged Query loop over the same partitions.
// 8. progress.ts: GET …/progress from the read model (ADR 0021) through the get-progress handler
//    for 130 units over 10k activities and again over 100k, against the bare Query of the same
//    totals items (goal ≤ 1.5×; and ≤ 1.5× at 100k of what it is at 10k); the rebuild's time.
// 9. web.ts: the registration form in Chromium (direct navigation to /activities/new, signed in):
//    the gzip size of every script it loads (budget 200 KB) and navigation → the title input
//    accepts typing, against a bare Vue 3 + Element Plus page (one ElForm/ElInput/ElButton) built
//    by Vite in the same run. Needs Debian's chromium (CHROMIUM_PATH).
//
// BENCH_RUNS (default 5): start-up runs and media-check runs, and twice as many cold-import runs.
// BENCH_REQUESTS (default 200): GET /health requests and create + submit pairs.
// BENCH_MEDIA_OBJECTS (default 100): photos per media-check run.
// BENCH_SWEEP_ACTIVITIES (default 100000, at least 13000): activities of the larger sweep scale;
// BENCH_RUNS also sets the measured sweep runs per scale.
// BENCH_EXPORT_ACTIVITIES (default 100000): activities of the export bench; BENCH_RUNS its runs;
// BENCH_EXPORT_MEMORY_RUNS (default 3): its peak-RSS runs, each phase in a fresh process.
// BENCH_SCORES_ACTIVITIES (default 10000): activities of the scores bench; BENCH_RUNS its runs.
// BENCH_PROGRESS_ACTIVITIES (default 10000), BENCH_PROGRESS_ACTIVITIES_LARGE (default 100000): the
// progress bench's two scales; BENCH_RUNS × 20 samples of each side.
// BENCH_RUNS also sets the web bench's navigations of each page.
// media-check, sweep, scores, progress, export and web also run alone (their headers say how), printing just their rows.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleRows } from './bundles';
import { exportRows } from './export';
import { inProcessRows } from './in-process';
import { mediaCheckRows } from './media-check';
import { progressRows } from './progress';
import { startupRows } from './startup';
import { scoresRows } from './scores';
import { sweepRows } from './sweep';
import { webRows } from './web';
import { envCount, progress, stats, table, type Row } from './stats';

const RUNS = envCount('BENCH_RUNS', 5);
const REQUESTS = envCount('BENCH_REQUESTS', 200);
const MEDIA_OBJECTS = envCount('BENCH_MEDIA_OBJECTS', 100);
const SWEEP_ACTIVITIES = envCount('BENCH_SWEEP_ACTIVITIES', 100_000);
const SCORES_ACTIVITIES = envCount('BENCH_SCORES_ACTIVITIES', 10_000);
const EXPORT_ACTIVITIES = envCount('BENCH_EXPORT_ACTIVITIES', 100_000);
const PROGRESS_ACTIVITIES = envCount('BENCH_PROGRESS_ACTIVITIES', 10_000);
const PROGRESS_ACTIVITIES_LARGE = envCount('BENCH_PROGRESS_ACTIVITIES_LARGE', 100_000);

async function main(): Promise<void> {
  const started = performance.now();
  const rows: Row[] = [];
  const projectRoot = process.cwd();
  const work = mkdtempSync(join(tmpdir(), 'sciday-bench-'));
  try {
    rows.push(...(await startupRows(work, RUNS)));
    rows.push(...(await inProcessRows(work, REQUESTS, REQUESTS)));
    rows.push(...(await bundleRows(projectRoot, work, 2 * RUNS)));
    rows.push(...(await mediaCheckRows(work, RUNS, MEDIA_OBJECTS)));
    rows.push(...(await sweepRows(work, RUNS, SWEEP_ACTIVITIES)));
    rows.push(...(await scoresRows(work, RUNS, SCORES_ACTIVITIES)));
    rows.push(...(await progressRows(work, RUNS, PROGRESS_ACTIVITIES, PROGRESS_ACTIVITIES_LARGE)));
    rows.push(...(await exportRows(work, RUNS, EXPORT_ACTIVITIES)));
    rows.push(...(await webRows(projectRoot, work, RUNS)));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  console.log(table(rows));
  progress(`bench took ${Math.round((performance.now() - started) / 1000)} s`);
  mkdirSync('.bench', { recursive: true });
  writeFileSync('.bench/results.json', JSON.stringify({ at: new Date().toISOString(), rows: rows.map((r) => ({ ...r, ...stats(r.samples) })) }, null, 2));
}

await main();
process.exit(0);

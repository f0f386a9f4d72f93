// `npm run bench`: figures with a baseline measured in the same run, min/median/max over
// repeated runs. The machine is shared and noisy: read the medians and the ratios.
//
// Rows (each module says what it measures and against what):
// 1. startup.ts: `npm start` to a healthy GET /health (fresh data dir, then an existing one),
//    against DynamoDB Local alone answering its first request (the dominant cost).
// 2. in-process.ts: GET /health through the gateway against a bare node:http server invoking the same
//    handler (goal ≤ 1.1×; the handler called directly for reference);
//    create + submit of an activity through the real handlers against the same DynamoDB
//    calls made bare (goal ≤ 1.1×).
// 3. bundles.ts: every function of the topology bundled as CDK does: its size (goal ≤ 250 KB
//    each), what zod / middy / Powertools weigh in the largest, cold import() as deployed (its
//    NODE_OPTIONS) against a bare bundle creating the SDK clients its topology entry binds (goal
//    ≤ 1.3×), the worst three profiled module by module, what source maps cost at load, zod
//    classic against zod/mini (ADR 0043).
// 4. media-check.ts: 1 MB photos uploaded through the API until all are accepted (objects/s),
//    against a bare HeadObject + ranged GetObject loop on the same local S3 (goal ≤ 2×).
// 5. sweep.ts: the milestone sweep of 130 units over 100k activities (and 10k): DynamoDB
//    commands by name per due entry at both scales (0 Scans, or the bench fails), flags/s
//    against as many bare UpdateItem calls on the same items.
// 6. export.ts: a Parquet export of 100k activities (with results, media, flags) through runExport
//    against DynamoDB Local and a local S3, against DuckDB's own COPY of the same rows (goal ≤ 2×)
//    and a bare paged Query of the same partition; where the time goes; peak RSS of each.
// 7. scores.ts: GET scores from the read model (ADR 0038) for 130 units at 10k and 100k activities
//    against bare Queries of the same items (goals ≤ 50 ms, flat: 100k ≤ 1.5× 10k); the recomputation
//    it replaced against the bare paged Query loop, for reference.
// 8. progress.ts: GET …/progress from the read model (ADR 0021) through the get-progress handler
//    for 130 units over 10k activities and again over 100k, against the bare Query of the same
//    totals items (goal ≤ 1.5×; and ≤ 1.5× at 100k of what it is at 10k); the rebuild's time.
// 9. public-calendar.ts: the public list (ADR 0044) of one county and week over 10k activities
//    through the list-public-activities handler against the bare Query of the same items (goal ≤ 1.5×).
// 10. web.ts: the registration form in Chromium (direct navigation to /activities/new, signed in):
//    the gzip size of every script it loads (budget 200 KB) and navigation → the title input
//    accepts typing, against a bare Vue 3 + Element Plus page (one ElForm/ElInput/ElButton) built
//    by Vite in the same run. Needs Debian's chromium (CHROMIUM_PATH).
//
// BENCH_QUICK=1: every default below at a small size (runs 2, start-ups 1, cold imports 2 per bundle,
// requests 60, 10 photos, the sweep's 1,300 scale alone (1 run), scores and progress at 1k alone,
// export 2k with 1 memory run), and the bundle group without its diagnostics (import profiles,
// source maps at run time): a run of about 3 minutes on a quiet machine, to look at before a commit.
// Its figures are noisier, and what needs two scales (the sweep's proportionality, the read models'
// flatness from 10k to 100k) is not read: the full run is the record.
// Each group prints how long it took, and the whole run its total.
// BENCH_RUNS (default 5): start-up runs and media-check runs; BENCH_COLD_RUNS (default twice BENCH_RUNS, 2
// in a quick run) the cold import()s of each bundle.
// BENCH_REQUESTS (default 200): GET /health requests and create + submit pairs.
// BENCH_MEDIA_OBJECTS (default 100): photos per media-check run.
// BENCH_SWEEP_ACTIVITIES (default 100000, at least 13000): activities of the larger sweep scale;
// BENCH_RUNS also sets the measured sweep runs per scale.
// BENCH_EXPORT_ACTIVITIES (default 100000): activities of the export bench; BENCH_RUNS its runs;
// BENCH_EXPORT_MEMORY_RUNS (default 3): its peak-RSS runs, each phase in a fresh process.
// BENCH_SCORES_ACTIVITIES (default 10000), BENCH_SCORES_ACTIVITIES_LARGE (default 100000): the scores
// bench's two scales; BENCH_RUNS its recomputation runs, × 20 its GET samples.
// BENCH_PROGRESS_ACTIVITIES (default 10000), BENCH_PROGRESS_ACTIVITIES_LARGE (default 100000): the
// progress bench's two scales; BENCH_RUNS × 20 samples of each side.
// BENCH_PUBLIC_ACTIVITIES (default 10000; quick 2000): the public calendar bench's entries.
// BENCH_RUNS also sets the web bench's navigations of each page.
// BENCH_ONLY (comma-separated: startup, in-process, gateway (its GET /health rows alone), bundles,
// media-check, sweep, scores, progress, public-calendar, export, web): only those groups, e.g. `BENCH_ONLY=in-process,media-check npm run bench`.
// media-check, sweep, scores, progress, export and web also run alone (their headers say how), printing just their rows.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleRows } from './bundles';
import { exportRows } from './export';
import { gatewayRows, inProcessRows } from './in-process';
import { mediaCheckRows } from './media-check';
import { progressRows } from './progress';
import { publicCalendarRows } from './public-calendar';
import { startupRows } from './startup';
import { scoresRows } from './scores';
import { sweepRows } from './sweep';
import { webRows } from './web';
import { envCount, progress, stats, table, type Row } from './stats';

/** BENCH_QUICK=1: every group at a small size (≈ 3 min), for a look before a commit; the full run is the record. */
const QUICK = process.env.BENCH_QUICK === '1';
const RUNS = envCount('BENCH_RUNS', QUICK ? 2 : 5);
const REQUESTS = envCount('BENCH_REQUESTS', QUICK ? 60 : 200);
const MEDIA_OBJECTS = envCount('BENCH_MEDIA_OBJECTS', QUICK ? 10 : 100);
const SWEEP_ACTIVITIES = envCount('BENCH_SWEEP_ACTIVITIES', QUICK ? 13_000 : 100_000);
const SCORES_ACTIVITIES = envCount('BENCH_SCORES_ACTIVITIES', QUICK ? 1_000 : 10_000);
const EXPORT_ACTIVITIES = envCount('BENCH_EXPORT_ACTIVITIES', QUICK ? 2_000 : 100_000);
/** Quick: the smaller scale alone (the larger one equal to it). */
const SCORES_ACTIVITIES_LARGE = envCount('BENCH_SCORES_ACTIVITIES_LARGE', QUICK ? SCORES_ACTIVITIES : 100_000);
/** `BENCH_ONLY=scores,media-check`: only these groups (names as below). */
const ONLY = (process.env.BENCH_ONLY ?? '').split(',').map((g) => g.trim()).filter(Boolean);
const PROGRESS_ACTIVITIES = envCount('BENCH_PROGRESS_ACTIVITIES', QUICK ? 1_000 : 10_000);
const PROGRESS_ACTIVITIES_LARGE = envCount('BENCH_PROGRESS_ACTIVITIES_LARGE', QUICK ? PROGRESS_ACTIVITIES : 100_000);
/** Quick: fewer repetitions where one repetition is long (start-ups, sweeps of 13k, the export's fresh processes). */
const STARTUP_RUNS = envCount('BENCH_RUNS', QUICK ? 1 : 5);
const SWEEP_RUNS = envCount('BENCH_RUNS', QUICK ? 1 : 5);
const EXPORT_MEMORY_RUNS = QUICK ? 1 : 3;
/** Cold import()s of each bundle: twice the runs, 2 in a quick run. */
const COLD_RUNS = envCount('BENCH_COLD_RUNS', QUICK ? 2 : 2 * RUNS);
const PUBLIC_ACTIVITIES = envCount('BENCH_PUBLIC_ACTIVITIES', QUICK ? 2_000 : 10_000);

async function main(): Promise<void> {
  const started = performance.now();
  const rows: Row[] = [];
  const projectRoot = process.cwd();
  const work = mkdtempSync(join(tmpdir(), 'sciday-bench-'));
  try {
    const groups: Array<[string, () => Promise<Row[]>]> = [
      ['startup', () => startupRows(work, STARTUP_RUNS)],
      ['in-process', () => inProcessRows(work, REQUESTS, REQUESTS)],
      // The GET /health rows of in-process alone (not run by a full bench: in-process has them).
      ...(ONLY.includes('gateway') ? ([['gateway', () => gatewayRows(work, REQUESTS)]] as Array<[string, () => Promise<Row[]>]>) : []),
      ['bundles', () => bundleRows(projectRoot, work, COLD_RUNS, { diagnostics: !QUICK })],
      ['media-check', () => mediaCheckRows(work, RUNS, MEDIA_OBJECTS)],
      ['sweep', () => sweepRows(work, SWEEP_RUNS, SWEEP_ACTIVITIES, { smallScaleOnly: QUICK })],
      ['scores', () => scoresRows(work, RUNS, SCORES_ACTIVITIES, SCORES_ACTIVITIES_LARGE)],
      ['progress', () => progressRows(work, RUNS, PROGRESS_ACTIVITIES, PROGRESS_ACTIVITIES_LARGE)],
      ['public-calendar', () => publicCalendarRows(work, RUNS, PUBLIC_ACTIVITIES)],
      ['export', () => exportRows(work, RUNS, EXPORT_ACTIVITIES, EXPORT_MEMORY_RUNS)],
      ['web', () => webRows(projectRoot, work, RUNS)],
    ];
    const unknown = ONLY.filter((name) => !groups.some(([g]) => g === name));
    if (unknown.length > 0) throw new Error(`BENCH_ONLY names no group ${unknown.join(', ')}; groups: ${groups.map(([g]) => g).join(', ')}`);
    for (const [name, rowsOf] of groups) {
      if (ONLY.length > 0 && !ONLY.includes(name)) continue;
      const groupStarted = performance.now();
      rows.push(...(await rowsOf()));
      progress(`group ${name} took ${Math.round((performance.now() - groupStarted) / 1000)} s`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  console.log(table(rows));
  progress(`bench${QUICK ? ' (quick)' : ''} took ${Math.round((performance.now() - started) / 1000)} s`);
  mkdirSync('.bench', { recursive: true });
  // A filtered run keeps the full run's file: results-<groups>.json.
  const file = `.bench/results${QUICK ? '-quick' : ''}${ONLY.length > 0 ? `-${ONLY.join('-')}` : ''}.json`;
  writeFileSync(file, JSON.stringify({ at: new Date().toISOString(), quick: QUICK, rows: rows.map((r) => ({ ...r, ...stats(r.samples) })) }, null, 2));
}

await main();
process.exit(0);

/**
 * `npm run test:all`: every jest project on a 2-core machine in lanes at once (2 by default,
 * `TEST_LANES=<n>`), each lane one jest process running its suites one at a time.
 *
 * Why lanes and not jest's workers: one jest with several workers starts the longest suites first,
 * which are the browser journeys, and two Chromiums with two runtimes starve each other's timeouts.
 * Here the browser journeys share one lane, and every other suite goes, longest first, to the lane
 * with the least work so far (the longest-processing-time rule), by each suite's last measured
 * duration. Two lanes fill the two cores: a third was tried and every suite ran 2–3 times slower
 * (a milestone suite 470 s instead of 153 s), the whole no sooner and with time-outs.
 *
 * Durations: `.bench/test-durations.json` (written after every run here, gitignored), else the
 * committed `test/run/durations.json`; a suite in neither counts as `UNKNOWN_SECONDS`.
 * Each line is prefixed with its lane; the exit code is the first failing lane's (0 when all pass).
 * Extra arguments go to every lane's jest (to run a few suites, call jest directly).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createInterface } from 'node:readline';

const ROOT = process.cwd();
const LANE_COUNT = Math.max(1, Number(process.env.TEST_LANES ?? 2));
const UNKNOWN_SECONDS = 30;
const MEASURED = join(ROOT, '.bench', 'test-durations.json');
const COMMITTED = join(ROOT, 'test', 'run', 'durations.json');
/** Every jest project's suites (package.json `jest.projects[].testMatch`: test/<project>/**). */
const PROJECT_DIRS = ['unit', 'infra', 'integration', 'e2e', 'faults'];
const isBrowserSuite = (file: string) => file.startsWith('test/e2e/');

function suites(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...suites(path));
    else if (entry.name.endsWith('.test.ts')) out.push(relative(ROOT, path));
  }
  return out;
}

function durations(): Record<string, number> {
  const read = (path: string): Record<string, number> => (existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Record<string, number>) : {});
  return { ...read(COMMITTED), ...read(MEASURED) };
}

interface Lane {
  readonly name: string;
  readonly files: string[];
  seconds: number;
}

/** The browser journeys in lane 1; every other suite, longest first, to the lane with the least work. */
export function plan(files: readonly string[], seconds: Record<string, number>, laneCount: number): Lane[] {
  const lanes: Lane[] = Array.from({ length: laneCount }, (_, i) => ({ name: `lane${i + 1}`, files: [], seconds: 0 }));
  const cost = (f: string) => seconds[f] ?? UNKNOWN_SECONDS;
  const sorted = [...files].sort((a, b) => cost(b) - cost(a) || a.localeCompare(b));
  for (const f of sorted.filter(isBrowserSuite)) {
    lanes[0]!.files.push(f);
    lanes[0]!.seconds += cost(f);
  }
  for (const f of sorted.filter((s) => !isBrowserSuite(s))) {
    const lane = lanes.reduce((least, l) => (l.seconds < least.seconds ? l : least));
    lane.files.push(f);
    lane.seconds += cost(f);
  }
  return lanes.filter((l) => l.files.length > 0);
}

/** `PASS integration test/x.test.ts (12.3 s)`: a suite's duration as jest reports it (small suites report none). */
const REPORTED = /^(?:PASS|FAIL)\s+(?:\S+\s+)?(test\/\S+\.test\.ts)(?:\s+\(([\d.]+) s\))?/;

function run(lane: Lane, measured: Record<string, number>): Promise<number> {
  const args = [join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js'), '--runInBand', '--passWithNoTests', ...process.argv.slice(2), '--runTestsByPath', ...lane.files];
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, FORCE_COLOR: process.env.FORCE_COLOR ?? '0' },
  });
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      process.stdout.write(`[${lane.name}] ${line}\n`);
      const m = REPORTED.exec(line);
      if (m) measured[m[1]!] = Math.max(1, Math.round(Number(m[2] ?? 1)));
    });
  }
  return new Promise((resolve) => child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

async function main(): Promise<void> {
  const files = PROJECT_DIRS.flatMap((d) => (existsSync(join(ROOT, 'test', d)) ? suites(join(ROOT, 'test', d)) : [])).sort();
  const lanes = plan(files, durations(), LANE_COUNT);
  for (const l of lanes) process.stdout.write(`[${l.name}] ${l.files.length} suites, about ${Math.round(l.seconds / 60)} min by their last durations\n`);
  const measured: Record<string, number> = {};
  const started = Date.now();
  const codes = await Promise.all(lanes.map((l) => run(l, measured)));
  process.stdout.write(`test:all: ${lanes.length} lanes in ${Math.round((Date.now() - started) / 1000)} s\n`);
  mkdirSync(join(ROOT, '.bench'), { recursive: true });
  writeFileSync(MEASURED, `${JSON.stringify({ ...durations(), ...measured }, Object.keys({ ...durations(), ...measured }).sort(), 2)}\n`);
  process.exitCode = codes.find((c) => c !== 0) ?? 0;
}

if (process.argv[1] && relative(ROOT, process.argv[1]) === join('test', 'run', 'all.ts')) void main();

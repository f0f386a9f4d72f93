/**
 * `npm run test:all`: every jest project on a 2-core machine in two lanes at once, each one suite
 * at a time — the browser journeys (each a runtime and a Chromium) in one lane, unit, infra and
 * integration in the other. One jest with two workers would start the longest suites first, which
 * are the browser journeys: two Chromiums and two runtimes at once starve each other's timeouts.
 * Each line is prefixed with its lane; the exit code is the first failing lane's (0 when both pass).
 * Extra arguments go to both lanes (a `--testPathPatterns` given here is OR-ed with the browser lane's
 * own: to run a few suites, call jest directly).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/**
 * The milestones, campaigns and kill -9 suites (the longest integration suites, each a private
 * runtime of its own) and the fault suite (its own jest project) run in the browser lane, which
 * balances the lanes' lengths.
 */
const BALANCED = 'test/integration/(milestones|campaigns-api|kill-under-load)\\.test\\.ts';
const LANES = [
  { name: 'browser', args: ['--selectProjects', 'e2e', 'integration', 'faults', '--testPathPatterns', `test/e2e/|test/faults/|${BALANCED}`] },
  { name: 'api', args: ['--selectProjects', 'unit', 'infra', 'integration', '--testPathIgnorePatterns', BALANCED] },
] as const;

function run(lane: (typeof LANES)[number]): Promise<number> {
  const child = spawn(process.execPath, [join(process.cwd(), 'node_modules', 'jest', 'bin', 'jest.js'), '--runInBand', '--passWithNoTests', ...lane.args, ...process.argv.slice(2)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, FORCE_COLOR: process.env.FORCE_COLOR ?? '0' },
  });
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => process.stdout.write(`[${lane.name}] ${line}\n`));
  }
  return new Promise((resolve) => child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

void Promise.all(LANES.map(run)).then((codes) => {
  process.exitCode = codes.find((c) => c !== 0) ?? 0;
});

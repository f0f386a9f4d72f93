/**
 * `npm test`'s first step: the type checks and the linter (package.json's `typecheck`, split at its
 * `&&`, and `lint`), two at a time on a 2-core machine instead of one after another. Each command's
 * output is printed whole when it ends, under its name; the exit code is the first failure's.
 * `npm run typecheck` and `npm run lint` still run them alone.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts;
const [first, ...rest] = (scripts.typecheck ?? '').split('&&').map((c) => c.trim());
// The two longest first (tsc and eslint), then the rest as each ends.
const commands = [first, scripts.lint, ...rest].filter((c): c is string => Boolean(c));
const WIDTH = Math.max(1, Math.min(Number(process.env.CHECKS_PARALLEL ?? 2), availableParallelism()));

function run(command: string): Promise<number> {
  const started = Date.now();
  const child = spawn('sh', ['-c', command], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  return new Promise((resolve) =>
    child.on('close', (code, signal) => {
      const status = code ?? (signal ? 1 : 0);
      process.stdout.write(`> ${command}: ${status === 0 ? 'ok' : `failed (${status})`} in ${Math.round((Date.now() - started) / 1000)} s\n${out}`);
      resolve(status);
    }),
  );
}

const queue = [...commands];
const codes: number[] = [];
await Promise.all(
  Array.from({ length: WIDTH }, async () => {
    for (let next = queue.shift(); next; next = queue.shift()) codes.push(await run(next));
  }),
);
process.exitCode = codes.find((c) => c !== 0) ?? 0;

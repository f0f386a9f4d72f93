// Integration tests run against the real local services: this starts the one-machine
// runtime once per run, exactly as `npm start` does, on a fresh data dir and free port.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

declare global {
  var __SCIDAY_RUNTIME__: ChildProcess | undefined;
}

/**
 * DynamoDB Local's JIT for test runtimes: C1 only. A test's JVM lives 10–180 s, too short for C2 to
 * repay its compiles; measured on 6,400 writes and queries, C1 alone used 35–38% less CPU (12.3 s
 * against 18.8–20.9 s) and finished no later. `npm start` keeps the JVM's defaults; a value in the
 * environment wins (`SCIDAY_DYNAMODB_JAVA_OPTS=` for the defaults).
 */
const TEST_JAVA_OPTS = '-XX:TieredStopAtLevel=1';

/** Starts `infra/local/main.ts` in a child process; resolves with the child once runtime.json exists. */
export async function spawnRuntime(dataDir: string, extraEnv: Record<string, string> = {}): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--disable-warning=ExperimentalWarning', 'infra/local/main.ts'],
    {
      cwd: process.cwd(),
      env: { SCIDAY_DYNAMODB_JAVA_OPTS: TEST_JAVA_OPTS, ...process.env, PORT: '0', SCIDAY_DATA_DIR: dataDir, SCIDAY_LOG: 'quiet', POWERTOOLS_LOG_LEVEL: 'ERROR', POWERTOOLS_METRICS_DISABLED: 'true', ...extraEnv },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => {
    stderr = (stderr + c.toString()).slice(-8000);
  });
  const info = join(dataDir, 'runtime.json');
  const deadline = Date.now() + 60_000;
  // runtime.json may be read while it is being written: a half-written file is "not yet".
  const written = (): boolean => {
    try {
      return Number((JSON.parse(readFileSync(info, 'utf8')) as { pid?: unknown }).pid) === child.pid;
    } catch {
      return false;
    }
  };
  while (!existsSync(info) || !written()) {
    if (child.exitCode !== null) throw new Error(`the local runtime exited (${child.exitCode}): ${stderr}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the local runtime did not start within 60 s: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return child;
}

export default async function globalSetup(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sciday-it-'));
  process.env.SCIDAY_TEST_DATA_DIR = dataDir;
  globalThis.__SCIDAY_RUNTIME__ = await spawnRuntime(dataDir);
}

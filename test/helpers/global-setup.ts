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

/**
 * Stops a runtime that failed to start, and everything it started: SIGTERM (its start aborts and
 * stops what had started), SIGKILL after `graceMs`, then the DynamoDB Local JVM it spawned, by the
 * pid it recorded in the data dir, should it still run (a SIGKILLed runtime runs no clean-up).
 */
export async function stopFailedRuntime(child: ChildProcess, dataDir: string, graceMs = 10_000): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, graceMs)))]);
    clearTimeout(timer);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  }
  await stopJvmOf(dataDir);
}

/** Stops the DynamoDB Local recorded in `dataDir/dynamodb-local.pid` if it still runs (checked by its command line). */
export async function stopJvmOf(dataDir: string): Promise<void> {
  let pid: number;
  try {
    pid = Number(readFileSync(join(dataDir, 'dynamodb-local.pid'), 'utf8'));
  } catch {
    return; // no JVM was started, or it was stopped (stop() removes the file)
  }
  const isOurs = () => {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      return cmdline.includes('DynamoDBLocal.jar') && cmdline.includes(dataDir);
    } catch {
      return false; // gone (or no /proc: nothing we can check)
    }
  };
  if (!Number.isInteger(pid) || pid <= 0 || !isOurs()) return;
  for (const [signal, ms] of [['SIGTERM', 5_000], ['SIGKILL', 2_000]] as const) {
    try {
      process.kill(pid, signal);
    } catch {
      return;
    }
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      if (!isOurs()) return; // a zombie (exited, not yet reaped) has an empty command line
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

export interface SpawnOptions {
  /** How long the runtime may take to write runtime.json (60 s). */
  readonly timeoutMs?: number;
  /** Gives up waiting as a timeout does, when aborted. */
  readonly signal?: AbortSignal;
  /** Receives everything the runtime writes, stdout and stderr (its functions' logs); stdout is discarded without it. */
  readonly output?: (chunk: string) => void;
}

/**
 * Starts `infra/local/main.ts` in a child process; resolves with the child once runtime.json exists.
 * A start that fails (the runtime exits, or does not start in time) leaves nothing running: the
 * child and its DynamoDB Local JVM are stopped before it rejects.
 */
export async function spawnRuntime(dataDir: string, extraEnv: Record<string, string> = {}, options: SpawnOptions = {}): Promise<ChildProcess> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--disable-warning=ExperimentalWarning', 'infra/local/main.ts'],
    {
      cwd: process.cwd(),
      env: { SCIDAY_DYNAMODB_JAVA_OPTS: TEST_JAVA_OPTS, ...process.env, PORT: '0', SCIDAY_DATA_DIR: dataDir, SCIDAY_LOG: 'quiet', POWERTOOLS_LOG_LEVEL: 'ERROR', POWERTOOLS_METRICS_DISABLED: 'true', ...extraEnv },
      stdio: ['ignore', options.output ? 'pipe' : 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => {
    stderr = (stderr + c.toString()).slice(-8000);
    options.output?.(c.toString());
  });
  child.stdout?.on('data', (c: Buffer) => options.output?.(c.toString()));
  const info = join(dataDir, 'runtime.json');
  const deadline = Date.now() + timeoutMs;
  // runtime.json may be read while it is being written: a half-written file is "not yet".
  const written = (): boolean => {
    try {
      return Number((JSON.parse(readFileSync(info, 'utf8')) as { pid?: unknown }).pid) === child.pid;
    } catch {
      return false;
    }
  };
  while (!existsSync(info) || !written()) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await stopJvmOf(dataDir);
      throw new Error(`the local runtime exited (${child.exitCode ?? child.signalCode}): ${stderr}`);
    }
    if (Date.now() > deadline || options.signal?.aborted) {
      await stopFailedRuntime(child, dataDir);
      throw new Error(`the local runtime did not start ${options.signal?.aborted ? 'before it was given up' : `within ${timeoutMs / 1000} s`}: ${stderr}`);
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

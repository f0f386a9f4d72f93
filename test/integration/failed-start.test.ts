// A start that fails leaves nothing running. The runtime (`npm start`) starts DynamoDB Local (a JVM)
// and fauxqs at once; when one of them fails (fauxqs cannot open its data, as with a port in use), or
// a SIGTERM comes during start-up, the runtime stops the JVM it spawned before it exits. When a test
// gives up waiting for a runtime (spawnRuntime's timeout: SIGTERM, then SIGKILL, then the JVM by its
// recorded pid), nothing of it remains either. Each JVM is found by its command line (DynamoDB Local
// on this test's data dir) while the start runs, and checked by pid afterwards.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnRuntime } from '../helpers/global-setup';

jest.setTimeout(60_000);

/** Pids of the live (not zombie) processes whose command line names DynamoDB Local and `dataDir`. */
function jvmsOn(dataDir: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      // A zombie (exited, not yet reaped) has an empty command line: it is not running.
      if (cmdline.includes('DynamoDBLocal.jar') && cmdline.includes(dataDir)) pids.push(Number(entry));
    } catch {
      // gone while listed
    }
  }
  return pids;
}

const running = (pid: number): boolean => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('DynamoDBLocal.jar');
  } catch {
    return false;
  }
};

/**
 * Runs `start` while watching for the JVMs it spawns (`jvmSeen` resolves once one was recorded);
 * resolves with how the start failed and every JVM pid seen.
 */
async function failedStart(dataDir: string, start: (jvmSeen: Promise<void>) => Promise<unknown>): Promise<{ error: string; jvms: number[] }> {
  const seen = new Set<number>();
  let saw: () => void = () => undefined;
  const jvmSeen = new Promise<void>((r) => (saw = r));
  const watch = setInterval(() => {
    for (const pid of jvmsOn(dataDir)) seen.add(pid);
    if (seen.size > 0) saw();
  }, 25);
  try {
    const error = await start(jvmSeen).then(
      () => 'started',
      (e: unknown) => String(e),
    );
    return { error, jvms: [...seen] };
  } finally {
    clearInterval(watch);
  }
}

/** `npm start` on `dataDir`, as spawnRuntime runs it. */
const startMain = (dataDir: string, env: Record<string, string> = {}): ChildProcess =>
  spawn(process.execPath, ['--import', 'tsx', '--disable-warning=ExperimentalWarning', 'infra/local/main.ts'], {
    cwd: process.cwd(),
    env: { ...process.env, PORT: '0', SCIDAY_DATA_DIR: dataDir, SCIDAY_LOG: 'quiet', SCIDAY_WEB_BUILD: 'never', SCIDAY_DYNAMODB_JAVA_OPTS: '-XX:TieredStopAtLevel=1', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });

/** Resolves when `child` exits, with its code and the JVMs of `dataDir` still running at that moment. */
function exitOf(child: ChildProcess, dataDir: string): Promise<{ code: number | null; stderr: string; jvmsAtExit: number[] }> {
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stderr, jvmsAtExit: jvmsOn(dataDir) })));
}

/** A JVM suspended before its main class runs (waiting for a debugger): alive, never answering. */
const HANGING_JVM = { SCIDAY_DYNAMODB_JAVA_OPTS: '-agentlib:jdwp=transport=dt_socket,server=y,suspend=y,address=127.0.0.1:0', SCIDAY_WEB_BUILD: 'never' };

describe('A failed start stops the DynamoDB Local it started', () => {
  const dirs: string[] = [];
  const dir = () => {
    const d = mkdtempSync(join(tmpdir(), 'sciday-failed-start-'));
    dirs.push(d);
    return d;
  };
  afterAll(() => {
    // Should a test fail, no JVM of it outlives the run.
    for (const d of dirs) {
      for (const pid of jvmsOn(d)) process.kill(pid, 'SIGKILL');
      rmSync(d, { recursive: true, force: true });
    }
  });

  it('fauxqs fails while the JVM starts: the runtime stops that JVM, then exits with the error', async () => {
    const dataDir = dir();
    // fauxqs keeps its data in <dataDir>/fauxqs: a file there makes it fail at once, while DynamoDB Local is starting.
    writeFileSync(join(dataDir, 'fauxqs'), 'not a directory');
    let exit: Awaited<ReturnType<typeof exitOf>> | undefined;
    const { jvms } = await failedStart(dataDir, async () => {
      exit = await exitOf(startMain(dataDir), dataDir);
    });
    expect(exit?.code).toBe(1);
    expect(exit?.stderr).toMatch(/could not start: EEXIST/);
    expect(jvms.length).toBeGreaterThan(0);
    // Gone when the runtime exited (not left to a later start or to the test's clean-up).
    expect(exit?.jvmsAtExit).toEqual([]);
    expect(jvms.filter(running)).toEqual([]);
  });

  it('SIGTERM while the JVM does not answer yet: the start aborts, the JVM stops, the runtime exits', async () => {
    const dataDir = dir();
    let exit: Awaited<ReturnType<typeof exitOf>> | undefined;
    let signalled = Infinity;
    const { jvms } = await failedStart(dataDir, async (jvmSeen) => {
      const child = startMain(dataDir, HANGING_JVM);
      void jvmSeen.then(() => {
        signalled = Date.now();
        child.kill('SIGTERM');
      });
      exit = await exitOf(child, dataDir);
    });
    expect(exit?.code).toBe(130);
    // At once, not after DynamoDB Local's 30 s start-up deadline.
    expect(Date.now() - signalled).toBeLessThan(15_000);
    expect(jvms.length).toBeGreaterThan(0);
    expect(exit?.jvmsAtExit).toEqual([]);
    expect(jvms.filter(running)).toEqual([]);
  });

  it('spawnRuntime gives up while the JVM does not answer (its timeout): the runtime and its JVM are gone', async () => {
    const dataDir = dir();
    const giveUp = new AbortController();
    const hang = HANGING_JVM;
    let runtimePid: number | undefined;
    // Give up as soon as the JVM runs (as the 60 s timeout would, later).
    const { error, jvms } = await failedStart(dataDir, async (jvmSeen) => {
      void jvmSeen.then(() => giveUp.abort());
      const child = await spawnRuntime(dataDir, hang, { timeoutMs: 45_000, signal: giveUp.signal });
      runtimePid = child.pid;
      return child;
    });
    expect(runtimePid).toBeUndefined();
    expect(error).toMatch(/did not start before it was given up/);
    expect(jvms.length).toBeGreaterThan(0);
    expect(jvms.filter(running)).toEqual([]);
    expect(jvmsOn(dataDir)).toEqual([]);
  });
});

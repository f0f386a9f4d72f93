/**
 * DynamoDB Local (AWS's own jar) for the one-machine runtime.
 *
 * The jar ships inside the npm tarball `amplify-dynamodb-simulator` (folder
 * `package/emulator/`). `npm ci` runs {@link installDynamoDbLocal} from the
 * project's `postinstall`: it fetches the tarball with `npm pack` (so npm's cache
 * and registry settings apply), checks it against the pinned integrity and extracts
 * only `emulator/` (the package's own dependencies are 350 MB we never need).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cdsLaunch, emulatorArgs, javaVersionText } from './dynamodb-local-cds';

export const DYNAMODB_LOCAL_PACKAGE = {
  name: 'amplify-dynamodb-simulator',
  version: '2.9.30',
  /** The registry's `dist.integrity` of that version, pinned. */
  integrity: 'sha512-xTeeRLvzEfqyd5lh3bH4c0kHvSHHmmhD5ZDsHFKAQ5g2Zl6JqlFdutaQhCLHzxEp6Ry1o7TB6niIoXuQAnSewQ==',
} as const;

/** Where the extracted emulator lives (inside node_modules, so `npm ci` starts clean). */
export const dynamoDbLocalDir = (projectRoot: string): string =>
  join(projectRoot, 'node_modules', '.cache', 'sciday', `dynamodb-local-${DYNAMODB_LOCAL_PACKAGE.version}`);

const MARKER = '.sciday-integrity';

/** sha512 SRI string of a file, as npm writes `integrity`. */
export function sriOf(file: string): string {
  return `sha512-${createHash('sha512').update(readFileSync(file)).digest('base64')}`;
}

/** Fetches, verifies and extracts the emulator once; later calls return at once. */
export function installDynamoDbLocal(projectRoot: string, log: (line: string) => void = () => {}): string {
  const target = dynamoDbLocalDir(projectRoot);
  const marker = join(target, MARKER);
  if (existsSync(marker) && readFileSync(marker, 'utf8') === DYNAMODB_LOCAL_PACKAGE.integrity) return target;

  const work = mkdtempSync(join(tmpdir(), 'sciday-ddb-'));
  try {
    const spec = `${DYNAMODB_LOCAL_PACKAGE.name}@${DYNAMODB_LOCAL_PACKAGE.version}`;
    log(`fetching ${spec} (DynamoDB Local) through npm`);
    const pack = spawnSync('npm', ['pack', spec, '--pack-destination', work, '--silent'], { encoding: 'utf8' });
    if (pack.status !== 0) throw new Error(`npm pack ${spec} failed: ${pack.stderr || pack.stdout}`);
    const tarball = join(work, pack.stdout.trim().split('\n').pop() ?? '');
    const actual = sriOf(tarball);
    if (actual !== DYNAMODB_LOCAL_PACKAGE.integrity) {
      throw new Error(`${spec}: integrity mismatch (expected ${DYNAMODB_LOCAL_PACKAGE.integrity}, got ${actual})`);
    }
    const untar = spawnSync('tar', ['-xzf', tarball, '-C', work, 'package/emulator'], { encoding: 'utf8' });
    if (untar.status !== 0) throw new Error(`extracting ${spec} failed: ${untar.stderr}`);
    writeFileSync(join(work, 'package', 'emulator', MARKER), DYNAMODB_LOCAL_PACKAGE.integrity);
    rmSync(target, { recursive: true, force: true });
    mkdirSync(join(target, '..'), { recursive: true });
    renameSync(join(work, 'package', 'emulator'), target);
    log(`DynamoDB Local ready in ${target}`);
    return target;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Thrown when `java` cannot be run; its message is the one line a user needs. */
export class JavaMissingError extends Error {
  public constructor() {
    super(
      'SciDay needs Java 17+ for DynamoDB Local, and `java` was not found: install it (Debian/Ubuntu: sudo apt-get install -y openjdk-17-jre-headless; macOS: brew install openjdk@17) and run npm start again.',
    );
    this.name = 'JavaMissingError';
  }
}

export interface DynamoDbLocal {
  readonly endpoint: string;
  readonly pid: number;
  stop(): Promise<void>;
}

/** Whether a process with this pid exists. */
export const pidAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * Refuses to share a data dir with a live runtime (both would write the same files, and a start
 * would stop the other's JVM as an orphan); then marks it as this process's. Answers the lock file.
 * Claimed again by the same process, it changes nothing.
 */
export function claimDataDir(dataDir: string): string {
  const lock = join(dataDir, 'runtime.pid');
  if (existsSync(lock)) {
    const pid = Number(readFileSync(lock, 'utf8'));
    if (pid !== process.pid && pid > 0 && pidAlive(pid)) throw new Error(`Another SciDay runtime (pid ${pid}) is using ${dataDir}; stop it or choose another SCIDAY_DATA_DIR.`);
  }
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(lock, String(process.pid));
  return lock;
}

async function waitForExit(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!pidAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return !pidAlive(pid);
}

/**
 * A runtime killed with `kill -9` leaves its Java child running with the database
 * open. Stop that orphan (only if it really is DynamoDB Local on this data dir).
 */
async function stopOrphan(pidFile: string, dbPath: string): Promise<void> {
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8'));
  rmSync(pidFile, { force: true });
  if (!Number.isInteger(pid) || pid <= 0 || !pidAlive(pid)) return;
  let cmdline: string;
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return;
  }
  if (!cmdline.includes('DynamoDBLocal.jar') || !cmdline.includes(dbPath)) return;
  process.kill(pid, 'SIGTERM');
  if (!(await waitForExit(pid, 5_000))) process.kill(pid, 'SIGKILL');
  await waitForExit(pid, 2_000);
}

/**
 * The DynamoDB Local JVMs this process started and has not stopped. Should the process end any
 * other way than through `stop()` (`process.exit` while one is still starting, an uncaught error),
 * each is sent SIGTERM on the way out: no JVM outlives its runtime.
 * (A runtime killed with SIGKILL runs no code: the next start on its data dir stops that orphan.)
 */
const running = new Set<ChildProcess>();
let exitHook = false;
function track(child: ChildProcess): void {
  running.add(child);
  child.once('exit', () => running.delete(child));
  if (exitHook) return;
  exitHook = true;
  process.once('exit', () => {
    for (const jvm of running) if (jvm.exitCode === null && jvm.signalCode === null) jvm.kill('SIGTERM');
  });
}

/** Extra JVM options from `SCIDAY_DYNAMODB_JAVA_OPTS` (space-separated), e.g. a profiler or JIT flags. */
function javaOptions(): string[] {
  return (process.env.SCIDAY_DYNAMODB_JAVA_OPTS ?? '').split(/\s+/).filter(Boolean);
}

/**
 * Starts DynamoDB Local on `port` with its data under `dataDir/dynamodb`. A start that fails (the
 * JVM exits, does not answer within 30 s, or `signal` aborts the wait) stops the JVM before it rejects.
 */
export async function startDynamoDbLocal(options: {
  projectRoot: string;
  dataDir: string;
  port: number;
  log?: (line: string) => void;
  signal?: AbortSignal;
}): Promise<DynamoDbLocal> {
  const javaVersion = javaVersionText();
  if (!javaVersion) throw new JavaMissingError();
  const jarDir = installDynamoDbLocal(options.projectRoot, options.log);
  // Its class-data archive when `npm ci` made one for this Java (ADR 0051): the same emulator, started in about half the time.
  const cds = cdsLaunch(jarDir, javaVersion);
  const dbPath = join(options.dataDir, 'dynamodb');
  mkdirSync(dbPath, { recursive: true });
  const pidFile = join(options.dataDir, 'dynamodb-local.pid');
  await stopOrphan(pidFile, dbPath);

  const child: ChildProcess = spawn(
    'java',
    [
      ...javaOptions(),
      ...(cds?.options ?? []),
      ...emulatorArgs({ jarDir, jar: cds?.jar ?? join(jarDir, 'DynamoDBLocal.jar'), port: options.port, dbPath }),
    ],
    { cwd: jarDir, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  track(child);
  writeFileSync(pidFile, String(child.pid));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(pidFile, { force: true });
  };

  const endpoint = `http://127.0.0.1:${options.port}`;
  // The SDK is loaded only now, while the JVM boots: `npm start` launches the JVM before it loads anything heavy.
  const { DynamoDBClient, ListTablesCommand } = await import('@aws-sdk/client-dynamodb');
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const deadline = Date.now() + 30_000;
  let ready = false;
  try {
    while (!ready) {
      const gone = await Promise.race([exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 50))]);
      if (gone) throw new Error(`DynamoDB Local exited during start-up: ${stderr.trim()}`);
      options.signal?.throwIfAborted();
      ready = await client.send(new ListTablesCommand({ Limit: 1 })).then(
        () => true,
        () => false,
      );
      if (!ready && Date.now() > deadline) throw new Error(`DynamoDB Local did not answer within 30 s: ${stderr.trim()}`);
    }
  } catch (error) {
    await stop();
    throw error;
  } finally {
    client.destroy();
  }

  return { endpoint, pid: child.pid ?? -1, stop };
}

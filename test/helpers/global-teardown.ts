import { rmSync } from 'node:fs';

/** Stops the runtime the way Ctrl-C does (SIGTERM), then removes its data dir. */
export default async function globalTeardown(): Promise<void> {
  const child = globalThis.__SCIDAY_RUNTIME__;
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 15_000)))]);
    clearTimeout(timer);
    if (child.exitCode === null) child.kill('SIGKILL');
  }
  if (process.env.SCIDAY_TEST_DATA_DIR) rmSync(process.env.SCIDAY_TEST_DATA_DIR, { recursive: true, force: true });
}

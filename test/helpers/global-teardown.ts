import { rmSync } from 'node:fs';
import { stopJvmOf } from './global-setup';

/** Stops the runtime the way Ctrl-C does (SIGTERM), then removes its data dir. */
export default async function globalTeardown(): Promise<void> {
  const child = globalThis.__SCIDAY_RUNTIME__;
  if (child && child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 15_000)))]);
    clearTimeout(timer);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  // A runtime that needed SIGKILL left its DynamoDB Local running: stop it by its recorded pid.
  if (process.env.SCIDAY_TEST_DATA_DIR) await stopJvmOf(process.env.SCIDAY_TEST_DATA_DIR);
  if (process.env.SCIDAY_TEST_DATA_DIR) rmSync(process.env.SCIDAY_TEST_DATA_DIR, { recursive: true, force: true });
}

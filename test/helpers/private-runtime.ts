/** Stops a runtime started with `spawnRuntime` as Ctrl-C would, and removes its data dir. */
import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';

export async function stopRuntime(runtime: ChildProcess, dataDir: string): Promise<void> {
  if (runtime.exitCode === null) {
    const exited = new Promise((r) => runtime.once('exit', r));
    runtime.kill('SIGTERM');
    await exited;
  }
  rmSync(dataDir, { recursive: true, force: true });
}

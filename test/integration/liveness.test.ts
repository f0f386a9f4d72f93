// Issue 17, item 8: GET /health made 13 AWS calls per request, and it is public. GET /health/live
// answers whether the API runs without any AWS call; GET /health reuses its report for 10 s. Proved
// on a runtime of its own whose functions' SDK clients all go through the fault injector (ADR
// 0026), which counts every call they make: first every call passes, then every call fails.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnRuntime } from '../helpers/global-setup';
import { stopRuntime } from '../helpers/private-runtime';
import { runtimeInfo } from '../helpers/runtime';

jest.setTimeout(120_000);

const dataDir = mkdtempSync(join(tmpdir(), 'sciday-liveness-'));
let runtime: ChildProcess;
let url: string;

interface FaultReport {
  enabled: boolean;
  calls: number;
}

const faults = async (): Promise<FaultReport> => (await (await fetch(`${url}/local/faults`)).json()) as FaultReport;
async function injecting(enabled: boolean): Promise<void> {
  const res = await fetch(`${url}/local/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ enabled }) });
  expect(res.status).toBe(200);
}

/** Waits until the functions make no SDK call for 2 s (the start's stream consumers are done). */
async function quiet(): Promise<number> {
  const deadline = Date.now() + 60_000;
  let last = (await faults()).calls;
  let since = Date.now();
  while (Date.now() - since < 2_000) {
    if (Date.now() > deadline) throw new Error('the runtime never went quiet');
    await new Promise((r) => setTimeout(r, 250));
    const now = (await faults()).calls;
    if (now !== last) {
      last = now;
      since = Date.now();
    }
  }
  return last;
}

beforeAll(async () => {
  // Every call of the functions fails once injection is on; it starts paused, so the runtime's
  // first work (the stream consumers of the seeded campaigns) goes through.
  runtime = await spawnRuntime(dataDir, { SCIDAY_FAULTS: 'rate=1,kinds=5xx,seed=17' });
  url = runtimeInfo(dataDir).url;
  await injecting(false);
});

afterAll(async () => {
  if (runtime) await stopRuntime(runtime, dataDir);
});

describe('GET /health/live and GET /health', () => {
  it('answers GET /health/live with no AWS call, even while every AWS call fails; GET /health asks every dependency', async () => {
    const before = await quiet();
    await injecting(true);

    for (let i = 0; i < 20; i += 1) {
      const res = await fetch(`${url}/health/live`);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(await res.json()).toEqual({ status: 'ok' });
    }
    expect((await faults()).calls).toBe(before);

    // The deep check: one metadata call per table, queue and bucket (13), each failing now.
    const deep = await fetch(`${url}/health`);
    expect(deep.status).toBe(503);
    const report = (await deep.json()) as { status: string; dependencies: unknown[] };
    expect(report.status).toBe('unavailable');
    expect((await faults()).calls).toBeGreaterThanOrEqual(before + report.dependencies.length);
  });

  it('reuses the deep check’s report for 10 s: a burst of GET /health makes no further call', async () => {
    const start = await quiet();
    const answers = await Promise.all(Array.from({ length: 15 }, () => fetch(`${url}/health`)));
    const bodies = (await Promise.all(answers.map((a) => a.json()))) as Array<{ checkedAt: string }>;
    expect(new Set(bodies.map((b) => b.checkedAt)).size).toBe(1);
    for (const a of answers) {
      expect(a.status).toBe(503);
      expect(a.headers.get('cache-control')).toMatch(/^public, max-age=\d+$/);
      expect(Number(a.headers.get('age'))).toBeLessThanOrEqual(10);
    }
    expect((await faults()).calls).toBe(start);
  });

  it('checks again once the report is 10 s old: the dependencies answer again, so does GET /health', async () => {
    await injecting(false);
    await new Promise((r) => setTimeout(r, 10_500));
    const res = await fetch(`${url}/health`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { status: string }).status).toBe('ok');
  });
});

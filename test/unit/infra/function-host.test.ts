// The local function host runs at most `concurrency` invocations of a function at once; the rest
// wait in order, and a function's timeout counts from when its invocation runs, not from when it
// was asked for (as a Lambda's does). Each invocation has a module instance to itself, as a
// Lambda instance runs one event at a time (ADR 0030).
import { fileURLToPath } from 'node:url';
import { FunctionHost, FunctionTimeoutError } from '../../../infra/local/function-host';
import type { Topology } from '../../../infra/topology';
import { seen } from './fixtures/counting-state';

const topology = {
  functions: {
    counting: { entry: 'test/unit/infra/fixtures/counting-handler.ts', timeoutSeconds: 1, memoryMb: 128 },
  },
} as unknown as Topology;

/**
 * Jest has no ESM URLs with queries: each instance is the file required in an isolated registry,
 * which is what `?instance=n` gives under Node (a module record of its own).
 */
const importModule = (url: string): Promise<unknown> => {
  const path = fileURLToPath(url.replace(/\?.*$/, ''));
  let mod: unknown;
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- an isolated registry is require's
    mod = require(path) as unknown;
  });
  return Promise.resolve(mod);
};

const host = (concurrency: number) =>
  new FunctionHost(topology, { projectRoot: process.cwd(), region: 'cn-north-1', stage: 'test', concurrency, importModule });

beforeEach(() => Object.assign(seen, { running: 0, most: 0, order: [], instances: new Set() }));

describe('Class: FunctionHost', () => {
  it('runs at most its concurrency of one function at once, first come first served, and answers each', async () => {
    const h = host(3);
    const answers = await Promise.all(Array.from({ length: 10 }, (_, n) => h.invoke('counting', { n, ms: 30 })));
    expect(answers.map((a) => (a.value as { n: number }).n)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(seen.most).toBe(3);
    expect(seen.order.slice(0, 3).sort()).toEqual([0, 1, 2]);
    expect(h.active).toBe(0);
  });

  it('starts the timeout when the invocation runs: 8 invocations of 400 ms, one at a time, all within a 1 s timeout', async () => {
    const h = host(1);
    const answers = await Promise.all(Array.from({ length: 8 }, (_, n) => h.invoke('counting', { n, ms: 400 })));
    expect(answers).toHaveLength(8);
    expect(seen.most).toBe(1);
  });

  it('still fails an invocation that itself runs past the timeout, and frees its slot', async () => {
    const h = host(1);
    await expect(h.invoke('counting', { n: 1, ms: 1_500 })).rejects.toBeInstanceOf(FunctionTimeoutError);
    await expect(h.invoke('counting', { n: 2, ms: 10 })).resolves.toMatchObject({ value: { n: 2 } });
  });

  it('gives each running invocation a module instance of its own, loads no more than its concurrency, and reuses idle ones', async () => {
    const h = host(4);
    // The fixture throws if two invocations ever run in one module instance.
    const first = await Promise.all(Array.from({ length: 12 }, (_, n) => h.invoke('counting', { n, ms: 20 })));
    const ids = new Set(first.map((a) => (a.value as { instance: number }).instance));
    expect(seen.most).toBe(4);
    expect(ids.size).toBe(4);
    expect(h.instanceCount('counting')).toBe(4);
    // One at a time afterwards: an idle instance serves it, none is loaded.
    for (let n = 0; n < 5; n += 1) await h.invoke('counting', { n, ms: 1 });
    expect(h.instanceCount('counting')).toBe(4);
    expect(seen.instances.size).toBe(4);
  });

  it('never hands out again an instance whose invocation timed out (its work may still be running)', async () => {
    const h = host(2);
    await expect(h.invoke('counting', { n: 1, ms: 1_500 })).rejects.toBeInstanceOf(FunctionTimeoutError);
    // The timed-out instance is still busy: reusing it would throw in the fixture.
    const answers = await Promise.all([h.invoke('counting', { n: 2, ms: 10 }), h.invoke('counting', { n: 3, ms: 10 })]);
    expect(answers.map((a) => (a.value as { n: number }).n)).toEqual([2, 3]);
    expect(h.instanceCount('counting')).toBe(3);
  });
});

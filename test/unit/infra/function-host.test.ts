// The local function host runs at most `concurrency` invocations of a function at once; the rest
// wait in order, and a function's timeout counts from when its invocation runs, not from when it
// was asked for (as a Lambda's does).
import { FunctionHost, FunctionTimeoutError } from '../../../infra/local/function-host';
import type { Topology } from '../../../infra/topology';
import { seen } from './fixtures/counting-handler';

const topology = {
  functions: {
    counting: { entry: 'test/unit/infra/fixtures/counting-handler.ts', timeoutSeconds: 1, memoryMb: 128 },
  },
} as unknown as Topology;

const host = (concurrency: number) => new FunctionHost(topology, { projectRoot: process.cwd(), region: 'cn-north-1', stage: 'test', concurrency });

beforeEach(() => Object.assign(seen, { running: 0, most: 0, order: [] }));

describe('Class: FunctionHost', () => {
  it('runs at most its concurrency of one function at once, first come first served, and answers each', async () => {
    const h = host(3);
    const answers = await Promise.all(Array.from({ length: 10 }, (_, n) => h.invoke('counting', { n, ms: 30 })));
    expect(answers.map((a) => a.value)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
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
    await expect(h.invoke('counting', { n: 2, ms: 10 })).resolves.toMatchObject({ value: 2 });
  });
});

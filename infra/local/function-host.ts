/**
 * Runs the topology's handler modules in this process as Lambda would: a pool of module
 * instances per function, each running one invocation at a time (a new one is loaded when every
 * instance is busy: the cold start), a Lambda-shaped context per invocation, and the function's
 * timeout enforced.
 *
 * Instances: a handler module keeps state at module level as Lambda allows (a Powertools
 * `BatchProcessor`, its logger's and metrics' buffers, caches), because one Lambda instance never
 * runs two events at once. Instance n > 1 is the same file imported as `…handler.ts?instance=n`:
 * a module record of its own, while the modules it imports (the SDK, shared/) stay shared, as the
 * layers of one deployment would. Two invocations therefore never share a handler module's state
 * (ADR 0030).
 *
 * Concurrency: at most `concurrency` invocations of one function run at once (default 8,
 * `SCIDAY_LOCAL_CONCURRENCY`); the rest wait, first come first served, and their timeout starts
 * when they run, as a Lambda's starts when its instance runs the event. On AWS each instance has
 * its own CPU; here every invocation shares two cores and one DynamoDB Local, and with 200 at once
 * each one's 10 s ran out waiting behind the others (500s under load, docs/load.md).
 */
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import type { FunctionSpec, Topology } from '../topology';

type Handler = (event: unknown, context: Context) => Promise<unknown>;

/** A Lambda that ran past its timeout: the whole invocation failed. */
export class FunctionTimeoutError extends Error {
  public constructor(functionId: string, seconds: number) {
    super(`Task timed out after ${seconds} seconds (${functionId})`);
    this.name = 'FunctionTimeoutError';
  }
}

export interface InvokeResult {
  readonly requestId: string;
  readonly value: unknown;
}

/** Invocations of one function: how many run, and who waits for a slot. */
interface Slots {
  running: number;
  readonly waiting: Array<() => void>;
}

export const DEFAULT_LOCAL_CONCURRENCY = 8;

/** The loaded module instances of one function. */
interface Instances {
  /** How many were loaded (or are loading); the next is `?instance=count+1`. */
  count: number;
  /** Loaded and not running an invocation. */
  readonly idle: Handler[];
}

export class FunctionHost {
  private readonly modules = new Map<string, Promise<Handler>>();
  private readonly instances = new Map<string, Instances>();
  private readonly slots = new Map<string, Slots>();
  private inFlight = 0;
  private readonly concurrency: number;

  public constructor(
    private readonly topology: Topology,
    private readonly options: {
      projectRoot: string;
      region: string;
      stage: string;
      concurrency?: number;
      /** Loads one module instance (default: `import(url)`); a test runner without ESM URLs passes its own. */
      importModule?: (url: string) => Promise<unknown>;
    },
  ) {
    this.concurrency = Math.max(1, options.concurrency ?? DEFAULT_LOCAL_CONCURRENCY);
  }

  /** Waits for one of the function's slots; the returned function gives it back. */
  private async slot(functionId: string): Promise<() => void> {
    let s = this.slots.get(functionId);
    if (!s) {
      s = { running: 0, waiting: [] };
      this.slots.set(functionId, s);
    }
    const slots = s;
    if (slots.running >= this.concurrency) await new Promise<void>((resolve) => slots.waiting.push(resolve));
    else slots.running += 1;
    // A slot handed over by `release` keeps `running` as it is.
    return () => {
      const next = slots.waiting.shift();
      if (next) next();
      else slots.running -= 1;
    };
  }

  /** Invocations not yet settled (the runtime waits for them at shutdown). */
  public get active(): number {
    return this.inFlight;
  }

  private spec(functionId: string): FunctionSpec {
    const spec = this.topology.functions[functionId];
    if (!spec) throw new Error(`Unknown function ${functionId}`);
    return spec;
  }

  /** Imports module instance `n` of the function (1 is the file itself). */
  private importInstance(functionId: string, n: number): Promise<Handler> {
    const file = pathToFileURL(resolve(this.options.projectRoot, this.spec(functionId).entry)).href;
    const url = n === 1 ? file : `${file}?instance=${n}`;
    const load = this.options.importModule ?? ((u: string) => import(u) as Promise<unknown>);
    return load(url).then((loaded) => {
      const mod = loaded as { handler?: Handler; default?: { handler?: Handler } };
      const handler = mod.handler ?? mod.default?.handler;
      if (typeof handler !== 'function') throw new Error(`${url} does not export a handler`);
      return handler;
    });
  }

  /** The first instance, loaded once (a failed load is tried again on the next call). */
  private load(functionId: string): Promise<Handler> {
    let loaded = this.modules.get(functionId);
    if (!loaded) {
      loaded = this.importInstance(functionId, 1);
      loaded.catch(() => this.modules.delete(functionId));
      this.modules.set(functionId, loaded);
    }
    return loaded;
  }

  /** An idle instance of the function, or a new one; give it back with `park`. */
  private async acquire(functionId: string): Promise<Handler> {
    let pool = this.instances.get(functionId);
    if (!pool) {
      pool = { count: 0, idle: [] };
      this.instances.set(functionId, pool);
    }
    const idle = pool.idle.pop();
    if (idle) return idle;
    pool.count += 1;
    const n = pool.count;
    try {
      return n === 1 ? await this.load(functionId) : await this.importInstance(functionId, n);
    } catch (error) {
      if (n === pool.count) pool.count -= 1;
      throw error;
    }
  }

  private park(functionId: string, handler: Handler): void {
    this.instances.get(functionId)?.idle.push(handler);
  }

  /** Module instances loaded per function (for tests and the runtime's status). */
  public instanceCount(functionId: string): number {
    return this.instances.get(functionId)?.count ?? 0;
  }

  /** Loads every handler's first instance now, so the first request pays no cold start. */
  public async warm(): Promise<void> {
    await Promise.all(Object.keys(this.topology.functions).map((id) => this.load(id)));
  }

  public async invoke(functionId: string, event: unknown, requestId: string = randomUUID()): Promise<InvokeResult> {
    const spec = this.spec(functionId);
    await this.load(functionId);
    this.inFlight += 1;
    const release = await this.slot(functionId);
    try {
      // Within its slot an invocation has an instance to itself: there are never more instances
      // busy than slots, so at most `concurrency` are ever loaded.
      const handler = await this.acquire(functionId);
      let reusable = true;
      try {
        return await this.run(functionId, spec, handler, event, requestId);
      } catch (error) {
        // Lambda discards an instance whose invocation timed out; its work may still be running here.
        if (error instanceof FunctionTimeoutError) reusable = false;
        throw error;
      } finally {
        if (reusable) this.park(functionId, handler);
      }
    } finally {
      release();
      this.inFlight -= 1;
    }
  }

  private async run(functionId: string, spec: FunctionSpec, handler: Handler, event: unknown, requestId: string): Promise<InvokeResult> {
    const deadline = Date.now() + spec.timeoutSeconds * 1000;
    const name = `sciday-${this.options.stage}-${functionId}`;
    const context: Context = {
      callbackWaitsForEmptyEventLoop: true,
      functionName: name,
      functionVersion: '$LATEST',
      invokedFunctionArn: `arn:aws:lambda:${this.options.region}:000000000000:function:${name}`,
      memoryLimitInMB: String(spec.memoryMb),
      awsRequestId: requestId,
      logGroupName: `/aws/lambda/${name}`,
      logStreamName: `local/${requestId}`,
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
      done: () => undefined,
      fail: () => undefined,
      succeed: () => undefined,
    };
    let timer: NodeJS.Timeout | undefined;
    try {
      const value = await Promise.race([
        handler(event, context),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new FunctionTimeoutError(functionId, spec.timeoutSeconds)), spec.timeoutSeconds * 1000);
        }),
      ]);
      return { requestId, value };
    } finally {
      clearTimeout(timer);
    }
  }
}

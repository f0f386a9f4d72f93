/**
 * Runs the topology's handler modules in this process as Lambda would: one module
 * instance per function (loaded on first use: the cold start), a Lambda-shaped
 * context per invocation, and the function's timeout enforced.
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

export class FunctionHost {
  private readonly modules = new Map<string, Promise<Handler>>();
  private inFlight = 0;

  public constructor(
    private readonly topology: Topology,
    private readonly options: { projectRoot: string; region: string; stage: string },
  ) {}

  /** Invocations not yet settled (the runtime waits for them at shutdown). */
  public get active(): number {
    return this.inFlight;
  }

  private spec(functionId: string): FunctionSpec {
    const spec = this.topology.functions[functionId];
    if (!spec) throw new Error(`Unknown function ${functionId}`);
    return spec;
  }

  private load(functionId: string): Promise<Handler> {
    let loaded = this.modules.get(functionId);
    if (!loaded) {
      const url = pathToFileURL(resolve(this.options.projectRoot, this.spec(functionId).entry)).href;
      loaded = import(url).then((mod: { handler?: Handler; default?: { handler?: Handler } }) => {
        const handler = mod.handler ?? mod.default?.handler;
        if (typeof handler !== 'function') throw new Error(`${url} does not export a handler`);
        return handler;
      });
      loaded.catch(() => this.modules.delete(functionId));
      this.modules.set(functionId, loaded);
    }
    return loaded;
  }

  /** Loads every handler now, so the first request pays no cold start. */
  public async warm(): Promise<void> {
    await Promise.all(Object.keys(this.topology.functions).map((id) => this.load(id)));
  }

  public async invoke(functionId: string, event: unknown, requestId: string = randomUUID()): Promise<InvokeResult> {
    const spec = this.spec(functionId);
    const handler = await this.load(functionId);
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
    this.inFlight += 1;
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
      this.inFlight -= 1;
    }
  }
}

/**
 * Fault injection for the one-machine runtime (ADR 0026): an AWS SDK plugin that makes a
 * seeded, pseudo-random share of the functions' SDK calls fail as they fail on AWS.
 *
 * Kinds:
 * - `throttle`: ThrottlingException / ProvisionedThroughputExceededException (DynamoDB), SlowDown
 *   (S3), 400/503, `$retryable.throttling`; nothing reaches the service.
 * - `5xx`: InternalServerError, 500; nothing reaches the service.
 * - `timeout`: a delay, then a transient TimeoutError; nothing reaches the service.
 * - `lost`: the call reaches the service and takes effect, then its answer is lost (a reset
 *   connection, `ECONNRESET`): the caller sees a failure of a call that succeeded.
 *
 * The middleware sits in the `deserialize` step, below the SDK's retry middleware
 * (`finalizeRequest`): every attempt is judged on its own and the SDK's own retry strategy
 * classifies and retries these errors exactly as it would on AWS.
 *
 * Only the local runtime registers it (`SCIDAY_FAULTS`, infra/local/main.ts), in the registry the
 * shared client factories apply (shared/clients/sdk-plugins.ts): the functions' clients, never
 * the runtime's own pollers and emulators. It refuses to run inside Lambda.
 *
 * @example
 * const faults = new FaultInjector(parseFaultSpec('rate=0.3,seed=7,kinds=throttle,5xx,timeout,lost'));
 * registerSdkPlugin(faults.plugin);
 * faults.report(); // { rate: 0.3, calls: 812, injected: { throttle: 61, '5xx': 58, timeout: 63, lost: 60 }, … }
 */
import type { AbsoluteLocation, DeserializeHandlerOptions, DeserializeMiddleware, Pluggable } from '@smithy/types';
import { registerSdkPlugin } from '../../shared/clients/sdk-plugins';
import { json } from '../../shared/http/middleware';
import type { LocalRoute } from './gateway';

export const FAULT_KINDS = ['throttle', '5xx', 'timeout', 'lost'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultConfig {
  /** Share of SDK calls (attempts) that fail, 0..1. */
  readonly rate: number;
  /** Seed of the pseudo-random sequence (the same seed, the same sequence of decisions). */
  readonly seed: number;
  /** Kinds injected, chosen evenly. */
  readonly kinds: readonly FaultKind[];
  /** How long a `timeout` waits before failing (ms). */
  readonly delayMs: number;
}

/** The environment variable that turns fault injection on in the local runtime. */
export const FAULTS_ENV = 'SCIDAY_FAULTS';

/**
 * Parses `rate=0.3,seed=7,kinds=throttle,5xx,timeout,lost,delay=150` (kinds run to the next
 * `key=`). Throws on anything it does not understand.
 */
export function parseFaultSpec(spec: string): FaultConfig {
  const values: Record<string, string[]> = {};
  let current: string | undefined;
  for (const part of spec.split(',').map((p) => p.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq > 0) {
      current = part.slice(0, eq).trim();
      values[current] = [part.slice(eq + 1).trim()];
    } else if (current === 'kinds') {
      values.kinds?.push(part);
    } else {
      throw new Error(`${FAULTS_ENV}: cannot read "${part}" (expected key=value)`);
    }
  }
  for (const key of Object.keys(values)) {
    if (!['rate', 'seed', 'kinds', 'delay'].includes(key)) throw new Error(`${FAULTS_ENV}: unknown setting "${key}"`);
  }
  const rate = Number(values.rate?.[0] ?? '0.3');
  if (!Number.isFinite(rate) || rate < 0 || rate > 1) throw new Error(`${FAULTS_ENV}: rate must be 0..1, not "${values.rate?.[0]}"`);
  const seed = Number(values.seed?.[0] ?? '1');
  if (!Number.isInteger(seed)) throw new Error(`${FAULTS_ENV}: seed must be an integer, not "${values.seed?.[0]}"`);
  const delayMs = Number(values.delay?.[0] ?? '150');
  if (!Number.isInteger(delayMs) || delayMs < 0 || delayMs > 10_000) throw new Error(`${FAULTS_ENV}: delay must be 0..10000 ms`);
  const kinds = (values.kinds ?? [...FAULT_KINDS]).map((k) => {
    if (!(FAULT_KINDS as readonly string[]).includes(k)) throw new Error(`${FAULTS_ENV}: unknown kind "${k}" (${FAULT_KINDS.join(', ')})`);
    return k as FaultKind;
  });
  if (kinds.length === 0) throw new Error(`${FAULTS_ENV}: no kinds`);
  return { rate, seed, kinds: [...new Set(kinds)], delayMs };
}

/** mulberry32: a small, fast, seedable generator of floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What the injector did so far. */
export interface FaultReport {
  readonly rate: number;
  readonly seed: number;
  readonly kinds: readonly FaultKind[];
  /** SDK call attempts seen (each retry is an attempt). */
  readonly calls: number;
  readonly injected: Readonly<Record<FaultKind, number>>;
  /** Injected faults by `Client.Operation`. */
  readonly byOperation: Readonly<Record<string, number>>;
}

type ServiceError = Error & {
  $fault: 'client' | 'server';
  $metadata: { httpStatusCode?: number; requestId?: string };
  $retryable?: { throttling?: boolean };
  code?: string;
};

function serviceError(name: string, message: string, status: number, fault: 'client' | 'server', retryable?: { throttling?: boolean }): ServiceError {
  const error = new Error(message) as ServiceError;
  error.name = name;
  error.$fault = fault;
  error.$metadata = { httpStatusCode: status, requestId: 'injected-fault' };
  if (retryable) error.$retryable = retryable;
  return error;
}

/** The throttling error each service answers with. */
function throttlingError(clientName: string, pick: number): ServiceError {
  if (clientName.startsWith('S3')) return serviceError('SlowDown', 'Please reduce your request rate. (injected)', 503, 'server', { throttling: true });
  if (clientName.startsWith('DynamoDB') && pick < 0.5) {
    return serviceError('ProvisionedThroughputExceededException', 'The level of configured provisioned throughput for the table was exceeded. (injected)', 400, 'client', { throttling: true });
  }
  return serviceError('ThrottlingException', 'Rate exceeded (injected)', 400, 'client', { throttling: true });
}

/** The network-level failure of a call whose answer never arrived. */
function lostAnswer(): ServiceError {
  const error = new Error('socket hang up (injected: the call took effect, its answer was lost)') as ServiceError;
  error.name = 'Error';
  error.code = 'ECONNRESET';
  error.$fault = 'client';
  error.$metadata = {};
  return error;
}

function timeoutError(): ServiceError {
  const error = new Error('Connection timed out (injected)') as ServiceError;
  error.name = 'TimeoutError';
  error.$fault = 'client';
  error.$metadata = {};
  return error;
}

/** A streamed body (S3 GetObject) of an answer that is thrown away must not hold its socket. */
function discard(output: unknown): void {
  const body = (output as { Body?: { destroy?: () => void } } | undefined)?.Body;
  if (body && typeof body.destroy === 'function') body.destroy();
}

export const FAULT_MIDDLEWARE_OPTIONS: DeserializeHandlerOptions & AbsoluteLocation & { name: string } = {
  step: 'deserialize',
  // Outermost of the deserialize step: it sees parsed answers, and the retry middleware above it sees its errors.
  priority: 'high',
  name: 'sciday-fault-injection',
  tags: ['SCIDAY', 'FAULT-INJECTION'],
  override: true,
};

export class FaultInjector {
  private readonly random: () => number;
  private calls = 0;
  private readonly injected: Record<FaultKind, number> = { throttle: 0, '5xx': 0, timeout: 0, lost: 0 };
  private readonly byOperation: Record<string, number> = {};
  /** Injecting at all (a test may pause it). */
  public enabled = true;

  public constructor(
    public readonly config: FaultConfig,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    // Never on AWS: this module is for the one-machine runtime only.
    if (env.AWS_LAMBDA_FUNCTION_NAME || env.AWS_EXECUTION_ENV) throw new Error('fault injection runs in the local runtime only, never in Lambda');
    this.random = seededRandom(config.seed);
  }

  /** The kind of fault for the next call, if any (advances the seeded sequence). */
  public decide(): { kind: FaultKind; pick: number } | undefined {
    this.calls += 1;
    const roll = this.random();
    const pick = this.random();
    if (!this.enabled || roll >= this.config.rate) return undefined;
    const kind = this.config.kinds[Math.min(this.config.kinds.length - 1, Math.floor(pick * this.config.kinds.length))] as FaultKind;
    return { kind, pick: (pick * this.config.kinds.length) % 1 };
  }

  public report(): FaultReport {
    return {
      rate: this.config.rate,
      seed: this.config.seed,
      kinds: this.config.kinds,
      calls: this.calls,
      injected: { ...this.injected },
      byOperation: { ...this.byOperation },
    };
  }

  private count(kind: FaultKind, operation: string): void {
    this.injected[kind] += 1;
    this.byOperation[operation] = (this.byOperation[operation] ?? 0) + 1;
  }

  public readonly middleware: DeserializeMiddleware<object, object> = (next, context) => async (args) => {
    const decision = this.decide();
    if (!decision) return next(args);
    const clientName = String(context.clientName ?? 'Client');
    const operation = `${clientName.replace(/Client$/, '')}.${String(context.commandName ?? 'Command').replace(/Command$/, '')}`;
    this.count(decision.kind, operation);
    switch (decision.kind) {
      case 'throttle':
        throw throttlingError(clientName, decision.pick);
      case '5xx':
        throw serviceError('InternalServerError', 'Internal server error (injected)', 500, 'server');
      case 'timeout':
        await new Promise((r) => setTimeout(r, this.config.delayMs));
        throw timeoutError();
      case 'lost': {
        const result = await next(args);
        discard(result.output);
        throw lostAnswer();
      }
    }
  };

  /** The plugin to register (shared/clients/sdk-plugins.ts). */
  public readonly plugin: Pluggable<object, object> = {
    applyToStack: (stack) => stack.add(this.middleware, FAULT_MIDDLEWARE_OPTIONS),
  };
}

/**
 * Turns fault injection on for the functions' SDK clients when `SCIDAY_FAULTS` is set (call it
 * before any handler loads); `undefined` when it is not.
 */
export function registerFaultInjection(env: NodeJS.ProcessEnv = process.env): FaultInjector | undefined {
  const spec = env[FAULTS_ENV];
  if (spec === undefined || spec === '') return undefined;
  const injector = new FaultInjector(parseFaultSpec(spec), env);
  registerSdkPlugin(injector.plugin);
  return injector;
}

/**
 * `GET /local/faults`: what was injected so far; `POST /local/faults` with `{"enabled": false}`
 * pauses injection (and `true` resumes it).
 */
export function faultRoutes(injector: FaultInjector): LocalRoute[] {
  return [
    { method: 'GET', path: '/local/faults', handle: async () => json(200, { enabled: injector.enabled, ...injector.report() }) as never },
    {
      method: 'POST',
      path: '/local/faults',
      handle: async (_req, body) => {
        let parsed: unknown;
        try {
          parsed = JSON.parse(body.toString('utf8'));
        } catch {
          parsed = undefined;
        }
        const enabled = (parsed as { enabled?: unknown } | undefined)?.enabled;
        if (typeof enabled !== 'boolean') return json(422, { title: 'enabled must be true or false' }) as never;
        injector.enabled = enabled;
        return json(200, { enabled: injector.enabled, ...injector.report() }) as never;
      },
    },
  ];
}

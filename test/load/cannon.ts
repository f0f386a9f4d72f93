/**
 * One bounded autocannon run: at most `amount` requests and at most `maxSeconds`, on loopback only.
 * Each request comes from `next(i)` (path, body, headers), so every request can carry its own
 * Idempotency-Key, token or item; `check` sees each answer (a status other than the expected one
 * is counted and fails the row).
 */
import autocannon from 'autocannon';

export interface Shot {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH';
  readonly path: string;
  readonly body?: string;
  readonly headers?: Record<string, string>;
}

export interface CannonResult {
  /** Completed requests per second (all answers, expected or not) over the run's wall time. */
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly completed: number;
  /** Answers whose status was not the expected one, plus connection errors and timeouts. */
  readonly failures: number;
  /** The first unexpected answers, for the report. */
  readonly examples: readonly string[];
  readonly seconds: number;
}

/** Refuses anything but loopback: this generator is never pointed at another machine. */
export function assertLoopback(url: string): void {
  const { hostname } = new URL(url);
  if (!['127.0.0.1', 'localhost', '[::1]', '::1'].includes(hostname)) throw new Error(`npm run load only targets loopback, not ${hostname}`);
}

export async function fire(options: {
  readonly url: string;
  readonly connections: number;
  readonly amount: number;
  readonly maxSeconds: number;
  readonly expect: number;
  next(i: number): Shot;
  /** Sees each answer's status and body (e.g. to keep the ids created). */
  onAnswer?(status: number, body: string, shot: Shot): void;
}): Promise<CannonResult> {
  assertLoopback(options.url);
  let issued = 0;
  let unexpected = 0;
  /** When the last answer came: autocannon settles on its one-second tick, so its own end is late by up to 1 s. */
  let lastAnswerAt = 0;
  const examples: string[] = [];
  let finish: (result: autocannon.Result) => void = () => undefined;
  let fail: (error: unknown) => void = () => undefined;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  const started = performance.now();
  const instance = autocannon({
    url: options.url,
    connections: Math.min(options.connections, options.amount),
    amount: options.amount,
    timeout: 30,
    requests: [
      {
        setupRequest: (request, context) => {
          const shot = options.next(issued);
          issued += 1;
          (context as { shot?: Shot }).shot = shot;
          return { ...request, method: shot.method, path: shot.path, body: shot.body, headers: { ...shot.headers } } as typeof request;
        },
        onResponse: (status, body, context) => {
          lastAnswerAt = performance.now();
          const shot = (context as { shot?: Shot }).shot;
          if (status !== options.expect) {
            unexpected += 1;
            if (examples.length < 3) examples.push(`${status} ${shot?.method} ${shot?.path}: ${body.slice(0, 200)}`);
          }
          if (shot) options.onAnswer?.(status, body, shot);
        },
      },
    ],
  }, (error: unknown, result: autocannon.Result) => (error ? fail(error) : finish(result)));
  const stopper = setTimeout(() => instance.stop(), options.maxSeconds * 1000);
  const result = await done;
  // The run's wall time, first request to last answer (a bounded run ends on a tick: quick runs of
  // 200 requests measured whole seconds, 200, 100, 67 req/s, for both sides alike).
  const seconds = ((lastAnswerAt > started ? lastAnswerAt : performance.now()) - started) / 1000;
  clearTimeout(stopper);
  const completed = result.requests.total;
  return {
    rps: completed / seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    completed,
    failures: unexpected + result.errors + result.timeouts,
    examples,
    seconds,
  };
}

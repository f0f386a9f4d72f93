/**
 * The functions' SDK retry strategy: bounded attempts with full-jitter exponential backoff, and no
 * client-side retry quota (ADR 0026).
 *
 * Why not the SDK's standard strategy: its quota (500 tokens, 14 per retry, 1 back per success) is
 * process-wide and meant to stop a retry storm from one long-lived client. At a sustained share of
 * failing calls it runs dry within a few hundred calls, and from then on every transient error
 * fails its call at the first attempt. A queue or stream function then fails the whole record, and
 * the redelivery redoes every call the record needs — more load on the service than retrying the
 * one call that failed, and after `maxReceiveCount` receives the work lands in a DLQ although each
 * call would have succeeded on its second try. Amplification stays bounded here by the attempts
 * per call (as it is for the standard strategy before its quota runs dry), by the backoff, and on
 * AWS by each function's concurrency.
 *
 * Retried: what the SDK classifies as throttling or transient (5xx, timeouts, connection resets),
 * exactly the errors the standard strategy retries. Type-only SDK imports: nothing loads at cold start.
 */
import type { RetryErrorInfo, RetryStrategyV2, RetryToken } from '@smithy/types';

export interface RetryPolicy {
  /** Attempts per call, the first included. */
  readonly maxAttempts: number;
  /** The backoff's base for transient errors and for throttling (ms). */
  readonly baseDelayMs: number;
  readonly throttlingBaseDelayMs: number;
  /** No single wait is longer (ms). */
  readonly maxDelayMs: number;
  /** [0, 1): the jitter's source (tests pass a fixed one). */
  readonly random?: () => number;
}

/** Five attempts: a call that fails 30% of the time then fails 0.24% of the time; at most ~7.5 s of waiting. */
export const FUNCTION_RETRY_POLICY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 50, throttlingBaseDelayMs: 500, maxDelayMs: 5_000 };

class Token implements RetryToken {
  constructor(
    private readonly retries: number,
    private readonly delayMs: number,
  ) {}
  getRetryCount(): number {
    return this.retries;
  }
  getRetryDelay(): number {
    return this.delayMs;
  }
}

export class BoundedRetryStrategy implements RetryStrategyV2 {
  /** Read by the SDK's retry middleware for its `amz-sdk-request` header. */
  readonly mode = 'standard';

  constructor(private readonly policy: RetryPolicy = FUNCTION_RETRY_POLICY) {}

  async acquireInitialRetryToken(): Promise<RetryToken> {
    return new Token(0, 0);
  }

  /** The next attempt's token, with its wait, or a refusal (the middleware then throws the call's error). */
  async refreshRetryTokenForRetry(token: RetryToken, error: RetryErrorInfo): Promise<RetryToken> {
    const retries = token.getRetryCount();
    if (retries + 1 >= this.policy.maxAttempts) throw new Error(`no retry left after ${retries + 1} attempts`);
    if (error.errorType !== 'THROTTLING' && error.errorType !== 'TRANSIENT') throw new Error(`not retried: ${error.errorType}`);
    const base = error.errorType === 'THROTTLING' ? this.policy.throttlingBaseDelayMs : this.policy.baseDelayMs;
    let delay = Math.floor((this.policy.random ?? Math.random)() * Math.min(this.policy.maxDelayMs, base * 2 ** retries));
    if (error.retryAfterHint instanceof Date) delay = Math.max(delay, Math.min(error.retryAfterHint.getTime() - Date.now(), this.policy.maxDelayMs));
    return new Token(retries + 1, delay);
  }

  recordSuccess(): void {
    // Nothing to refill: there is no quota.
  }
}

/** The strategy every client factory of shared/clients gives its client. */
export const functionRetryStrategy = (): BoundedRetryStrategy => new BoundedRetryStrategy();

/** The client configuration that applies it (`maxAttempts` also names the attempts in the `amz-sdk-request` header). */
export const functionRetryConfig = () => ({ retryStrategy: functionRetryStrategy(), maxAttempts: FUNCTION_RETRY_POLICY.maxAttempts });

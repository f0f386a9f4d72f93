/**
 * One SDK retry quota per function on one machine (ADR 0026).
 *
 * The SDK's standard retry strategy keeps a client-side quota (500 tokens, 5 or 10 per retry,
 * refunded on success) that stops retrying when a client sees failure after failure. On Lambda
 * every function instance has its own clients and so its own quota. Here every handler shares one
 * client per service (one module instance), so one busy function under faults would drain the
 * quota of all the others. This hook gives each client a strategy per function (from the
 * invocation scope), each the SDK's own standard strategy with the client's `maxAttempts`.
 */
import { StandardRetryStrategy } from '@smithy/core/retry';
import type { ClientHook } from '../../shared/clients/sdk-plugins';
import { invocationScope } from './invocation-scope';

type RetryConfig = { retryStrategy?: () => Promise<unknown>; maxAttempts?: () => Promise<number> };

export function perFunctionRetryQuotas(): ClientHook {
  return (client) => {
    const config = client.config as RetryConfig;
    const strategies = new Map<string, StandardRetryStrategy>();
    const maxAttempts = config.maxAttempts ?? (async () => 3);
    config.retryStrategy = async () => {
      const functionId = invocationScope.getStore()?.functionId ?? '(runtime)';
      let strategy = strategies.get(functionId);
      if (!strategy) {
        strategy = new StandardRetryStrategy(maxAttempts);
        strategies.set(functionId, strategy);
      }
      return strategy;
    };
  };
}

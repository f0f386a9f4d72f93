/**
 * Powertools Logger and Metrics for a function: structured JSON logs carrying the
 * request id (via `injectLambdaContext`) and EMF metrics under the `SciDay`
 * namespace. Service name, namespace and level come from POWERTOOLS_* variables.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

export interface Observability {
  readonly logger: Logger;
  readonly metrics: Metrics;
}

/** Powertools Metrics' own warning when an invocation added no metric (every GET): not news. */
const NOTHING_TO_PUBLISH = /^No application metrics to publish/;

/**
 * What Metrics warns about goes to the function's structured log, with its request id, instead of
 * a bare console line; that an invocation had no metric to publish is not logged at all (it was
 * one unstructured line per read request).
 */
function metricsLogger(logger: Logger) {
  return {
    debug: (...args: unknown[]) => logger.debug(String(args[0]), ...args.slice(1).map((a) => ({ detail: a }))),
    info: (...args: unknown[]) => logger.info(String(args[0]), ...args.slice(1).map((a) => ({ detail: a }))),
    warn: (...args: unknown[]) => {
      if (!NOTHING_TO_PUBLISH.test(String(args[0]))) logger.warn(String(args[0]), ...args.slice(1).map((a) => ({ detail: a })));
    },
    error: (...args: unknown[]) => logger.error(String(args[0]), ...args.slice(1).map((a) => ({ detail: a }))),
  };
}

/**
 * Creates the logger and metrics of the function `functionId` (one per module), or of one `part`
 * of a function that composes several use cases (a stream reader, ADR 0034): its logs carry
 * `part` and its metrics have a `part` dimension, so each part is watched as its own function was.
 * Flush every part's metrics (`logMetrics([...])`).
 */
export function observability(functionId: string, part?: string): Observability {
  const keys = { function: functionId, ...(part ? { part } : {}) };
  const logger = new Logger({ serviceName: 'sciday', persistentKeys: keys });
  const metrics = new Metrics({
    namespace: 'SciDay',
    serviceName: 'sciday',
    defaultDimensions: keys,
    logger: metricsLogger(logger),
  });
  return { logger, metrics };
}

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

/** Creates the logger and metrics of the function `functionId` (one per module). */
export function observability(functionId: string): Observability {
  const logger = new Logger({ serviceName: 'sciday', persistentKeys: { function: functionId } });
  const metrics = new Metrics({
    namespace: 'SciDay',
    serviceName: 'sciday',
    defaultDimensions: { function: functionId },
  });
  return { logger, metrics };
}

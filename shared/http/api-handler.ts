/**
 * The middy chain every HTTP handler shares: problem+json errors (outermost, so its
 * `onError` runs last), Powertools logging with the request id, metrics, the contract's 256 KiB
 * body limit (413), then any extra middlewares (e.g. Idempotency-Key, see idempotency.ts) next to
 * the route.
 *
 * @example
 * export const handler = apiHandler('create-activity', createActivityRoute, {
 *   extraMiddlewares: idempotencyMiddlewares(dynamoDbClient(config), config.tables.idempotency),
 * });
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { observability, type Observability } from '../observability';
import { bodyLimit, httpProblems } from './middleware';

export type Route = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyResultV2>;

export function apiHandler(
  functionId: string,
  route: Route,
  options: { extraMiddlewares?: middy.MiddlewareObj<APIGatewayProxyEventV2>[]; observability?: Observability } = {},
) {
  const { logger, metrics } = options.observability ?? observability(functionId);
  const chain = middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
    .use(httpProblems({ logger, metrics }))
    .use(injectLambdaContext(logger))
    .use(logMetrics(metrics))
    // Before the extras: an Idempotency-Key must not record, nor a route read, a body over the limit.
    .use(bodyLimit());
  for (const m of options.extraMiddlewares ?? []) chain.use(m as middy.MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyResultV2>);
  return chain.handler(route);
}

/**
 * The middy chain every HTTP handler shares: problem+json errors (outermost, so its
 * `onError` runs last), Powertools logging with the request id, metrics, and for
 * creating POSTs the Idempotency-Key semantics of the contract, built on Powertools
 * idempotency with its DynamoDB persistence layer.
 *
 * @example
 * export const handler = apiHandler('create-activity', createActivityRoute, { idempotency });
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { IdempotencyConfig } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { makeHandlerIdempotent } from '@aws-lambda-powertools/idempotency/middleware';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { BadRequestError } from '../errors';
import { observability, type Observability } from '../observability';
import { httpProblems } from './middleware';

export type Route = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyResultV2>;

/** A replay within 24 h returns the first response. */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;

/**
 * The key is the route, the path, the caller and the header; without the header there is
 * no key and the request runs normally (`&&` yields null when the header is absent).
 */
const IDEMPOTENCY_KEY_PATH =
  'headers."idempotency-key" && [requestContext.routeKey, rawPath, requestContext.authorizer.jwt.claims.sub, headers."idempotency-key"]';

/** Idempotency persistence for the functions that create things. */
export function idempotencyStore(client: DynamoDBClient, tableName: string) {
  return new DynamoDBPersistenceLayer({ tableName, awsSdkV3Client: client });
}

const validateIdempotencyKey: middy.MiddlewareObj<APIGatewayProxyEventV2> = {
  before: async ({ event }) => {
    const key = event.headers?.['idempotency-key'];
    if (key !== undefined && (key.length < 1 || key.length > 64)) {
      throw new BadRequestError('Idempotency-Key must be 1 to 64 characters');
    }
  },
};

export function apiHandler(
  functionId: string,
  route: Route,
  options: { idempotency?: DynamoDBPersistenceLayer; observability?: Observability } = {},
) {
  const { logger, metrics } = options.observability ?? observability(functionId);
  const chain = middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
    .use(httpProblems({ logger, metrics }))
    .use(injectLambdaContext(logger))
    .use(logMetrics(metrics));
  if (options.idempotency) {
    chain.use(validateIdempotencyKey).use(
      makeHandlerIdempotent({
        persistenceStore: options.idempotency,
        config: new IdempotencyConfig({
          eventKeyJmesPath: IDEMPOTENCY_KEY_PATH,
          payloadValidationJmesPath: 'body',
          throwOnNoIdempotencyKey: false,
          expiresAfterSeconds: IDEMPOTENCY_TTL_SECONDS,
          responseHook: (response) => {
            const r = response as { headers?: Record<string, string> };
            return { ...r, headers: { ...r.headers, 'idempotent-replayed': 'true' } };
          },
        }),
      }),
    );
  }
  return chain.handler(route);
}

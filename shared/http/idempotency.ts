/**
 * Idempotency-Key for creating POSTs, built on Powertools idempotency with its DynamoDB
 * persistence layer. A module of its own so that handlers without it do not load it
 * (Powertools idempotency brings JMESPath: cold start).
 *
 * @example
 * apiHandler('create-activity', route, { extraMiddlewares: idempotencyMiddlewares(client, table) });
 */
import type middy from '@middy/core';
import {
  IdempotencyAlreadyInProgressError,
  IdempotencyConfig,
  IdempotencyValidationError,
} from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { makeHandlerIdempotent } from '@aws-lambda-powertools/idempotency/middleware';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { IdempotencyInProgressError, IdempotencyKeyReusedError } from '../errors';
import { idempotencyKeyOf } from './write-identity';

/** A replay within 24 h returns the first response. */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;

/**
 * The key is the route, the path, the caller and the header; without the header there is
 * no key and the request runs normally (`&&` yields null when the header is absent).
 */
const IDEMPOTENCY_KEY_PATH =
  'headers."idempotency-key" && [requestContext.routeKey, rawPath, requestContext.authorizer.jwt.claims.sub, headers."idempotency-key"]';

/** 400 for a key outside 1..64 characters; Powertools' errors become the contract's 409 / 422. */
export const idempotencyKeyRules: middy.MiddlewareObj<APIGatewayProxyEventV2> = {
  before: async ({ event }) => {
    idempotencyKeyOf(event);
  },
  onError: async (request) => {
    if (request.error instanceof IdempotencyValidationError) request.error = new IdempotencyKeyReusedError(undefined, { cause: request.error });
    if (request.error instanceof IdempotencyAlreadyInProgressError) request.error = new IdempotencyInProgressError(undefined, { cause: request.error });
  },
};

/** The middlewares that give a handler the contract's Idempotency-Key semantics. */
export function idempotencyMiddlewares(client: DynamoDBClient, tableName: string): middy.MiddlewareObj<APIGatewayProxyEventV2>[] {
  return [
    idempotencyKeyRules,
    makeHandlerIdempotent({
      persistenceStore: new DynamoDBPersistenceLayer({ tableName, awsSdkV3Client: client }),
      config: new IdempotencyConfig({
        eventKeyJmesPath: IDEMPOTENCY_KEY_PATH,
        // An HTTP API event without a body has no `body` (a POST …/submit): hash '' then, never undefined.
        payloadValidationJmesPath: "body || ''",
        throwOnNoIdempotencyKey: false,
        expiresAfterSeconds: IDEMPOTENCY_TTL_SECONDS,
        responseHook: (response) => {
          const r = response as { headers?: Record<string, string> };
          return { ...r, headers: { ...r.headers, 'idempotent-replayed': 'true' } };
        },
      }),
    }) as middy.MiddlewareObj<APIGatewayProxyEventV2>,
  ];
}

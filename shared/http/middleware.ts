/**
 * middy middleware for HTTP handlers: maps thrown errors to problem+json. Attach it
 * first so its `onError` runs last (middy runs `onError` in reverse order).
 */
import type { MiddlewareObj } from '@middy/core';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { AppError, IdempotencyInProgressError, InvalidInputError, StaleVersionError } from '../errors';
import { negotiateLanguage, problemResponse, type ProblemCode } from './problem';

export function httpProblems(deps: {
  logger: Logger;
  metrics?: Metrics;
}): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyResultV2, Error, Context> {
  return {
    onError: async (request) => {
      const lang = negotiateLanguage(request.event.headers?.['accept-language']);
      const requestId = request.context.awsRequestId;
      const error = request.error;
      if (error instanceof AppError && error.status < 500) {
        deps.metrics?.addMetric('rejected', MetricUnit.Count, 1);
        request.response = problemResponse(error.status, error.code as ProblemCode, lang, {
          detail: error.message,
          errors: error instanceof InvalidInputError ? error.issues : undefined,
          headers:
            error instanceof StaleVersionError
              ? { etag: `"${error.currentVersion}"` }
              : error instanceof IdempotencyInProgressError
                ? { 'retry-after': '1' }
                : undefined,
        });
        return;
      }
      deps.logger.error('request failed', { error, requestId });
      const status = error instanceof AppError ? error.status : 500;
      const code = error instanceof AppError ? (error.code as ProblemCode) : 'internal';
      request.response = problemResponse(status, code, lang, { requestId });
    },
  };
}

/** A JSON response with the given status. */
export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): APIGatewayProxyResultV2 {
  return {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(body),
  };
}

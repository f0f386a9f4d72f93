/**
 * middy middleware for HTTP handlers: maps thrown errors to problem+json. Attach it
 * first so its `onError` runs last (middy runs `onError` in reverse order).
 */
import type { MiddlewareObj } from '@middy/core';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { AppError, IdempotencyInProgressError, PayloadTooLargeError, RateLimitedError, StaleVersionError } from '../errors';
import { MAX_BODY_BYTES } from './limits';
import { negotiateLanguage, problemAnswer, type ProblemCode } from './problem';

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
        request.response = problemAnswer(error.status, error.code as ProblemCode, lang, {
          detail: error.message,
          errors: error.fieldErrors?.(lang),
          headers:
            error instanceof StaleVersionError
              ? { etag: `"${error.currentVersion}"` }
              : error instanceof IdempotencyInProgressError
                ? { 'retry-after': '1' }
                : error instanceof RateLimitedError
                  ? { 'retry-after': String(Math.max(1, Math.ceil(error.retryAfterSeconds))) }
                  : undefined,
        });
        return;
      }
      deps.logger.error('request failed', { error, requestId });
      const status = error instanceof AppError ? error.status : 500;
      const code = error instanceof AppError ? (error.code as ProblemCode) : 'internal';
      request.response = problemAnswer(status, code, lang, { requestId });
    },
  };
}

/**
 * The contract's body limit (256 KiB, counted in bytes as sent: a base64 body decoded) for every
 * route, before any other middleware or the route reads the body: 413 problem+json. The local
 * gateway refuses such a body before it calls a handler; on AWS, API Gateway passes bodies up to
 * its own 10 MB (Lambda's 6 MB), so this is where the limit holds there, for JSON and CSV alike.
 */
export function bodyLimit(maxBytes: number = MAX_BODY_BYTES): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyResultV2, Error, Context> {
  return {
    before: async (request) => {
      const { body, isBase64Encoded } = request.event;
      if (body === undefined || body === '') return;
      // A cheap bound first: base64 never decodes to more bytes than it has characters.
      if (body.length <= maxBytes / 3) return;
      const bytes = isBase64Encoded ? Buffer.byteLength(body, 'base64') : Buffer.byteLength(body, 'utf8');
      if (bytes > maxBytes) throw new PayloadTooLargeError(`the body is ${bytes} bytes; the limit is ${maxBytes} (256 KiB)`);
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

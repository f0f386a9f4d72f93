import middy from '@middy/core';
import { IdempotencyAlreadyInProgressError, IdempotencyValidationError } from '@aws-lambda-powertools/idempotency';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { httpProblems } from '../../../shared/http/middleware';
import { idempotencyKeyRules } from '../../../shared/http/idempotency';
import { NotFoundError, StaleVersionError } from '../../../shared/errors';
import { observability } from '../../../shared/observability';
import { context } from '../../helpers/context';
import { getSample } from '../../helpers/samples';

const throwing = (error: unknown) =>
  middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
    .use(httpProblems(observability('unit')))
    .use(idempotencyKeyRules)
    .handler(async () => {
      throw error;
    });
const event = (lang: string) => ({ ...getSample<APIGatewayProxyEventV2>('apigw/get-health.json'), headers: { 'accept-language': lang } });

describe('Function: httpProblems (with the idempotency key rules)', () => {
  it('refuses an Idempotency-Key longer than 64 characters with 400', async () => {
    const e = { ...event('en'), headers: { 'idempotency-key': 'k'.repeat(65) } };
    const res = await middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
      .use(httpProblems(observability('unit')))
      .use(idempotencyKeyRules)
      .handler(async () => ({ statusCode: 201 }))(e, context);
    expect(res.statusCode).toBe(400);
  });

  it.each([
    [new IdempotencyAlreadyInProgressError('busy'), 409, 'idempotency_in_progress'],
    [new IdempotencyValidationError('other body'), 422, 'idempotency_key_reused'],
    [new NotFoundError('activity x not found'), 404, 'not_found'],
    [new StaleVersionError(4), 412, 'stale_version'],
  ])('maps %s to %i problem+json', async (error, status, code) => {
    const res = await throwing(error)(event('zh-CN'), context);
    expect(res.statusCode).toBe(status);
    expect(res.headers?.['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(res.body ?? '{}').type).toBe(`https://sciday.example/problems/${code}`);
  });

  it('tells a client to retry an in-progress request and gives a stale one the current ETag', async () => {
    expect((await throwing(new IdempotencyAlreadyInProgressError('busy'))(event('en'), context)).headers?.['retry-after']).toBe('1');
    expect((await throwing(new StaleVersionError(4))(event('en'), context)).headers?.etag).toBe('"4"');
  });

  it('answers an unexpected error with a 500 that names only the request id', async () => {
    const res = await throwing(new Error('secret table name sciday-prod-main'))(event('en'), context);
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('secret');
    expect(JSON.parse(res.body ?? '{}')).toMatchObject({ title: 'Internal server error, please retry later', requestId: context.awsRequestId });
  });
});

// Issue 17, item 11: on AWS nothing in front of a handler holds a body to the contract's 256 KiB
// (API Gateway passes up to 10 MB, Lambda 6 MB); the local gateway refuses it before any handler.
// These send the handlers themselves what API Gateway would pass on: a CSV import over the limit,
// plain or base64, and a JSON body over it, which must answer 413 problem+json before anything
// (the Idempotency-Key record, the CSV parser, the table) sees them.
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { handler as addOrganizations } from '../../../functions/add-organizations/handler';
import { handler as createActivity } from '../../../functions/create-activity/handler';
import { PayloadTooLargeError } from '../../../shared/errors';
import { bodyLimit } from '../../../shared/http/middleware';
import { MAX_BODY_BYTES } from '../../../shared/http/request';
import { context } from '../../helpers/context';
import { getSample } from '../../helpers/samples';

type Result = { statusCode: number; headers: Record<string, string>; body: string };

const event = (method: string, path: string, rawPath: string, body: string, headers: Record<string, string>, isBase64Encoded = false): APIGatewayProxyEventV2 => {
  const base = getSample<APIGatewayProxyEventV2>('apigw/get-health.json');
  const routeKey = `${method} ${path}`;
  return {
    ...base,
    routeKey,
    rawPath,
    headers: { ...base.headers, ...headers },
    pathParameters: { campaignId: '2021-xinxiang' },
    body,
    isBase64Encoded,
    requestContext: {
      ...base.requestContext,
      routeKey,
      http: { ...base.requestContext.http, method, path: rawPath },
      // A signed-in admin, as the JWT authorizer hands it on: a refusal is not for want of a token.
      authorizer: { jwt: { claims: { sub: 'admin-1', orgId: 'xinxiang-kx', roles: '[admin]' }, scopes: [] } },
    } as APIGatewayProxyEventV2['requestContext'],
  };
};

const csvImport = (body: string, headers: Record<string, string> = {}, base64 = false) =>
  event('POST', '/v1/campaigns/{campaignId}/organizations', '/v1/campaigns/2021-xinxiang/organizations', body, { 'content-type': 'text/csv; charset=utf-8', ...headers }, base64);

/** A CSV of units, `bytes` long exactly (UTF-8). */
function csvOf(bytes: number): string {
  const header = 'name,county,type\n';
  const row = '新乡市某某科技馆,hongqi,science-museum\n';
  const rows = Math.floor((bytes - Buffer.byteLength(header)) / Buffer.byteLength(row));
  const text = header + row.repeat(rows);
  return text + 'x'.repeat(bytes - Buffer.byteLength(text));
}

describe('Function: the 256 KiB body limit in the handlers (AWS)', () => {
  it('refuses a CSV import of 256 KiB + 1 byte with 413 problem+json, in Chinese and in English', async () => {
    // Prepare
    const body = csvOf(MAX_BODY_BYTES + 1);
    expect(Buffer.byteLength(body)).toBe(MAX_BODY_BYTES + 1);

    // Act
    const zh = (await addOrganizations(csvImport(body), context)) as Result;
    const en = (await addOrganizations(csvImport(body, { 'accept-language': 'en' }), context)) as Result;

    // Assess
    expect(zh.statusCode).toBe(413);
    expect(zh.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(zh.body)).toMatchObject({ status: 413, title: '请求体超过 256 KiB 上限' });
    expect(JSON.parse(en.body)).toMatchObject({ status: 413, title: 'Request body exceeds the 256 KiB limit' });
  });

  it('counts a base64 body by its decoded bytes: over the limit is refused', async () => {
    const over = Buffer.from(csvOf(MAX_BODY_BYTES + 10)).toString('base64');
    const refused = (await addOrganizations(csvImport(over, {}, true), context)) as Result;
    expect(refused.statusCode).toBe(413);
  });

  it('refuses a JSON body over the limit on any route, before the route reads it', async () => {
    const body = JSON.stringify({ title: 'x'.repeat(MAX_BODY_BYTES) });
    const res = (await createActivity(
      event('POST', '/v1/campaigns/{campaignId}/activities', '/v1/campaigns/2021-xinxiang/activities', body, { 'content-type': 'application/json', 'idempotency-key': 'k-1' }),
      context,
    )) as Result;
    expect(res.statusCode).toBe(413);
    expect(JSON.parse(res.body)).toMatchObject({ status: 413 });
  });
});

describe('Function: bodyLimit', () => {
  const check = (body: string, isBase64Encoded = false) =>
    bodyLimit().before!({ event: { body, isBase64Encoded } as APIGatewayProxyEventV2, context, response: undefined, error: undefined, internal: {} } as never);

  it('lets exactly 256 KiB through, and a base64 body whose encoding is longer than its bytes', async () => {
    await expect(check(csvOf(MAX_BODY_BYTES))).resolves.toBeUndefined();
    // 200 KiB of CSV is 273 KiB of base64: 200 KiB are sent.
    const encoded = Buffer.from(csvOf(200 * 1024)).toString('base64');
    expect(encoded.length).toBeGreaterThan(MAX_BODY_BYTES);
    await expect(check(encoded, true)).resolves.toBeUndefined();
  });

  it('counts UTF-8 bytes, not characters: 100,000 Chinese characters are 300,000 bytes', async () => {
    await expect(check('科'.repeat(100_000))).rejects.toBeInstanceOf(PayloadTooLargeError);
    await expect(check('科'.repeat(80_000))).resolves.toBeUndefined();
  });
});

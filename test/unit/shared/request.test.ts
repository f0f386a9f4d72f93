import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { ifMatchVersion, jsonBody, listParams, MAX_BODY_BYTES } from '../../../shared/http/request';
import { BadRequestError, MalformedBodyError, PayloadTooLargeError, UnsupportedMediaTypeError } from '../../../shared/errors';
import { getSample } from '../../helpers/samples';

const event = (over: Partial<APIGatewayProxyEventV2>): APIGatewayProxyEventV2 => ({ ...getSample<APIGatewayProxyEventV2>('apigw/get-health.json'), ...over });

describe('Module: http/request', () => {
  it('reads JSON bodies and refuses other types, bad JSON and bodies over 256 KiB', () => {
    const json = { 'content-type': 'application/json; charset=utf-8' };
    expect(jsonBody(event({ headers: json, body: '{"a":"科普"}' }))).toEqual({ a: '科普' });
    expect(jsonBody(event({ headers: json, body: Buffer.from('{"a":1}').toString('base64'), isBase64Encoded: true }))).toEqual({ a: 1 });
    expect(jsonBody(event({ headers: {}, body: undefined }))).toEqual({});
    expect(() => jsonBody(event({ headers: { 'content-type': 'text/plain' }, body: 'x' }))).toThrow(UnsupportedMediaTypeError);
    expect(() => jsonBody(event({ headers: json, body: '{' }))).toThrow(MalformedBodyError);
    expect(() => jsonBody(event({ headers: json, body: `"${'x'.repeat(MAX_BODY_BYTES)}"` }))).toThrow(PayloadTooLargeError);
  });

  it('reads If-Match in its usual forms and refuses anything else', () => {
    expect(ifMatchVersion(event({ headers: {} }))).toBeUndefined();
    expect(['"3"', 'W/"3"', '3'].map((v) => ifMatchVersion(event({ headers: { 'if-match': v } })))).toEqual([3, 3, 3]);
    expect(() => ifMatchVersion(event({ headers: { 'if-match': '*' } }))).toThrow(BadRequestError);
  });

  it('takes limit 1..100, default 20', () => {
    expect(listParams(event({ queryStringParameters: undefined }))).toEqual({ limit: 20 });
    expect(listParams(event({ queryStringParameters: { limit: '100', cursor: 'c' } }))).toEqual({ limit: 100, cursor: 'c' });
    for (const bad of ['0', '101', '2.5', 'x']) expect(() => listParams(event({ queryStringParameters: { limit: bad } }))).toThrow(BadRequestError);
  });
});

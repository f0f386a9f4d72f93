import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { writeIdentityOf } from '../../../shared/http/write-identity';
import { createOnce } from '../../../shared/use-cases/write-identity';
import { IdempotencyKeyReusedError, KeyTakenError } from '../../../shared/errors';

const event = (over: { key?: string; sub?: string; path?: string; body?: string }): APIGatewayProxyEventV2 =>
  ({
    routeKey: 'POST /v1/campaigns/{campaignId}/activities',
    rawPath: over.path ?? '/v1/campaigns/2021-xinxiang/activities',
    headers: over.key === undefined ? {} : { 'idempotency-key': over.key },
    requestContext: { routeKey: 'POST /v1/campaigns/{campaignId}/activities', authorizer: { jwt: { claims: { sub: over.sub ?? 'u1' } } } },
    body: over.body ?? '{"title":"a"}',
  }) as unknown as APIGatewayProxyEventV2;

describe('Write identity of a creating request (ADR 0025)', () => {
  it('derives the id from route, path, caller and key; the token also from the body', () => {
    const a = writeIdentityOf(event({ key: 'k1' }));
    expect(a).toEqual({ id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/), token: expect.any(String), keyed: true });
    expect(writeIdentityOf(event({ key: 'k1' }))).toEqual(a);
    const otherBody = writeIdentityOf(event({ key: 'k1', body: '{"title":"b"}' }));
    expect(otherBody.id).toBe(a.id);
    expect(otherBody.token).not.toBe(a.token);
    for (const other of [event({ key: 'k2' }), event({ key: 'k1', sub: 'u2' }), event({ key: 'k1', path: '/v1/campaigns/2022-xinxiang/activities' })]) {
      expect(writeIdentityOf(other).id).not.toBe(a.id);
    }
  });

  it('is random without a key', () => {
    const [a, b] = [writeIdentityOf(event({})), writeIdentityOf(event({}))];
    expect(a.keyed).toBe(false);
    expect(a.id).not.toBe(b.id);
    expect(a.token).not.toBe(b.token);
  });

  it('answers a taken id with the same request’s earlier item; another request’s is 422 keyed, 409 otherwise', async () => {
    const taken = () => Promise.reject(new KeyTakenError('taken'));
    const keyed = { id: 'x', token: 't', keyed: true };
    expect(await createOnce(keyed, 'fresh', async () => undefined, async () => 'earlier')).toEqual({ value: 'fresh', repeated: false });
    expect(await createOnce(keyed, 'fresh', taken, async () => 'earlier')).toEqual({ value: 'earlier', repeated: true });
    await expect(createOnce(keyed, 'fresh', taken, async () => undefined)).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
    await expect(createOnce({ ...keyed, keyed: false }, 'fresh', taken, async () => undefined)).rejects.toBeInstanceOf(KeyTakenError);
    const down = new Error('table down');
    await expect(createOnce(keyed, 'fresh', () => Promise.reject(down), async () => 'earlier')).rejects.toBe(down);
  });
});

// The functions' SDK retry strategy (ADR 0026), through a real DynamoDB client against a loopback
// server that fails the calls the test says: it retries transient and throttling errors up to its
// attempts, never a client error, and it keeps retrying after a long run of failures, where the
// SDK's standard strategy has used up its quota and stops.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { BoundedRetryStrategy, FUNCTION_RETRY_POLICY } from '../../../shared/clients/retry-strategy';

type Answer = 'ok' | 'throttled' | 'internal' | 'invalid';
const ANSWERS: Record<Answer, { status: number; type?: string }> = {
  ok: { status: 200 },
  throttled: { status: 400, type: 'ProvisionedThroughputExceededException' },
  internal: { status: 500, type: 'InternalServerError' },
  invalid: { status: 400, type: 'ValidationException' },
};

/** The answers to the next requests, in order; then `otherwise`. */
let plan: Answer[] = [];
let otherwise: Answer = 'ok';
let requests = 0;
let server: Server;
let endpoint = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      requests += 1;
      const { status, type } = ANSWERS[plan.shift() ?? otherwise];
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' }).end(type ? JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${type}`, message: 'injected' }) : '{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => server.close());
beforeEach(() => {
  plan = [];
  otherwise = 'ok';
  requests = 0;
});

/** The functions' policy, with waits of a few milliseconds. */
const fast = () => ({ retryStrategy: new BoundedRetryStrategy({ ...FUNCTION_RETRY_POLICY, baseDelayMs: 1, throttlingBaseDelayMs: 1, maxDelayMs: 2 }), maxAttempts: FUNCTION_RETRY_POLICY.maxAttempts });
const client = (config: ConstructorParameters<typeof DynamoDBClient>[0]) =>
  new DynamoDBClient({ region: 'cn-north-1', endpoint, credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, ...config });
const get = (c: DynamoDBClient) => c.send(new GetItemCommand({ TableName: 't', Key: { pk: { S: 'a' } } }));

describe('Class: BoundedRetryStrategy', () => {
  it('retries 5xx and throttling until the call succeeds, within its attempts', async () => {
    const c = client(fast());
    plan = ['internal', 'throttled', 'internal', 'throttled'];
    await expect(get(c)).resolves.toMatchObject({ $metadata: { attempts: 5 } });
    expect(requests).toBe(5);
    c.destroy();
  });

  it('gives up after its attempts with the call’s error, and never retries a client error', async () => {
    const c = client(fast());
    otherwise = 'internal';
    await expect(get(c)).rejects.toMatchObject({ name: 'InternalServerError', $metadata: { attempts: 5 } });
    expect(requests).toBe(5);
    requests = 0;
    otherwise = 'invalid';
    await expect(get(c)).rejects.toMatchObject({ name: 'ValidationException' });
    expect(requests).toBe(1);
    c.destroy();
  });

  it('still retries after a long run of failures, where the standard strategy’s quota has run dry', async () => {
    // Prepare: 20 calls that fail every attempt, on both clients (the standard quota: 500 tokens, 14 a retry)
    const bounded = client(fast());
    const standard = client({ maxAttempts: 3 });
    otherwise = 'internal';
    for (const c of [bounded, standard]) {
      for (let i = 0; i < 20; i += 1) await get(c).catch(() => undefined);
    }
    otherwise = 'ok';
    // Act: one more call whose first attempt fails
    const next = async (c: DynamoDBClient) => {
      plan = ['internal'];
      return get(c).then(
        (out) => `ok after ${out.$metadata.attempts}`,
        (e: { $metadata?: { attempts?: number } }) => `failed after ${e.$metadata?.attempts}`,
      );
    };
    // Assess
    await expect(next(bounded)).resolves.toBe('ok after 2');
    await expect(next(standard)).resolves.toBe('failed after 1');
    bounded.destroy();
    standard.destroy();
  }, 30_000);
});

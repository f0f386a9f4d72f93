import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { S3Client, HeadObjectCommand } from '@aws-sdk/client-s3';
import { HttpResponse } from '@smithy/core/protocols';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { FaultInjector, parseFaultSpec, seededRandom, registerFaultInjection, type FaultConfig } from '../../../infra/local/fault-injection';
import { clearSdkPlugins, sdkPlugins, withSdkPlugins } from '../../../shared/clients/sdk-plugins';

/** A DynamoDB client whose "service" is a counter: every request that reaches it answers `{}`. */
function clientWith(injector: FaultInjector) {
  const reached = { count: 0 };
  const client = new DynamoDBClient({
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    // The SDK's standard strategy (3 attempts, its own error classification), without the waits.
    retryStrategy: new ConfiguredRetryStrategy(3, () => 0),
    requestHandler: {
      handle: async () => {
        reached.count += 1;
        return { response: new HttpResponse({ statusCode: 200, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: Buffer.from('{}') }) };
      },
    },
  });
  client.middlewareStack.use(injector.plugin as never);
  return { client, reached };
}

const config = (over: Partial<FaultConfig>): FaultConfig => ({ rate: 1, seed: 7, kinds: ['throttle', '5xx', 'timeout', 'lost'], delayMs: 1, ...over });
const get = new GetItemCommand({ TableName: 't', Key: { pk: { S: 'a' } } });

describe('fault injection (SCIDAY_FAULTS)', () => {
  afterEach(() => clearSdkPlugins());

  it('parses the spec, kinds running to the next key', () => {
    expect(parseFaultSpec('rate=0.3,seed=7,kinds=throttle,5xx,timeout,lost')).toEqual({ rate: 0.3, seed: 7, kinds: ['throttle', '5xx', 'timeout', 'lost'], delayMs: 150 });
    expect(parseFaultSpec('kinds=lost,rate=0.1,delay=20')).toEqual({ rate: 0.1, seed: 1, kinds: ['lost'], delayMs: 20 });
    expect(() => parseFaultSpec('rate=2')).toThrow(/rate/);
    expect(() => parseFaultSpec('kinds=meteor')).toThrow(/meteor/);
    expect(() => parseFaultSpec('speed=3')).toThrow(/speed/);
  });

  it('is deterministic for a seed', () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    const c = seededRandom(8);
    const seq = (r: () => number) => Array.from({ length: 5 }, r);
    const first = seq(a);
    expect(seq(b)).toEqual(first);
    expect(seq(c)).not.toEqual(first);
  });

  it('throttling never reaches the service; the SDK retries it as a throttling error', async () => {
    const injector = new FaultInjector(config({ kinds: ['throttle'] }), {});
    const { client, reached } = clientWith(injector);
    const error = (await client.send(get).catch((e: unknown) => e)) as { name: string; $metadata: { attempts?: number; httpStatusCode?: number } };
    expect(['ThrottlingException', 'ProvisionedThroughputExceededException']).toContain(error.name);
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.$metadata.attempts).toBe(3);
    expect(reached.count).toBe(0);
    expect(injector.report().injected.throttle).toBe(3);
    expect(injector.report().byOperation).toEqual({ 'DynamoDB.GetItem': 3 });
  });

  it('a lost answer reaches the service every attempt and the caller still sees a transient failure', async () => {
    const injector = new FaultInjector(config({ kinds: ['lost'] }), {});
    const { client, reached } = clientWith(injector);
    const error = (await client.send(get).catch((e: unknown) => e)) as { code: string; $metadata: { attempts?: number } };
    expect(error.code).toBe('ECONNRESET');
    expect(error.$metadata.attempts).toBe(3);
    expect(reached.count).toBe(3);
  });

  it('5xx and timeouts are retried; a pause lets calls through', async () => {
    for (const kind of ['5xx', 'timeout'] as const) {
      const injector = new FaultInjector(config({ kinds: [kind] }), {});
      const { client, reached } = clientWith(injector);
      const error = (await client.send(get).catch((e: unknown) => e)) as { name: string; $metadata: { attempts?: number } };
      expect(error.name).toBe(kind === '5xx' ? 'InternalServerError' : 'TimeoutError');
      expect(error.$metadata.attempts).toBe(3);
      expect(reached.count).toBe(0);
      injector.enabled = false;
      await expect(client.send(get)).resolves.toMatchObject({ $metadata: { attempts: 1 } });
      expect(reached.count).toBe(1);
    }
  });

  it('at a share of calls, the SDK retries turn most faults into successes', async () => {
    const injector = new FaultInjector(config({ rate: 0.3 }), {});
    const { client, reached } = clientWith(injector);
    let failed = 0;
    for (let i = 0; i < 100; i++) await client.send(get).catch(() => (failed += 1));
    const { calls, injected } = injector.report();
    const total = Object.values(injected).reduce((a, b) => a + b, 0);
    expect(total / calls).toBeGreaterThan(0.2);
    expect(total / calls).toBeLessThan(0.4);
    expect(failed).toBeLessThan(10);
    expect(reached.count).toBe(calls - injected.throttle - injected['5xx'] - injected.timeout);
  });

  it('the shared factories apply what is registered; the registry starts empty', async () => {
    expect(sdkPlugins()).toHaveLength(0);
    expect(registerFaultInjection({})).toBeUndefined();
    const injector = registerFaultInjection({ SCIDAY_FAULTS: 'rate=1,kinds=5xx' });
    expect(injector).toBeDefined();
    expect(sdkPlugins()).toHaveLength(1);
    const s3 = withSdkPlugins(new S3Client({ region: 'us-east-1', endpoint: 'http://127.0.0.1:1', forcePathStyle: true, credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1 }));
    await expect(s3.send(new HeadObjectCommand({ Bucket: 'b', Key: 'k' }))).rejects.toMatchObject({ name: 'InternalServerError' });
    expect(injector?.report().byOperation).toEqual({ 'S3.HeadObject': 1 });
  });

  it('refuses to run inside Lambda', () => {
    expect(() => new FaultInjector(config({}), { AWS_LAMBDA_FUNCTION_NAME: 'f' })).toThrow(/local runtime only/);
  });
});

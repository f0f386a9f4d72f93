// Issue 17, items 8 and 9 at the unit level: the deep health check's report is reused and shared
// (ADR 0033), and a spent export budget answers 429 problem+json with Retry-After in zh and en.
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { fixedClock } from '../../../shared/domain/clock';
import { RateLimitedError } from '../../../shared/errors';
import { httpProblems } from '../../../shared/http/middleware';
import { observability } from '../../../shared/observability';
import { cachedHealthCheck, type DependencyProbe } from '../../../shared/use-cases/check-health';
import { context } from '../../helpers/context';
import { getSample } from '../../helpers/samples';

describe('Function: cachedHealthCheck', () => {
  const probes = (calls: { n: number }, gate?: Promise<void>): DependencyProbe[] =>
    ['main', 'media-uploads', 'media'].map((name) => ({
      name,
      kind: 'table' as const,
      check: async () => {
        calls.n += 1;
        await gate;
      },
    }));

  it('probes once, then answers the same report until it is maxAgeMs old', async () => {
    // Prepare
    const calls = { n: 0 };
    let now = 1_000;
    const health = cachedHealthCheck({ probes: probes(calls), clock: fixedClock('2021-09-24T12:00:00+08:00'), timeoutMs: 100 }, 10_000, () => now);
    // Act
    const first = await health();
    now += 9_999;
    const again = await health();
    now += 1;
    const fresh = await health();
    // Assess
    expect(first).toMatchObject({ fresh: true, ageMs: 0, report: { status: 'ok' } });
    expect(again).toMatchObject({ fresh: false, ageMs: 9_999 });
    expect(again.report).toBe(first.report);
    expect(fresh.fresh).toBe(true);
    expect(calls.n).toBe(2 * 3);
  });

  it('lets asks that come during a check share it', async () => {
    const calls = { n: 0 };
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const health = cachedHealthCheck({ probes: probes(calls, gate), clock: fixedClock('2021-09-24T12:00:00+08:00'), timeoutMs: 1_000 }, 10_000, () => 0);
    const asks = Array.from({ length: 20 }, () => health());
    open();
    const answers = await Promise.all(asks);
    expect(calls.n).toBe(3);
    expect(new Set(answers.map((a) => a.report)).size).toBe(1);
    expect(answers.filter((a) => a.fresh)).toHaveLength(1);
  });
});

describe('Function: httpProblems with a RateLimitedError', () => {
  const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
    .use(httpProblems(observability('unit')))
    .handler(async () => {
      throw new RateLimitedError(1799.2, 'you started 10 exports within the hour');
    });
  const event = (lang: string) => ({ ...getSample<APIGatewayProxyEventV2>('apigw/get-health.json'), headers: { 'accept-language': lang } });

  it('answers 429 problem+json with Retry-After in whole seconds, titled in Chinese or English', async () => {
    const zh = await handler(event('zh-CN'), context);
    const en = await handler(event('en'), context);
    expect(zh.statusCode).toBe(429);
    expect(zh.headers?.['content-type']).toMatch(/^application\/problem\+json/);
    expect(zh.headers?.['retry-after']).toBe('1800');
    expect(JSON.parse(zh.body ?? '{}')).toMatchObject({ status: 429, title: '请求过于频繁，请在 Retry-After 秒后重试', detail: 'you started 10 exports within the hour' });
    expect(JSON.parse(en.body ?? '{}')).toMatchObject({ status: 429, title: 'Too many requests: retry after the seconds Retry-After gives' });
  });
});

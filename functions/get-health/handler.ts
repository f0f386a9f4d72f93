// (HTTP GET /health) --> cachedHealthCheck --> (DescribeTable, GetQueueAttributes, HeadBucket: at most once per 10 s)
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { loadConfig } from '../../shared/config';
import { dynamoDbClient } from '../../shared/clients/dynamodb';
import { s3Client } from '../../shared/clients/s3';
import { sqsClient } from '../../shared/clients/sqs';
import { awsProbes } from '../../shared/clients/health-probes';
import { runtimeClock } from '../../shared/clock';
import { observability } from '../../shared/observability';
import { bodyLimit, httpProblems, json } from '../../shared/http/middleware';
import { cachedHealthCheck } from '../../shared/use-cases/check-health';

const config = loadConfig({
  tables: ['main', 'audit', 'idempotency', 'progress'],
  queues: ['media-uploads', 'domain-events', 'stream-failures', 'sweeps', 'notifications', 'schedule-failures', 'exports'],
  buckets: ['media', 'exports'],
});
const { logger, metrics } = observability('get-health');
const probes = awsProbes(config, {
  dynamodb: dynamoDbClient(config),
  sqs: sqsClient(config),
  s3: s3Client(config),
});

/** Public and 13 AWS calls deep: one check per instance every 10 s however often it is asked (ADR 0033). */
const HEALTH_MAX_AGE_SECONDS = 10;
const health = cachedHealthCheck({ probes, clock: runtimeClock, timeoutMs: 2_000 }, HEALTH_MAX_AGE_SECONDS * 1000);

const getHealth = async (_event: APIGatewayProxyEventV2) => {
  const { report, ageMs, fresh } = await health();
  const down = report.dependencies.filter((d) => !d.ok);
  if (fresh) metrics.addMetric('dependencies_unavailable', MetricUnit.Count, down.length);
  if (down.length > 0 && fresh) logger.warn('dependency unavailable', { down });
  const maxAge = Math.max(0, HEALTH_MAX_AGE_SECONDS - Math.floor(ageMs / 1000));
  return json(report.status === 'ok' ? 200 : 503, report, { 'cache-control': `public, max-age=${maxAge}`, age: String(Math.floor(ageMs / 1000)) });
};

export const handler = middy<APIGatewayProxyEventV2>()
  .use(httpProblems({ logger, metrics }))
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics))
  .use(bodyLimit())
  .handler(getHealth);

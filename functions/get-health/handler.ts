// (HTTP GET /health) --> checkHealth --> (DescribeTable, GetQueueAttributes, HeadBucket)
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
import { httpProblems, json } from '../../shared/http/middleware';
import { checkHealth } from '../../shared/use-cases/check-health';

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

const getHealth = async (_event: APIGatewayProxyEventV2) => {
  const report = await checkHealth({ probes, clock: runtimeClock, timeoutMs: 2_000 });
  const down = report.dependencies.filter((d) => !d.ok);
  metrics.addMetric('dependencies_unavailable', MetricUnit.Count, down.length);
  if (down.length > 0) logger.warn('dependency unavailable', { down });
  return json(report.status === 'ok' ? 200 : 503, report, { 'cache-control': 'no-store' });
};

export const handler = middy<APIGatewayProxyEventV2>()
  .use(httpProblems({ logger, metrics }))
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics))
  .handler(getHealth);

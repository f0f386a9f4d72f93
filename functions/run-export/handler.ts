// (SQS exports, batch of 1) --> runExport --> (S3 exports: files, manifest, latest/; main table: the job)
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { parseExportRequest } from '../../events/schemas/export-request.v1';
import { topology } from '../../infra/topology';
import { campaignCatalog } from '../../shared/campaigns/catalog';
import { documentClient } from '../../shared/clients/dynamodb';
import { s3Client } from '../../shared/clients/s3';
import { runtimeClock } from '../../shared/clock';
import { loadConfig } from '../../shared/config';
import { S3ExportStore } from '../../shared/export/export-store';
import { DynamoDbExportSource } from '../../shared/export/readers';
import { observability } from '../../shared/observability';
import { DynamoDbExportRepository, DynamoDbLatestLease } from '../../shared/repositories/export-repository';
import { runExport } from '../../shared/use-cases/run-export';

const config = loadConfig({ tables: ['main'], buckets: ['exports'] });
const { logger, metrics } = observability('run-export');
const table = { client: documentClient(config), tableName: config.tables.main };
const deps = {
  exports: new DynamoDbExportRepository(table),
  campaigns: campaignCatalog,
  source: new DynamoDbExportSource(table),
  store: new S3ExportStore(s3Client(config), config.buckets.exports),
  lease: new DynamoDbLatestLease(table),
  clock: runtimeClock,
  log: {
    info: (message: string, data?: Record<string, unknown>) => logger.info(message, data ?? {}),
    warn: (message: string, data?: Record<string, unknown>) => logger.warn(message, data ?? {}),
  },
};
const processor = new BatchProcessor(EventType.SQS);

const recordHandler = async (record: SQSRecord) => {
  const request = parseExportRequest(record.body);
  const outcome = await runExport(request, deps, {
    attempt: Number(record.attributes.ApproximateReceiveCount) || 1,
    maxAttempts: topology.queues.exports.maxReceiveCount,
  });
  if (outcome.status === 'succeeded') {
    metrics.addMetric('exports_succeeded', MetricUnit.Count, 1);
    metrics.addMetric('rows_exported', MetricUnit.Count, outcome.rows);
  } else if (outcome.status === 'failed') {
    metrics.addMetric('exports_failed', MetricUnit.Count, 1);
  }
  logger.info('export message done', { exportId: request.exportId, outcome: outcome.status });
};

export const handler = middy<SQSEvent, SQSBatchResponse>()
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics))
  .handler((event, context) => processPartialResponse(event, recordHandler, processor, { context }));

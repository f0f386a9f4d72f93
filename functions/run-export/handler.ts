// (SQS exports, batch of 1) --> runExport --> (S3 exports: files, manifest, latest/; main table: the job)
//                                         --> (a milestone snapshot: a copy of the table as of its deadline, ADR 0017;
//                                              while it is being made, the message again to SQS exports, delayed)
//                                         --> (a large campaign: Athena makes its tables from the copy, ADR 0029)
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { parseExportRequest, type ExportRequestV1 } from '../../events/schemas/export-request.v1';
import { TABLE_COPY_PREFIX, WORK_QUEUE_MAX_RECEIVE_COUNT } from '../../shared/topology-facts';
import { athenaClient } from '../../shared/clients/athena';
import { campaignCatalogOf } from '../../shared/clients/campaign-catalog';
import { documentClient, dynamoDbClient } from '../../shared/clients/dynamodb';
import { patientReads } from '../../shared/clients/patient-reads';
import { SqsMessageQueue } from '../../shared/clients/message-queue';
import { s3Client } from '../../shared/clients/s3';
import { sqsClient } from '../../shared/clients/sqs';
import { runtimeClock } from '../../shared/clock';
import { loadAthenaExportConfig, loadConfig, loadTableCopyConfig } from '../../shared/config';
import { sumCounters } from '../../shared/domain/progress';
import { AthenaCopyTables } from '../../shared/export/athena-copy-export';
import { S3ExportStore } from '../../shared/export/export-store';
import { DynamoDbExportSource } from '../../shared/export/readers';
import { PointInTimeTableCopies, ScanTableCopies, type TableCopies } from '../../shared/export/table-copy';
import { TableCopySource } from '../../shared/export/table-copy-source';
import { observability } from '../../shared/observability';
import { DynamoDbExportJobs, DynamoDbLatestLease } from '../../shared/repositories/export-repository';
import { campaignTotals } from '../../shared/repositories/progress-repository';
import { runExport, type RunExportDeps } from '../../shared/use-cases/run-export';

const config = loadConfig({ tables: ['main', 'progress'], buckets: ['exports'], queues: ['exports'] });
const copyConfig = loadTableCopyConfig();
const athenaConfig = loadAthenaExportConfig();
const { logger, metrics } = observability('run-export');
const table = { client: documentClient(config), tableName: config.tables.main };
const s3 = s3Client(config);
const exportsQueue = new SqsMessageQueue<ExportRequestV1>(sqsClient(config), config.queues.exports);
const target = { s3, bucket: config.buckets.exports, prefix: TABLE_COPY_PREFIX };

function tableCopies(): RunExportDeps['tableCopies'] {
  if (!copyConfig) return undefined;
  const dynamodb = dynamoDbClient(config);
  const copies: TableCopies =
    copyConfig.mode === 'point-in-time'
      ? new PointInTimeTableCopies({ ...target, dynamodb, tableArn: copyConfig.tableArn })
      : new ScanTableCopies({ ...target, dynamodb, tableName: config.tables.main });
  return {
    copies,
    open: (dataFiles, campaignId, dir) => TableCopySource.open({ target, dataFiles, campaignId, dir }),
    later: (request, delaySeconds) => exportsQueue.sendLater({ version: 1, exportId: request.exportId }, delaySeconds),
  };
}

function copyTables(): RunExportDeps['copyTables'] {
  if (!athenaConfig) return undefined;
  const progress = { client: table.client, tableName: config.tables.progress };
  const engine = new AthenaCopyTables({ athena: athenaClient(config), s3, bucket: target.bucket, prefix: target.prefix, workGroup: athenaConfig.workGroup, database: athenaConfig.database, log });
  return {
    engine,
    threshold: { activities: athenaConfig.minActivities, items: athenaConfig.minItems },
    activities: async (campaignId) => {
      const counts = sumCounters((await campaignTotals(progress, campaignId)).map((t) => t.counters));
      return counts.draft + counts.registered;
    },
  };
}

const log = {
  info: (message: string, data?: Record<string, unknown>) => logger.info(message, data ?? {}),
  warn: (message: string, data?: Record<string, unknown>) => logger.warn(message, data ?? {}),
};
const deps: RunExportDeps = {
  exports: new DynamoDbExportJobs(table),
  campaigns: campaignCatalogOf(config),
  // Hundreds of page reads: each may be sent again beyond the SDK's attempts (ADR 0026).
  source: new DynamoDbExportSource({ ...table, client: patientReads(table.client) }),
  store: new S3ExportStore(s3, config.buckets.exports),
  lease: new DynamoDbLatestLease(table),
  clock: runtimeClock,
  log,
  tableCopies: tableCopies(),
  copyTables: copyTables(),
};
const processor = new BatchProcessor(EventType.SQS);

const recordHandler = async (record: SQSRecord) => {
  const request = parseExportRequest(record.body);
  const outcome = await runExport(request, deps, {
    attempt: Number(record.attributes.ApproximateReceiveCount) || 1,
    maxAttempts: WORK_QUEUE_MAX_RECEIVE_COUNT,
  });
  if (outcome.status === 'succeeded') {
    metrics.addMetric('exports_succeeded', MetricUnit.Count, 1);
    metrics.addMetric('rows_exported', MetricUnit.Count, outcome.rows);
  } else if (outcome.status === 'failed') {
    metrics.addMetric('exports_failed', MetricUnit.Count, 1);
  } else if (outcome.status === 'waiting') {
    metrics.addMetric('exports_waiting_for_table_copy', MetricUnit.Count, 1);
  }
  logger.info('export message done', { exportId: request.exportId, outcome: outcome.status });
};

export const handler = middy<SQSEvent, SQSBatchResponse>()
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics))
  .handler((event, context) => processPartialResponse(event, recordHandler, processor, { context }));

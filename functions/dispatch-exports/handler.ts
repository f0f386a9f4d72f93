// (main-table stream) --> exportRequestsOf --> (SQS exports, consumed by run-export)
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { ExportRequestV1Schema } from '../../events/schemas/export-request.v1';
import { itemChangeFromStreamRecord } from '../../shared/clients/dynamodb-stream';
import { SqsMessageQueue } from '../../shared/clients/message-queue';
import { sqsClient } from '../../shared/clients/sqs';
import { runtimeClock } from '../../shared/clock';
import { loadConfig } from '../../shared/config';
import { observability } from '../../shared/observability';
import { exportRequestsOf } from '../../shared/use-cases/dispatch-exports';

const config = loadConfig({ queues: ['exports'] });
const queue = new SqsMessageQueue(sqsClient(config), config.queues.exports);
const { logger, metrics } = observability('dispatch-exports');
const processor = new BatchProcessor(EventType.DynamoDBStreams);

const recordHandler = async (record: DynamoDBRecord) => {
  const requests = exportRequestsOf(itemChangeFromStreamRecord(record, runtimeClock)).map((r) => ExportRequestV1Schema.parse(r));
  if (requests.length === 0) return;
  await queue.sendAll(requests);
  metrics.addMetric('exports_dispatched', MetricUnit.Count, requests.length);
  logger.info('export dispatched', { exportIds: requests.map((r) => r.exportId) });
};

export const handler = middy<DynamoDBStreamEvent, DynamoDBBatchResponse>()
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics))
  .handler((event, context) => processPartialResponse(event, recordHandler, processor, { context }));

// (main-table stream) --> recordAuditEntry --> (audit table)
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { loadConfig } from '../../shared/config';
import { documentClient } from '../../shared/clients/dynamodb';
import { runtimeClock } from '../../shared/clock';
import { observability } from '../../shared/observability';
import { itemChangeFromStreamRecord } from '../../shared/clients/dynamodb-stream';
import { DynamoDbAuditRepository } from '../../shared/repositories/dynamodb-audit-repository';
import { recordAuditEntry } from '../../shared/use-cases/record-audit-entry';

const config = loadConfig({ tables: ['audit'] });
const { logger, metrics } = observability('record-audit');
const audit = new DynamoDbAuditRepository({ client: documentClient(config), tableName: config.tables.audit });
const processor = new BatchProcessor(EventType.DynamoDBStreams);

const recordHandler = async (record: DynamoDBRecord) => {
  const outcome = await recordAuditEntry(itemChangeFromStreamRecord(record, runtimeClock), { audit });
  metrics.addMetric(`audit_${outcome}`, MetricUnit.Count, 1);
};

export const handler = middy<DynamoDBStreamEvent, DynamoDBBatchResponse>()
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics))
  .handler((event, context) => processPartialResponse(event, recordHandler, processor, { context }));

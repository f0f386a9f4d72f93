// (SQS sweeps) --> sweepUnit | remindUnit --> (main table: flags, due index, inbox; SQS notifications)
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { loadConfig } from '../../shared/config';
import { documentClient } from '../../shared/clients/dynamodb';
import { sqsClient } from '../../shared/clients/sqs';
import { SqsMessageQueue } from '../../shared/clients/message-queue';
import { campaignCatalogOf } from '../../shared/clients/campaign-catalog';
import { runtimeClock } from '../../shared/clock';
import { observability } from '../../shared/observability';
import type { Notification } from '../../events/schemas/notification.v1';
import { parseSweepMessage } from '../../events/schemas/sweep-message.v1';
import { DynamoDbExtensionSource } from '../../shared/repositories/extension-repository';
import { DynamoDbOrganizationDirectory, DynamoDbOrganizationSettingsStore } from '../../shared/repositories/organization-repository';
import { DynamoDbSweepStore } from '../../shared/repositories/sweep-repository';
import { remindUnit } from '../../shared/use-cases/remind-unit';
import { sweepUnit } from '../../shared/use-cases/sweep-unit';

const config = loadConfig({ tables: ['main'], queues: ['notifications'] });
const { logger, metrics } = observability('sweep-unit');
const table = { client: documentClient(config), tableName: config.tables.main };
const deps = {
  // Cached per process (ADR 0023): a campaign closed within the cache's time-to-live is still swept.
  campaigns: campaignCatalogOf(config),
  organizations: new DynamoDbOrganizationDirectory(table),
  settings: new DynamoDbOrganizationSettingsStore(table),
  store: new DynamoDbSweepStore(table),
  extensions: new DynamoDbExtensionSource(table),
  notifications: new SqsMessageQueue<Notification>(sqsClient(config), config.queues.notifications),
  clock: runtimeClock,
};
const processor = new BatchProcessor(EventType.SQS);

const recordHandler = async (record: SQSRecord) => {
  const message = parseSweepMessage(record.body);
  const about = { campaignId: message.campaignId, organizationId: message.organizationId, type: message.type };
  if (message.type === 'sweep') {
    const outcome = await sweepUnit(message, deps);
    for (const flag of outcome.raised) metrics.addMetric(`flag_raised_${flag.code.replaceAll('-', '_')}`, MetricUnit.Count, 1);
    metrics.addMetric('flags_raised', MetricUnit.Count, outcome.raised.length);
    logger.info('unit swept', { ...about, runId: message.runId, raised: outcome.raised.map((f) => f.code), due: outcome.due, settled: outcome.settled });
  } else {
    const { outcome } = await remindUnit(message, deps);
    metrics.addMetric(`reminder_${outcome.replaceAll('-', '_')}`, MetricUnit.Count, 1);
    logger.info('unit reminded', { ...about, scheduleId: message.scheduleId, outcome });
  }
};

export const handler = middy<SQSEvent, SQSBatchResponse>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics))
  .handler((event, context) => processPartialResponse(event, recordHandler, processor, { context }));

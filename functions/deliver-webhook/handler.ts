// (SQS notifications) --> deliverWebhook --> (unit's webhook over HTTPS; idempotency table; main table inbox)
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { WORK_QUEUE_MAX_RECEIVE_COUNT } from '../../shared/topology-facts';
import { loadConfig, loadWebhookPolicy } from '../../shared/config';
import { documentClient, dynamoDbClient } from '../../shared/clients/dynamodb';
import { oncePerDelivery } from '../../shared/clients/delivery-idempotency';
import { HttpWebhookClient } from '../../shared/clients/webhook-client';
import { openWebhookUrl, webhookContext, webhookSealer } from '../../shared/clients/secret-sealer';
import { webhookHost } from '../../shared/domain/webhook-address';
import { observability } from '../../shared/observability';
import { parseNotification, type Notification } from '../../events/schemas/notification.v1';
import { DynamoDbInboxWebhookStatus } from '../../shared/repositories/inbox-webhook-repository';
import { deliverWebhook, sendRobotMessage, WebhookRetryableError } from '../../shared/use-cases/deliver-webhook';

const config = loadConfig({ tables: ['main', 'idempotency'] });
const { logger, metrics } = observability('deliver-webhook');
const webhooks = new HttpWebhookClient({ policy: loadWebhookPolicy() });
const once = oncePerDelivery((n: Notification) => sendRobotMessage(n, { webhooks }), {
  client: dynamoDbClient(config),
  tableName: config.tables.idempotency,
});
const deps = {
  sendOnce: once.run,
  inbox: new DynamoDbInboxWebhookStatus({ client: documentClient(config), tableName: config.tables.main }),
  maxReceiveCount: WORK_QUEUE_MAX_RECEIVE_COUNT,
};
const processor = new BatchProcessor(EventType.SQS);
const sealer = webhookSealer();

const recordHandler = async (record: SQSRecord) => {
  const queued = parseNotification(record.body);
  // The URL travels sealed (ADR 0048): opened here, in memory only.
  const notification = { ...queued, webhookUrl: await openWebhookUrl(queued.webhookUrl, webhookContext(queued.campaignId, queued.organizationId), sealer) };
  const receiveCount = Number(record.attributes.ApproximateReceiveCount);
  // Robot URLs carry their access token in the query: only the host is ever logged.
  const about = { deliveryId: notification.deliveryId, organizationId: notification.organizationId, host: webhookHost(notification.webhookUrl), receiveCount };
  try {
    const report = await deliverWebhook({ notification, receiveCount, messageId: record.messageId }, deps);
    if (report.outcome !== 'in-progress' && !report.replayed) metrics.addMetric(`webhook_${report.outcome}`, MetricUnit.Count, 1);
    const level = report.outcome === 'refused' || report.outcome === 'failed' ? 'warn' : 'info';
    logger[level]('webhook delivery', { ...about, ...report });
  } catch (error) {
    if (!(error instanceof WebhookRetryableError)) throw error;
    const last = receiveCount >= deps.maxReceiveCount;
    metrics.addMetric(last ? 'webhook_failed' : 'webhook_retried', MetricUnit.Count, 1);
    logger.warn(last ? 'webhook delivery failed, message goes to the DLQ' : 'webhook delivery will be retried', { ...about, ...error.response });
    throw error;
  }
};

export const handler = middy<SQSEvent, SQSBatchResponse>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics))
  .handler((event, context) => {
    once.config.registerLambdaContext(context);
    return processPartialResponse(event, recordHandler, processor, { context });
  });

// (main-table stream) --> domainEventsOf --> (SQS domain-events, for later consumers)
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { DomainEventV1 } from '../../events/schemas/domain-events.v1';
import { loadConfig } from '../../shared/config';
import { sqsClient } from '../../shared/clients/sqs';
import { itemChangeFromStreamRecord } from '../../shared/clients/dynamodb-stream';
import { runtimeClock } from '../../shared/clock';
import { observability } from '../../shared/observability';
import { domainEventsOf } from '../../shared/use-cases/domain-events';

const config = loadConfig({ queues: ['domain-events'] });
const sqs = sqsClient(config);
const { logger, metrics } = observability('publish-domain-events');
const processor = new BatchProcessor(EventType.DynamoDBStreams);

const recordHandler = async (record: DynamoDBRecord) => {
  const events = domainEventsOf(itemChangeFromStreamRecord(record, runtimeClock)).map((e) => DomainEventV1.parse(e));
  if (events.length === 0) return;
  const sent = await sqs.send(
    new SendMessageBatchCommand({
      QueueUrl: config.queues['domain-events'],
      Entries: events.map((e, i) => ({
        Id: String(i),
        MessageBody: JSON.stringify(e),
        MessageAttributes: { detailType: { DataType: 'String', StringValue: e.detailType } },
      })),
    }),
  );
  if (sent.Failed?.length) throw new Error(`${sent.Failed.length} domain events not sent: ${sent.Failed[0]?.Message}`);
  metrics.addMetric('domain_events_published', MetricUnit.Count, events.length);
};

export const handler = middy<DynamoDBStreamEvent, DynamoDBBatchResponse>()
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics))
  .handler((event, context) => processPartialResponse(event, recordHandler, processor, { context }));

// (main-table stream) --> projectProgress --> (progress table: contributions and each unit's totals)
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { documentClient } from '../../shared/clients/dynamodb';
import { itemChangeFromStreamRecord } from '../../shared/clients/dynamodb-stream';
import { runtimeClock } from '../../shared/clock';
import { loadConfig } from '../../shared/config';
import { observability } from '../../shared/observability';
import { DynamoDbProgressStore } from '../../shared/repositories/progress-repository';
import { projectProgress, type SequencedChange } from '../../shared/use-cases/project-progress';

const config = loadConfig({ tables: ['progress'] });
const { logger, metrics } = observability('project-progress');
const progress = new DynamoDbProgressStore({ client: documentClient(config), tableName: config.tables.progress });
const processor = new BatchProcessor(EventType.DynamoDBStreams);

const sequenced = (record: DynamoDBRecord): SequencedChange => ({
  ...itemChangeFromStreamRecord(record, runtimeClock),
  sequenceNumber: record.dynamodb?.SequenceNumber ?? '',
});

export const handler = middy<DynamoDBStreamEvent, DynamoDBBatchResponse>()
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics))
  .handler(async (event, context) => {
    // The whole batch at once (one transaction per unit), then each record's outcome as the batch's.
    const unreadable = new Map<string, Error>();
    const changes = event.Records.flatMap((record) => {
      try {
        return [sequenced(record)];
      } catch (error) {
        unreadable.set(record.eventID ?? '', error as Error);
        return [];
      }
    });
    const outcome = await projectProgress(changes, { progress });
    metrics.addMetric('ProgressUpdates', MetricUnit.Count, outcome.applied);
    if (outcome.failed.size > 0) logger.warn('progress not updated', { records: outcome.failed.size, error: String([...outcome.failed.values()][0]) });
    const recordHandler = (record: DynamoDBRecord) => {
      const error = unreadable.get(record.eventID ?? '') ?? outcome.failed.get(record.eventID ?? '');
      if (error) throw error;
    };
    return processPartialResponse(event, recordHandler, processor, { context, processInParallel: false });
  });

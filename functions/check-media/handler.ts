// (S3 ObjectCreated → SQS) --> recordStoredObject, checkUploadedObject --> (S3, main table)
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { loadConfig } from '../../shared/config';
import { documentClient } from '../../shared/clients/dynamodb';
import { s3Client } from '../../shared/clients/s3';
import { observability } from '../../shared/observability';
import { parseS3Notification } from '../../events/schemas/s3-event-notification';
import { S3ObjectStore, type ObjectStore } from '../../shared/repositories/object-store';
import { DynamoDbStoredObjectRepository } from '../../shared/repositories/stored-object-repository';
import { recordStoredObject } from '../../shared/use-cases/record-stored-object';
import { checkUploadedObject } from '../../shared/use-cases/check-uploaded-object';
import { mainTableDeps } from '../../shared/clients/api-deps';

const config = loadConfig({ tables: ['main'], buckets: ['media'] });
const { logger, metrics } = observability('check-media');
const deps = {
  objects: new S3ObjectStore(s3Client(config)),
  observations: new DynamoDbStoredObjectRepository({ client: documentClient(config), tableName: config.tables.main }),
  ...mainTableDeps(config),
};
const processor = new BatchProcessor(EventType.SQS);

/**
 * The object store for one event: the upload key's HEAD is asked once, by recordStoredObject, and
 * its answer serves the check's look for the object too (the check reads only its own copy).
 */
function headOnce(objects: ObjectStore): ObjectStore {
  const heads = new Map<string, ReturnType<ObjectStore['head']>>();
  return Object.assign(Object.create(objects) as ObjectStore, {
    head(bucket: string, key: string) {
      const id = `${bucket}/${key}`;
      const answer = heads.get(id) ?? objects.head(bucket, key);
      heads.set(id, answer);
      return answer;
    },
  });
}

const recordHandler = async (record: SQSRecord) => {
  for (const event of parseS3Notification(record.body)) {
    const eventDeps = { ...deps, objects: headOnce(deps.objects) };
    // The sequencer makes an older event a no-op before any check runs; the same event again checks again (the check decides once).
    const seen = await recordStoredObject(event, eventDeps);
    const outcome = seen === 'recorded' ? await checkUploadedObject(event, eventDeps) : seen;
    metrics.addMetric(`media_${outcome.replace('-', '_')}`, MetricUnit.Count, 1);
    logger.info('stored object checked', { bucket: event.bucket, key: event.key, outcome });
  }
};

export const handler = middy<SQSEvent, SQSBatchResponse>()
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics))
  .handler((event, context) => processPartialResponse(event, recordHandler, processor, { context }));

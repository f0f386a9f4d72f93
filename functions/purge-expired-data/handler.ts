// (EventBridge Scheduler, daily) --> purgeExpiredData --> (main table: closed campaigns' contacts removed, actors pseudonymised; audited and redacted from the stream)
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { documentClient } from '../../shared/clients/dynamodb';
import { stackPseudonyms } from '../../shared/clients/pseudonyms';
import { runtimeClock } from '../../shared/clock';
import { loadConfig } from '../../shared/config';
import { DynamoDbExportSource } from '../../shared/export/readers';
import { observability } from '../../shared/observability';
import { DynamoDbPersonalDataStore, DynamoDbRetentionIndex } from '../../shared/repositories/personal-data-repository';
import { purgeExpiredData } from '../../shared/use-cases/purge-expired-data';

const config = loadConfig({ tables: ['main'] });
const table = { client: documentClient(config), tableName: config.tables.main };
const deps = {
  index: new DynamoDbRetentionIndex(table),
  source: new DynamoDbExportSource(table),
  store: new DynamoDbPersonalDataStore(table),
  clock: runtimeClock,
};
const { logger, metrics } = observability('purge-expired-data');

export const handler = middy()
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics))
  .handler(async () => {
    const progress = (p: { campaignId: string; reader: string; items: number; scrubbed: number }) => logger.info('retention purge progress', p);
    const outcome = await purgeExpiredData({ ...deps, pseudonyms: await stackPseudonyms(), progress });
    metrics.addMetric('retention_items_scrubbed', MetricUnit.Count, outcome.scrubbed);
    logger.info('retention purge done', outcome);
    return outcome;
  });

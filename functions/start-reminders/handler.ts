// (EventBridge Scheduler: days before a published campaign's milestone) --> startReminders --> (SQS sweeps)
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { loadConfig } from '../../shared/config';
import { documentClient } from '../../shared/clients/dynamodb';
import { sqsClient } from '../../shared/clients/sqs';
import { SqsMessageQueue } from '../../shared/clients/message-queue';
import { campaignCatalogOf } from '../../shared/clients/campaign-catalog';
import { runtimeClock } from '../../shared/clock';
import { observability } from '../../shared/observability';
import { parseScheduledJob } from '../../events/schemas/scheduled-job.v1';
import type { SweepMessage } from '../../events/schemas/sweep-message.v1';
import { DynamoDbOrganizationDirectory } from '../../shared/repositories/organization-repository';
import { startReminders } from '../../shared/use-cases/start-reminders';

const config = loadConfig({ tables: ['main'], queues: ['sweeps'] });
const { logger, metrics } = observability('start-reminders');

const deps = {
  // Cached per process; each job forgets what it cached and reads the stored campaign as it fires.
  campaigns: campaignCatalogOf(config),
  organizations: new DynamoDbOrganizationDirectory({ client: documentClient(config), tableName: config.tables.main }),
  sweeps: new SqsMessageQueue<SweepMessage>(sqsClient(config), config.queues.sweeps),
  clock: runtimeClock,
  reconcileWindowDays: 0,
  progress: (p: { campaignId: string; sent: number; total: number }) => logger.info('reminder messages sent', p),
};

const run = async (event: unknown) => {
  const job = parseScheduledJob(event);
  if (job.type !== 'reminder') throw new Error(`start-reminders takes reminders, not ${job.type}`);
  logger.appendKeys({ campaignId: job.campaignId, milestone: job.milestone, scheduleId: job.scheduleId });
  const result = await startReminders(job, deps);
  if (result.skipped) {
    // A schedule left behind by a moved date or a closed campaign: nothing to do (not an error).
    metrics.addMetric(`reminder_run_skipped_${result.skipped.replaceAll('-', '_')}`, MetricUnit.Count, 1);
    logger.info('reminders skipped', result);
    return result;
  }
  metrics.addMetric('reminder_messages_sent', MetricUnit.Count, result.messages);
  logger.info('reminders started', result);
  return result;
};

export const handler = middy<unknown>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics))
  .handler(run);

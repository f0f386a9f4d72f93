// (EventBridge Scheduler: a published campaign's milestone passed, or the daily reconciliation) --> startScheduledJob --> (SQS sweeps; the milestone's snapshot export)
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
import { DynamoDbExportRepository } from '../../shared/repositories/export-repository';
import { startScheduledJob } from '../../shared/use-cases/start-scheduled-job';

const config = loadConfig({ tables: ['main'], queues: ['sweeps'] });
const { logger, metrics } = observability('start-milestone');
/** The daily reconciliation re-runs a milestone for this many days after it passed. */
const RECONCILE_WINDOW_DAYS = 60;

const table = { client: documentClient(config), tableName: config.tables.main };
const deps = {
  // Cached per process; each job forgets what it cached and reads the stored campaign as it fires.
  campaigns: campaignCatalogOf(config),
  organizations: new DynamoDbOrganizationDirectory(table),
  exports: new DynamoDbExportRepository(table),
  sweeps: new SqsMessageQueue<SweepMessage>(sqsClient(config), config.queues.sweeps),
  clock: runtimeClock,
  reconcileWindowDays: RECONCILE_WINDOW_DAYS,
  progress: (p: { campaignId: string; sent: number; total: number }) => logger.info('sweep messages sent', p),
};

const startMilestone = async (event: unknown) => {
  const job = parseScheduledJob(event);
  if (job.type === 'reminder') throw new Error('start-milestone does not take reminders (start-reminders does)');
  logger.appendKeys({ job: job.type, ...(job.type === 'milestone' ? { campaignId: job.campaignId, milestone: job.milestone } : {}) });
  const run = await startScheduledJob(job, deps);
  if (run.skipped) {
    // A schedule left behind by a moved date or a closed campaign: nothing to do (not an error).
    metrics.addMetric(`milestone_skipped_${run.skipped.replaceAll('-', '_')}`, MetricUnit.Count, 1);
    logger.info('milestone run skipped', { ...run });
    return run;
  }
  metrics.addMetric('sweep_messages_sent', MetricUnit.Count, run.messages);
  logger.info('milestone run started', { ...run });
  return run;
};

export const handler = middy<unknown>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics))
  .handler(startMilestone);

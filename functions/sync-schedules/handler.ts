// (main-table stream: a campaign item changed | EventBridge Scheduler: daily reconcile-schedules)
//   --> syncCampaignSchedules | reconcileSchedules --> (EventBridge Scheduler groups, or the local schedules file)
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { campaignScheduleTargets } from '../../infra/schedules';
import { topology } from '../../infra/topology';
import { campaignStoreOf } from '../../shared/clients/campaign-catalog';
import { withSdkPlugins } from '../../shared/clients/sdk-plugins';
import { functionRetryConfig } from '../../shared/clients/retry-strategy';
import { itemChangeFromStreamRecord } from '../../shared/clients/dynamodb-stream';
import { runtimeClock } from '../../shared/clock';
import { loadConfig } from '../../shared/config';
import { observability } from '../../shared/observability';
import { CAMPAIGNS_PARTITION } from '../../shared/repositories/campaign-repository';
import { loadScheduleGatewaySettings, type ScheduleGateway } from '../../shared/repositories/schedule-gateway';
import { AwsScheduleGateway } from '../../shared/repositories/schedule-gateway-aws';
import { LocalFileScheduleGateway } from '../../shared/repositories/schedule-gateway-local';
import type { CampaignCatalog } from '../../shared/use-cases/activity-access';
import { reconcileSchedules, syncCampaignSchedules, type SyncReport, type SyncSchedulesDeps } from '../../shared/use-cases/sync-schedules';

const config = loadConfig({ tables: ['main'] });
const { logger, metrics } = observability('sync-schedules');

const targets = campaignScheduleTargets(topology);
const settings = loadScheduleGatewaySettings(
  Object.values(targets).map((t) => t.functionId),
  config.stage,
);
const gateway: ScheduleGateway =
  settings.kind === 'local'
    ? new LocalFileScheduleGateway(settings.file)
    : new AwsScheduleGateway(withSdkPlugins(new SchedulerClient({ region: config.region, ...functionRetryConfig() })), settings);

// Straight from the table, strongly consistent: a sync acts on the write that triggered it.
const store = campaignStoreOf(config);
const campaigns: CampaignCatalog = {
  find: async (campaignId) => (await store.get(campaignId))?.campaign,
  all: async () => (await store.list()).map((s) => s.campaign),
};
const deps: SyncSchedulesDeps = {
  campaigns,
  gateway,
  clock: runtimeClock,
  groupPrefix: settings.groupPrefix,
  targets: {
    ...(targets.milestones ? { milestones: targets.milestones.functionId } : {}),
    ...(targets.reminders ? { reminders: targets.reminders.functionId } : {}),
  },
};
const processor = new BatchProcessor(EventType.DynamoDBStreams);

const CAMPAIGN_SK = /^CAMPAIGN#(.+)$/;

function count(report: SyncReport): void {
  metrics.addMetric('schedules_created', MetricUnit.Count, report.created);
  metrics.addMetric('schedules_updated', MetricUnit.Count, report.updated);
  metrics.addMetric('schedules_deleted', MetricUnit.Count, report.deleted);
  metrics.addMetric('schedule_groups_deleted', MetricUnit.Count, report.groupsDeleted);
}

/** A campaign item's change: its schedules follow. Every other item is none of this function's business. */
const recordHandler = async (record: DynamoDBRecord) => {
  const { keys } = itemChangeFromStreamRecord(record, runtimeClock);
  const campaignId = keys.pk === CAMPAIGNS_PARTITION ? CAMPAIGN_SK.exec(keys.sk)?.[1] : undefined;
  if (!campaignId) return;
  const report = await syncCampaignSchedules(campaignId, deps);
  count(report);
  logger.info('campaign schedules synced', { campaignId, eventId: record.eventID, ...report });
};

const isReconcile = (event: unknown): boolean => (event as { type?: unknown } | null)?.type === 'reconcile-schedules';
const isStream = (event: unknown): event is DynamoDBStreamEvent => Array.isArray((event as { Records?: unknown } | null)?.Records);

const run = async (event: unknown, context: Context): Promise<DynamoDBBatchResponse | SyncReport> => {
  if (isStream(event)) return processPartialResponse(event, recordHandler, processor, { context });
  if (!isReconcile(event)) throw new Error('sync-schedules takes main-table stream records or { "type": "reconcile-schedules" }');
  const report = await reconcileSchedules(deps);
  count(report);
  logger.info('campaign schedules reconciled', { ...report });
  return report;
};

export const handler = middy<unknown, DynamoDBBatchResponse | SyncReport>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics))
  .handler(run);

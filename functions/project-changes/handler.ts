// (main-table stream) --> projectProgress, the batch at once --> (progress table)
//                     --> projectPublicCalendar, each published activity changed once --> (progress table, PUB#: ADR 0044)
//                     --> syncCampaignSchedules, each campaign changed once --> (EventBridge Scheduler groups, or the local schedules file)
// (EventBridge Scheduler: daily reconcile-schedules) --> reconcileSchedules
// One of the table's two stream readers (ADR 0034): what can be recomputed from the table, and converges.
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { campaignScheduleTargets } from '../../infra/schedules';
import { topology } from '../../infra/topology';
import { campaignStoreOf } from '../../shared/clients/campaign-catalog';
import { documentClient } from '../../shared/clients/dynamodb';
import { functionRetryConfig } from '../../shared/clients/retry-strategy';
import { withSdkPlugins } from '../../shared/clients/sdk-plugins';
import { batchResponseOf, eachInOrder, outcomeOfFailed, readStreamBatch, reportOutcome, type PartOutcome, type StreamEntry } from '../../shared/clients/stream-parts';
import { runtimeClock } from '../../shared/clock';
import { loadConfig } from '../../shared/config';
import { observability } from '../../shared/observability';
import { CAMPAIGNS_PARTITION } from '../../shared/repositories/campaign-repository';
import { DynamoDbActivityItems, DynamoDbActivityPartitions, DynamoDbProgressStore } from '../../shared/repositories/progress-repository';
import { DynamoDbPublicCalendar } from '../../shared/repositories/public-calendar-repository';
import { loadScheduleGatewaySettings, type ScheduleGateway } from '../../shared/repositories/schedule-gateway';
import { AwsScheduleGateway } from '../../shared/repositories/schedule-gateway-aws';
import { LocalFileScheduleGateway } from '../../shared/repositories/schedule-gateway-local';
import type { CampaignCatalog } from '../../shared/repositories/campaign-repository';
import { projectProgress } from '../../shared/use-cases/project-progress';
import { projectPublicCalendar } from '../../shared/use-cases/project-public-calendar';
import type { ItemChange } from '../../shared/use-cases/record-audit-entry';
import { reconcileSchedules, syncCampaignSchedules, type SyncReport, type SyncSchedulesDeps } from '../../shared/use-cases/sync-schedules';

const FUNCTION_ID = 'project-changes';
const config = loadConfig({ tables: ['main', 'progress'] });
const { logger } = observability(FUNCTION_ID);
// Each part keeps the name of the function it was, in its logs (`part`) and metrics (dimension `part`).
const parts = {
  progress: observability(FUNCTION_ID, 'project-progress'),
  schedules: observability(FUNCTION_ID, 'sync-schedules'),
  calendar: observability(FUNCTION_ID, 'public-calendar'),
};

const progress = new DynamoDbProgressStore({ client: documentClient(config), tableName: config.tables.progress });
const partitions = new DynamoDbActivityPartitions({ client: documentClient(config), tableName: config.tables.main });
const calendar = new DynamoDbPublicCalendar({ client: documentClient(config), tableName: config.tables.progress });
const activityItems = new DynamoDbActivityItems({ client: documentClient(config), tableName: config.tables.main });

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
const scheduleDeps: SyncSchedulesDeps = {
  campaigns,
  gateway,
  clock: runtimeClock,
  groupPrefix: settings.groupPrefix,
  targets: {
    ...(targets.milestones ? { milestones: targets.milestones.functionId } : {}),
    ...(targets.reminders ? { reminders: targets.reminders.functionId } : {}),
  },
};

function count(report: SyncReport): void {
  const { metrics } = parts.schedules;
  metrics.addMetric('schedules_created', MetricUnit.Count, report.created);
  metrics.addMetric('schedules_updated', MetricUnit.Count, report.updated);
  metrics.addMetric('schedules_deleted', MetricUnit.Count, report.deleted);
  metrics.addMetric('schedule_groups_deleted', MetricUnit.Count, report.groupsDeleted);
}

/** Idempotent: a contribution carries its record's sequence number, and one from that record or a later one is skipped. */
async function projectBatch(entries: readonly StreamEntry[]): Promise<PartOutcome> {
  const changes = entries.flatMap((e) => (e.change ? [{ ...e.change, sequenceNumber: e.record.dynamodb?.SequenceNumber ?? '' }] : []));
  try {
    const outcome = await projectProgress(changes, {
      progress,
      // The scores' share of each activity (ADR 0038): its partition and its campaign's own deadline.
      scoring: {
        activityPartition: (activityId) => partitions.read(activityId),
        registrationDeadline: async (campaignId) => (await campaigns.find(campaignId))?.milestones.registration.deadline,
      },
    });
    parts.progress.metrics.addMetric('ProgressUpdates', MetricUnit.Count, outcome.applied);
    return outcomeOfFailed('project-progress', entries, outcome.failed);
  } catch (error) {
    // The store failed as a whole (not one unit): every record again, the other part's results still reported.
    return { part: 'project-progress', failedAt: 0, error };
  }
}

/** Idempotent: each published activity changed is written as stored now (ADR 0044). */
async function calendarBatch(entries: readonly StreamEntry[]): Promise<PartOutcome> {
  const changes = entries.flatMap((e) => (e.change ? [e.change] : []));
  try {
    const outcome = await projectPublicCalendar(changes, { calendar, activityItems: (ids) => activityItems.items(ids) });
    parts.calendar.metrics.addMetric('PublicCalendarUpdates', MetricUnit.Count, outcome.written);
    return outcomeOfFailed('public-calendar', entries, outcome.failed);
  } catch (error) {
    return { part: 'public-calendar', failedAt: 0, error };
  }
}

const CAMPAIGN_SK = /^CAMPAIGN#(.+)$/;

/**
 * A campaign item's change: its schedules follow, once per campaign and batch (the sync reads the
 * campaign as stored now). Idempotent: what exists is compared with what should, so a retry changes nothing.
 */
function scheduleSyncer(): (change: ItemChange) => Promise<void> {
  const synced = new Set<string>();
  return async ({ keys, eventId }) => {
    const campaignId = keys.pk === CAMPAIGNS_PARTITION ? CAMPAIGN_SK.exec(keys.sk)?.[1] : undefined;
    if (!campaignId || synced.has(campaignId)) return;
    const report = await syncCampaignSchedules(campaignId, scheduleDeps);
    synced.add(campaignId);
    count(report);
    parts.schedules.logger.info('campaign schedules synced', { campaignId, eventId, ...report });
  };
}

async function readStream(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  const entries = readStreamBatch(event.Records, runtimeClock);
  // Every part converges on the table's state, so they run side by side over the whole batch.
  const [projected, published, synced] = await Promise.all([
    projectBatch(entries),
    calendarBatch(entries),
    eachInOrder(entries, [['sync-schedules', scheduleSyncer()]]),
  ]);
  const outcomes = [projected, published, ...synced];
  const observed = { 'project-progress': parts.progress, 'public-calendar': parts.calendar } as const;
  for (const outcome of outcomes) reportOutcome(outcome, entries, observed[outcome.part as keyof typeof observed] ?? parts.schedules);
  return batchResponseOf(entries, outcomes);
}

const isReconcile = (event: unknown): boolean => (event as { type?: unknown } | null)?.type === 'reconcile-schedules';
const isStream = (event: unknown): event is DynamoDBStreamEvent => Array.isArray((event as { Records?: unknown } | null)?.Records);

const run = async (event: unknown): Promise<DynamoDBBatchResponse | SyncReport> => {
  if (isStream(event)) return readStream(event);
  if (!isReconcile(event)) throw new Error(`${FUNCTION_ID} takes main-table stream records or { "type": "reconcile-schedules" }`);
  const report = await reconcileSchedules(scheduleDeps);
  count(report);
  parts.schedules.logger.info('campaign schedules reconciled', { ...report });
  return report;
};

export const handler = middy<unknown, DynamoDBBatchResponse | SyncReport>()
  .use(injectLambdaContext([logger, parts.progress.logger, parts.schedules.logger, parts.calendar.logger], { resetKeys: true }))
  .use(logMetrics([parts.progress.metrics, parts.schedules.metrics, parts.calendar.metrics]))
  .handler(run);

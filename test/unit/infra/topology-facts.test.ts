// The constants handlers read instead of the topology (shared/topology-facts.ts) agree with what the
// topology declares; a change to one side alone fails here.
import { campaignScheduleTargets } from '../../../infra/schedules';
import { queueVisibilityTimeoutSeconds, topology } from '../../../infra/topology';
import {
  CAMPAIGN_SCHEDULE_TARGETS,
  EXPORT_JOB_ACTIVE_SECONDS,
  RUN_EXPORT_TIMEOUT_SECONDS,
  TABLE_COPY_PREFIX,
  WORK_QUEUE_MAX_RECEIVE_COUNT,
} from '../../../shared/topology-facts';

describe('shared/topology-facts.ts', () => {
  it('states every work queue’s receive count', () => {
    const counts = Object.values(topology.queues).flatMap((q) => (q.kind === 'work' ? [q.maxReceiveCount] : []));
    expect(counts.length).toBeGreaterThan(0);
    expect(new Set(counts)).toEqual(new Set([WORK_QUEUE_MAX_RECEIVE_COUNT]));
  });

  it('states how long an export job may stay active: every receive of the exports queue', () => {
    expect(topology.functions['run-export'].timeoutSeconds).toBe(RUN_EXPORT_TIMEOUT_SECONDS);
    expect(EXPORT_JOB_ACTIVE_SECONDS).toBe(queueVisibilityTimeoutSeconds(topology, 'exports') * topology.queues.exports.maxReceiveCount);
  });

  it('states the table copies’ prefix and the campaign schedules’ targets', () => {
    expect(topology.functions['run-export'].tableCopies.prefix).toBe(TABLE_COPY_PREFIX);
    const targets = campaignScheduleTargets(topology);
    expect({ milestones: targets.milestones?.functionId, reminders: targets.reminders?.functionId }).toEqual(CAMPAIGN_SCHEDULE_TARGETS);
  });
});

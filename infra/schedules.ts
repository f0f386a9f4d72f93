/**
 * The topology's schedule triggers, for both runtimes.
 *
 * - Recurring triggers (an expression in a zone, a fixed input) are expanded here into concrete
 *   schedules: the CDK app makes EventBridge Scheduler schedules of them, the local runtime's
 *   scheduler fires the same list.
 * - Campaign triggers (`campaignSchedules: 'milestones' | 'reminders'`) are not expanded at synth:
 *   campaigns are data (ADR 0023). They only declare which function each kind of one-time
 *   schedule invokes ({@link campaignScheduleTargets}); the function that `manageSchedules`
 *   creates them at run time (shared/use-cases/sync-schedules.ts).
 */
import type { CampaignScheduleTrigger, ScheduleTrigger, Topology } from './topology';

export interface ExpandedSchedule {
  /** Unique across the topology: `<function>.<input type or trigger index>`. */
  readonly id: string;
  readonly functionId: string;
  readonly input: Readonly<Record<string, unknown>>;
  readonly timeZone: string;
  /** A Scheduler expression in `timeZone` (the local runtime supports daily `cron(M H * * ? *)`). */
  readonly expression: string;
  /** The failures queue after the last retry. */
  readonly onFailureQueue?: string;
}

/** The recurring schedules of the topology (campaign schedules are made at run time). */
export function expandSchedules(topology: Topology): ExpandedSchedule[] {
  return Object.entries(topology.functions).flatMap(([functionId, fn]) =>
    fn.triggers.flatMap((trigger, index): ExpandedSchedule[] => {
      if (trigger.kind !== 'schedule' || 'campaignSchedules' in trigger) return [];
      const dlq = trigger.onFailureQueue ? { onFailureQueue: trigger.onFailureQueue } : {};
      const name = typeof trigger.input?.type === 'string' ? trigger.input.type : String(index);
      return [{ id: `${functionId}.${name}`, functionId, input: trigger.input ?? {}, timeZone: trigger.timeZone, expression: trigger.expression, ...dlq }];
    }),
  );
}

export type CampaignScheduleKind = CampaignScheduleTrigger['campaignSchedules'];

/** The function each kind of campaign schedule invokes, with the trigger's failures queue. */
export interface CampaignScheduleTarget {
  readonly functionId: string;
  readonly onFailureQueue?: string;
}

/**
 * Which function each kind of campaign schedule invokes, as the topology declares it (the
 * `campaignSchedules` triggers; validateTopology allows one per kind). A kind no function takes
 * is absent: no such schedules are made.
 */
export function campaignScheduleTargets(topology: Topology): Partial<Record<CampaignScheduleKind, CampaignScheduleTarget>> {
  const targets: Partial<Record<CampaignScheduleKind, CampaignScheduleTarget>> = {};
  for (const [functionId, fn] of Object.entries(topology.functions)) {
    for (const trigger of fn.triggers) {
      if (trigger.kind !== 'schedule' || !('campaignSchedules' in trigger)) continue;
      targets[trigger.campaignSchedules] ??= { functionId, ...(trigger.onFailureQueue ? { onFailureQueue: trigger.onFailureQueue } : {}) };
    }
  }
  return targets;
}

/** The function that manages the campaign schedules (`manageSchedules`), if any. */
export const scheduleManager = (topology: Topology): string | undefined =>
  Object.entries(topology.functions).find(([, fn]) => fn.manageSchedules)?.[0];

/** How the wiring report names a schedule trigger. */
export const scheduleSource = (t: ScheduleTrigger): string =>
  'campaignSchedules' in t ? `campaign ${t.campaignSchedules}` : `${t.expression} ${t.timeZone}`;

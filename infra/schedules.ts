/**
 * The topology's schedule triggers expanded into concrete schedules, for both runtimes: each
 * campaign-derived trigger becomes one one-time schedule per milestone (or reminder) of every
 * campaign, a recurring trigger stays one schedule. The CDK app makes EventBridge Scheduler
 * schedules of them; the local runtime's scheduler fires the same list.
 */
import type { Campaign } from '../shared/domain/campaign';
import { milestoneSchedules, reminderSchedules } from '../shared/domain/schedules';
import type { ScheduleTrigger, Topology } from './topology';

export interface ExpandedSchedule {
  /** Unique across the topology: `<function>.<campaign schedule id>`, or `<function>.<input type or trigger index>`. */
  readonly id: string;
  readonly functionId: string;
  readonly input: Readonly<Record<string, unknown>>;
  readonly timeZone: string;
  /** One-time: the instant, and the same as the zone's wall clock (`YYYY-MM-DDTHH:mm:ss`). */
  readonly once?: { readonly at: Date; readonly wallTime: string };
  /** Recurring: a Scheduler expression in `timeZone`. */
  readonly expression?: string;
  /** The failures queue after the last retry. */
  readonly onFailureQueue?: string;
}

export function expandSchedules(topology: Topology, campaigns: readonly Campaign[]): ExpandedSchedule[] {
  return Object.entries(topology.functions).flatMap(([functionId, fn]) =>
    fn.triggers.flatMap((trigger, index): ExpandedSchedule[] => {
      if (trigger.kind !== 'schedule') return [];
      const dlq = trigger.onFailureQueue ? { onFailureQueue: trigger.onFailureQueue } : {};
      if ('campaignSchedules' in trigger) {
        const list = trigger.campaignSchedules === 'milestones' ? milestoneSchedules(campaigns) : reminderSchedules(campaigns);
        return list.map((s) => ({
          id: `${functionId}.${s.id}`,
          functionId,
          input: s.job as unknown as Record<string, unknown>,
          timeZone: s.timeZone,
          once: { at: s.at, wallTime: s.wallTime },
          ...dlq,
        }));
      }
      const name = typeof trigger.input?.type === 'string' ? trigger.input.type : String(index);
      return [{ id: `${functionId}.${name}`, functionId, input: trigger.input ?? {}, timeZone: trigger.timeZone, expression: trigger.expression, ...dlq }];
    }),
  );
}

/** How the wiring report names a schedule trigger. */
export const scheduleSource = (t: ScheduleTrigger): string =>
  'campaignSchedules' in t ? `campaign ${t.campaignSchedules}` : `${t.expression} ${t.timeZone}`;

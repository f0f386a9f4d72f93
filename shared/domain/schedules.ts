/**
 * The schedules a campaign needs, derived from its definition (never written by hand): one
 * one-time schedule per milestone, firing the moment its deadline has passed, and one per
 * reminder, `daysBefore` local days before each milestone's due date at the campaign's
 * reminder time. They follow the stored campaign at run time (shared/use-cases/sync-schedules.ts):
 * EventBridge Scheduler schedules on AWS (wall time in the campaign's zone, one group per
 * campaign), a file the local runtime's scheduler fires from its movable clock on one machine.
 */
import type { Campaign, MilestoneId } from './campaign';
import { ISO_DATE, zonedInstant } from './time';

/** What a schedule asks its function to do (the event the function receives). */
export type ScheduledJob =
  | { readonly type: 'milestone'; readonly campaignId: string; readonly milestone: MilestoneId; readonly scheduleId: string }
  | {
      readonly type: 'reminder';
      readonly campaignId: string;
      readonly milestone: MilestoneId;
      readonly scheduleId: string;
      readonly daysBefore: number;
      /** The instant the reminder is for (its schedule's time): messages are dated by it. */
      readonly at: string;
    }
  | { readonly type: 'reconcile' };

export interface OneTimeSchedule {
  /** Stable and unique across campaigns: `<campaign>.<milestone>` or `<campaign>.<milestone>.remind-<n>d`. */
  readonly id: string;
  /** The instant it fires (UTC inside). */
  readonly at: Date;
  /** The same instant as the campaign zone's wall clock, `YYYY-MM-DDTHH:mm:ss` (what Scheduler's `at()` takes). */
  readonly wallTime: string;
  readonly timeZone: string;
  readonly job: ScheduledJob;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `date` moved by `days` calendar days (`YYYY-MM-DD`, no zone involved). */
export function addDays(date: string, days: number): string {
  const m = ISO_DATE.exec(date);
  if (!m) throw new RangeError(`not a date: ${date}`);
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + days));
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/**
 * A milestone's schedule fires at the first whole second after its deadline: the deadline is the
 * last millisecond of the due date, so this is 00:00:00 of the next local day.
 */
function milestoneSchedule(campaign: Campaign, milestone: MilestoneId): OneTimeSchedule {
  const next = addDays(campaign.milestones[milestone].dueDate, 1);
  const id = `${campaign.id}.${milestone}`;
  return {
    id,
    at: zonedInstant(next, campaign.timeZone),
    wallTime: `${next}T00:00:00`,
    timeZone: campaign.timeZone,
    job: { type: 'milestone', campaignId: campaign.id, milestone, scheduleId: id },
  };
}

function reminderSchedule(campaign: Campaign, milestone: MilestoneId, daysBefore: number): OneTimeSchedule {
  const date = addDays(campaign.milestones[milestone].dueDate, -daysBefore);
  const [hour, minute] = campaign.reminders.localTime.split(':').map(Number) as [number, number];
  const at = zonedInstant(date, campaign.timeZone, { hour, minute, second: 0, ms: 0 });
  const id = `${campaign.id}.${milestone}.remind-${daysBefore}d`;
  return {
    id,
    at,
    wallTime: `${date}T${campaign.reminders.localTime}:00`,
    timeZone: campaign.timeZone,
    job: { type: 'reminder', campaignId: campaign.id, milestone, scheduleId: id, daysBefore, at: at.toISOString() },
  };
}

/** Every milestone schedule of the campaigns, in firing order. */
export const milestoneSchedules = (campaigns: readonly Campaign[]): OneTimeSchedule[] =>
  byTime(campaigns.flatMap((c) => (Object.keys(c.milestones) as MilestoneId[]).map((m) => milestoneSchedule(c, m))));

/** Every reminder schedule of the campaigns, in firing order. */
export const reminderSchedules = (campaigns: readonly Campaign[]): OneTimeSchedule[] =>
  byTime(
    campaigns.flatMap((c) =>
      (Object.keys(c.milestones) as MilestoneId[]).flatMap((m) => c.reminders.daysBefore.map((d) => reminderSchedule(c, m, d))),
    ),
  );

const byTime = (list: OneTimeSchedule[]) => list.sort((a, b) => a.at.getTime() - b.at.getTime() || a.id.localeCompare(b.id));

/**
 * The milestones a reconciliation re-runs at `now`: every one already passed, within
 * `windowDays` after it (a closed campaign is not swept forever).
 */
export function passedMilestones(
  campaigns: readonly Campaign[],
  now: Date,
  windowDays: number,
): Array<{ campaignId: string; milestone: MilestoneId }> {
  return milestoneSchedules(campaigns)
    .filter((s) => s.at.getTime() <= now.getTime() && now.getTime() - s.at.getTime() <= windowDays * 86_400_000)
    .map((s) => ({ campaignId: (s.job as { campaignId: string }).campaignId, milestone: (s.job as { milestone: MilestoneId }).milestone }));
}

/**
 * The reminder schedule of `campaign` with this milestone and `daysBefore` as the campaign now
 * stands, if it still has one (a job from an older schedule compares its instant with it).
 */
export function currentReminder(campaign: Campaign, milestone: MilestoneId, daysBefore: number): OneTimeSchedule | undefined {
  if (!campaign.milestones[milestone] || !campaign.reminders.daysBefore.includes(daysBefore)) return undefined;
  return reminderSchedule(campaign, milestone, daysBefore);
}

/**
 * The campaigns' one-time schedules follow the stored campaigns (ADR 0012, 0023).
 *
 * - {@link syncCampaignSchedules}: one campaign changed (a main-table stream record): publishing
 *   makes its schedules, a moved date moves them, closing removes its group.
 * - {@link reconcileSchedules}: daily, every campaign, and the stage's groups of campaigns that
 *   no longer exist: whatever drifted (a failed sync, a hand edit) is repaired.
 *
 * What a campaign should have: a published one, each milestone and reminder schedule
 * (shared/domain/schedules.ts) whose instant is still after now; a draft or closed one (or one
 * that is gone), nothing, and no group. A schedule is never made for a past instant: a passed
 * milestone is re-run by start-milestone's daily reconciliation. What exists is compared with
 * that: missing ones are created, ones with another instant, zone, target or input are updated,
 * others deleted; so running twice changes nothing the second time.
 *
 * A published campaign's schedule whose instant passed less than {@link PASSED_KEPT_MS} ago is
 * left alone rather than deleted: it has just fired (Scheduler keeps it, ActionAfterCompletion
 * NONE) and may still be retrying its target (up to 6 hours), and on one machine the scheduler
 * may not have reached it yet. The daily run deletes it after that.
 */
import type { Campaign } from '../domain/campaign';
import type { Clock } from '../domain/clock';
import { milestoneSchedules, reminderSchedules } from '../domain/schedules';
import {
  sameSchedule,
  scheduleGroupName,
  schedulerName,
  wallTimeInstant,
  type CampaignSchedule,
  type ScheduleGateway,
} from '../repositories/schedule-gateway';
import type { CampaignCatalog } from '../repositories/campaign-repository';

/** How long a published campaign's schedule is kept after its instant (Scheduler retries for 6 hours). */
export const PASSED_KEPT_MS = 24 * 3600 * 1000;

export interface SyncSchedulesDeps {
  /** Read fresh (not a cache): a sync acts on what was just written. */
  readonly campaigns: CampaignCatalog;
  readonly gateway: ScheduleGateway;
  readonly clock: Clock;
  /** `sciday-<stage>.`: every group of the stage starts with it. */
  readonly groupPrefix: string;
  /** The function each kind of schedule invokes (the topology's `campaignSchedules` triggers); a kind without one is not made. */
  readonly targets: { readonly milestones?: string; readonly reminders?: string };
}

export interface SyncReport {
  readonly campaigns: number;
  readonly created: number;
  readonly updated: number;
  /** Schedules deleted one by one, or with their group. */
  readonly deleted: number;
  readonly groupsDeleted: number;
  /** What changed, `<operation> <group>/<name>` (at most the first 50). */
  readonly changes: readonly string[];
}

const MAX_CHANGES_LISTED = 50;

class Tally {
  public campaigns = 0;
  public created = 0;
  public updated = 0;
  public deleted = 0;
  public groupsDeleted = 0;
  public readonly changes: string[] = [];

  public note(change: string): void {
    if (this.changes.length < MAX_CHANGES_LISTED) this.changes.push(change);
  }

  public report(): SyncReport {
    const { campaigns, created, updated, deleted, groupsDeleted, changes } = this;
    return { campaigns, created, updated, deleted, groupsDeleted, changes: [...changes] };
  }
}

/** The schedules `campaign` should have at `now`: none unless it is published; never a past instant. */
export function desiredSchedules(campaign: Campaign | undefined, now: Date, targets: SyncSchedulesDeps['targets']): CampaignSchedule[] {
  if (campaign?.status !== 'published') return [];
  const of = (target: string | undefined, list: ReturnType<typeof milestoneSchedules>) =>
    target === undefined
      ? []
      : list
          .filter((s) => s.at.getTime() > now.getTime())
          .map((s) => ({ name: schedulerName(s.id), wallTime: s.wallTime, timeZone: s.timeZone, target, input: s.job }));
  return [...of(targets.milestones, milestoneSchedules([campaign])), ...of(targets.reminders, reminderSchedules([campaign]))];
}

/** Whether a schedule's instant passed within the last {@link PASSED_KEPT_MS} (false if it has no readable instant). */
function justPassed(schedule: { wallTime: string; timeZone: string }, now: Date): boolean {
  let at: number;
  try {
    at = wallTimeInstant(schedule.wallTime, schedule.timeZone).getTime();
  } catch {
    return false;
  }
  return at <= now.getTime() && now.getTime() - at < PASSED_KEPT_MS;
}

/**
 * Makes one group's schedules `wanted`, keeping (with `keepJustPassed`) the ones that just fired;
 * a group left with nothing is deleted.
 */
async function converge(
  group: string,
  wanted: readonly CampaignSchedule[],
  options: { readonly now: Date; readonly keepJustPassed: boolean },
  gateway: ScheduleGateway,
  tally: Tally,
): Promise<void> {
  const existing = await gateway.listSchedules(group);
  if (existing === undefined && wanted.length === 0) return;
  const wantedNames = new Set(wanted.map((s) => s.name));
  const kept = options.keepJustPassed ? (existing ?? []).filter((s) => !wantedNames.has(s.name) && justPassed(s, options.now)) : [];
  if (wanted.length === 0 && kept.length === 0) {
    await gateway.deleteGroup(group);
    tally.deleted += existing?.length ?? 0;
    tally.groupsDeleted += 1;
    tally.note(`deleteGroup ${group}`);
    return;
  }
  if (existing === undefined) await gateway.ensureGroup(group);
  const byName = new Map((existing ?? []).map((s) => [s.name, s]));
  for (const s of kept) byName.delete(s.name);
  for (const schedule of wanted) {
    const found = byName.get(schedule.name);
    byName.delete(schedule.name);
    if (found && sameSchedule(found, schedule)) continue;
    await gateway.put(group, schedule, found ? 'update' : 'create');
    if (found) tally.updated += 1;
    else tally.created += 1;
    tally.note(`${found ? 'update' : 'create'} ${group}/${schedule.name} at ${schedule.wallTime} ${schedule.timeZone}`);
  }
  for (const extra of byName.keys()) {
    await gateway.deleteSchedule(group, extra);
    tally.deleted += 1;
    tally.note(`delete ${group}/${extra}`);
  }
}

/** One campaign's schedules made to follow what is stored now (a stream record named it). */
export async function syncCampaignSchedules(campaignId: string, deps: SyncSchedulesDeps): Promise<SyncReport> {
  const tally = new Tally();
  const campaign = await deps.campaigns.find(campaignId);
  const now = deps.clock.now();
  tally.campaigns = 1;
  await converge(
    scheduleGroupName(deps.groupPrefix, campaignId),
    desiredSchedules(campaign, now, deps.targets),
    { now, keepJustPassed: campaign?.status === 'published' },
    deps.gateway,
    tally,
  );
  return tally.report();
}

/**
 * Every campaign's schedules made to follow what is stored, and the stage's groups that belong
 * to no stored campaign removed. One campaign failing does not stop the others; the run then
 * fails at the end naming them (the scheduler retries it, then its failures queue has it).
 */
export async function reconcileSchedules(deps: SyncSchedulesDeps): Promise<SyncReport> {
  const tally = new Tally();
  const now = deps.clock.now();
  const campaigns = await deps.campaigns.all();
  const known = new Set<string>();
  const failed: string[] = [];
  for (const campaign of campaigns) {
    const group = scheduleGroupName(deps.groupPrefix, campaign.id);
    known.add(group);
    tally.campaigns += 1;
    try {
      await converge(group, desiredSchedules(campaign, now, deps.targets), { now, keepJustPassed: campaign.status === 'published' }, deps.gateway, tally);
    } catch (error) {
      failed.push(`${campaign.id}: ${String(error)}`);
    }
  }
  for (const group of await deps.gateway.listGroups(deps.groupPrefix)) {
    if (known.has(group)) continue;
    try {
      await converge(group, [], { now, keepJustPassed: false }, deps.gateway, tally);
    } catch (error) {
      failed.push(`${group}: ${String(error)}`);
    }
  }
  if (failed.length > 0) {
    throw new Error(`schedules not reconciled (${JSON.stringify(tally.report())}): ${failed.join('; ')}`);
  }
  return tally.report();
}

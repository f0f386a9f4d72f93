/**
 * The milestone jobs.
 *
 * 1. {@link startScheduledJob}: a milestone passed (or the daily reconciliation runs): one
 *    `sweep` message per organizing unit of each campaign concerned, on the sweeps queue.
 *    Campaigns are data (ADR 0023): a milestone's job reads its campaign afresh when it fires and
 *    does nothing unless the campaign is published and the milestone's deadline has passed (a
 *    schedule left over from before a date moved later); the reconciliation re-runs the passed
 *    milestones of published campaigns only.
 * 2. {@link startReminders}: days before a milestone, one `remind` message per unit, unless the
 *    campaign is no longer published or the reminder's instant is no longer the campaign's.
 * 3. {@link sweepUnit}: one unit: the flags its passed milestones earn (the domain's
 *    `flagsAtMilestone`, as of each deadline), each written once; activities nothing can make
 *    late any more leave the due index.
 * 4. {@link remindUnit}: one unit: what it still owes, written to its inbox once per reminder and,
 *    when it set a webhook, queued for delivery.
 *
 * Every step is idempotent, so the at-least-once queues, Scheduler's retries, the daily
 * reconciliation and a job run twice (even concurrently) raise one flag per (code, subject,
 * milestone) and send one message per (unit, reminder).
 */
import { createHash } from 'node:crypto';
import type { FlagRecord } from '../domain/activity';
import type { Campaign, MilestoneId } from '../domain/campaign';
import { MILESTONE_IDS } from '../domain/campaign';
import type { Clock } from '../domain/clock';
import { hasGaps, reminderText, robotText, type InboxMessage, type ReminderGaps } from '../domain/inbox';
import {
  completionGaps,
  effectiveDeadline,
  flagsAtMilestone,
  isOnTime,
  type ActivityFacts,
  type ExtensionFacts,
} from '../domain/rules';
import { currentReminder, passedMilestones, type ScheduledJob } from '../domain/schedules';
import type { MessageQueue } from '../clients/message-queue';
import type { OrganizationDirectory, OrganizationSettingsStore } from '../repositories/organization-repository';
import type { ReminderGapReader, SweepStore, SweptActivity } from '../repositories/sweep-repository';
import type { ExtensionSource } from '../repositories/extension-repository';
import { raiseFlag } from './flags';
import { acceptedEvidence } from './complete-activity';
import type { ExportRepository } from '../export/export-record';
import { snapshotAtMilestone } from './exports';
import type { CampaignCatalog } from '../repositories/campaign-repository';

/**
 * The campaigns a scheduled job reads. `invalidate` (the cached catalog's) is called before a job
 * reads, so a job acts on the campaign as stored when it fires, not as a warm function cached it.
 */
export interface ScheduledCampaigns extends CampaignCatalog {
  invalidate?(campaignId?: string): void;
}

/** Why a scheduled job did nothing. */
export type SkipReason = 'unknown-campaign' | 'not-published' | 'not-due' | 'reminder-moved';

export interface FanOutDeps {
  readonly campaigns: ScheduledCampaigns;
  readonly organizations: Pick<OrganizationDirectory, 'list'>;
  readonly sweeps: MessageQueue;
  readonly clock: Clock;
  /** How long after a milestone the daily reconciliation still re-runs it. */
  readonly reconcileWindowDays: number;
  /** Called after each chunk of messages sent (long jobs report progress). */
  readonly progress?: (p: { campaignId: string; sent: number; total: number }) => void;
  /** Where a milestone's snapshot export is requested (created once per campaign and milestone). */
  readonly exports?: ExportRepository;
}

const CHUNK = 100;

async function campaignOf(campaigns: Pick<CampaignCatalog, 'find'>, campaignId: string): Promise<Campaign> {
  const campaign = await campaigns.find(campaignId);
  // A sweep message names the campaign whose job sent it a moment ago: a missing one is a data error (DLQ).
  if (!campaign) throw new Error(`no campaign ${campaignId}`);
  return campaign;
}

/** The campaign as stored now (the cache forgotten first), for a job that fires. */
async function freshCampaign(campaigns: ScheduledCampaigns, campaignId: string): Promise<Campaign | undefined> {
  campaigns.invalidate?.(campaignId);
  return campaigns.find(campaignId);
}

async function fanOut(campaign: Campaign, deps: FanOutDeps, message: (organizationId: string) => unknown): Promise<number> {
  const units = await deps.organizations.list(campaign);
  for (let i = 0; i < units.length; i += CHUNK) {
    await deps.sweeps.sendAll(units.slice(i, i + CHUNK).map((u) => message(u.organizationId)));
    deps.progress?.({ campaignId: campaign.id, sent: Math.min(i + CHUNK, units.length), total: units.length });
  }
  return units.length;
}

export interface ScheduledRun {
  readonly runId: string;
  readonly campaigns: string[];
  readonly messages: number;
  /** Set when a milestone's job did nothing, and why. */
  readonly skipped?: SkipReason;
}

/**
 * A milestone's run, or the reconciliation: a sweep message for every unit of each campaign
 * concerned. A milestone's run reads its campaign as stored now and does nothing (`skipped`)
 * unless it is published and the milestone's deadline has passed.
 */
export async function startScheduledJob(job: Exclude<ScheduledJob, { type: 'reminder' }>, deps: FanOutDeps): Promise<ScheduledRun> {
  const now = deps.clock.now();
  const runId = job.type === 'milestone' ? job.scheduleId : `reconcile-${now.toISOString()}`;
  let campaigns: Campaign[];
  if (job.type === 'milestone') {
    const campaign = await freshCampaign(deps.campaigns, job.campaignId);
    const skipped: SkipReason | undefined = !campaign
      ? 'unknown-campaign'
      : campaign.status !== 'published'
        ? 'not-published'
        : now.getTime() <= campaign.milestones[job.milestone].deadline.getTime()
          ? 'not-due'
          : undefined;
    if (skipped || !campaign) return { runId, campaigns: [], messages: 0, skipped: skipped ?? 'unknown-campaign' };
    campaigns = [campaign];
  } else {
    deps.campaigns.invalidate?.();
    const published = (await deps.campaigns.all()).filter((c) => c.status === 'published');
    const due = new Set(passedMilestones(published, now, deps.reconcileWindowDays).map((p) => p.campaignId));
    campaigns = published.filter((c) => due.has(c.id));
  }
  let messages = 0;
  for (const campaign of campaigns) {
    // The frozen record of where every entry stood at the milestone (an export, run from the queue).
    if (job.type === 'milestone' && deps.exports) await snapshotAtMilestone(campaign, job.milestone, { exports: deps.exports, clock: deps.clock });
    messages += await fanOut(campaign, deps, (organizationId) => ({ version: 1, type: 'sweep', campaignId: campaign.id, organizationId, runId }));
  }
  return { runId, campaigns: campaigns.map((c) => c.id), messages };
}

/**
 * A reminder's run: a remind message for every unit of the campaign, read as stored now. Nothing
 * (`skipped`) when it is not published, or its reminder for this milestone and `daysBefore` is
 * no longer at the job's instant (a date moved: the moved schedule fires at the new instant).
 */
export async function startReminders(
  job: Extract<ScheduledJob, { type: 'reminder' }>,
  deps: FanOutDeps,
): Promise<{ messages: number; skipped?: SkipReason }> {
  const campaign = await freshCampaign(deps.campaigns, job.campaignId);
  if (!campaign) return { messages: 0, skipped: 'unknown-campaign' };
  if (campaign.status !== 'published') return { messages: 0, skipped: 'not-published' };
  const current = currentReminder(campaign, job.milestone, job.daysBefore);
  if (current?.at.getTime() !== new Date(job.at).getTime()) return { messages: 0, skipped: 'reminder-moved' };
  const messages = await fanOut(campaign, deps, (organizationId) => ({
    version: 1,
    type: 'remind',
    campaignId: campaign.id,
    organizationId,
    milestone: job.milestone,
    scheduleId: job.scheduleId,
    at: job.at,
  }));
  return { messages };
}

export interface SweepDeps {
  readonly campaigns: Pick<CampaignCatalog, 'find'>;
  readonly organizations: Pick<OrganizationDirectory, 'find'>;
  readonly store: SweepStore;
  readonly extensions: ExtensionSource;
  readonly clock: Clock;
}

export interface SweepOutcome {
  /** Flags this run raised (not those raised before). */
  readonly raised: FlagRecord[];
  /** Activities of the due index read. */
  readonly due: number;
  /** Activities taken out of the due index. */
  readonly settled: number;
}

const date = (s: string | undefined) => (s === undefined ? undefined : new Date(s));

function facts(a: SweptActivity): ActivityFacts {
  return {
    activityId: a.activityId,
    organizationId: a.organizationId,
    status: a.status,
    createdAt: new Date(a.createdAt),
    ...(a.submittedAt ? { submittedAt: new Date(a.submittedAt) } : {}),
    ...(a.completedAt ? { completedAt: new Date(a.completedAt) } : {}),
    ...(a.format ? { format: a.format } : {}),
    ...(a.onlineUrl ? { onlineUrl: a.onlineUrl } : {}),
    // Not what a sweep judges (completion is judged by `completedAt`).
    acceptedMedia: { photos: 0, videos: 0 },
  };
}

/** The latest deadline of `milestone` that any of the unit's subjects has (extensions included). */
function latestDeadline(campaign: Campaign, milestone: MilestoneId, extensions: readonly ExtensionFacts[]): Date {
  const untils = extensions.filter((e) => e.milestone === milestone).map((e) => e.until.getTime());
  return new Date(Math.max(campaign.milestones[milestone].deadline.getTime(), ...untils));
}

async function pool<T>(items: readonly T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(work));
}

/**
 * Sweeps one unit: every flag its passed milestones earn, once; settled activities leave the due
 * index. Nothing for a campaign that is no longer published (closed while the message waited).
 */
export async function sweepUnit(input: { campaignId: string; organizationId: string }, deps: SweepDeps): Promise<SweepOutcome> {
  const none: SweepOutcome = { raised: [], due: 0, settled: 0 };
  const campaign = await campaignOf(deps.campaigns, input.campaignId);
  if (campaign.status !== 'published') return none;
  const now = deps.clock.now();
  const passed = MILESTONE_IDS.filter((m) => now.getTime() > campaign.milestones[m].deadline.getTime());
  if (passed.length === 0) return none;
  const organization = await deps.organizations.find(campaign, input.organizationId);
  if (!organization) return none;
  const { organizationId } = organization;

  const extensions = await deps.extensions.forOrganization(campaign.id, organizationId);
  const due = await deps.store.dueActivities(campaign.id, organizationId);
  const activities = due.map(facts);
  const known = new Set(due.map((a) => a.activityId));
  const deadlineOf = (m: MilestoneId, a: { organizationId: string; activityId?: string }) => effectiveDeadline(campaign, m, a, extensions);

  // Unit-level flags need to know whether the unit registered anything in time; activities that
  // left the due index (registered and completed in time) are found by reading until the first.
  if (passed.includes('registration')) {
    const inTime = (a: ActivityFacts) => a.submittedAt !== undefined && isOnTime(a.submittedAt, deadlineOf('registration', a));
    if (!activities.some(inTime)) {
      const found = await deps.store.findRegistered(campaign.id, organizationId, latestDeadline(campaign, 'registration', extensions), (a) =>
        !known.has(a.activityId) && inTime(facts(a)),
      );
      if (found) activities.push(facts(found));
    }
  }
  let summarySubmittedAt: Date | undefined;
  if (passed.includes('completion')) {
    const completionAt = campaign.milestones.completion.deadline;
    const registeredAt = (a: ActivityFacts) => a.submittedAt !== undefined && isOnTime(a.submittedAt, completionAt);
    if (!activities.some(registeredAt)) {
      const found = await deps.store.findRegistered(campaign.id, organizationId, completionAt, (a) => !known.has(a.activityId));
      if (found) activities.push(facts(found));
    }
    summarySubmittedAt = date(await deps.store.summarySubmittedAt(campaign.id, organizationId));
  }

  const unit = {
    organizationId,
    ...(organization.listedAt ? { listedAt: new Date(organization.listedAt) } : {}),
    ...(summarySubmittedAt ? { summarySubmittedAt } : {}),
  };
  const drafts = passed.flatMap((m) => flagsAtMilestone(campaign, m, now, { organizations: [unit], activities, extensions }));
  const raised: FlagRecord[] = [];
  await pool(drafts, 25, async (draft) => {
    const flag = raiseFlag(campaign.id, draft, now);
    const isNew = flag.activityId
      ? await deps.store.raiseActivityFlag({ ...flag, activityId: flag.activityId })
      : await deps.store.raiseUnitFlag(flag);
    if (isNew) raised.push(flag);
  });

  // Every deadline of these has passed and they were judged above: nothing can make them late now.
  const settled = due.filter((a) => MILESTONE_IDS.every((m) => now.getTime() > deadlineOf(m, a).getTime()));
  await pool(settled, 25, (a) => deps.store.settle(a.activityId));
  return { raised, due: due.length, settled: settled.length };
}

export interface RemindDeps extends SweepDeps {
  readonly settings: Pick<OrganizationSettingsStore, 'get'>;
  readonly notifications: MessageQueue;
}

export type RemindOutcome = 'sent' | 'already-sent' | 'nothing-missing' | 'too-late' | 'unknown-unit' | 'not-published';

/**
 * The id of a unit's message from one schedule at one instant: the same however often the
 * reminder runs, and a new one when the reminder's date moved and it runs at its new instant.
 */
export const reminderMessageId = (scheduleId: string, organizationId: string, at: string): string =>
  createHash('sha256').update(`${scheduleId}|${new Date(at).toISOString()}|${organizationId}`).digest('hex').slice(0, 32);

/**
 * What the unit still owes before `milestone` (see ReminderGaps), as of `now`: the one reading
 * behind both a reminder's words ({@link remindUnit}) and the unit's status page
 * (`getUnitStatus`), so the two never name different gaps.
 *
 * @example
 * const gaps = await gapsOf(campaign, 'registration', 'hongqi-kx', clock.now(), new DynamoDbSweepStore(table));
 * if (hasGaps(gaps)) console.log(reminderText(campaign, 'registration', gaps).text.zh); // 「1 项活动尚未提交登记。」
 */
export async function gapsOf(
  campaign: Campaign,
  milestone: MilestoneId,
  organizationId: string,
  now: Date,
  store: ReminderGapReader,
): Promise<ReminderGaps> {
  const due = await store.dueActivities(campaign.id, organizationId);
  const registeredAny = async () =>
    due.some((a) => a.status !== 'draft') || (await store.findRegistered(campaign.id, organizationId, now, () => true)) !== undefined;
  if (milestone === 'registration') {
    const drafts = due.filter((a) => a.status === 'draft').length;
    return drafts > 0 ? { drafts } : (await registeredAny()) ? {} : { noActivity: true };
  }
  let withoutEvidence = 0;
  let withoutOnlineUrl = 0;
  await pool(
    due.filter((a) => a.status === 'registered'),
    10,
    async (a) => {
      const evidence = await store.evidence(a.activityId);
      const gaps = completionGaps({ ...facts(a), ...(evidence.results ? { results: evidence.results } : {}), acceptedMedia: acceptedEvidence(evidence.media) });
      if (gaps.includes('evidence')) withoutEvidence += 1;
      if (gaps.includes('online-url')) withoutOnlineUrl += 1;
    },
  );
  const summaryMissing = (await registeredAny()) && (await store.summarySubmittedAt(campaign.id, organizationId)) === undefined;
  return {
    ...(withoutEvidence ? { withoutEvidence } : {}),
    ...(withoutOnlineUrl ? { withoutOnlineUrl } : {}),
    ...(summaryMissing ? { summaryMissing } : {}),
  };
}

/** Reminds one unit of what it still owes: one inbox message per reminder, and its webhook once. */
export async function remindUnit(
  input: { campaignId: string; organizationId: string; milestone: MilestoneId; scheduleId: string; at: string },
  deps: RemindDeps,
): Promise<{ outcome: RemindOutcome; message?: InboxMessage }> {
  const campaign = await campaignOf(deps.campaigns, input.campaignId);
  if (campaign.status !== 'published') return { outcome: 'not-published' };
  const organization = await deps.organizations.find(campaign, input.organizationId);
  if (!organization) return { outcome: 'unknown-unit' };
  const { organizationId } = organization;
  const now = deps.clock.now();
  const extensions = await deps.extensions.forOrganization(campaign.id, organizationId);
  // A reminder delivered after the unit's deadline would only confuse: the sweep speaks then.
  if (now.getTime() > effectiveDeadline(campaign, input.milestone, { organizationId }, extensions).getTime()) return { outcome: 'too-late' };

  const gaps = await gapsOf(campaign, input.milestone, organizationId, now, deps.store);
  if (!hasGaps(gaps)) return { outcome: 'nothing-missing' };
  const { webhookUrl } = await deps.settings.get(campaign.id, organizationId);
  const messageId = reminderMessageId(input.scheduleId, organizationId, input.at);
  const message: InboxMessage = {
    messageId,
    campaignId: campaign.id,
    organizationId,
    kind: 'reminder',
    milestone: input.milestone,
    scheduleId: input.scheduleId,
    ...reminderText(campaign, input.milestone, gaps),
    gaps,
    at: new Date(input.at).toISOString(),
    createdAt: now.toISOString(),
    ...(webhookUrl ? { webhook: 'queued' as const } : {}),
  };
  const { written, stored } = await deps.store.writeInbox(message);
  // Queued again when a redelivery finds it still queued: the notifier sends once per delivery id.
  if (stored.webhook === 'queued' && webhookUrl) {
    await deps.notifications.sendAll([
      {
        version: 1,
        deliveryId: `reminder-${stored.messageId}`,
        campaignId: campaign.id,
        organizationId,
        messageId: stored.messageId,
        at: stored.at,
        webhookUrl,
        text: robotText(stored),
      },
    ]);
  }
  return { outcome: written ? 'sent' : 'already-sent', message: stored };
}

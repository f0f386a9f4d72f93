/**
 * What the four milestone jobs share: the campaigns they read and why a scheduled job did nothing,
 * the fan-out of one message per unit, and the reading of a unit's due activities as facts.
 *
 * 1. `startScheduledJob` (start-scheduled-job.ts): a milestone passed (or the daily
 *    reconciliation runs): one `sweep` message per organizing unit of each campaign concerned, on
 *    the sweeps queue. Campaigns are data (ADR 0023): a milestone's job reads its campaign afresh
 *    when it fires and does nothing unless the campaign is published and the milestone's deadline
 *    has passed (a schedule left over from before a date moved later); the reconciliation re-runs
 *    the passed milestones of published campaigns only.
 * 2. `startReminders` (start-reminders.ts): days before a milestone, one `remind` message per
 *    unit, unless the campaign is no longer published or the reminder's instant is no longer the
 *    campaign's.
 * 3. `sweepUnit` (sweep-unit.ts): one unit: the flags its passed milestones earn (the domain's
 *    `flagsAtMilestone`, as of each deadline), each written once; activities nothing can make
 *    late any more leave the due index.
 * 4. `remindUnit` (remind-unit.ts): one unit: what it still owes, written to its inbox once per
 *    reminder and, when it set a webhook, queued for delivery.
 *
 * Every step is idempotent, so the at-least-once queues, Scheduler's retries, the daily
 * reconciliation and a job run twice (even concurrently) raise one flag per (code, subject,
 * milestone) and send one message per (unit, reminder). What each milestone does is the domain's
 * table (shared/domain/milestone-rules.ts).
 */
import type { Campaign } from '../domain/campaign';
import type { Clock } from '../domain/clock';
import type { SweepMessage } from '../../events/schemas/sweep-message.v1';
import type { MessageQueue } from '../clients/message-queue';
import type { OrganizationDirectory } from '../repositories/organization-repository';
import type { ExportRepository } from '../export/export-record';
import type { CampaignCatalog } from '../repositories/campaign-repository';

/** Why a scheduled job did nothing. */
export type SkipReason = 'unknown-campaign' | 'not-published' | 'not-due' | 'reminder-moved';

export interface FanOutDeps {
  readonly campaigns: CampaignCatalog;
  readonly organizations: Pick<OrganizationDirectory, 'list'>;
  readonly sweeps: MessageQueue<SweepMessage>;
  readonly clock: Clock;
  /** How long after a milestone the daily reconciliation still re-runs it. */
  readonly reconcileWindowDays: number;
  /** Called after each chunk of messages sent (long jobs report progress). */
  readonly progress?: (p: { campaignId: string; sent: number; total: number }) => void;
  /** Where a milestone's snapshot export is requested (created once per campaign and milestone). */
  readonly exports?: ExportRepository;
}

const CHUNK = 100;

/** The campaign a unit's message names. */
export async function campaignOf(campaigns: Pick<CampaignCatalog, 'find'>, campaignId: string): Promise<Campaign> {
  const campaign = await campaigns.find(campaignId);
  // A sweep message names the campaign whose job sent it a moment ago: a missing one is a data error (DLQ).
  if (!campaign) throw new Error(`no campaign ${campaignId}`);
  return campaign;
}

/** The campaign as stored now (the cache forgotten first), for a job that fires. */
export async function freshCampaign(campaigns: CampaignCatalog, campaignId: string): Promise<Campaign | undefined> {
  campaigns.invalidate?.(campaignId);
  return campaigns.find(campaignId);
}

/** One message per unit of the campaign, sent a chunk at a time; the number of units. */
export async function fanOut(campaign: Campaign, deps: FanOutDeps, message: (organizationId: string) => SweepMessage): Promise<number> {
  const units = await deps.organizations.list(campaign);
  for (let i = 0; i < units.length; i += CHUNK) {
    await deps.sweeps.sendAll(units.slice(i, i + CHUNK).map((u) => message(u.organizationId)));
    deps.progress?.({ campaignId: campaign.id, sent: Math.min(i + CHUNK, units.length), total: units.length });
  }
  return units.length;
}

/** Runs `work` over `items`, `size` at a time. */
export async function pool<T>(items: readonly T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(work));
}

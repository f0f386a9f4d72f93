/**
 * A reminder's run (milestone-jobs.ts, job 2).
 *
 * Primary course:
 * 1. Read the campaign as stored now; nothing (`skipped`) when it is unknown or not published,
 *    or when its reminder has moved.
 * 2. One remind message per unit, on the sweeps queue.
 */
import { currentReminder, type ScheduledJob } from '../domain/schedules';
import { fanOut, freshCampaign, type FanOutDeps, type SkipReason } from './milestone-jobs';

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


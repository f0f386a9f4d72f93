/**
 * A milestone's run, or the daily reconciliation (milestone-jobs.ts, job 1).
 *
 * Primary course:
 * 1. A milestone's run reads its campaign as stored now; nothing (`skipped`) unless it is
 *    published and the milestone's deadline has passed. The reconciliation takes the published
 *    campaigns whose milestones passed within the window.
 * 2. A milestone's run requests the campaign's snapshot export for the milestone.
 * 3. One sweep message per unit of each campaign, on the sweeps queue.
 */
import type { Campaign } from '../domain/campaign';
import { passedMilestones, type ScheduledJob } from '../domain/schedules';
import { snapshotAtMilestone } from './exports';
import { fanOut, freshCampaign, type FanOutDeps, type SkipReason } from './milestone-jobs';

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


/**
 * One unit's sweep (milestone-jobs.ts, job 3).
 *
 * Primary course:
 * 1. Nothing unless the campaign is published, a milestone has passed and the unit is listed.
 * 2. Read the unit's extensions and due activities; for each passed milestone, the registered
 *    activity its unit flag asks about when no due one answers
 *    (`MILESTONE_RULES[m].registeredActivity`), and the work summary when one reads it.
 * 3. Raise each flag the passed milestones earn (`flagsAtMilestone`), once.
 * 4. Take out of the due index the activities every deadline of which has passed.
 */
import { NO_MEDIA, storedActivityFacts, type ActivityFacts, type FlagRecord } from '../domain/activity';
import { MILESTONE_IDS } from '../domain/campaign';
import type { Clock } from '../domain/clock';
import { flagsAtMilestone, judgementOf, MILESTONE_RULES } from '../domain/milestone-rules';
import { effectiveDeadline } from '../domain/rules';
import type { OrganizationDirectory } from '../repositories/organization-repository';
import type { SweepStore, SweptActivity } from '../repositories/sweep-repository';
import type { ExtensionSource } from '../repositories/extension-repository';
import { raiseFlag } from './flags';
import type { CampaignCatalog } from '../repositories/campaign-repository';
import { campaignOf, pool } from './milestone-jobs';

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

/** A due activity's facts, by the domain's one builder (completion is judged by `completedAt`: media are not read). */
const sweptFacts = (a: SweptActivity): ActivityFacts => ({ ...storedActivityFacts(a), acceptedMedia: NO_MEDIA });

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
  const activities = due.map(sweptFacts);
  const known = new Set(due.map((a) => a.activityId));

  // Unit-level flags ask whether the unit registered an activity (in time, or at the milestone);
  // activities that left the due index (completed in time) are found by reading until the first.
  for (const m of passed) {
    const { by, counts } = MILESTONE_RULES[m].registeredActivity(judgementOf(campaign, m, now, extensions));
    if (activities.some(counts)) continue;
    const found = await deps.store.findRegistered(campaign.id, organizationId, by, (a) => !known.has(a.activityId) && counts(sweptFacts(a)));
    if (found) activities.push(sweptFacts(found));
  }
  const readsSummary = passed.some((m) => MILESTONE_RULES[m].readsSummary);
  const summarySubmittedAt = readsSummary ? date(await deps.store.summarySubmittedAt(campaign.id, organizationId)) : undefined;

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
  const settled = due.filter((a) => MILESTONE_IDS.every((m) => now.getTime() > effectiveDeadline(campaign, m, a, extensions).getTime()));
  await pool(settled, 25, (a) => deps.store.settle(a.activityId));
  return { raised, due: due.length, settled: settled.length };
}


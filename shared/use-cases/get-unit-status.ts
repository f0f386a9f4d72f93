/**
 * One organizing unit's standing in a campaign, in one answer (the web app's home page): each
 * milestone's deadline for the unit and what it still owes before it, its flags, and how many of
 * its activities are drafts, registered or completed.
 *
 * Primary course:
 * 1. The campaign exists (404); the caller is an admin, a reviewer or an organizer of that very
 *    unit. An organizer of another unit is answered as if the unit were missing (404); analysts
 *    may not read it (403), as with the unit's inbox.
 * 2. The unit is listed in the campaign (404).
 * 3. At once: the unit's extensions, its flags (the campaign's flag list filtered on the unit,
 *    every page) and its activities (the unit's list, every page), counted by status.
 * 4. Per milestone: the unit's effective deadline (the latest unit extension moves it), whether
 *    it passed at the clock's now and the whole seconds left. Until it passes, the gaps a
 *    reminder would name ({@link gapsOf}, the reminders' own reading) and the reminder's words
 *    when anything is missing; once it passed the sweep has spoken and the flags say the rest.
 * 5. Flags open first, then waived, each group oldest first.
 */
import { hasRole, type Principal } from '../auth/principal';
import type { Bilingual, Campaign, MilestoneId } from '../domain/campaign';
import { MILESTONE_IDS } from '../domain/campaign';
import type { Clock } from '../domain/clock';
import { hasGaps, reminderText, type ReminderGaps } from '../domain/inbox';
import { effectiveDeadline } from '../domain/rules';
import type { ActivityStatus } from '../domain/activity';
import { ForbiddenError, NotFoundError } from '../errors';
import type { ActivityRepository } from '../repositories/activity-repository';
import type { FlagRepository, StoredFlag } from '../repositories/flag-repository';
import type { Organization, OrganizationDirectory } from '../repositories/organization-repository';
import type { ReminderGapReader } from '../repositories/sweep-repository';
import { campaignFor } from './activity-access';
import type { CampaignCatalog } from '../repositories/campaign-repository';
import { gapsOf } from './remind-unit';
import type { ExtensionSource } from '../repositories/extension-repository';

/** The statuses a unit's status counts. */
type CountedStatus = Exclude<ActivityStatus, 'withdrawn'>;

export interface GetUnitStatusDeps {
  readonly campaigns: CampaignCatalog;
  readonly organizations: Pick<OrganizationDirectory, 'find'>;
  readonly extensions: ExtensionSource;
  /** What the reminders read to name a unit's gaps (the sweeps' store, read only). */
  readonly gaps: ReminderGapReader;
  readonly flags: Pick<FlagRepository, 'list'>;
  readonly activities: Pick<ActivityRepository, 'list'>;
  readonly clock: Clock;
}

/** One milestone as it stands for the unit. Instants are UTC; the view writes them in the campaign's zone. */
export interface UnitMilestoneStatus {
  readonly milestone: MilestoneId;
  /** The campaign's deadline (the last on-time instant). */
  readonly campaignDeadline: Date;
  /** The unit's deadline: the campaign's, moved by the latest extension granted to the unit. */
  readonly deadline: Date;
  readonly extended: boolean;
  /** Whether `deadline` has passed at `asOf`. */
  readonly passed: boolean;
  /** Whole seconds from `asOf` until the deadline ends, rounded up; 0 once it passed. */
  readonly secondsLeft: number;
  /** What a reminder would name now; `null` once the deadline passed (the flags speak then). */
  readonly gaps: ReminderGaps | null;
  /** The reminder's title and text for those gaps; `null` when nothing is missing or the deadline passed. */
  readonly reminder: { readonly title: Bilingual; readonly text: Bilingual } | null;
}

export interface UnitStatus {
  readonly campaign: Campaign;
  readonly organization: Organization;
  /** The clock's now the answer was computed at. */
  readonly asOf: Date;
  readonly milestones: readonly UnitMilestoneStatus[];
  /** Activity-level and unit-level flags: open first, then waived, each oldest first. */
  readonly flags: readonly StoredFlag[];
  readonly activities: Readonly<Record<CountedStatus, number>>;
}

/** Page size of the reads that follow cursors to the end (the most a list page holds). */
const PAGE = 100;

async function flagsOfUnit(campaignId: string, organizationId: string, flags: GetUnitStatusDeps['flags']): Promise<StoredFlag[]> {
  const all: StoredFlag[] = [];
  let cursor: string | undefined;
  do {
    const page = await flags.list({ campaignId, filters: { organizationId }, limit: PAGE, ...(cursor ? { cursor } : {}) });
    all.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  // Stable: each group keeps the list's order (oldest first by `raisedAt`).
  return [...all.filter((f) => !f.waived), ...all.filter((f) => f.waived)];
}

async function activityCounts(
  campaignId: string,
  organizationId: string,
  activities: GetUnitStatusDeps['activities'],
): Promise<Record<CountedStatus, number>> {
  const counts: Record<CountedStatus, number> = { draft: 0, registered: 0, completed: 0 };
  let cursor: string | undefined;
  do {
    const page = await activities.list({ campaignId, organizationId, filters: {}, limit: PAGE, ...(cursor ? { cursor } : {}) });
    // A withdrawn activity is the unit's no more (ADR 0044): its trail keeps it.
    for (const a of page.items) if (a.status !== 'withdrawn') counts[a.status] += 1;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return counts;
}

/** Whole seconds from `now` until `deadline` (its last on-time millisecond) ends, rounded up; 0 once past. */
export const secondsLeft = (deadline: Date, now: Date): number => Math.max(0, Math.ceil((deadline.getTime() + 1 - now.getTime()) / 1000));

export async function getUnitStatus(
  input: { principal: Principal; campaignId: string; organizationId: string },
  deps: GetUnitStatusDeps,
): Promise<UnitStatus> {
  const { principal, organizationId } = input;
  const campaign = await campaignFor(principal, deps.campaigns, input.campaignId);
  const ownOrganizer = hasRole(principal, 'organizer') && principal.orgId === organizationId;
  if (!hasRole(principal, 'admin', 'reviewer') && !ownOrganizer) {
    // An organizer sees only its own unit: another one is answered exactly as a missing one.
    if (hasRole(principal, 'organizer')) throw new NotFoundError(`organization ${organizationId} not found`);
    throw new ForbiddenError('only an organizer of the unit, a reviewer or an admin reads its status');
  }
  const organization = await deps.organizations.find(campaign, organizationId);
  if (!organization) throw new NotFoundError(`organization ${organizationId} not found`);

  const asOf = deps.clock.now();
  const [extensions, flags, activities] = await Promise.all([
    deps.extensions.forOrganization(campaign.id, organizationId),
    flagsOfUnit(campaign.id, organizationId, deps.flags),
    activityCounts(campaign.id, organizationId, deps.activities),
  ]);
  const milestones = await Promise.all(
    MILESTONE_IDS.map(async (milestone): Promise<UnitMilestoneStatus> => {
      const campaignDeadline = campaign.milestones[milestone].deadline;
      const deadline = effectiveDeadline(campaign, milestone, { organizationId }, extensions);
      const passed = asOf.getTime() > deadline.getTime();
      const gaps = passed ? null : await gapsOf(campaign, milestone, organizationId, asOf, deps.gaps);
      return {
        milestone,
        campaignDeadline,
        deadline,
        extended: deadline.getTime() !== campaignDeadline.getTime(),
        passed,
        secondsLeft: secondsLeft(deadline, asOf),
        gaps,
        reminder: gaps && hasGaps(gaps) ? reminderText(campaign, milestone, gaps) : null,
      };
    }),
  );
  return { campaign, organization, asOf, milestones, flags, activities };
}

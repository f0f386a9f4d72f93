/**
 * Milestone behaviour in one table: for each milestone of the campaign model, the flags a sweep
 * raises once its deadline passed, what the sweep reads beyond the unit's due activities, which
 * activities stay in the due index for it, and what a reminder before it names. The table is a
 * `Record<MilestoneId, MilestoneRules>`: a milestone id added to `MILESTONE_IDS` fails the type
 * check here until each of its behaviours is written (ADR 0040). The flags an event raises at once
 * (a late submit, a late completion or summary) are rules.ts `flagsOnSubmit`, `flagOnCompletion`
 * and `flagOnSummary`.
 *
 * Who is concerned is fixed when the campaign's milestone passes (an activity that existed, a unit
 * that was listed, an activity that was registered); each of them is then judged as of its own
 * effective deadline, and only once that deadline has passed. So the answer does not depend on
 * when (or how often) the sweep runs, and an extension only ever removes flags.
 */
import type { ActivityFacts, ActivityItemFacts, ActivityStatus, FlagDraft } from './activity';
import { MILESTONE_IDS, type Campaign, type MilestoneId } from './campaign';
import type { FlagCode } from './flags';
import type { ReminderGaps } from './inbox';
import { completionGaps, effectiveDeadline, isOnTime, registeredBy, type ExtensionFacts, type OrganizationFacts } from './rules';

/** One milestone as a sweep judges it at `now`, for one unit's extensions. */
export interface MilestoneJudgement {
  readonly campaign: Campaign;
  readonly milestone: MilestoneId;
  readonly now: Date;
  /** The campaign's own deadline: who is concerned is fixed then. */
  readonly milestoneAt: Date;
  readonly extensions: readonly ExtensionFacts[];
  /** The effective deadline of the unit or one of its activities (extensions applied). */
  deadlineOf(subject: { readonly organizationId: string; readonly activityId?: string }): Date;
  /** Whether `deadline` has passed at `now`. */
  passed(deadline: Date): boolean;
}

/** What a reminder reads of a unit, each read only when a milestone's gaps ask for it. */
export interface GapReads {
  /** The unit's due activities (the due index). */
  readonly due: readonly ActivityItemFacts[];
  /** Whether the unit registered any activity so far. */
  registeredAny(): Promise<boolean>;
  /** These activities with their results and accepted media. */
  withEvidence(activities: readonly ActivityItemFacts[]): Promise<ActivityFacts[]>;
  /** Whether the unit's work summary is submitted. */
  summarySubmitted(): Promise<boolean>;
}

/** Everything a milestone does; each entry of {@link MILESTONE_RULES} writes all of it. */
export interface MilestoneRules {
  /** The flag an activity earns, judged once its own deadline has passed. */
  activityFlag(activity: ActivityFacts, j: MilestoneJudgement): FlagCode | undefined;
  /** The flag a unit earns given its activities, or `undefined` (nothing, or not judged yet). */
  unitFlag(unit: OrganizationFacts, own: readonly ActivityFacts[], j: MilestoneJudgement): FlagCode | undefined;
  /**
   * The registered activity the unit's flag asks about: registered by `by`, and counting when
   * `counts` says so. A sweep that finds none among the due activities reads the unit's other
   * activities until the first.
   */
  registeredActivity(j: MilestoneJudgement): { readonly by: Date; counts(activity: ActivityItemFacts): boolean };
  /** Whether a sweep reads the unit's work summary. */
  readonly readsSummary: boolean;
  /** Whether an activity can still earn this milestone's flags (it stays in the due index). */
  stillDue(status: ActivityStatus, raised: readonly FlagCode[]): boolean;
  /** What the unit still owes before the milestone: what its reminder names. */
  gaps(reads: GapReads): Promise<ReminderGaps>;
}

/** The latest deadline of the milestone any of the unit's subjects has (extensions included). */
function latestDeadline(j: MilestoneJudgement): Date {
  const untils = j.extensions.filter((e) => e.milestone === j.milestone).map((e) => e.until.getTime());
  return new Date(Math.max(j.milestoneAt.getTime(), ...untils));
}

/**
 * Per milestone, its behaviour (docs/domain.md R4–R10).
 *
 * - registration (登记填报): `registration-overdue` for an activity that existed at the milestone
 *   and was not registered by its deadline; `organization-inactive` for a unit listed at the
 *   milestone with no activity registered by that activity's deadline.
 * - completion (信息完善、工作总结): `results-missing` for an activity registered at the milestone
 *   whose completion rule was not met by its deadline; `summary-missing` for a unit with an
 *   activity registered at the milestone and no work summary by its deadline.
 */
export const MILESTONE_RULES: Readonly<Record<MilestoneId, MilestoneRules>> = {
  registration: {
    activityFlag: (a, j) => (isOnTime(a.createdAt, j.milestoneAt) && !registeredBy(a, j.deadlineOf(a)) ? 'registration-overdue' : undefined),
    unitFlag: (o, own, j) => {
      // Judged once the unit's deadline and every deadline of its own activities have passed.
      if (![j.deadlineOf(o), ...own.map((a) => j.deadlineOf(a))].every((d) => j.passed(d))) return undefined;
      const listed = o.listedAt === undefined || isOnTime(o.listedAt, j.milestoneAt);
      return listed && !own.some((a) => registeredBy(a, j.deadlineOf(a))) ? 'organization-inactive' : undefined;
    },
    registeredActivity: (j) => ({ by: latestDeadline(j), counts: (a) => registeredBy(a, j.deadlineOf(a)) }),
    readsSummary: false,
    // A draft or a registered activity is judged at the deadline; a completed one leaves.
    stillDue: (status) => status !== 'completed',
    gaps: async (reads) => {
      const drafts = reads.due.filter((a) => a.status === 'draft').length;
      return drafts > 0 ? { drafts } : (await reads.registeredAny()) ? {} : { noActivity: true };
    },
  },
  completion: {
    activityFlag: (a, j) =>
      registeredBy(a, j.milestoneAt) && !(a.completedAt && isOnTime(a.completedAt, j.deadlineOf(a))) ? 'results-missing' : undefined,
    unitFlag: (o, own, j) => {
      const deadline = j.deadlineOf(o);
      if (!j.passed(deadline)) return undefined;
      const ranActivities = own.some((a) => registeredBy(a, j.milestoneAt));
      const summaryOnTime = o.summarySubmittedAt !== undefined && isOnTime(o.summarySubmittedAt, deadline);
      return ranActivities && !summaryOnTime ? 'summary-missing' : undefined;
    },
    registeredActivity: (j) => ({ by: j.milestoneAt, counts: (a) => registeredBy(a, j.milestoneAt) }),
    readsSummary: true,
    // Completed late, it still owes `results-missing` if the sweep finds it was never completed in time.
    stillDue: (status, raised) => status !== 'completed' || raised.includes('results-late'),
    gaps: async (reads) => {
      let withoutEvidence = 0;
      let withoutOnlineUrl = 0;
      for (const a of await reads.withEvidence(reads.due.filter((d) => d.status === 'registered'))) {
        const gaps = completionGaps(a);
        if (gaps.includes('evidence')) withoutEvidence += 1;
        if (gaps.includes('online-url')) withoutOnlineUrl += 1;
      }
      const summaryMissing = (await reads.registeredAny()) && !(await reads.summarySubmitted());
      return {
        ...(withoutEvidence ? { withoutEvidence } : {}),
        ...(withoutOnlineUrl ? { withoutOnlineUrl } : {}),
        ...(summaryMissing ? { summaryMissing } : {}),
      };
    },
  },
};

/** The judgement of `milestone` at `now` for a unit with these extensions. */
export function judgementOf(campaign: Campaign, milestone: MilestoneId, now: Date, extensions: readonly ExtensionFacts[]): MilestoneJudgement {
  return {
    campaign,
    milestone,
    now,
    milestoneAt: campaign.milestones[milestone].deadline,
    extensions,
    deadlineOf: (subject) => effectiveDeadline(campaign, milestone, subject, extensions),
    passed: (deadline) => now.getTime() > deadline.getTime(),
  };
}

export interface MilestoneFacts {
  readonly organizations: readonly OrganizationFacts[];
  readonly activities: readonly ActivityFacts[];
  readonly extensions: readonly ExtensionFacts[];
}

/**
 * The flags a milestone sweep raises at `now` ({@link MILESTONE_RULES}): each activity whose own
 * deadline has passed, then each unit, judged by the milestone's rules.
 */
export function flagsAtMilestone(campaign: Campaign, milestone: MilestoneId, now: Date, facts: MilestoneFacts): FlagDraft[] {
  const rules = MILESTONE_RULES[milestone];
  const j = judgementOf(campaign, milestone, now, facts.extensions);
  const flags: FlagDraft[] = [];
  const byOrg = new Map<string, ActivityFacts[]>();
  for (const a of facts.activities) byOrg.set(a.organizationId, [...(byOrg.get(a.organizationId) ?? []), a]);

  for (const a of facts.activities) {
    const subject = { organizationId: a.organizationId, activityId: a.activityId };
    if (!j.passed(j.deadlineOf(subject))) continue;
    const code = rules.activityFlag(a, j);
    if (code) flags.push({ code, milestone, ...subject });
  }
  for (const o of facts.organizations) {
    const code = rules.unitFlag(o, byOrg.get(o.organizationId) ?? [], j);
    if (code) flags.push({ code, milestone, organizationId: o.organizationId });
  }
  return flags;
}

/**
 * Whether an activity belongs in the due index: it can still earn some milestone's flags. `raised`
 * are the flags written with it. The sweep takes it out once every deadline of it has passed.
 */
export const dueAtSomeMilestone = (status: ActivityStatus, raised: readonly FlagCode[]): boolean =>
  MILESTONE_IDS.some((m) => MILESTONE_RULES[m].stillDue(status, raised));

/**
 * Whether an activity is written to the due index: due at some milestone, and not withdrawn (ADR
 * 0044: a withdrawn activity is judged no more; its unit is, by its other activities).
 */
export const inDueIndex = (status: ActivityStatus, raised: readonly FlagCode[]): boolean => status !== 'withdrawn' && dueAtSomeMilestone(status, raised);

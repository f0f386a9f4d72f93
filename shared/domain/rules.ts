/**
 * The campaign's rules as pure functions: deadlines and extensions, lateness, the
 * completion rule, the flags an event earns (what a milestone's sweep raises is in
 * milestone-rules.ts), and the figures behind the computed parts of the seven indicators.
 * No I/O, no clock of their own: every instant is an argument. Each rule cites the notice
 * in docs/domain.md.
 */
import type { ActivityFacts, ActivityFormat, ActivityStatus, FlagDraft } from './activity';
import type { Campaign, MetricId, MilestoneId } from './campaign';

/** What the rules need to know of an organizing unit. */
export interface OrganizationFacts {
  readonly organizationId: string;
  /** When the unit was added at run time; units of the campaign definition are listed from the start. */
  readonly listedAt?: Date;
  readonly summarySubmittedAt?: Date;
}

/** An extension of one unit's (or one of its activities') deadline. */
export interface ExtensionFacts {
  readonly organizationId: string;
  readonly activityId?: string;
  readonly milestone: MilestoneId;
  readonly until: Date;
}

/** The identity of a flag: one per (code, subject, milestone), however often a rule runs. */
export const flagKey = (campaignId: string, f: Pick<FlagDraft, 'code' | 'milestone' | 'organizationId' | 'activityId'>): string =>
  [campaignId, f.milestone, f.code, f.organizationId, f.activityId ?? '-'].join('|');

/**
 * The last on-time instant of `milestone` for a unit or one of its activities: the
 * campaign's deadline, moved by the latest extension that applies (one for the unit, or
 * one for that activity). An extension never brings a deadline forward.
 */
export function effectiveDeadline(
  campaign: Campaign,
  milestone: MilestoneId,
  subject: { readonly organizationId: string; readonly activityId?: string },
  extensions: readonly ExtensionFacts[],
): Date {
  let deadline = campaign.milestones[milestone].deadline.getTime();
  for (const e of extensions) {
    const applies =
      e.milestone === milestone &&
      e.organizationId === subject.organizationId &&
      (e.activityId === undefined || e.activityId === subject.activityId);
    if (applies) deadline = Math.max(deadline, e.until.getTime());
  }
  return new Date(deadline);
}

/** On time means at or before the deadline's last millisecond (23:59:59.999 is on time). */
export const isOnTime = (at: Date, deadline: Date): boolean => at.getTime() <= deadline.getTime();

/**
 * How late `at` is: whole seconds after the deadline ended, rounded up, at least 1
 * (00:00:00.000 the next day is 1 s late; 00:00:01.000 is 1 s; 00:00:01.001 is 2 s).
 */
export function lateBySeconds(at: Date, deadline: Date): number {
  const end = deadline.getTime() + 1;
  return Math.max(1, Math.ceil((at.getTime() - end) / 1000));
}

/** Results need an online URL when the activity ran online in whole or in part. */
export const needsOnlineUrl = (format: ActivityFormat | undefined): boolean => format === 'online' || format === 'hybrid';

/**
 * The completion rule (信息完善): at least one accepted photo or video, or one news link;
 * and for online/hybrid activities an online URL (in the results or the activity).
 */
export function completionMet(a: Pick<ActivityFacts, 'format' | 'onlineUrl' | 'results' | 'acceptedMedia'>): boolean {
  const evidence = a.acceptedMedia.photos + a.acceptedMedia.videos > 0 || (a.results?.newsLinks.length ?? 0) > 0;
  const url = Boolean(a.results?.onlineUrl ?? a.onlineUrl);
  return evidence && (!needsOnlineUrl(a.format) || url);
}

/** What is still missing for the completion rule, as codes a reminder can name. */
export function completionGaps(a: Pick<ActivityFacts, 'format' | 'onlineUrl' | 'results' | 'acceptedMedia'>): Array<'evidence' | 'online-url'> {
  const gaps: Array<'evidence' | 'online-url'> = [];
  if (a.acceptedMedia.photos + a.acceptedMedia.videos === 0 && (a.results?.newsLinks.length ?? 0) === 0) gaps.push('evidence');
  if (needsOnlineUrl(a.format) && !(a.results?.onlineUrl ?? a.onlineUrl)) gaps.push('online-url');
  return gaps;
}

/** Registered by `by`: submitted on time, and not withdrawn since (ADR 0044). */
export const registeredBy = (a: Pick<ActivityFacts, 'submittedAt'> & { readonly status?: ActivityStatus }, by: Date): boolean =>
  a.status !== 'withdrawn' && a.submittedAt !== undefined && isOnTime(a.submittedAt, by);

/**
 * Flags an activity earns the moment it is submitted (登记填报 … 提前向社会发布):
 * `registration-late` after its registration deadline, `not-published-in-advance` when it
 * is published only after it started.
 */
export function flagsOnSubmit(
  campaign: Campaign,
  activity: Pick<ActivityFacts, 'activityId' | 'organizationId' | 'startsAt'>,
  submittedAt: Date,
  extensions: readonly ExtensionFacts[],
): FlagDraft[] {
  const subject = { organizationId: activity.organizationId, activityId: activity.activityId };
  const flags: FlagDraft[] = [];
  const deadline = effectiveDeadline(campaign, 'registration', subject, extensions);
  if (!isOnTime(submittedAt, deadline)) {
    flags.push({ code: 'registration-late', milestone: 'registration', ...subject, lateBySeconds: lateBySeconds(submittedAt, deadline) });
  }
  if (activity.startsAt && submittedAt.getTime() > activity.startsAt.getTime()) {
    flags.push({
      code: 'not-published-in-advance',
      milestone: 'registration',
      ...subject,
      lateBySeconds: Math.ceil((submittedAt.getTime() - activity.startsAt.getTime()) / 1000),
    });
  }
  return flags;
}

/** `results-late` when the completion rule is first met after the completion deadline. */
export function flagOnCompletion(
  campaign: Campaign,
  activity: Pick<ActivityFacts, 'activityId' | 'organizationId'>,
  completedAt: Date,
  extensions: readonly ExtensionFacts[],
): FlagDraft | undefined {
  const subject = { organizationId: activity.organizationId, activityId: activity.activityId };
  const deadline = effectiveDeadline(campaign, 'completion', subject, extensions);
  if (isOnTime(completedAt, deadline)) return undefined;
  return { code: 'results-late', milestone: 'completion', ...subject, lateBySeconds: lateBySeconds(completedAt, deadline) };
}

/** `summary-late` when a unit's work summary is first submitted after its completion deadline. */
export function flagOnSummary(
  campaign: Campaign,
  organizationId: string,
  submittedAt: Date,
  extensions: readonly ExtensionFacts[],
): FlagDraft | undefined {
  const deadline = effectiveDeadline(campaign, 'completion', { organizationId }, extensions);
  if (isOnTime(submittedAt, deadline)) return undefined;
  return { code: 'summary-late', milestone: 'completion', organizationId, lateBySeconds: lateBySeconds(submittedAt, deadline) };
}

/** One unit's figures behind the computed parts of the indicators (registered activities only). */
export type UnitFigures = Readonly<Record<MetricId, number>>;

export const normaliseName = (s: string) => s.normalize('NFKC').trim().toLowerCase();

/**
 * The figures of one unit: counts and sums over its registered (or completed) activities.
 * `participants` counts actual participants where results give them, else the expected number;
 * `on-time-rate` is the share registered by the (possibly extended) registration deadline.
 */
export function unitFigures(campaign: Campaign, activities: readonly ActivityFacts[], extensions: readonly ExtensionFacts[]): UnitFigures {
  const done = activities.filter((a) => a.status !== 'draft' && a.submittedAt !== undefined);
  const distinct = (values: Iterable<string | undefined>) => new Set([...values].filter((v): v is string => Boolean(v))).size;
  const sum = (f: (a: ActivityFacts) => number) => done.reduce((s, a) => s + f(a), 0);
  const onTime = done.filter((a) => a.submittedAt && isOnTime(a.submittedAt, effectiveDeadline(campaign, 'registration', a, extensions)));
  return {
    'registered-activities': done.length,
    participants: sum((a) => a.results?.actualParticipants ?? a.expectedParticipants ?? 0),
    'co-organizers': distinct(done.flatMap((a) => (a.coOrganizers ?? []).map(normaliseName))),
    'counties-covered': distinct(done.map((a) => a.county)),
    'on-time-rate': done.length === 0 ? 0 : onTime.length / done.length,
    'news-links': distinct(done.flatMap((a) => a.results?.newsLinks ?? [])),
    'accepted-media': sum((a) => a.acceptedMedia.photos + a.acceptedMedia.videos),
    volunteers: sum((a) => a.volunteers?.count ?? 0),
    'volunteer-hours': sum((a) => a.volunteers?.hours ?? 0),
    'joint-actions-covered': distinct(done.filter((a) => a.kind === 'joint-action').map((a) => a.jointAction)),
    'online-activities-with-url': done.filter((a) => needsOnlineUrl(a.format) && Boolean(a.results?.onlineUrl ?? a.onlineUrl)).length,
  };
}

/** Per indicator of the campaign: its computed share and the figures it is computed from. */
export function indicatorInputs(campaign: Campaign, figures: UnitFigures) {
  return campaign.indicators.map((i) => ({
    indicatorId: i.id,
    weight: i.weight,
    computedShare: i.computedShare,
    figures: Object.fromEntries(i.metrics.map((m) => [m, figures[m]])) as Partial<Record<MetricId, number>>,
  }));
}

/**
 * The progress read model's rules (ADR 0021): what each stored subject of a unit (an activity,
 * its results, a flag, the work summary) contributes to the unit's counters, the arithmetic of
 * contributions, and how a unit added at run time is named. Pure: the projector (from the main
 * table's stream) and the rebuild (from the table) both compute a subject's contribution here,
 * from the subject's item as stored.
 *
 * A contribution is a state, not an event: the contribution of an item image is the same
 * however often it is computed, so applying `new − stored` to the unit's totals is idempotent
 * once the stored contribution is replaced by the new one.
 */
import { ORGANIZATION_TYPES, type OrganizationType } from './campaign';
import { FLAG_CODES, type FlagCode } from './flags';
import { activityFromPartition } from './activity';
import { str, type StoredItem } from './stored-item';
import { activityScoreParts, DISTINCT_KINDS, kindOfValueKey, valueKeys, type DistinctKind } from './scoring-items';

/**
 * Every counter of a unit, each the sum of its subjects' contributions. The one declaration:
 * the totals item, the contribution items and the rebuild's sums are all derived from it.
 */
export const PROGRESS_COUNTERS = [
  /** Activities in draft. */
  'draft',
  /** Activities registered or completed. */
  'registered',
  /** Activities completed (results met the completion rule). */
  'resultsComplete',
  /** `registration-late` flags of activities (raised at submit, with the registration: each a registered activity). */
  'registeredLate',
  /** `results-late` flags. */
  'resultsLate',
  /** Work summaries submitted (0 or 1). */
  'summarySubmitted',
  /** `summary-late` flags (0 or 1). */
  'summaryLate',
  /** Flags of the unit and its activities not waived. */
  'flagsOpen',
  /** Flags of the unit and its activities waived. */
  'flagsWaived',
  // The scores' figures (ADR 0038): each the sum of the activities' parts (scoring-items.ts), from
  // one `SCORE#<activityId>` contribution per activity (its activity, results and media together).
  /** Activities scored: registered or completed, with a submission instant. */
  'scored',
  'participants',
  'acceptedMedia',
  'volunteers',
  'volunteerHours',
  'onlineWithUrl',
  /** Scored activities submitted after the campaign's own registration deadline (extensions are applied on read). */
  'lateBase',
  // Distinct values of the unit's scored activities: moved only when a value's count of activities
  // goes from 0 to 1 or back (the `VAL#` items); every contribution holds 0 of them.
  'coOrganizers',
  'counties',
  'newsLinks',
  'jointActions',
  // Flags not waived, by code (the scores' penalty).
  'unwaivedRegistrationLate',
  'unwaivedNotPublishedInAdvance',
  'unwaivedRegistrationOverdue',
  'unwaivedResultsMissing',
  'unwaivedResultsLate',
  'unwaivedSummaryMissing',
  'unwaivedSummaryLate',
  'unwaivedOrganizationInactive',
] as const;
export type ProgressCounter = (typeof PROGRESS_COUNTERS)[number];
export type Counters = Readonly<Record<ProgressCounter, number>>;

/** The kinds of subject that feed a unit's progress, by the `entity` of their main-table item. */
export const PROGRESS_SUBJECTS = {
  Activity: 'activity',
  Results: 'results',
  Flag: 'flag',
  Summary: 'summary',
} as const satisfies Record<string, string>;
export type ProgressEntity = keyof typeof PROGRESS_SUBJECTS;
/** A subject that is one item of the main table. */
export type ItemSubjectKind = (typeof PROGRESS_SUBJECTS)[ProgressEntity];
/** `scoring`: an activity's share of the scores, from the items of its partition together (ADR 0038). */
export type ProgressSubjectKind = ItemSubjectKind | 'scoring';

/** The counter of each flag code's unwaived flags. */
export const UNWAIVED_COUNTER = {
  'registration-late': 'unwaivedRegistrationLate',
  'not-published-in-advance': 'unwaivedNotPublishedInAdvance',
  'registration-overdue': 'unwaivedRegistrationOverdue',
  'results-missing': 'unwaivedResultsMissing',
  'results-late': 'unwaivedResultsLate',
  'summary-missing': 'unwaivedSummaryMissing',
  'summary-late': 'unwaivedSummaryLate',
  'organization-inactive': 'unwaivedOrganizationInactive',
} as const satisfies Record<FlagCode, ProgressCounter>;

/** The counter of each distinct kind. */
export const DISTINCT_COUNTER = {
  coOrganizers: 'coOrganizers',
  counties: 'counties',
  newsLinks: 'newsLinks',
  jointActions: 'jointActions',
} as const satisfies Record<DistinctKind, ProgressCounter>;

/** One subject's share of its unit's progress. */
export interface Contribution {
  readonly counters: Counters;
  /** The subject's own last change (`updatedAt`, UTC ISO): activities, results and the summary; never flags. */
  readonly changedAt?: string;
  /** The summary's first submission (UTC ISO): only the summary contributes it. */
  readonly summarySubmittedAt?: string;
  /** A scoring contribution's distinct values (scoring-items.ts `valueKeys`: sorted, each once). */
  readonly values?: readonly string[];
  /** A scoring contribution's submission (UTC ISO), when it is after the campaign's own registration deadline. */
  readonly lateAt?: string;
}

/** Which unit a subject belongs to and its id among the unit's subjects. */
export interface ProgressSubject {
  readonly kind: ProgressSubjectKind;
  readonly campaignId: string;
  readonly organizationId: string;
  /** Unique within the unit: `ACT#<activityId>`, `RES#<activityId>`, `FLAG#<flagId>`, `SUMMARY`. */
  readonly subjectId: string;
}

/** An item's stream image (or the item as read): the domain's stored item. */
type Image = StoredItem;

export const ZERO_COUNTERS: Counters = Object.freeze(Object.fromEntries(PROGRESS_COUNTERS.map((c) => [c, 0])) as Record<ProgressCounter, number>);
export const ZERO_CONTRIBUTION: Contribution = Object.freeze({ counters: ZERO_COUNTERS });

const counters = (set: Partial<Record<ProgressCounter, number>>): Counters => ({ ...ZERO_COUNTERS, ...set });

/** The subject id of each kind, from its item (undefined when the item lacks the attribute it is made of). */
const SUBJECT_ID: Readonly<Record<ItemSubjectKind, (image: Image) => string | undefined>> = {
  activity: (i) => (str(i.activityId) ? `ACT#${String(i.activityId)}` : undefined),
  results: (i) => (str(i.activityId) ? `RES#${String(i.activityId)}` : undefined),
  flag: (i) => (str(i.flagId) ? `FLAG#${String(i.flagId)}` : undefined),
  summary: () => 'SUMMARY',
};

/**
 * What a subject contributes, from its item as stored. Each rule reads only the item itself:
 * - an activity: one draft, or one registered (status registered or completed), plus one
 *   results-complete when completed; its `updatedAt` (flags raised or waived by jobs and admins
 *   bump only `version` and `openFlags`, not `updatedAt`);
 * - results: nothing counted, their `updatedAt`;
 * - a flag: open or waived, and by code registered-late, results-late or summary-late;
 * - the summary: submitted, when first, its `updatedAt`.
 */
const RULES: Readonly<Record<ItemSubjectKind, (image: Image) => Contribution>> = {
  activity: (i) => {
    const status = i.status;
    const registered = status === 'registered' || status === 'completed';
    return withChange(
      counters({ draft: status === 'draft' ? 1 : 0, registered: registered ? 1 : 0, resultsComplete: status === 'completed' ? 1 : 0 }),
      i,
    );
  },
  results: (i) => withChange(ZERO_COUNTERS, i),
  flag: (i) => {
    const waived = i.waived === true;
    return {
      counters: counters({
        flagsOpen: waived ? 0 : 1,
        flagsWaived: waived ? 1 : 0,
        registeredLate: i.code === 'registration-late' && str(i.activityId) ? 1 : 0,
        resultsLate: i.code === 'results-late' ? 1 : 0,
        summaryLate: i.code === 'summary-late' ? 1 : 0,
        ...(!waived && (FLAG_CODES as readonly unknown[]).includes(i.code) ? { [UNWAIVED_COUNTER[i.code as FlagCode]]: 1 } : {}),
      }),
    };
  },
  summary: (i) => {
    const submittedAt = str(i.submittedAt);
    return { ...withChange(counters({ summarySubmitted: 1 }), i), ...(submittedAt ? { summarySubmittedAt: submittedAt } : {}) };
  },
};

function withChange(c: Counters, image: Image): Contribution {
  const changedAt = str(image.updatedAt);
  return changedAt ? { counters: c, changedAt } : { counters: c };
}

/**
 * The subject an item of the main table is, or `undefined` when it feeds no progress (media,
 * inbox, exports, settings, reviews …) or lacks its campaign, unit or id.
 *
 * @example
 * progressSubjectOf({ entity: 'Flag', flagId: 'f1', campaignId: 'c', organizationId: 'o', code: 'results-late' });
 * // { kind: 'flag', campaignId: 'c', organizationId: 'o', subjectId: 'FLAG#f1' }
 */
export function progressSubjectOf(image: Image | undefined): (ProgressSubject & { readonly kind: ItemSubjectKind }) | undefined {
  if (!image) return undefined;
  const entity = image.entity;
  if (typeof entity !== 'string' || !Object.hasOwn(PROGRESS_SUBJECTS, entity)) return undefined;
  const kind = PROGRESS_SUBJECTS[entity as ProgressEntity];
  const [campaignId, organizationId, subjectId] = [str(image.campaignId), str(image.organizationId), SUBJECT_ID[kind](image)];
  if (!campaignId || !organizationId || !subjectId) return undefined;
  return { kind, campaignId, organizationId, subjectId };
}

/** The contribution of a subject's current item; zero once it is gone (`undefined`). */
export function contributionOf(kind: ItemSubjectKind, image: Image | undefined): Contribution {
  return image ? RULES[kind](image) : ZERO_CONTRIBUTION;
}

/** An activity's scoring subject (ADR 0038), named by any item of its partition that feeds the scores. */
export interface ScoringSubject extends ProgressSubject {
  readonly kind: 'scoring';
  readonly activityId: string;
}

/** The subject id of an activity's scoring contribution. */
export const scoringSubjectId = (activityId: string): string => `SCORE#${activityId}`;

/**
 * The scoring subject an item of the main table feeds: an activity, its results, or a medium of
 * an activity (each names the activity's campaign and unit); `undefined` for anything else.
 */
export function scoringSubjectOf(image: Image | undefined): ScoringSubject | undefined {
  if (!image) return undefined;
  const subject = image.entity === 'Media' && typeof image.subject === 'object' && image.subject !== null ? (image.subject as Image) : undefined;
  const from = image.entity === 'Activity' || image.entity === 'Results' ? image : subject?.type === 'activity' ? subject : undefined;
  if (!from) return undefined;
  const [campaignId, organizationId, activityId] = [str(from.campaignId), str(from.organizationId), str(from.activityId)];
  if (!campaignId || !organizationId || !activityId) return undefined;
  return { kind: 'scoring', campaignId, organizationId, subjectId: scoringSubjectId(activityId), activityId };
}

/**
 * An activity's share of the scores, from the items of its partition (`ACT#<id>`) as stored now:
 * its parts (scoring-items.ts `activityScoreParts`, the expressions of `unitFigures`), its distinct
 * values, and its submission when later than `registrationDeadline` (the campaign's own). Zero when
 * the activity is not there, or belongs to another campaign or unit.
 */
export function scoringContributionOf(
  subject: Pick<ScoringSubject, 'campaignId' | 'organizationId' | 'activityId'>,
  partition: readonly Image[],
  registrationDeadline: Date,
): Contribution {
  const found = activityFromPartition(partition);
  if (!found || found.campaignId !== subject.campaignId || found.facts.organizationId !== subject.organizationId || found.facts.activityId !== subject.activityId) {
    return ZERO_CONTRIBUTION;
  }
  const parts = activityScoreParts(found.facts);
  if (parts.scored === 0) return ZERO_CONTRIBUTION;
  const submittedAt = found.facts.submittedAt as Date;
  const late = submittedAt.getTime() > registrationDeadline.getTime();
  const values = valueKeys(parts);
  return {
    counters: counters({
      scored: 1,
      participants: parts.participants,
      acceptedMedia: parts.acceptedMedia,
      volunteers: parts.volunteers,
      volunteerHours: parts.volunteerHours,
      onlineWithUrl: parts.onlineWithUrl,
      lateBase: late ? 1 : 0,
    }),
    ...(values.length > 0 ? { values } : {}),
    ...(late ? { lateAt: submittedAt.toISOString() } : {}),
  };
}

/** How many of each value key the contributions hold (each contribution holds a key once). */
export function valueCounts(contributions: Iterable<Contribution>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const c of contributions) for (const v of c.values ?? []) counts.set(v, (counts.get(v) ?? 0) + 1);
  return counts;
}

/** The distinct counters of value counts: how many keys of each kind are held at all. */
export function distinctCounters(counts: ReadonlyMap<string, number>): Record<DistinctKind, number> {
  const out = Object.fromEntries(DISTINCT_KINDS.map((k) => [k, 0])) as Record<DistinctKind, number>;
  for (const [key, n] of counts) {
    const kind = kindOfValueKey(key);
    if (kind && n > 0) out[kind] += 1;
  }
  return out;
}

/** `next − previous`, counter by counter (what to ADD to the unit's totals). */
export function counterDelta(next: Counters, previous: Counters): Counters {
  return Object.fromEntries(PROGRESS_COUNTERS.map((c) => [c, next[c] - previous[c]])) as Record<ProgressCounter, number>;
}

/** The counters of several contributions added up. */
export function sumCounters(all: Iterable<Counters>): Counters {
  const sum: Record<ProgressCounter, number> = { ...ZERO_COUNTERS };
  for (const c of all) for (const name of PROGRESS_COUNTERS) sum[name] += c[name];
  return sum;
}

export const isZero = (c: Counters): boolean => PROGRESS_COUNTERS.every((name) => c[name] === 0);

/** Whether two contributions are the same (counters, change and submission instants, values, lateness). */
export function sameContribution(a: Contribution, b: Contribution): boolean {
  return (
    isZero(counterDelta(a.counters, b.counters)) &&
    a.changedAt === b.changedAt &&
    a.summarySubmittedAt === b.summarySubmittedAt &&
    a.lateAt === b.lateAt &&
    (a.values ?? []).join('\n') === (b.values ?? []).join('\n')
  );
}

/** The latest of ISO instants written the same way (UTC `toISOString`), `undefined` when none. */
export function latest(instants: Iterable<string | undefined>): string | undefined {
  let max: string | undefined;
  for (const t of instants) if (t !== undefined && (max === undefined || t > max)) max = t;
  return max;
}

/** A unit's totals: the sum of its contributions. */
export interface UnitTotals {
  readonly counters: Counters;
  readonly summarySubmittedAt?: string;
  readonly lastChangeAt?: string;
  /** A unit added at run time: how the board names it (the definition's units are named by the campaign). */
  readonly listing?: UnitListing;
}

/** The totals its contributions add up to (what the rebuild sets). */
export function totalsOf(contributions: Iterable<Contribution>): UnitTotals {
  const all = [...contributions];
  const summarySubmittedAt = latest(all.map((c) => c.summarySubmittedAt));
  const lastChangeAt = latest(all.map((c) => c.changedAt));
  const distinct = distinctCounters(valueCounts(all));
  return {
    counters: { ...sumCounters(all.map((c) => c.counters)), ...Object.fromEntries(DISTINCT_KINDS.map((k) => [DISTINCT_COUNTER[k], distinct[k]])) },
    ...(summarySubmittedAt ? { summarySubmittedAt } : {}),
    ...(lastChangeAt ? { lastChangeAt } : {}),
  };
}

/** The counts `GET …/progress` answers for a unit, from its totals (zeros when it has none yet). */
export interface ProgressCounts {
  readonly activities: {
    readonly draft: number;
    readonly registered: number;
    readonly registeredOnTime: number;
    readonly registeredLate: number;
    readonly resultsComplete: number;
    readonly resultsLate: number;
  };
  readonly summary: { readonly submitted: boolean; readonly submittedAt?: string; readonly late: boolean };
  readonly flags: { readonly open: number; readonly waived: number };
  readonly lastChangeAt?: string;
}

/**
 * The answer's counts. The stream applies an activity and its `registration-late` flag as two
 * changes, so for about a second the flag may be counted before the registration: on-time is
 * never shown below zero.
 */
export function progressCounts(totals: UnitTotals | undefined): ProgressCounts {
  const c = totals?.counters ?? ZERO_COUNTERS;
  return {
    activities: {
      draft: c.draft,
      registered: c.registered,
      registeredOnTime: Math.max(0, c.registered - c.registeredLate),
      registeredLate: c.registeredLate,
      resultsComplete: c.resultsComplete,
      resultsLate: c.resultsLate,
    },
    summary: {
      submitted: c.summarySubmitted > 0,
      ...(c.summarySubmitted > 0 && totals?.summarySubmittedAt ? { submittedAt: totals.summarySubmittedAt } : {}),
      late: c.summaryLate > 0,
    },
    flags: { open: c.flagsOpen, waived: c.flagsWaived },
    ...(totals?.lastChangeAt ? { lastChangeAt: totals.lastChangeAt } : {}),
  };
}

/** A unit added at run time (its `CAMP#<c>#ORGS` item), as the board names it: the read model keeps it with the unit's totals. */
export interface UnitListing {
  readonly name: string;
  readonly nameEn?: string;
  readonly county: string;
  readonly type: OrganizationType;
}

/**
 * The unit an item of the main table lists (entity `Organization`: a unit added at run time), or
 * `undefined` for any other item or one lacking what the board shows.
 */
export function unitListingOf(image: Image | undefined): { campaignId: string; organizationId: string; listing: UnitListing } | undefined {
  if (image?.entity !== 'Organization') return undefined;
  const [campaignId, organizationId, name, county, type, nameEn] = [str(image.campaignId), str(image.organizationId), str(image.name), str(image.county), str(image.type), str(image.nameEn)];
  if (!campaignId || !organizationId || !name || !county || !type || !(ORGANIZATION_TYPES as readonly string[]).includes(type)) return undefined;
  return { campaignId, organizationId, listing: { name, ...(nameEn ? { nameEn } : {}), county, type: type as OrganizationType } };
}

/** Whether two listings name a unit the same way. */
export const sameListing = (a: UnitListing | undefined, b: UnitListing | undefined): boolean =>
  a?.name === b?.name && a?.nameEn === b?.nameEn && a?.county === b?.county && a?.type === b?.type;

/** Digits of a stream sequence number once padded: DynamoDB's are 21 to 40 digits. */
export const SEQUENCE_DIGITS = 40;

/**
 * A stream sequence number padded with zeros, so that comparing two as strings orders them as
 * numbers. The rebuild writes {@link NO_SEQUENCE}, below every record's.
 *
 * @example
 * paddedSequence('4200000000000123') < paddedSequence('100000000000000000012'); // true
 */
export function paddedSequence(sequenceNumber: string): string {
  if (!/^\d{1,40}$/.test(sequenceNumber)) throw new RangeError(`not a stream sequence number: ${sequenceNumber}`);
  return sequenceNumber.padStart(SEQUENCE_DIGITS, '0');
}

/** The sequence of a contribution the rebuild wrote from the table, not from a stream record. */
export const NO_SEQUENCE = '0'.repeat(SEQUENCE_DIGITS);

/**
 * An activity in one place: its states and formats, its stored form (the organizer's fields,
 * validated by the campaign's schemas, plus the server-owned ones; times are UTC ISO strings
 * inside), the records stored beside it (results, the unit's summary, flags), and
 * {@link ActivityFacts}, what the rules read of it, built by {@link activityFactsOf} from the
 * stored item, whoever read it (a sweep, the scores, the read model's projector, an export).
 */
import type { ActivityKind, MilestoneId } from './campaign';
import type { FlagCode } from './flags';
import { date, num, record, str, strings, type StoredItem } from './stored-item';

/** `withdrawn`: its organizer took a registered activity back (ADR 0044); it is no longer public nor counted. */
export const ACTIVITY_STATUSES = ['draft', 'registered', 'completed', 'withdrawn'] as const;
export type ActivityStatus = (typeof ACTIVITY_STATUSES)[number];
/** How an activity reaches people (the activity schema's `ACTIVITY_FORMATS`). */
export type ActivityFormat = 'offline' | 'online' | 'hybrid';

/** Statuses of an activity that is published: it is on the public calendar and counts as registered. */
export const isPublished = (status: unknown): boolean => status === 'registered' || status === 'completed';

export interface ActivityRecord {
  readonly activityId: string;
  readonly campaignId: string;
  readonly organizationId: string;
  readonly status: ActivityStatus;
  readonly version: number;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly updatedAt: string;
  readonly updatedBy: string;
  readonly submittedAt?: string;
  /** When its results first met the completion rule. */
  readonly completedAt?: string;
  /** When its organizer withdrew it, and why (ADR 0044). */
  readonly withdrawnAt?: string;
  readonly withdrawnReason?: string;
  /** How many of its flags are not waived (`?flagged=true` lists those with any). */
  readonly openFlags?: number;
  /** The token of the request that created it, and of the one that submitted it (ADR 0025): a retry of either recognises its own write. */
  readonly createToken?: string;
  readonly submitToken?: string;
  /** The organizer's fields: title, kind, format, startsAt … (see the activity schema). */
  readonly fields: Readonly<Record<string, unknown>>;
}

/** An activity's results (信息完善), versioned apart from the activity. */
export interface ResultsRecord {
  readonly activityId: string;
  readonly version: number;
  readonly actualParticipants: number;
  readonly newsLinks: readonly string[];
  readonly onlineUrl?: string;
  readonly highlights?: string;
  readonly updatedAt: string;
  readonly updatedBy: string;
}

/** A unit's work summary (工作总结). */
export interface SummaryRecord {
  readonly campaignId: string;
  readonly organizationId: string;
  readonly version: number;
  readonly text: string;
  readonly documentMediaIds?: readonly string[];
  /** When it was first submitted (lateness is judged on this). */
  readonly submittedAt: string;
  readonly updatedAt: string;
  readonly updatedBy: string;
}

/** A flag a rule says is earned; the flagger stores it once per (code, subject, milestone). */
export interface FlagDraft {
  readonly code: FlagCode;
  readonly milestone: MilestoneId;
  readonly organizationId: string;
  readonly activityId?: string;
  readonly lateBySeconds?: number;
}

/** A flag as stored and answered. */
export interface FlagRecord extends FlagDraft {
  readonly flagId: string;
  readonly campaignId: string;
  readonly raisedAt: string;
  readonly waived: boolean;
  readonly waivedReason?: string;
  /** When an admin waived it (UTC ISO), and who (`sub`). */
  readonly waivedAt?: string;
  readonly waivedBy?: string;
}

/** Server-owned field names: a client can never set them. */
export const SERVER_OWNED_ACTIVITY_FIELDS = [
  'id',
  'activityId',
  'campaignId',
  'organizationId',
  'status',
  'version',
  'createdAt',
  'updatedAt',
  'submittedAt',
  'withdrawnAt',
  'withdrawnReason',
  'flags',
  'media',
  'results',
] as const;

/**
 * Applies a JSON merge patch: `null` removes a field, any other value replaces it (nested
 * objects whole, as the activity schema's patch says).
 */
export function mergePatch(fields: Readonly<Record<string, unknown>>, patch: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...fields };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete merged[k];
    else if (v !== undefined) merged[k] = v;
  }
  return merged;
}

/** What the rules need to know of an activity (its stored form has more). */
export interface ActivityFacts {
  readonly activityId: string;
  readonly organizationId: string;
  readonly createdAt: Date;
  readonly status: ActivityStatus;
  /** When it was registered and published (`submit`). */
  readonly submittedAt?: Date;
  readonly startsAt?: Date;
  readonly kind?: ActivityKind;
  readonly jointAction?: string;
  readonly format?: ActivityFormat;
  readonly county?: string;
  readonly expectedParticipants?: number;
  readonly onlineUrl?: string;
  readonly volunteers?: { readonly count: number; readonly hours: number };
  readonly coOrganizers?: readonly string[];
  readonly results?: { readonly actualParticipants?: number; readonly newsLinks: readonly string[]; readonly onlineUrl?: string };
  /** Accepted (checked) media attached to the activity. */
  readonly acceptedMedia: { readonly photos: number; readonly videos: number };
  /** When the completion rule was first met, if it has been. */
  readonly completedAt?: Date;
}

/** The facts of the activity item alone: its results and media are items of their own. */
export type ActivityItemFacts = Omit<ActivityFacts, 'results' | 'acceptedMedia'>;

/** No accepted photo or video (what a reader that does not count media joins). */
export const NO_MEDIA: ActivityFacts['acceptedMedia'] = Object.freeze({ photos: 0, videos: 0 });

/**
 * The one builder of an activity's facts, from its stored item (or a projection of it: the
 * attributes left out are facts left out), with its title and campaign for people; `undefined`
 * when it lacks its ids or its creation instant.
 *
 * @example
 * const parsed = activityFactsOf({ activityId: 'a1', organizationId: 'hongqi-kx', createdAt: '2021-09-10T00:00:00.000Z', status: 'draft' });
 * parsed?.facts.status; // 'draft'
 */
export function activityFactsOf(item: StoredItem): { facts: ActivityItemFacts; title: string | undefined; county: string | undefined; campaignId: string | undefined } | undefined {
  const activityId = str(item.activityId);
  const organizationId = str(item.organizationId);
  const createdAt = date(item.createdAt);
  if (!activityId || !organizationId || !createdAt) return undefined;
  const volunteers = record(item.volunteers);
  const submittedAt = date(item.submittedAt);
  const startsAt = date(item.startsAt);
  const completedAt = date(item.completedAt);
  const count = num(volunteers.count);
  const hours = num(volunteers.hours);
  return {
    facts: {
      activityId,
      organizationId,
      createdAt,
      status: (str(item.status) ?? 'draft') as ActivityStatus,
      ...(submittedAt ? { submittedAt } : {}),
      ...(startsAt ? { startsAt } : {}),
      ...(completedAt ? { completedAt } : {}),
      ...(item.kind === 'main-venue' || item.kind === 'joint-action' ? { kind: item.kind } : {}),
      ...(str(item.jointAction) ? { jointAction: str(item.jointAction) } : {}),
      ...(str(item.format) ? { format: str(item.format) as ActivityFormat } : {}),
      ...(str(item.county) ? { county: str(item.county) } : {}),
      ...(num(item.expectedParticipants) !== undefined ? { expectedParticipants: num(item.expectedParticipants) } : {}),
      ...(str(item.onlineUrl) ? { onlineUrl: str(item.onlineUrl) } : {}),
      ...(count !== undefined || hours !== undefined ? { volunteers: { count: count ?? 0, hours: hours ?? 0 } } : {}),
      coOrganizers: strings(item.coOrganizers),
    },
    title: str(item.title),
    county: str(item.county),
    campaignId: str(item.campaignId),
  };
}

/** The facts of an item known to be an activity's (one the repository wrote); throws for any other. */
export function storedActivityFacts(item: object): ActivityItemFacts {
  const parsed = activityFactsOf(item as StoredItem);
  if (!parsed) throw new Error(`not an activity item: ${JSON.stringify(item)}`);
  return parsed.facts;
}

/**
 * The facts of an activity record, read as its stored item (the organizer's fields beside the
 * server's, as the repository writes them).
 */
export function recordFacts(activity: ActivityRecord): ActivityItemFacts {
  const { fields, ...server } = activity;
  return storedActivityFacts({ ...fields, ...server });
}

/** A results item's facts (by activity); `undefined` without its activity id. */
export function resultFactsOf(item: StoredItem): { activityId: string; campaignId: string | undefined; results: NonNullable<ActivityFacts['results']> } | undefined {
  const activityId = str(item.activityId);
  if (!activityId) return undefined;
  const actual = num(item.actualParticipants);
  return {
    activityId,
    campaignId: str(item.campaignId),
    results: { ...(actual !== undefined ? { actualParticipants: actual } : {}), newsLinks: strings(item.newsLinks), ...(str(item.onlineUrl) ? { onlineUrl: str(item.onlineUrl) } : {}) },
  };
}

/** A media item of an activity: which activity, and whether it counts (an accepted photo or video). */
export function activityMediumOf(item: StoredItem): { activityId: string; campaignId: string | undefined; counts: 'photo' | 'video' | undefined } | undefined {
  const subject = record(item.subject);
  const activityId = str(subject.activityId);
  if (subject.type !== 'activity' || !activityId) return undefined;
  const counts = item.status === 'accepted' && (item.kind === 'photo' || item.kind === 'video') ? item.kind : undefined;
  return { activityId, campaignId: str(subject.campaignId), counts };
}

/**
 * One activity's facts from the items of its partition (`ACT#<id>`: the activity, its results, its
 * media, its flags), as the read model's projector reads them; `undefined` when the activity item
 * is not among them (gone, or not yet written).
 */
export function activityFromPartition(items: readonly StoredItem[]): { facts: ActivityFacts; campaignId: string | undefined } | undefined {
  const activity = items.map((i) => (i.entity === 'Activity' ? activityFactsOf(i) : undefined)).find((a) => a !== undefined);
  if (!activity) return undefined;
  let results: ActivityFacts['results'];
  const acceptedMedia = { photos: 0, videos: 0 };
  for (const item of items) {
    if (item.entity === 'Results') results = resultFactsOf(item)?.results;
    if (item.entity === 'Media') {
      const m = activityMediumOf(item);
      if (m?.activityId === activity.facts.activityId && m.counts === 'photo') acceptedMedia.photos += 1;
      if (m?.activityId === activity.facts.activityId && m.counts === 'video') acceptedMedia.videos += 1;
    }
  }
  return { facts: { ...activity.facts, ...(results ? { results } : {}), acceptedMedia }, campaignId: activity.campaignId };
}

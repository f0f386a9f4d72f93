/**
 * The scores' facts as stored items give them, and one activity's share of its unit's figures
 * (ADR 0038). Pure and shared: the recomputation (use-cases/scores.ts `ScoringFacts`) and the
 * scores read model (domain/progress.ts, kept from the stream) read items with the same parsers,
 * and `unitFigures` (rules.ts) and the read model's sums add the same per-activity parts.
 */
import type { ActivityFacts, ActivityFormat, ActivityStatus } from './rules';
import { needsOnlineUrl, normaliseName } from './rules';

type Item = Readonly<Record<string, unknown>>;

/** Readers of stored attributes, shared with the recomputation (shared/use-cases/scores.ts). */
export const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);
export const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined);
export const date = (v: unknown): Date | undefined => {
  const s = str(v);
  if (!s) return undefined;
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? undefined : d;
};
export const strings = (v: unknown): string[] => {
  const items = v instanceof Set ? [...v] : v;
  return Array.isArray(items) ? items.filter((x): x is string => typeof x === 'string') : [];
};
export const record = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

export type ActivityItemFacts = Omit<ActivityFacts, 'results' | 'acceptedMedia'>;

/** An activity item's facts, with its title and county for people; `undefined` when it lacks its ids or creation. */
export function activityFactsOf(item: Item): { facts: ActivityItemFacts; title: string | undefined; county: string | undefined; campaignId: string | undefined } | undefined {
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

/** A results item's facts (by activity); `undefined` without its activity id. */
export function resultFactsOf(item: Item): { activityId: string; campaignId: string | undefined; results: NonNullable<ActivityFacts['results']> } | undefined {
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
export function activityMediumOf(item: Item): { activityId: string; campaignId: string | undefined; counts: 'photo' | 'video' | undefined } | undefined {
  const subject = record(item.subject);
  const activityId = str(subject.activityId);
  if (subject.type !== 'activity' || !activityId) return undefined;
  const counts = item.status === 'accepted' && (item.kind === 'photo' || item.kind === 'video') ? item.kind : undefined;
  return { activityId, campaignId: str(subject.campaignId), counts };
}

/** Whether an activity counts for its unit's figures: registered (not a draft) with a submission instant. */
export const scored = (a: Pick<ActivityFacts, 'status' | 'submittedAt'>): boolean => a.status !== 'draft' && a.submittedAt !== undefined;

/** The kinds of value whose distinct count is a figure (rules.ts `unitFigures`). */
export const DISTINCT_KINDS = ['coOrganizers', 'counties', 'newsLinks', 'jointActions'] as const;
export type DistinctKind = (typeof DISTINCT_KINDS)[number];

/** One activity's share of its unit's figures: sums, and the values it brings to the distinct ones. */
export interface ActivityScoreParts {
  readonly scored: number;
  readonly participants: number;
  readonly acceptedMedia: number;
  readonly volunteers: number;
  readonly volunteerHours: number;
  readonly onlineWithUrl: number;
  /** Each distinct kind's values, normalised as `unitFigures` compares them (no empty one). */
  readonly values: Readonly<Record<DistinctKind, readonly string[]>>;
}

/** Nothing: a draft, or an activity gone. */
export const NO_PARTS: ActivityScoreParts = Object.freeze({
  scored: 0,
  participants: 0,
  acceptedMedia: 0,
  volunteers: 0,
  volunteerHours: 0,
  onlineWithUrl: 0,
  values: Object.freeze({ coOrganizers: [], counties: [], newsLinks: [], jointActions: [] }),
});

const nonEmpty = (values: Iterable<string | undefined>): string[] => [...new Set([...values].filter((v): v is string => Boolean(v)))];

/** What one activity adds to its unit's figures, by the same expressions as rules.ts `unitFigures`. */
export function activityScoreParts(a: ActivityFacts): ActivityScoreParts {
  if (!scored(a)) return NO_PARTS;
  return {
    scored: 1,
    participants: a.results?.actualParticipants ?? a.expectedParticipants ?? 0,
    acceptedMedia: a.acceptedMedia.photos + a.acceptedMedia.videos,
    volunteers: a.volunteers?.count ?? 0,
    volunteerHours: a.volunteers?.hours ?? 0,
    onlineWithUrl: needsOnlineUrl(a.format) && Boolean(a.results?.onlineUrl ?? a.onlineUrl) ? 1 : 0,
    values: {
      coOrganizers: nonEmpty((a.coOrganizers ?? []).map(normaliseName)),
      counties: nonEmpty([a.county]),
      newsLinks: nonEmpty(a.results?.newsLinks ?? []),
      jointActions: nonEmpty(a.kind === 'joint-action' ? [a.jointAction] : []),
    },
  };
}

/**
 * The key a distinct value is counted under: its kind and the value (the repository stores a digest
 * of it where a key's length is bounded).
 *
 * @example
 * valueKey('counties', 'hongqi'); // 'counties#hongqi'
 */
export const valueKey = (kind: DistinctKind, value: string): string => `${kind}#${value}`;

/** Every value key of an activity's parts (sorted: a stable order to store and compare). */
export const valueKeys = (parts: ActivityScoreParts): string[] => DISTINCT_KINDS.flatMap((k) => parts.values[k].map((v) => valueKey(k, v))).sort();

/** The distinct kind of a value key. */
export const kindOfValueKey = (key: string): DistinctKind | undefined => {
  const kind = key.slice(0, key.indexOf('#'));
  return (DISTINCT_KINDS as readonly string[]).includes(kind) ? (kind as DistinctKind) : undefined;
};

/**
 * One activity's facts from the items of its partition (`ACT#<id>`: the activity, its results, its
 * media, its flags), as the recomputation joins them from the campaign's indexes; `undefined`
 * when the activity item is not among them (gone, or not yet written).
 */
export function activityFromPartition(items: readonly Item[]): { facts: ActivityFacts; campaignId: string | undefined } | undefined {
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

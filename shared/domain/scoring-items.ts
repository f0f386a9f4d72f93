/**
 * One activity's share of its unit's figures (ADR 0038). Pure and shared: the recomputation
 * (domain/scoring-facts.ts `ScoringFacts`) and the scores read model (domain/progress.ts, kept
 * from the stream) read items with the same builders (domain/activity.ts), and `unitFigures`
 * (rules.ts) and the read model's sums add the same per-activity parts.
 */
import { isPublished, type ActivityFacts } from './activity';
import { needsOnlineUrl, normaliseName } from './rules';

/** Whether an activity counts for its unit's figures: registered (not a draft) with a submission instant. */
export const scored = (a: Pick<ActivityFacts, 'status' | 'submittedAt'>): boolean => isPublished(a.status) && a.submittedAt !== undefined;

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

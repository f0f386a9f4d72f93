/**
 * A review as the form holds it, as the API reads it, and the merge after a 412: keeping mine
 * puts the items I changed (since the version my edits were made on) over the colleague's
 * version, so their changes to other items survive, as the activity form does with its PATCH.
 * A review is written whole (PUT), so the browser merges before sending.
 */
import type { Activity, Media } from '../../api/client';

/** An activity of the unit under review, with its media (accepted photos are shown). */
export interface UnitActivity {
  readonly activity: Activity;
  readonly media: readonly Media[];
}

export interface ReviewValues {
  /** 0..100 per indicator the reviewer scores; undefined (or null from a cleared input) while not given. */
  scores: Record<string, number | null | undefined>;
  comment: string;
  distinctiveActivityIds: string[];
}

/** What `GET …/review` answers (the parts the form shows). */
export interface ReviewFromApi {
  readonly scores: Readonly<Record<string, number>>;
  readonly comment?: string;
  readonly distinctiveActivityIds?: readonly string[];
}

/** The body of `PUT …/review`. */
export interface ReviewBody {
  scores: Record<string, number>;
  comment?: string;
  distinctiveActivityIds: string[];
}

const given = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

export function emptyReview(indicatorIds: readonly string[]): ReviewValues {
  return { scores: Object.fromEntries(indicatorIds.map((id) => [id, undefined])), comment: '', distinctiveActivityIds: [] };
}

/** The form's values from the stored review (one entry per indicator the campaign asks for). */
export function reviewFromApi(review: ReviewFromApi, indicatorIds: readonly string[]): ReviewValues {
  return {
    scores: Object.fromEntries(indicatorIds.map((id) => [id, review.scores[id]])),
    comment: review.comment ?? '',
    distinctiveActivityIds: [...(review.distinctiveActivityIds ?? [])],
  };
}

/** The PUT body: scores given, the comment when there is one, the marks (an empty list clears them). */
export function reviewToApi(values: ReviewValues): ReviewBody {
  const scores: Record<string, number> = {};
  for (const [id, v] of Object.entries(values.scores)) if (given(v)) scores[id] = v;
  return {
    scores,
    ...(values.comment.trim() !== '' ? { comment: values.comment } : {}),
    distinctiveActivityIds: [...values.distinctiveActivityIds],
  };
}

const sameScore = (a: number | null | undefined, b: number | null | undefined) => (given(a) ? a === b : !given(b));

/**
 * Mine over theirs, item by item: a score or the comment I changed since `base` is mine, any
 * other is theirs; the distinctive activities are theirs with my additions and without my removals.
 */
export function mergeReview(base: ReviewValues, mine: ReviewValues, theirs: ReviewValues): ReviewValues {
  const ids = new Set([...Object.keys(theirs.scores), ...Object.keys(mine.scores)]);
  const scores: ReviewValues['scores'] = {};
  for (const id of ids) scores[id] = sameScore(mine.scores[id], base.scores[id]) ? theirs.scores[id] : mine.scores[id];
  const added = mine.distinctiveActivityIds.filter((id) => !base.distinctiveActivityIds.includes(id));
  const removed = new Set(base.distinctiveActivityIds.filter((id) => !mine.distinctiveActivityIds.includes(id)));
  const marked = theirs.distinctiveActivityIds.filter((id) => !removed.has(id));
  for (const id of added) if (!marked.includes(id)) marked.push(id);
  return {
    scores,
    comment: mine.comment === base.comment ? theirs.comment : mine.comment,
    distinctiveActivityIds: marked,
  };
}

/** The items on which two versions differ: `scores.<id>`, `comment`, `distinctiveActivityIds`. */
export function differingItems(a: ReviewValues, b: ReviewValues): Set<string> {
  const out = new Set<string>();
  for (const id of new Set([...Object.keys(a.scores), ...Object.keys(b.scores)])) if (!sameScore(a.scores[id], b.scores[id])) out.add(`scores.${id}`);
  if (a.comment !== b.comment) out.add('comment');
  const sa = [...a.distinctiveActivityIds].sort().join('\n');
  const sb = [...b.distinctiveActivityIds].sort().join('\n');
  if (sa !== sb) out.add('distinctiveActivityIds');
  return out;
}

/**
 * Which units a reviewer goes through, in a stable order (the campaign's list of units, never
 * the ranking, which moves as reviews come in): units that registered an activity first, then
 * the others (nothing to judge, never commended). The reviewer's own unit is listed but never
 * offered: nobody reviews the unit they act for (the API answers 403).
 */
export interface QueueUnit {
  readonly organizationId: string;
  readonly name: string;
  readonly reviewed: boolean;
  /** Registered at least one activity. */
  readonly active: boolean;
  /** The unit the reviewer acts for. */
  readonly own: boolean;
}

export interface QueueInput {
  readonly organizationId: string;
  readonly name: string;
  readonly reviewed: boolean;
  readonly active: boolean;
}

/** The units in review order: active ones first, each part in the campaign's order (`order`), unknown ids after, by id. */
export function reviewQueue(units: readonly QueueInput[], order: readonly string[], ownOrgId: string | undefined): QueueUnit[] {
  const position = new Map(order.map((id, i) => [id, i]));
  const at = (id: string) => position.get(id) ?? Number.MAX_SAFE_INTEGER;
  return [...units]
    .sort(
      (a, b) =>
        Number(b.active) - Number(a.active) ||
        at(a.organizationId) - at(b.organizationId) ||
        (a.organizationId < b.organizationId ? -1 : a.organizationId > b.organizationId ? 1 : 0),
    )
    .map((u) => ({ organizationId: u.organizationId, name: u.name, reviewed: u.reviewed, active: u.active, own: u.organizationId === ownOrgId }));
}

/** Whether the reviewer still has to review `u`. */
export const awaitsReview = (u: QueueUnit): boolean => u.active && !u.reviewed && !u.own;

/**
 * The next unit to review after `current` (wrapping round; the first when `current` is not
 * given or not listed): an active unit not reviewed yet, never the reviewer's own, never
 * `current` itself. Undefined when every one is reviewed.
 */
export function nextUnreviewed(queue: readonly QueueUnit[], current?: string): QueueUnit | undefined {
  const start = current === undefined ? -1 : queue.findIndex((u) => u.organizationId === current);
  for (let step = 1; step <= queue.length; step += 1) {
    const u = queue[(start + step + queue.length) % queue.length];
    if (u && u.organizationId !== current && awaitsReview(u)) return u;
  }
  return undefined;
}

/** How far the reviewing is: active units reviewed, out of the active units the reviewer may review. */
export function reviewProgress(queue: readonly QueueUnit[]): { readonly reviewed: number; readonly total: number } {
  const mine = queue.filter((u) => u.active && !u.own);
  return { reviewed: mine.filter((u) => u.reviewed).length, total: mine.length };
}

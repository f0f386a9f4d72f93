/**
 * What the campaign use cases share (ADR 0023): who may manage a campaign, the ports, and the
 * rules a published campaign keeps.
 *
 * - Only admins manage campaigns, and only their own city's (ADR 0024): another city's campaign
 *   answers 404 like a missing one.
 * - A published campaign keeps its id, city, year and time zone; its lists (counties, content
 *   themes, joint actions, units) may grow or be renamed, never lose an item activities may
 *   name; its milestones move only through `PUT …/milestones/{id}` (not passed, with a reason);
 *   its indicators' weights are fixed once a review exists.
 * - A closed campaign changes no more (409).
 */
import { hasRole, type Principal } from '../auth/principal';
import { CampaignDefinitionSchema, type CampaignDefinition } from '../domain/campaign';
import type { Clock } from '../domain/clock';
import type { FieldIssue } from '../domain/issues';
import { safeParseFields } from '../domain/issues';
import { CampaignClosedError, ForbiddenError, InvalidInputError, NotFoundError } from '../errors';
import type { CampaignReviews, CampaignStore, StoredCampaign } from '../repositories/campaign-repository';
import type { OrganizationDirectory } from '../repositories/organization-repository';
import type { RetentionIndex } from '../repositories/personal-data-repository';

export interface CampaignAdminDeps {
  readonly store: CampaignStore;
  readonly clock: Clock;
  /** The process's campaign cache, forgotten after each write so this process sees it at once. */
  readonly cache?: { invalidate(campaignId?: string): void };
  /** The index of what expires when (ADR 0047): closing a campaign starts its retention. */
  readonly retention?: RetentionIndex;
}

export interface CreateCampaignDeps extends CampaignAdminDeps {
  /** The units of the template (from its definition and added at run time). */
  readonly organizations: OrganizationDirectory;
}

export interface UpdateCampaignDeps extends CampaignAdminDeps {
  readonly reviews: CampaignReviews;
}

/** 403 unless the caller is an admin. */
export function requireAdmin(principal: Principal): void {
  if (!hasRole(principal, 'admin')) throw new ForbiddenError('only an admin manages campaigns');
}

/** The stored campaign an admin of its city may manage: 404 otherwise; with `write`, 409 when closed. */
export async function managedCampaign(
  principal: Principal,
  store: CampaignStore,
  campaignId: string,
  options: { readonly write?: boolean } = {},
): Promise<StoredCampaign> {
  requireAdmin(principal);
  const stored = await store.get(campaignId);
  if (!stored || stored.definition.cityId !== principal.city) throw new NotFoundError(`campaign ${campaignId} not found`);
  if (options.write && stored.status === 'closed') throw new CampaignClosedError(campaignId);
  return stored;
}

/** The definition validated (every failing field at once, zh/en), or 422. */
export function validDefinition(input: unknown, message = 'the campaign definition is not valid'): CampaignDefinition {
  const parsed = safeParseFields(CampaignDefinitionSchema, input);
  if (!parsed.success) throw new InvalidInputError(message, parsed.issues);
  return parsed.data;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** RFC 7396 JSON merge patch: objects merge, `null` removes, anything else (arrays too) replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const result: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

/**
 * What a published campaign may not change (see the module comment), as field issues. `reviewed`:
 * whether a review exists.
 */
export function publishedCampaignIssues(before: CampaignDefinition, after: CampaignDefinition, reviewed: boolean): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const field of ['id', 'cityId', 'year', 'timeZone'] as const) {
    if (before[field] !== after[field]) issues.push({ path: field, code: 'field_locked' });
  }
  const moved = before.milestones.some((m) => after.milestones.find((n) => n.id === m.id)?.dueDate !== m.dueDate);
  if (moved) issues.push({ path: 'milestones', code: 'use_milestone_route' });
  const kept = <T>(path: string, list: (d: CampaignDefinition) => readonly T[], id: (t: T) => string) => {
    const now = new Set(list(after).map(id));
    for (const gone of list(before).map(id).filter((x) => !now.has(x))) issues.push({ path, code: 'cannot_remove', params: { value: gone } });
  };
  kept('counties', (d) => d.counties, (c) => c.id);
  kept('contentThemes', (d) => d.contentThemes, (c) => c.id);
  kept('jointActions', (d) => d.jointActions, (c) => c.id);
  kept('organizations', (d) => d.organizations, (o) => o.organizationId);
  if (reviewed) {
    after.indicators.forEach((x, i) => {
      const was = before.indicators.find((b) => b.id === x.id);
      if (!was || was.weight !== x.weight || was.computedShare !== x.computedShare) issues.push({ path: `indicators.${i}.weight`, code: 'weights_locked' });
    });
  }
  return issues;
}

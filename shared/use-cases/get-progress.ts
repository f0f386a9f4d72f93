/**
 * The association's board: every organizing unit of a campaign with its progress counts, from the
 * progress read model (ADR 0021), never from the activities.
 *
 * Primary course:
 * 1. The campaign exists (404); the caller is a reviewer or an admin (403 for organizers, their
 *    own unit included, and analysts: the board compares units).
 * 2. The filters `county` and `type` are the campaign's (422 listing each that is not); the
 *    cursor is one this list issued (400).
 * 3. Every unit's totals: one Query of the campaign's totals partition (every page). Units added
 *    at run time are listed there too (the projector keeps their names), so nothing else is read.
 * 4. The definition's units and those listed, each with its totals (zeros when it has none yet),
 *    filtered, by `organizationId` ascending, the page after the cursor.
 */
import { hasRole, type Principal } from '../auth/principal';
import { ORGANIZATION_TYPES, type Campaign } from '../domain/campaign';
import { progressCounts, type ProgressCounts } from '../domain/progress';
import { ForbiddenError, InvalidInputError, type FieldIssue } from '../errors';
import { cursorScope, decodeCursor, encodeCursor, type Page } from '../repositories/page';
import type { Organization } from '../repositories/organization-repository';
import { progressKeys, type ProgressStore } from '../repositories/progress-repository';
import { campaignFor } from './activity-access';
import type { CampaignCatalog } from '../repositories/campaign-repository';

/** A unit on the board. */
export type UnitProgress = Organization & ProgressCounts;

export interface ProgressFilters {
  readonly county?: string;
  readonly type?: Organization['type'];
}

export interface GetProgressDeps {
  readonly campaigns: CampaignCatalog;
  readonly progress: Pick<ProgressStore, 'campaignTotals'>;
}

/** What a cursor of this list carries: the last unit of the page. */
const CURSOR_KEYS = ['organizationId'] as const;

/**
 * The filters of a query string, validated against the campaign; 422 listing every one that is
 * not acceptable (`unknown_county`, `invalid_option`, with the accepted values).
 *
 * @example
 * parseProgressFilters(campaign, { county: 'hongqi', type: 'association' }); // { county: 'hongqi', type: 'association' }
 */
export function parseProgressFilters(campaign: Campaign, query: Readonly<Record<string, string | undefined>>): ProgressFilters {
  const issues: FieldIssue[] = [];
  const counties = campaign.counties.map((c) => c.id);
  const { county, type } = query;
  if (county !== undefined && !counties.includes(county)) {
    issues.push({ path: 'county', code: 'unknown_county', params: { value: county, options: counties.join(', ') } });
  }
  if (type !== undefined && !(ORGANIZATION_TYPES as readonly string[]).includes(type)) {
    issues.push({ path: 'type', code: 'invalid_option', params: { options: ORGANIZATION_TYPES.join(', ') } });
  }
  if (issues.length > 0) throw new InvalidInputError('the filters are not values of this campaign', issues);
  return { ...(county !== undefined ? { county } : {}), ...(type !== undefined ? { type: type as Organization['type'] } : {}) };
}

export async function getProgress(
  input: { principal: Principal; campaignId: string; query: Readonly<Record<string, string | undefined>>; limit: number; cursor?: string },
  deps: GetProgressDeps,
): Promise<{ page: Page<UnitProgress>; campaign: Campaign }> {
  const campaign = await campaignFor(input.principal, deps.campaigns, input.campaignId);
  if (!hasRole(input.principal, 'reviewer', 'admin')) throw new ForbiddenError('reviewers and admins read every unit’s progress');
  const filters = parseProgressFilters(campaign, input.query);
  const scope = cursorScope('progress', progressKeys.totalsPartition(campaign.id), filters);
  const after = (await decodeCursor(scope, input.cursor, CURSOR_KEYS))?.organizationId;

  const totals = await deps.progress.campaignTotals(campaign.id);
  const byUnit = new Map(totals.map((t) => [t.organizationId, t]));
  // The definition's units, then those added at run time (as DynamoDbOrganizationDirectory lists them).
  const defined: Organization[] = campaign.organizations.map((o) => ({ organizationId: o.organizationId, name: o.name.zh, nameEn: o.name.en, county: o.county, type: o.type }));
  const known = new Set(defined.map((o) => o.organizationId));
  const added: Organization[] = totals.flatMap((t) => (t.listing && !known.has(t.organizationId) ? [{ organizationId: t.organizationId, ...t.listing }] : []));
  const units = [...defined, ...added];
  // Code-unit order (not locale order): the order the cursor compares in.
  const matching = units
    .filter((u) => (filters.county === undefined || u.county === filters.county) && (filters.type === undefined || u.type === filters.type))
    .filter((u) => after === undefined || u.organizationId > String(after))
    .sort((a, b) => (a.organizationId < b.organizationId ? -1 : a.organizationId > b.organizationId ? 1 : 0));
  const items = matching.slice(0, input.limit).map((u) => ({ ...u, ...progressCounts(byUnit.get(u.organizationId)) }));
  const last = items.at(-1);
  const nextCursor = matching.length > input.limit && last ? await encodeCursor(scope, { organizationId: last.organizationId }) : null;
  return { page: { items, nextCursor }, campaign };
}

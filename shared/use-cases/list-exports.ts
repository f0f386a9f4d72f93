/**
 * Lists a campaign's exports for admins and analysts, newest request first: the exports people
 * asked for and the milestones' snapshots, without file URLs (those stay in `GET /v1/exports/{id}`,
 * signed when asked for, valid minutes).
 *
 * Primary course:
 * 1. The campaign exists (404); the caller is an admin or an analyst (403 for organizers and
 *    reviewers: exports are theirs alone, API.md).
 * 2. The filters `kind` (`requested` | `milestone`) and `milestone` (`registration` |
 *    `completion`, a snapshot of that milestone) are valid (400 naming the parameter and what it
 *    accepts; `milestone` with `kind=requested` asks for nothing that can exist: 400).
 * 3. One page of gsi1 (`CAMP#<c>#EXPORT`, by request time, backwards), refilled until `limit` or
 *    the end.
 */
import * as z from '../domain/zod';
import { hasRole, type Principal } from '../auth/principal';
import { MILESTONE_IDS, type Campaign } from '../domain/campaign';
import { BadRequestError, ForbiddenError } from '../errors';
import { EXPORT_KINDS, type ExportFilters, type ExportList, type ExportRecord } from '../export/export-record';
import { campaignFor } from './activity-access';
import type { CampaignCatalog } from '../repositories/campaign-repository';
import { parseQueryFilters } from './query-filters';

/** Each filter: what it accepts, as a schema and in words for the 400's detail. */
const FILTERS = {
  kind: { schema: z.enum(EXPORT_KINDS), accepts: `one of ${EXPORT_KINDS.join(', ')}` },
  milestone: { schema: z.enum(MILESTONE_IDS), accepts: `one of ${MILESTONE_IDS.join(', ')}` },
} as const;

/**
 * The filters of a query string, validated; 400 naming the first parameter that is not
 * acceptable. Other parameters (`limit`, `cursor`) are not this function's.
 *
 * @example
 * parseExportFilters({ milestone: 'registration' }); // { milestone: 'registration' }
 */
export function parseExportFilters(query: Readonly<Record<string, string | undefined>>): ExportFilters {
  const filters = parseQueryFilters(FILTERS, query);
  if (filters.milestone && filters.kind === 'requested') {
    throw new BadRequestError('query parameter milestone names a milestone snapshot: it cannot go with kind=requested');
  }
  return filters as ExportFilters;
}

export interface ListExportsDeps {
  readonly campaigns: CampaignCatalog;
  readonly exports: ExportList;
}

export async function listExports(
  input: { principal: Principal; campaignId: string; query: Readonly<Record<string, string | undefined>>; limit: number; cursor?: string },
  deps: ListExportsDeps,
): Promise<{ page: { items: ExportRecord[]; nextCursor: string | null }; campaign: Campaign }> {
  const campaign = await campaignFor(input.principal, deps.campaigns, input.campaignId);
  if (!hasRole(input.principal, 'admin', 'analyst')) throw new ForbiddenError('only an admin or an analyst may list exports');
  const filters = parseExportFilters(input.query);
  const page = await deps.exports.list({
    campaignId: campaign.id,
    filters,
    limit: input.limit,
    ...(input.cursor ? { cursor: input.cursor } : {}),
  });
  return { page, campaign };
}

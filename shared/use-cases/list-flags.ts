/**
 * Lists a campaign's flags for reviewers and admins, oldest first.
 *
 * Primary course:
 * 1. The campaign exists (404); the caller is a reviewer or an admin (403 for organizers and
 *    analysts: flags across units are not an organizer's to read).
 * 2. The filters `code`, `organizationId`, `milestone`, `waived` are valid (400 naming the
 *    parameter and what it accepts).
 * 3. One page of gsi1 (`CAMP#<c>#FLAG`, by time raised), refilled until `limit` or the end.
 */
import * as z from '../domain/zod';
import { hasRole, type Principal } from '../auth/principal';
import type { Campaign } from '../domain/campaign';
import { MILESTONE_IDS } from '../domain/campaign';
import { FLAG_CODES } from '../domain/flags';
import { ForbiddenError } from '../errors';
import type { Page } from '../repositories/page';
import type { FlagFilters, FlagRepository, StoredFlag } from '../repositories/flag-repository';
import { ID_PATTERN } from '../schemas/text';
import { campaignFor } from './activity-access';
import type { CampaignCatalog } from '../repositories/campaign-repository';
import { parseQueryFilters } from './query-filters';

/** Each filter: what it accepts, as a schema and in words for the 400's detail. */
const FILTERS = {
  code: { schema: z.enum(FLAG_CODES), accepts: `one of ${FLAG_CODES.join(', ')}` },
  organizationId: { schema: z.string().check(z.regex(ID_PATTERN)), accepts: 'a unit id (1–64 letters, digits, - or _)' },
  milestone: { schema: z.enum(MILESTONE_IDS), accepts: `one of ${MILESTONE_IDS.join(', ')}` },
  waived: { schema: z.pipe(z.enum(['true', 'false']), z.transform((v) => v === 'true')), accepts: 'true or false' },
} as const;

/**
 * The filters of a query string, validated; 400 naming the first parameter that is not
 * acceptable. Other parameters (`limit`, `cursor`) are not this function's.
 *
 * @example
 * parseFlagFilters({ code: 'registration-late', waived: 'false' }); // { code: 'registration-late', waived: false }
 */
export function parseFlagFilters(query: Readonly<Record<string, string | undefined>>): FlagFilters {
  const filters = parseQueryFilters(FILTERS, query);
  return filters as FlagFilters;
}

export interface ListFlagsDeps {
  readonly campaigns: CampaignCatalog;
  readonly flags: FlagRepository;
}

export async function listFlags(
  input: { principal: Principal; campaignId: string; query: Readonly<Record<string, string | undefined>>; limit: number; cursor?: string },
  deps: ListFlagsDeps,
): Promise<{ page: Page<StoredFlag>; campaign: Campaign }> {
  const campaign = await campaignFor(input.principal, deps.campaigns, input.campaignId);
  if (!hasRole(input.principal, 'reviewer', 'admin')) throw new ForbiddenError('reviewers and admins read the flags');
  const filters = parseFlagFilters(input.query);
  const page = await deps.flags.list({
    campaignId: campaign.id,
    filters,
    limit: input.limit,
    ...(input.cursor ? { cursor: input.cursor } : {}),
  });
  return { page, campaign };
}

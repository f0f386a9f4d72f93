/**
 * Lists a campaign's extensions (延期) for reviewers and admins: who granted which deadline to
 * whom, when and why.
 *
 * Primary course:
 * 1. The campaign exists (404); the caller is a reviewer or an admin (403 for organizers, their
 *    own unit included, and analysts: as the flags, the grants across units are the
 *    association's to read).
 * 2. The filter `organizationId` is a unit id (400 naming the parameter otherwise).
 * 3. One page: a unit's grants oldest first, or the campaign's by unit, then oldest first.
 */
import { hasRole, type Principal } from '../auth/principal';
import type { Campaign } from '../domain/campaign';
import { BadRequestError, ForbiddenError } from '../errors';
import type { Page } from '../repositories/page';
import type { ExtensionList, ExtensionRecord } from '../repositories/extension-repository';
import { ID_PATTERN } from '../schemas/text';
import { campaignFor } from './activity-access';
import type { CampaignCatalog } from '../repositories/campaign-repository';

export interface ListExtensionsDeps {
  readonly campaigns: CampaignCatalog;
  readonly extensions: ExtensionList;
}

export async function listExtensions(
  input: { principal: Principal; campaignId: string; query: Readonly<Record<string, string | undefined>>; limit: number; cursor?: string },
  deps: ListExtensionsDeps,
): Promise<{ page: Page<ExtensionRecord>; campaign: Campaign }> {
  const campaign = await campaignFor(input.principal, deps.campaigns, input.campaignId);
  if (!hasRole(input.principal, 'reviewer', 'admin')) throw new ForbiddenError('reviewers and admins read the extensions');
  const { organizationId } = input.query;
  if (organizationId !== undefined && !ID_PATTERN.test(organizationId)) {
    throw new BadRequestError('query parameter organizationId must be a unit id (1–64 letters, digits, - or _)');
  }
  const page = await deps.extensions.list({
    campaignId: campaign.id,
    ...(organizationId !== undefined ? { organizationId } : {}),
    limit: input.limit,
    ...(input.cursor ? { cursor: input.cursor } : {}),
  });
  return { page, campaign };
}

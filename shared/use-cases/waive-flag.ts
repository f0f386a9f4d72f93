/**
 * An admin waives a flag (豁免): the flag stays, marked waived with the reason, who and when,
 * and no longer counts as open (`?flagged=true` stops listing an activity whose flags are all
 * waived).
 *
 * Primary course:
 * 1. The caller is an admin (403 otherwise).
 * 2. The body is `{ reason }`, 5..500 characters (422 with every failing field).
 * 3. The flag exists and its campaign is one the caller may see (404 otherwise: another city's
 *    flag is answered as a missing one); it is not waived yet (409 `flag_already_waived`); its
 *    campaign is not closed (409 `campaign_closed`).
 * 4. Flag and activity change at once, the flag only if still unwaived (409 if another admin
 *    was first), the activity's open-flag count down by one and its version up by one.
 */
import { hasRole, type Principal } from '../auth/principal';
import type { Campaign } from '../domain/campaign';
import type { Clock } from '../domain/clock';
import { safeParseFields } from '../domain/issues';
import { CampaignClosedError, ForbiddenError, InvalidInputError, NotFoundError } from '../errors';
import { FlagAlreadyWaivedError, type FlagRepository, type StoredFlag } from '../repositories/flag-repository';
import { ID_PATTERN } from '../schemas/text';
import { waiverSchema } from '../schemas/waiver.schema';
import { campaignVisibleTo } from './activity-access';
import type { CampaignCatalog } from '../repositories/campaign-repository';

export interface WaiveFlagDeps {
  readonly campaigns: CampaignCatalog;
  readonly flags: FlagRepository;
  readonly clock: Clock;
}

export async function waiveFlag(
  input: { principal: Principal; flagId: string; body: unknown },
  deps: WaiveFlagDeps,
): Promise<{ flag: StoredFlag; campaign: Campaign }> {
  if (!hasRole(input.principal, 'admin')) throw new ForbiddenError('only an admin waives flags');
  const parsed = safeParseFields(waiverSchema, input.body);
  if (!parsed.success) throw new InvalidInputError('the waiver is not valid', parsed.issues);
  // An id no flag can have is answered like a missing flag, without a read.
  const found = ID_PATTERN.test(input.flagId) ? await deps.flags.find(input.flagId) : undefined;
  const campaign = found ? await deps.campaigns.find(found.flag.campaignId) : undefined;
  // A flag of a campaign the caller may not see (another city's, a draft) is answered as a missing one.
  if (!found || !campaign || !campaignVisibleTo(input.principal, campaign)) throw new NotFoundError(`flag ${input.flagId} not found`);
  if (found.flag.waived) throw new FlagAlreadyWaivedError(found.flag.flagId);
  if (campaign.status === 'closed') throw new CampaignClosedError(campaign.id);
  const flag = await deps.flags.waive(found, {
    reason: parsed.data.reason,
    by: input.principal.sub,
    at: deps.clock.now().toISOString(),
  });
  return { flag, campaign };
}

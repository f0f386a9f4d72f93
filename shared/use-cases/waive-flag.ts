/**
 * An admin waives a flag (豁免): the flag stays, marked waived with the reason, who and when,
 * and no longer counts as open (`?flagged=true` stops listing an activity whose flags are all
 * waived).
 *
 * Primary course:
 * 1. The caller is an admin (403 otherwise).
 * 2. The body is `{ reason }`, 5..500 characters (422 with every failing field).
 * 3. The flag exists (404); it is not waived yet (409 `flag_already_waived`).
 * 4. Flag and activity change at once, the flag only if still unwaived (409 if another admin
 *    was first), the activity's open-flag count down by one and its version up by one.
 */
import { hasRole, type Principal } from '../auth/principal';
import type { Campaign } from '../domain/campaign';
import type { Clock } from '../domain/clock';
import { safeParseFields } from '../domain/issues';
import { ForbiddenError, InvalidInputError, NotFoundError } from '../errors';
import { FlagAlreadyWaivedError, type FlagRepository, type StoredFlag } from '../repositories/flag-repository';
import { ID_PATTERN } from '../schemas/text';
import { waiverSchema } from '../schemas/waiver.schema';
import { campaignOrNotFound, type CampaignCatalog } from './activity-access';

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
  if (!found) throw new NotFoundError(`flag ${input.flagId} not found`);
  if (found.flag.waived) throw new FlagAlreadyWaivedError(found.flag.flagId);
  const campaign = campaignOrNotFound(deps.campaigns, found.flag.campaignId);
  const flag = await deps.flags.waive(found, {
    reason: parsed.data.reason,
    by: input.principal.sub,
    at: deps.clock.now().toISOString(),
  });
  return { flag, campaign };
}

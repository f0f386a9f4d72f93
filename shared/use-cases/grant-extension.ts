/**
 * An admin grants an extension (延期): one unit's (or one of its activities') deadline of a
 * milestone moves to `until`. Submit, results, summary and the milestone sweeps read the
 * grants of the unit (`ExtensionSource`), so a grant only ever removes lateness to come; flags
 * already raised stay (an admin waives them). Audited from the stream: the entry names the
 * admin (`grantedBy`) and carries the reason.
 *
 * Primary course:
 * 1. The campaign exists and the caller may see it (404 also for another city's campaign); it is
 *    not closed (409 `campaign_closed`); the caller is an admin (403).
 * 2. The body is valid for the campaign: milestone, `until` after the milestone's own deadline,
 *    a reason of 5..500 characters (422 with every failing field).
 * 3. The unit is listed in the campaign (422 `unknown_organization` on `organizationId`); an
 *    `activityId` names an activity of that unit in this campaign (422 `unknown_activity`).
 * 4. One new item per grant, with a random id; the latest `until` that applies counts.
 */
import { createOnce, randomWriteIdentity, type WriteIdentity } from './write-identity';
import { hasRole, type Principal } from '../auth/principal';
import type { Campaign } from '../domain/campaign';
import type { Clock } from '../domain/clock';
import { safeParseFields, type FieldIssue } from '../domain/issues';
import { parseInstant } from '../domain/time';
import { ForbiddenError, InvalidInputError } from '../errors';
import type { ActivityRepository } from '../repositories/activity-repository';
import type { ExtensionRecord, ExtensionRepository } from '../repositories/extension-repository';
import type { OrganizationDirectory } from '../repositories/organization-repository';
import { extensionSchema } from '../schemas/extension.schema';
import { campaignFor } from './activity-access';
import type { CampaignCatalog } from '../repositories/campaign-repository';

export interface GrantExtensionDeps {
  readonly campaigns: CampaignCatalog;
  readonly organizations: OrganizationDirectory;
  readonly activities: Pick<ActivityRepository, 'get'>;
  readonly extensions: ExtensionRepository;
  readonly clock: Clock;
  /** The new extension's id (a random UUID by default). */
  readonly newId?: () => string;
}

export async function grantExtension(
  input: { principal: Principal; campaignId: string; body: unknown; write?: WriteIdentity },
  deps: GrantExtensionDeps,
): Promise<{ extension: ExtensionRecord; campaign: Campaign; repeated: boolean }> {
  const write = input.write ?? randomWriteIdentity(deps.newId);
  const campaign = await campaignFor(input.principal, deps.campaigns, input.campaignId, { write: true });
  if (!hasRole(input.principal, 'admin')) throw new ForbiddenError('only an admin grants extensions');
  const parsed = safeParseFields(extensionSchema(campaign), input.body);
  if (!parsed.success) throw new InvalidInputError('the extension is not valid', parsed.issues);
  const body = parsed.data;

  const issues: FieldIssue[] = [];
  const [unit, found] = await Promise.all([
    deps.organizations.find(campaign, body.organizationId),
    body.activityId ? deps.activities.get(body.activityId) : Promise.resolve(undefined),
  ]);
  if (!unit) issues.push({ path: 'organizationId', code: 'unknown_organization', params: { value: body.organizationId } });
  if (body.activityId) {
    const activity = found?.activity;
    if (!activity || activity.campaignId !== campaign.id || activity.organizationId !== body.organizationId) {
      issues.push({ path: 'activityId', code: 'unknown_activity', params: { value: body.activityId } });
    }
  }
  if (issues.length > 0) throw new InvalidInputError('the extension names no such unit or activity', issues);

  const until = parseInstant(body.until);
  if (!until) throw new InvalidInputError('the extension is not valid', [{ path: 'until', code: 'invalid_instant' }]);
  const extension: ExtensionRecord = {
    extensionId: write.id,
    campaignId: campaign.id,
    organizationId: body.organizationId,
    ...(body.activityId ? { activityId: body.activityId } : {}),
    milestone: body.milestone,
    until: until.toISOString(),
    reason: body.reason,
    grantedBy: input.principal.sub,
    grantedAt: deps.clock.now().toISOString(),
  };
  const { value, repeated } = await createOnce(
    write,
    extension,
    () => deps.extensions.grant(extension, write.token),
    () => deps.extensions.grantedBy(extension.extensionId, write.token),
  );
  return { extension: value, campaign, repeated };
}

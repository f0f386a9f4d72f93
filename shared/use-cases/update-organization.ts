/**
 * Changes a unit's contact and notification settings (JSON merge patch: `null` removes one).
 *
 * Primary course:
 * 1. The campaign exists (404); the caller is an admin or an organizer of that very unit. An
 *    organizer of another unit is answered as if the unit were missing (404); reviewers and
 *    analysts may not change settings (403).
 * 2. The unit is listed in the campaign (404), from its definition or added at run time.
 * 3. If-Match is present (428) and names the current version of the settings (412). Settings
 *    never changed are at version 0 (ETag `"0"`), so the first change sends `If-Match: "0"`;
 *    a 412 answers the current ETag, which is how a client without it learns it.
 * 4. The patch is valid (422 with every failing field). `webhookUrl` is only checked to be
 *    https here: the notifier refuses private and loopback addresses when it resolves the
 *    host to deliver, the only moment that check means anything (DNS may change).
 * 5. Stored at version + 1 only if nobody changed them since (412). A patch that changes
 *    nothing stores nothing and answers the settings as they are.
 */
import { hasRole, type Principal } from '../auth/principal';
import { mergePatch } from '../domain/activity';
import type { Clock } from '../domain/clock';
import { safeParseFields } from '../domain/issues';
import { ForbiddenError, InvalidInputError, NotFoundError, StaleVersionError, VersionRequiredError } from '../errors';
import type {
  Organization,
  OrganizationDirectory,
  OrganizationSettings,
  OrganizationSettingsStore,
} from '../repositories/organization-repository';
import { organizationSchemas } from '../schemas/organization.schema';
import { campaignOrNotFound, type CampaignCatalog } from './activity-access';

export interface UpdateOrganizationDeps {
  readonly campaigns: CampaignCatalog;
  readonly organizations: OrganizationDirectory;
  readonly settings: OrganizationSettingsStore;
  readonly clock: Clock;
}

/** JSON with object keys sorted: equal for equal values whatever the key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

export async function updateOrganization(
  input: { principal: Principal; campaignId: string; organizationId: string; ifMatch: number | undefined; body: unknown },
  deps: UpdateOrganizationDeps,
): Promise<{ organization: Organization; settings: OrganizationSettings }> {
  const { principal, organizationId } = input;
  const campaign = campaignOrNotFound(deps.campaigns, input.campaignId);
  const ownOrganizer = hasRole(principal, 'organizer') && principal.orgId === organizationId;
  if (!hasRole(principal, 'admin') && !ownOrganizer) {
    // An organizer sees only its own unit: another one is answered exactly as a missing one.
    if (hasRole(principal, 'organizer') && !hasRole(principal, 'reviewer')) {
      throw new NotFoundError(`organization ${organizationId} not found`);
    }
    throw new ForbiddenError('only an admin or an organizer of the unit may change its settings');
  }
  const organization = await deps.organizations.find(campaign, organizationId);
  if (!organization) throw new NotFoundError(`organization ${organizationId} not found`);
  if (input.ifMatch === undefined) throw new VersionRequiredError();
  const current = await deps.settings.get(campaign.id, organizationId);
  if (input.ifMatch !== current.version) throw new StaleVersionError(current.version);

  const patch = safeParseFields(organizationSchemas(campaign).settings, input.body);
  if (!patch.success) throw new InvalidInputError('the settings are not valid', patch.issues);
  const before = { contact: current.contact, webhookUrl: current.webhookUrl };
  const after = mergePatch(before, patch.data as Record<string, unknown>) as Pick<OrganizationSettings, 'contact' | 'webhookUrl'>;
  if (canonical(before) === canonical(after)) return { organization, settings: current };

  const next: OrganizationSettings = {
    campaignId: campaign.id,
    organizationId,
    version: current.version + 1,
    ...(after.contact ? { contact: after.contact } : {}),
    ...(after.webhookUrl ? { webhookUrl: after.webhookUrl } : {}),
    updatedAt: deps.clock.now().toISOString(),
    updatedBy: principal.sub,
  };
  await deps.settings.put(next, current.version);
  return { organization, settings: next };
}

/**
 * Changes a unit's contact and notification settings (JSON merge patch: `null` removes one).
 *
 * Primary course:
 * 1. The campaign exists and the caller may see it (404 also for another city's campaign or a
 *    draft), and it is not closed (409 `campaign_closed`); the caller is an admin or an organizer
 *    of that very unit. An organizer of another unit is answered as if the unit were missing
 *    (404); reviewers and analysts may not change settings (403).
 * 2. The unit is listed in the campaign (404), from its definition or added at run time.
 * 3. If-Match is present (428) and names the current version of the settings (412). Settings
 *    never changed are at version 0 (ETag `"0"`), so the first change sends `If-Match: "0"`;
 *    a 412 answers the current ETag, which is how a client without it learns it.
 * 4. The patch is valid (422 with every failing field). A `webhookUrl` must be https with no
 *    user info, and a host written as an IP address must be public (loopback too in the local
 *    runtime; the policy comes from configuration, never from the request). A host name is
 *    resolved (short timeout): any non-public address it resolves to refuses the URL
 *    (`webhook_address_not_allowed`); a name that does not resolve is accepted, as it may
 *    exist later. The notifier checks every address again when it connects (DNS may change).
 * 5. Stored at version + 1 only if nobody changed them since (412). A patch that changes
 *    nothing stores nothing and answers the settings as they are.
 */
import { hasRole, type Principal } from '../auth/principal';
import { mergePatch } from '../domain/activity';
import type { Clock } from '../domain/clock';
import { safeParseFields, type FieldIssue } from '../domain/issues';
import {
  hostToResolve,
  resolvedAddressesProblem,
  STRICT_WEBHOOK_POLICY,
  type WebhookPolicy,
} from '../domain/webhook-address';
import { ForbiddenError, InvalidInputError, NotFoundError } from '../errors';
import { checkIfMatch } from './if-match';
import type {
  Organization,
  OrganizationDirectory,
  OrganizationSettings,
  OrganizationSettingsStore,
} from '../repositories/organization-repository';
import { settingsSchema } from '../schemas/organization.schema';
import { campaignFor } from './activity-access';
import type { CampaignCatalog } from '../repositories/campaign-repository';

export interface UpdateOrganizationDeps {
  readonly campaigns: CampaignCatalog;
  readonly organizations: OrganizationDirectory;
  readonly settings: OrganizationSettingsStore;
  readonly clock: Clock;
  /** Where webhooks may point (default: loopback refused). */
  readonly webhookPolicy?: WebhookPolicy;
  /**
   * Resolves a webhook's host name: its addresses, or `undefined` when it does not resolve
   * (in time). Without it, host names are left to the notifier's check.
   */
  readonly resolveHost?: (host: string) => Promise<readonly string[] | undefined>;
}

/** The `webhookUrl` issue of a URL whose host name resolves to an address it may not reach. */
async function resolvedWebhookIssue(url: string, deps: UpdateOrganizationDeps, policy: WebhookPolicy): Promise<FieldIssue[]> {
  const host = hostToResolve(url);
  if (host === undefined || !deps.resolveHost) return [];
  const addresses = await deps.resolveHost(host);
  const problem = addresses && resolvedAddressesProblem(addresses, policy);
  return problem ? [{ path: 'webhookUrl', code: problem }] : [];
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
  const campaign = await campaignFor(principal, deps.campaigns, input.campaignId, { write: true });
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
  const current = await deps.settings.get(campaign.id, organizationId);
  checkIfMatch(input.ifMatch, { version: current.version, required: true });

  const policy = deps.webhookPolicy ?? STRICT_WEBHOOK_POLICY;
  const schema = settingsSchema(campaign, policy);
  const patch = safeParseFields(schema, input.body);
  // DNS only for a URL that passed every other rule (also when another field failed: one
  // answer lists every failing field).
  const url = schema.shape.webhookUrl.safeParse((input.body as { webhookUrl?: unknown } | null)?.webhookUrl);
  const dnsIssues = url.success && typeof url.data === 'string' ? await resolvedWebhookIssue(url.data, deps, policy) : [];
  if (!patch.success || dnsIssues.length > 0) {
    throw new InvalidInputError('the settings are not valid', [...(patch.success ? [] : patch.issues), ...dnsIssues]);
  }
  const before = { contact: current.contact, webhookUrl: current.webhookUrl };
  const after = mergePatch(before, patch.data as Record<string, unknown>) as Pick<OrganizationSettings, 'contact' | 'webhookUrl'>;
  if (canonical(before) === canonical(after)) return { organization, settings: current };

  const next: OrganizationSettings = {
    campaignId: campaign.id,
    organizationId,
    version: current.version + 1,
    ...(after.contact ? { contact: after.contact } : {}),
    // An unchanged URL keeps its sealed form: no new ciphertext, no change in the audit trail.
    ...(after.webhookUrl ? { webhookUrl: after.webhookUrl } : {}),
    ...(after.webhookUrl && after.webhookUrl === current.webhookUrl && current.sealedWebhookUrl ? { sealedWebhookUrl: current.sealedWebhookUrl } : {}),
    updatedAt: deps.clock.now().toISOString(),
    updatedBy: principal.sub,
  };
  await deps.settings.put(next, current.version);
  return { organization, settings: next };
}

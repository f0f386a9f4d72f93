/**
 * Organizing units (`POST` and `PATCH /v1/campaigns/{c}/organizations...`).
 *
 * - `create` (admin; also each row of a CSV import): `{ name (2..60), county (one of the
 *   campaign's), type (ORGANIZATION_TYPES), contact? }`. The server assigns the id.
 * - `settings` (admin or the unit's organizer, a PATCH): `{ contact?, webhookUrl? }`, `null`
 *   removes one. `webhookUrl` follows the webhook rules of shared/domain/webhook-address.ts
 *   that need no DNS: https, no user info, a host written as an IP address public
 *   (`webhook_address_not_allowed`). `settings` is the schema outside the local runtime;
 *   {@link settingsSchema} picks the one for a policy (the local runtime accepts loopback,
 *   over http too). Host names are resolved by the use case.
 */
import * as z from '../domain/zod';
import { ORGANIZATION_TYPES, type Campaign } from '../domain/campaign';
import { customIssue } from '../domain/issues';
import { personal } from '../domain/privacy';
import { STRICT_WEBHOOK_POLICY, webhookUrlProblem, type WebhookPolicy } from '../domain/webhook-address';
import { codePointLength, contact, countyOf, MAX_URL_LENGTH, patchShape, perCampaign, text } from './text';

/** Limits of an organizing unit. */
export const ORGANIZATION_LIMITS = { name: { min: 2, max: 60 } } as const;

/**
 * A unit's webhook URL under `policy` (NFKC-normalised and trimmed, at most
 * {@link MAX_URL_LENGTH} code points): `invalid_url`, `https_required` or
 * `webhook_address_not_allowed` from {@link webhookUrlProblem}.
 */
export function webhookUrl(policy: WebhookPolicy = STRICT_WEBHOOK_POLICY): z.ZodMiniString<string> {
  return z.meta(
    z.string().check(
      z.overwrite((s) => s.normalize('NFKC').trim()),
      z.maxLength(MAX_URL_LENGTH),
      z.superRefine((s, ctx) => {
        if (s.length > MAX_URL_LENGTH && codePointLength(s) > MAX_URL_LENGTH) return; // too_long said it
        const problem = webhookUrlProblem(s, policy);
        if (problem) ctx.addIssue(customIssue(problem));
      }),
    ),
    { format: 'uri', ...personal('secret', 'notify-unit') },
  );
}

const settingsFor = (policy: WebhookPolicy) => z.strictObject(patchShape({ contact: contact(), webhookUrl: webhookUrl(policy) }));

function buildOrganizationSchemas(campaign: Campaign) {
  return {
    create: z.strictObject({
      name: text(ORGANIZATION_LIMITS.name),
      county: countyOf(campaign),
      type: z.enum(ORGANIZATION_TYPES),
      contact: z.optional(contact()),
    }),
    /** Settings outside the local runtime (loopback refused): the one the OpenAPI document shows. */
    settings: settingsFor(STRICT_WEBHOOK_POLICY),
    /** Settings in the local runtime, where a robot on this machine (loopback, http too) is allowed. */
    localSettings: settingsFor({ allowLoopback: true }),
  };
}

/** The organization schemas of one campaign. */
export type OrganizationSchemas = ReturnType<typeof buildOrganizationSchemas>;
/** A new organizing unit as validated. */
export type OrganizationInput = z.output<OrganizationSchemas['create']>;
/** A settings PATCH as validated (`null` removes a field). */
export type OrganizationSettingsPatch = z.output<OrganizationSchemas['settings']>;

/** `{ create, settings }` for `campaign` (built once per campaign object). */
export const organizationSchemas: (campaign: Campaign) => OrganizationSchemas = perCampaign(buildOrganizationSchemas);

/** The settings schema of `campaign` under `policy`. */
export const settingsSchema = (campaign: Campaign, policy: WebhookPolicy): OrganizationSchemas['settings'] =>
  policy.allowLoopback ? organizationSchemas(campaign).localSettings : organizationSchemas(campaign).settings;

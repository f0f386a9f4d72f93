/**
 * Organizing units (`POST` and `PATCH /v1/campaigns/{c}/organizations...`).
 *
 * - `create` (admin; also each row of a CSV import): `{ name (2..60), county (one of the
 *   campaign's), type (ORGANIZATION_TYPES), contact? }`. The server assigns the id.
 * - `settings` (admin or the unit's organizer, a PATCH): `{ contact?, webhookUrl? }`, `null`
 *   removes one. `webhookUrl` is only checked to be https here; refusing private and loopback
 *   addresses (SSRF) is the use case's job.
 */
import * as z from 'zod';
import { ORGANIZATION_TYPES, type Campaign } from '../domain/campaign';
import { contact, countyOf, httpsUrl, patchShape, perCampaign, text } from './text';

/** Limits of an organizing unit. */
export const ORGANIZATION_LIMITS = { name: { min: 2, max: 60 } } as const;

function buildOrganizationSchemas(campaign: Campaign) {
  return {
    create: z.strictObject({
      name: text(ORGANIZATION_LIMITS.name),
      county: countyOf(campaign),
      type: z.enum(ORGANIZATION_TYPES),
      contact: contact().optional(),
    }),
    settings: z.strictObject(patchShape({ contact: contact(), webhookUrl: httpsUrl() })),
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

/**
 * Organizing units as the API lists them (`GET …/organizations`, a campaign's units, a unit's
 * status and progress), as `POST …/organizations` adds them and as `PATCH` leaves their settings.
 */
import * as z from '../domain/zod';
import { ORGANIZATION_TYPES, type Campaign } from '../domain/campaign';
import { personal } from '../domain/privacy';
import type { NewOrganization, Organization, OrganizationSettings } from '../repositories/organization-repository';
import { contact, id } from '../schemas/text';
import { count, instant, type ViewOf } from '../schemas/output';
import { zoned } from './zoned-instant';

export const organizationViewSchema = z.looseObject({
  organizationId: id(),
  name: z.meta(z.string(), { description: 'Chinese name.' }),
  nameEn: z.optional(z.string()),
  county: z.string(),
  type: z.enum(ORGANIZATION_TYPES),
});
export type OrganizationView = ViewOf<typeof organizationViewSchema>;

/** A unit as lists name it: the contract's fields only. */
export function organizationView(o: Organization): OrganizationView {
  return { organizationId: o.organizationId, name: o.name, county: o.county, type: o.type };
}

/** The units one `POST …/organizations` added (one, a JSON list, or a CSV import), in the order given. */
export const addedOrganizationsViewSchema = z.looseObject({
  items: z.array(
    z.intersection(
      organizationViewSchema,
      z.looseObject({
        contact: z.meta(z.optional(contact()), { description: 'The contact given.' }),
        listedAt: z.meta(instant(), { description: 'When the unit was added.' }),
      }),
    ),
  ),
});
export type AddedOrganizationsView = ViewOf<typeof addedOrganizationsViewSchema>;

export function addedOrganizationsView(units: readonly NewOrganization[], campaign: Campaign): AddedOrganizationsView {
  return {
    items: units.map((u) => ({
      organizationId: u.organizationId,
      name: u.name,
      county: u.county,
      type: u.type,
      ...(u.contact ? { contact: u.contact } : {}),
      listedAt: zoned(u.listedAt, campaign),
    })),
  };
}

/** A unit with its contact and notification settings (`PATCH …/organizations/{orgId}`: there is no GET of one unit). */
export const organizationSettingsViewSchema = z.intersection(
  organizationViewSchema,
  z.looseObject({
    contact: z.optional(contact()),
    webhookUrl: z.optional(z.meta(z.url(), { description: 'Where reminders are also sent.', ...personal('secret', 'notify-unit') })),
    version: z.meta(count(), { description: 'Also the `ETag`: `0` until the settings first change.' }),
    updatedAt: z.meta(z.optional(instant()), { description: 'When the settings last changed.' }),
  }),
);
export type OrganizationSettingsView = ViewOf<typeof organizationSettingsViewSchema>;

export function organizationSettingsView(organization: Organization, settings: OrganizationSettings, campaign: Campaign): OrganizationSettingsView {
  return {
    organizationId: organization.organizationId,
    name: organization.name,
    county: organization.county,
    type: organization.type,
    ...(settings.contact ? { contact: settings.contact } : {}),
    ...(settings.webhookUrl ? { webhookUrl: settings.webhookUrl } : {}),
    version: settings.version,
    ...(settings.updatedAt ? { updatedAt: zoned(settings.updatedAt, campaign) } : {}),
  };
}

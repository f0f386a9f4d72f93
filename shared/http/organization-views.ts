/** Organizing units as the API lists them (`GET …/organizations`, a campaign's units, a unit's status and progress), and as `POST …/organizations` adds them. */
import * as z from 'zod';
import { ORGANIZATION_TYPES, type Campaign } from '../domain/campaign';
import type { NewOrganization } from '../repositories/organization-repository';
import { contact, id } from '../schemas/text';
import { instant, zoned, type ViewOf } from './view-parts';

export const organizationViewSchema = z.looseObject({
  organizationId: id(),
  name: z.string().meta({ description: 'Chinese name.' }),
  nameEn: z.string().optional(),
  county: z.string(),
  type: z.enum(ORGANIZATION_TYPES),
});

/** The units one `POST …/organizations` added (one, a JSON list, or a CSV import), in the order given. */
export const addedOrganizationsViewSchema = z.looseObject({
  items: z.array(
    organizationViewSchema.extend({
      contact: contact().optional().meta({ description: 'The contact given: the unit’s settings until they first change.' }),
      listedAt: instant().meta({ description: 'When the unit was added.' }),
    }),
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

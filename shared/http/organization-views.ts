/** An organizing unit as the API lists it (`GET …/organizations`, a campaign's units, a unit's status and progress). */
import * as z from 'zod';
import { ORGANIZATION_TYPES } from '../domain/campaign';
import { id } from '../schemas/text';

export const organizationViewSchema = z.looseObject({
  organizationId: id(),
  name: z.string().meta({ description: 'Chinese name.' }),
  nameEn: z.string().optional(),
  county: z.string(),
  type: z.enum(ORGANIZATION_TYPES),
});

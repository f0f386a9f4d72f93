/**
 * A flag as the server returns it (API.md "Flags"): the shape of `GET .../flags` items, for the
 * OpenAPI document and for checking what the server writes. Clients never send one. The codes
 * are the domain's (`FLAG_CODES` in shared/domain/rules.ts).
 */
import * as z from '../domain/zod';
import { MILESTONE_IDS } from '../domain/campaign';
import { FLAG_CODES } from '../domain/flags';
import { personal } from '../domain/privacy';
import { id, integer, isoInstant, longText, text } from './text';

/** One flag. */
export const flagSchema = z.strictObject({
  flagId: id(),
  code: z.enum(FLAG_CODES),
  campaignId: id(),
  organizationId: id(),
  activityId: z.optional(id()),
  milestone: z.enum(MILESTONE_IDS),
  raisedAt: isoInstant(),
  lateBySeconds: z.optional(integer({ min: 0, max: Number.MAX_SAFE_INTEGER })),
  waived: z.boolean(),
  waivedReason: z.optional(longText({ max: 500 })),
  /** When an admin waived it (`POST /v1/flags/{flagId}/waive`). */
  waivedAt: z.optional(isoInstant()),
  /** Who waived it: the admin's `sub`. */
  waivedBy: z.optional(z.meta(text({ min: 1, max: 256 }), personal('actor', 'accountability'))),
});

/** A flag. */
export type Flag = z.output<typeof flagSchema>;

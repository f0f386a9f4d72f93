/**
 * A flag as the server returns it (API.md "Flags"): the shape of `GET .../flags` items, for the
 * OpenAPI document and for checking what the server writes. Clients never send one. The codes
 * are the domain's (`FLAG_CODES` in shared/domain/rules.ts).
 */
import * as z from 'zod';
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
  activityId: id().optional(),
  milestone: z.enum(MILESTONE_IDS),
  raisedAt: isoInstant(),
  lateBySeconds: integer({ min: 0, max: Number.MAX_SAFE_INTEGER }).optional(),
  waived: z.boolean(),
  waivedReason: longText({ max: 500 }).optional(),
  /** When an admin waived it (`POST /v1/flags/{flagId}/waive`). */
  waivedAt: isoInstant().optional(),
  /** Who waived it: the admin's `sub`. */
  waivedBy: text({ min: 1, max: 256 }).meta(personal('actor', 'accountability')).optional(),
});

/** A flag. */
export type Flag = z.output<typeof flagSchema>;

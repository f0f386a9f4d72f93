/**
 * Request bodies of the campaign admin routes (ADR 0023). The definition itself is
 * `CampaignDefinitionSchema` (shared/domain/campaign.ts).
 */
import * as z from '../domain/zod';
import { issueParams } from '../domain/issues';
import { SLUG_PATTERN } from '../domain/slug';
import { ISO_DATE } from '../domain/time';
import { text } from './text';


/** `POST /v1/campaigns` as a copy: `{ copyFrom, id, year? }`. */
export const campaignCopySchema = z.strictObject({
  copyFrom: z.meta(z.string().check(z.minLength(1), z.maxLength(64)), { description: 'The campaign to copy (of your city), e.g. `2021-xinxiang`.' }),
  id: z.meta(z.string().check(z.refine((v) => SLUG_PATTERN.test(v), issueParams('invalid_slug'))), {
    description: 'The new campaign’s id, e.g. `2022-xinxiang`.',
  }),
  year: z.meta(z.optional(z.number().check(z.int(), z.gte(2000), z.lte(2100))), {
    description: 'Its year (default: the template’s year + 1); every date moves by the difference.',
  }),
});

/** `PUT …/milestones/{milestoneId}`: the new due date and why (audited). */
export const milestoneMoveSchema = z.strictObject({
  dueDate: z.meta(z.string().check(z.refine((v) => ISO_DATE.test(v), issueParams('invalid_date'))), {
    description: 'Due by the end of this day in the campaign’s zone.',
    examples: ['2022-09-30'],
  }),
  reason: z.meta(text({ min: 1, max: 500 }), { description: 'Why (kept in the audit trail).' }),
});

/** `POST …/publish` and `POST …/close`: an optional reason, kept in the audit trail. */
export const campaignStatusChangeSchema = z.strictObject({ reason: z.optional(text({ min: 1, max: 500 })) });

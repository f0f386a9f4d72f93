/**
 * Request bodies of the campaign admin routes (ADR 0023). The definition itself is
 * `CampaignDefinitionSchema` (shared/domain/campaign.ts).
 */
import * as z from 'zod';
import { issueParams } from '../domain/issues';
import { SLUG_PATTERN } from '../domain/slug';
import { ISO_DATE } from '../domain/time';
import { text } from './text';


/** `POST /v1/campaigns` as a copy: `{ copyFrom, id, year? }`. */
export const campaignCopySchema = z.strictObject({
  copyFrom: z.string().min(1).max(64).meta({ description: 'The campaign to copy (of your city), e.g. `2021-xinxiang`.' }),
  id: z.string().refine((v) => SLUG_PATTERN.test(v), issueParams('invalid_slug')).meta({ description: 'The new campaign’s id, e.g. `2022-xinxiang`.' }),
  year: z.number().int().min(2000).max(2100).optional().meta({ description: 'Its year (default: the template’s year + 1); every date moves by the difference.' }),
});

/** `PUT …/milestones/{milestoneId}`: the new due date and why (audited). */
export const milestoneMoveSchema = z.strictObject({
  dueDate: z.string().refine((v) => ISO_DATE.test(v), issueParams('invalid_date')).meta({ description: 'Due by the end of this day in the campaign’s zone.', examples: ['2022-09-30'] }),
  reason: text({ min: 1, max: 500 }).meta({ description: 'Why (kept in the audit trail).' }),
});

/** `POST …/publish` and `POST …/close`: an optional reason, kept in the audit trail. */
export const campaignStatusChangeSchema = z.strictObject({ reason: text({ min: 1, max: 500 }).optional() });

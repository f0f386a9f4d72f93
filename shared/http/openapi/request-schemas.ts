/**
 * The request bodies of the contract: the schemas the handlers validate (shared/schemas), by
 * component name, converted with `io: 'input'`. Only the campaign patch, which the handler
 * applies as a merge patch before validating the result whole, is described here.
 */
import * as z from '../../domain/zod';
import { CampaignDefinitionSchema, type Campaign } from '../../domain/campaign';
import { activitySchemas } from '../../schemas/activity.schema';
import { campaignCopySchema, campaignStatusChangeSchema, milestoneMoveSchema } from '../../schemas/campaign.schema';
import { erasureRequestSchema } from '../../schemas/erasure.schema';
import { exportRequestSchema } from '../../schemas/export.schema';
import { extensionSchema } from '../../schemas/extension.schema';
import { uploadRequestSchema } from '../../schemas/media.schema';
import { organizationSchemas } from '../../schemas/organization.schema';
import { noticeAcknowledgementSchema } from '../../schemas/privacy-notice.schema';
import { resultsSchema } from '../../schemas/results.schema';
import { reviewSchema } from '../../schemas/review.schema';
import { summarySchema } from '../../schemas/summary.schema';
import { waiverSchema } from '../../schemas/waiver.schema';
import { withdrawalSchema } from '../../schemas/withdrawal.schema';
import { MAX_UNITS_PER_REQUEST } from '../../use-cases/add-organizations';

/**
 * `POST /v1/campaigns`: a whole definition (the schema the handler validates), or a copy request
 * `{ copyFrom, id, year? }` (shared/use-cases/create-campaign.ts).
 */
const campaignCreateSchema = z.union([CampaignDefinitionSchema, campaignCopySchema]);
/** `PATCH …/definition`: a JSON merge patch (RFC 7396) of the definition; the result is validated whole. */
const campaignPatchSchema = z.meta(z.looseObject({}), {
  description: 'Any part of the definition (objects merge, `null` removes, arrays replace). The patched definition must be valid as a whole.',
});

/** `POST …/organizations` in JSON: one unit, or a list of them added all or none (shared/use-cases/add-organizations.ts). */
const organizationsRequestSchema = (c: Campaign) => {
  const unit = organizationSchemas(c).create;
  return z.union([unit, z.array(unit).check(z.minLength(1), z.maxLength(MAX_UNITS_PER_REQUEST))]);
};

/** Request bodies: the schemas the handlers validate, converted with `io: 'input'`. */
export const REQUEST_SCHEMAS = {
  ActivityDraft: (c: Campaign) => activitySchemas(c).draft,
  ActivitySubmission: (c: Campaign) => activitySchemas(c).submit,
  ActivityPatch: (c: Campaign) => activitySchemas(c).patch,
  Results: () => resultsSchema,
  Summary: () => summarySchema,
  UploadRequest: (c: Campaign) => uploadRequestSchema(c),
  SummaryUploadRequest: (c: Campaign) => uploadRequestSchema(c, ['document']),
  Extension: (c: Campaign) => extensionSchema(c),
  Review: (c: Campaign) => reviewSchema(c),
  Organization: (c: Campaign) => organizationSchemas(c).create,
  Organizations: (c: Campaign) => organizationsRequestSchema(c),
  OrganizationSettings: (c: Campaign) => organizationSchemas(c).settings,
  Waiver: () => waiverSchema,
  ErasureRequest: () => erasureRequestSchema,
  Withdrawal: () => withdrawalSchema,
  ExportRequest: () => exportRequestSchema,
  CampaignCreate: () => campaignCreateSchema,
  CampaignPatch: () => campaignPatchSchema,
  CampaignStatusChange: () => campaignStatusChangeSchema,
  MilestoneMove: () => milestoneMoveSchema,
  NoticeAcknowledgement: () => noticeAcknowledgementSchema,
} satisfies Record<string, (c: Campaign) => z.ZodMiniType>;

export type RequestSchemaName = keyof typeof REQUEST_SCHEMAS;

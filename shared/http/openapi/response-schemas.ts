/**
 * The response bodies of the contract, by component name: each view's output schema, kept beside
 * the function that builds the view (shared/http/*-views.ts), converted with `io: 'output'`. Loose
 * objects, so clients tolerate new fields. Lists are {@link page}s of their items.
 */
import * as z from 'zod';
import { CAMPAIGN_STATUSES, type Campaign } from '../../domain/campaign';
import { flagSchema } from '../../schemas/flag.schema';
import { id } from '../../schemas/text';
import { campaignViewSchema, storedCampaignViewSchema } from '../campaign-views';
import { exportListItemViewSchema, exportViewSchema } from '../export-views';
import { extensionViewSchema } from '../extension-views';
import { historyEntryViewSchema } from '../history-views';
import { inboxMessageViewSchema } from '../inbox-views';
import { mediaViewSchema, uploadTicketSchema } from '../media-views';
import { addedOrganizationsViewSchema, organizationSettingsViewSchema, organizationViewSchema } from '../organization-views';
import { problemSchema } from '../problem';
import { unitProgressViewSchema } from '../progress-views';
import { reviewViewSchema, scoresViewSchema } from '../score-views';
import { unitStatusViewSchema } from '../unit-status-views';
import { bilingual, instant, page } from '../view-parts';
import { activityViewSchema, resultsViewSchema, summaryViewSchema } from '../views';

/**
 * Answers built where no view module is yet: the use cases' own results (`listCampaigns`,
 * `checkHealth`) and the liveness probe's constant.
 */
const unhomed = {
  CampaignList: z.looseObject({
    items: z.array(
      z.looseObject({
        campaignId: id(),
        cityId: z.string(),
        year: z.number(),
        status: z.enum(CAMPAIGN_STATUSES),
        name: bilingual(),
        city: bilingual(),
        theme: bilingual(),
        period: z.looseObject({ start: z.string(), end: z.string() }),
        milestones: z.array(z.looseObject({ id: z.string(), name: bilingual(), dueDate: z.string(), deadline: instant() })),
      }),
    ),
    nextCursor: z.null(),
  }),
  Liveness: z.looseObject({ status: z.literal('ok') }).meta({ description: 'The API answers. No dependency is asked: `GET /health` does that.' }),
  Health: z.looseObject({
    status: z.enum(['ok', 'unavailable']),
    checkedAt: instant(),
    dependencies: z.array(
      z.looseObject({ name: z.string(), kind: z.enum(['table', 'queue', 'bucket']), ok: z.boolean(), latencyMs: z.number(), error: z.string().optional() }),
    ),
  }),
};

/** Every response component of `c`'s document. */
export function responseSchemas(c: Campaign) {
  const activity = activityViewSchema(c);
  const extension = extensionViewSchema(c);
  return {
    Problem: problemSchema,
    Flag: flagSchema,
    Media: mediaViewSchema,
    ResultsView: resultsViewSchema,
    Activity: activity,
    ActivityPage: page(activity),
    ActivityHistory: page(historyEntryViewSchema),
    MediaPage: page(mediaViewSchema),
    UploadTicket: uploadTicketSchema,
    SummaryView: summaryViewSchema,
    ReviewView: reviewViewSchema(c),
    OrganizationView: organizationViewSchema,
    OrganizationPage: page(organizationViewSchema),
    AddedOrganizations: addedOrganizationsViewSchema,
    OrganizationSettingsView: organizationSettingsViewSchema,
    InboxPage: page(inboxMessageViewSchema),
    FlagPage: page(flagSchema),
    UnitStatus: unitStatusViewSchema,
    ExtensionView: extension,
    ExtensionPage: page(extension),
    Scores: scoresViewSchema,
    UnitProgress: unitProgressViewSchema,
    ProgressPage: page(unitProgressViewSchema)
      .extend({
        asOf: instant().meta({ description: 'The server clock’s instant the counts were read at (they trail the table by about a second).' }),
      })
      .meta({ description: 'One page of the campaign’s organizing units with their counts, by `organizationId` ascending.' }),
    Export: exportViewSchema,
    ExportListItem: exportListItemViewSchema,
    ExportPage: page(exportListItemViewSchema),
    Campaign: campaignViewSchema,
    StoredCampaign: storedCampaignViewSchema,
    ...unhomed,
  } satisfies Record<string, z.ZodType>;
}

export type ResponseSchemaName = keyof ReturnType<typeof responseSchemas>;

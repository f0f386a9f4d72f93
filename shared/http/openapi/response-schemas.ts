/**
 * The response bodies of the contract, by component name: each answer's output schema, kept beside
 * the function that builds it (shared/http/*-views.ts, and the use cases whose result is the
 * answer), converted with `io: 'output'`. Loose objects, so clients tolerate new fields. Lists
 * are {@link page}s of their items.
 */
import * as z from '../../domain/zod';
import type { Campaign } from '../../domain/campaign';
import { flagSchema } from '../../schemas/flag.schema';
import { BILINGUAL, instant, NEXT_CURSOR, page } from '../../schemas/output';
import { healthReportSchema } from '../../use-cases/check-health';
import { campaignListSchema } from '../../use-cases/list-campaigns';
import { campaignViewSchema, storedCampaignViewSchema } from '../campaign-views';
import { exportListItemViewSchema, exportViewSchema } from '../export-views';
import { extensionViewSchema } from '../extension-views';
import { historyEntryViewSchema } from '../history-views';
import { inboxMessageViewSchema } from '../inbox-views';
import { livenessSchema } from '../liveness';
import { mediaViewSchema, uploadTicketSchema } from '../media-views';
import { addedOrganizationsViewSchema, organizationSettingsViewSchema, organizationViewSchema } from '../organization-views';
import { noticeAcknowledgementViewSchema, privacyNoticeViewSchema } from '../privacy-notice-views';
import { erasureViewSchema, myDataViewSchema } from '../personal-data-views';
import { problemSchema } from '../problem';
import { unitProgressViewSchema } from '../progress-views';
import { publicActivityDetailViewSchema, publicActivityViewSchema } from '../public-views';
import { reviewViewSchema, scoresViewSchema } from '../score-views';
import { unitStatusViewSchema } from '../unit-status-views';
import { activityViewSchema, resultsViewSchema, summaryViewSchema } from '../views';

/** Every response component of `c`'s document. */
export function responseSchemas(c: Campaign) {
  const activity = activityViewSchema(c);
  const extension = extensionViewSchema(c);
  return {
    Problem: problemSchema,
    // Stated once, referred to by the answers that use them (the document's size budget).
    Bilingual: BILINGUAL,
    NextCursor: NEXT_CURSOR,
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
    ProgressPage: z.meta(
      z.extend(page(unitProgressViewSchema), {
        asOf: z.meta(instant(), { description: 'The server clock’s instant the counts were read at (they trail the table by about a second).' }),
      }),
      { description: 'One page of the campaign’s organizing units with their counts, by `organizationId` ascending.' },
    ),
    PublicActivity: publicActivityViewSchema,
    PublicActivityPage: page(publicActivityViewSchema),
    PublicActivityDetail: publicActivityDetailViewSchema,
    Export: exportViewSchema,
    ExportListItem: exportListItemViewSchema,
    ExportPage: page(exportListItemViewSchema),
    Campaign: campaignViewSchema,
    StoredCampaign: storedCampaignViewSchema,
    CampaignList: campaignListSchema,
    Liveness: livenessSchema,
    Health: healthReportSchema,
    PrivacyNotice: privacyNoticeViewSchema,
    NoticeAcknowledgementView: noticeAcknowledgementViewSchema,
    Erasure: erasureViewSchema,
    MyData: myDataViewSchema,
  } satisfies Record<string, z.ZodMiniType>;
}

export type ResponseSchemaName = keyof ReturnType<typeof responseSchemas>;

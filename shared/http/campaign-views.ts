/**
 * Campaigns as the API answers them: what a registration form needs (public), and the stored
 * definition an admin reads back. Each view's output schema sits beside it.
 */
import * as z from '../domain/zod';
import { CAMPAIGN_STATUSES, MILESTONE_IDS, type Campaign } from '../domain/campaign';
import { personal } from '../domain/privacy';
import type { StoredCampaign } from '../repositories/campaign-repository';
import type { Organization } from '../repositories/organization-repository';
import { MEDIA_KINDS } from '../schemas/media.schema';
import { id } from '../schemas/text';
import { organizationView, organizationViewSchema } from './organization-views';
import { penaltySchema } from './penalty-view';
import { bilingual, count, instant, type ViewOf } from '../schemas/output';
import { zoned } from './zoned-instant';

const named = () => z.looseObject({ id: z.string(), name: bilingual() });

/** Everything a registration form needs of a campaign (`GET /v1/campaigns/{campaignId}`). */
export const campaignViewSchema = z.looseObject({
  id: id(),
  campaignId: id(),
  cityId: z.meta(z.string(), { description: 'The city the campaign belongs to (ADR 0024): a token’s roles apply to its own city’s campaigns.' }),
  status: z.meta(z.enum(CAMPAIGN_STATUSES.filter((s) => s !== 'draft') as ['published', 'closed']), {
    description: 'Where the campaign is in its life (a draft is never public: 404). `closed`: its data stays readable, every change answers 409 `campaign_closed`.',
  }),
  year: count(),
  name: bilingual(),
  city: bilingual(),
  theme: bilingual(),
  brand: bilingual(),
  timeZone: z.string(),
  period: z.looseObject({ start: z.iso.date(), end: z.iso.date() }),
  milestones: z.array(z.looseObject({ id: z.enum(MILESTONE_IDS), name: bilingual(), dueDate: z.iso.date(), deadline: instant() })),
  activityKinds: z.array(named()),
  contentThemes: z.array(named()),
  jointActions: z.array(named()),
  counties: z.array(z.looseObject({ id: z.string(), name: bilingual(), kind: z.string() })),
  indicators: z.array(z.looseObject({ id: z.string(), name: bilingual(), weight: z.number(), computedShare: z.number() })),
  penalty: penaltySchema(),
  media: z.record(z.enum(MEDIA_KINDS), z.looseObject({ contentTypes: z.array(z.string()), maxBytes: count(), maxPerActivity: count() })),
  organizations: z.array(organizationViewSchema),
});
export type CampaignView = ViewOf<typeof campaignViewSchema>;

/** A campaign as the public reads it; its caller answers a draft 404 first (hence `status` wider than the schema's). */
export function campaignView(
  campaign: Campaign,
  organizations: readonly Organization[],
): Omit<CampaignView, 'status'> & { readonly status: Campaign['status'] } {
  return {
    id: campaign.id,
    campaignId: campaign.id,
    cityId: campaign.cityId,
    status: campaign.status,
    year: campaign.year,
    name: campaign.name,
    city: campaign.city,
    theme: campaign.theme,
    brand: campaign.brand,
    timeZone: campaign.timeZone,
    period: campaign.period,
    milestones: Object.values(campaign.milestones).map((m) => ({
      id: m.id,
      name: m.name,
      dueDate: m.dueDate,
      deadline: zoned(m.deadline, campaign),
    })),
    activityKinds: campaign.activityKinds,
    contentThemes: campaign.contentThemes,
    jointActions: campaign.jointActions,
    counties: campaign.counties,
    indicators: campaign.indicators.map((i) => ({ id: i.id, name: i.name, weight: i.weight, computedShare: i.computedShare })),
    penalty: campaign.penalty,
    media: campaign.media,
    organizations: organizations.map(organizationView),
  };
}

/** The JSON an admin reads back: the definition, its status and version, and who changed it last. */
export const storedCampaignViewSchema = z.looseObject({
  campaignId: id(),
  cityId: z.string(),
  status: z.enum(CAMPAIGN_STATUSES),
  version: z.meta(count(), { description: 'Also the `ETag`: send it as `If-Match` to change the campaign.' }),
  createdAt: instant(),
  createdBy: z.meta(z.string(), personal('actor', 'accountability')),
  updatedAt: instant(),
  updatedBy: z.meta(z.string(), personal('actor', 'accountability')),
  reason: z.meta(z.optional(z.string()), { description: 'Why the last change was made (a moved date, a closing).' }),
  copiedFrom: z.optional(z.string()),
  publishedAt: z.optional(instant()),
  closedAt: z.optional(instant()),
  definition: z.meta(z.looseObject({ id: z.string(), cityId: z.string(), year: z.number() }), { description: 'The definition as validated (defaults filled in).' }),
});
export type StoredCampaignView = ViewOf<typeof storedCampaignViewSchema>;

export function storedCampaignView(stored: StoredCampaign): StoredCampaignView {
  const { campaign: _campaign, definition, ...rest } = stored;
  return { campaignId: definition.id, cityId: definition.cityId, ...rest, definition };
}

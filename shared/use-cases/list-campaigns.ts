/**
 * The campaigns of the caller's city (ADR 0024), newest year first: published and closed ones
 * to every role, drafts to admins only. A city has a handful: one Query, no paging needed
 * (`nextCursor` is always null, as in every list's shape).
 */
import * as z from '../domain/zod';
import type { Principal } from '../auth/principal';
import { CAMPAIGN_STATUSES } from '../domain/campaign';
import { formatInstant } from '../domain/time';
import { bilingual, instant, type ViewOf } from '../schemas/output';
import { id } from '../schemas/text';
import type { CampaignCatalog } from '../repositories/campaign-repository';
import { campaignVisibleTo } from './activity-access';

/** The answer of `GET /v1/campaigns`. */
export const campaignListSchema = z.looseObject({
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
});

export async function listCampaigns(input: { principal: Principal }, deps: { campaigns: CampaignCatalog }): Promise<ViewOf<typeof campaignListSchema>> {
  const visible = (await deps.campaigns.all()).filter((c) => campaignVisibleTo(input.principal, c));
  visible.sort((a, b) => b.year - a.year || a.id.localeCompare(b.id));
  return {
    items: visible.map((c) => ({
      campaignId: c.id,
      cityId: c.cityId,
      year: c.year,
      status: c.status,
      name: c.name,
      city: c.city,
      theme: c.theme,
      period: c.period,
      milestones: Object.values(c.milestones).map((m) => ({ id: m.id, name: m.name, dueDate: m.dueDate, deadline: formatInstant(m.deadline, c.timeZone) })),
    })),
    nextCursor: null,
  };
}

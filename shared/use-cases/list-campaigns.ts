/**
 * The campaigns of the caller's city (ADR 0024), newest year first: published and closed ones
 * to every role, drafts to admins only. A city has a handful: one Query, no paging needed
 * (`nextCursor` is always null, as in every list's shape).
 */
import type { Principal } from '../auth/principal';
import { formatInstant } from '../domain/time';
import type { CampaignCatalog } from '../repositories/campaign-repository';
import { campaignVisibleTo } from './activity-access';

export async function listCampaigns(input: { principal: Principal }, deps: { campaigns: CampaignCatalog }) {
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

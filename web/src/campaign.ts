/**
 * The campaign as the form needs it: `GET /v1/campaigns/{id}` turned back into the domain's
 * Campaign, so the browser validates with the very schemas the API uses (shared/schemas,
 * imported, never copied).
 */
import type { Campaign } from '../../shared/domain/campaign';
import { endOfLocalDay, parseInstant, startOfLocalDay } from '../../shared/domain/time';
import type { CampaignView } from './api/client';

/**
 * The domain campaign from its public view. The view carries every field the form schemas
 * read (kinds, themes, joint actions, counties, year, brand, media limits); what it leaves out
 * (reminders, indicator metrics) no form schema reads.
 */
export function campaignFromView(view: CampaignView): Campaign {
  const milestones = Object.fromEntries(
    view.milestones.map((m) => [m.id, { ...m, deadline: parseInstant(m.deadline) ?? new Date(NaN), source: '' }]),
  );
  return Object.freeze({
    ...view,
    milestones,
    yearStart: startOfLocalDay(`${view.year}-01-01`, view.timeZone),
    yearEnd: endOfLocalDay(`${view.year}-12-31`, view.timeZone),
  }) as unknown as Campaign;
}

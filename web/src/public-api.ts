/**
 * The public routes the citizens' calendar reads (no token), and the campaign each page names
 * (`GET /v1/campaigns/{id}` is public too): loaded per campaign id, since a shared link may name
 * another campaign than the one the app is configured for.
 */
import { ok, type CampaignView, type Schemas } from './api/client';
import { useContext } from './context';
import type { PublicFilters } from './public-calendar';

/** An activity as the public sees it: registered and not withdrawn, no unit-internal fields. */
export type PublicActivity = Schemas['PublicActivity'];
/** One activity's page: what was planned, and after the event its accepted photos and news links. */
export type PublicActivityDetail = Schemas['PublicActivityDetail'];
export type PublicPage = Schemas['PublicActivityPage'];

/** A page of the campaign's public activities overlapping `from` to `to` (inclusive local dates), by start. */
export async function listPublicActivities(
  campaignId: string,
  filters: PublicFilters & { readonly from: string; readonly to: string },
  cursor?: string,
): Promise<PublicPage> {
  const { api } = useContext();
  const query = { ...filters, limit: 50, ...(cursor ? { cursor } : {}) };
  return (await ok(api.GET('/v1/public/campaigns/{campaignId}/activities', { params: { path: { campaignId }, query } }))).data;
}

export async function getPublicActivity(activityId: string): Promise<PublicActivityDetail> {
  const { api } = useContext();
  return (await ok(api.GET('/v1/public/activities/{activityId}', { params: { path: { activityId } } }))).data;
}

/** The iCalendar feed of the campaign, or of one county: absolute, since a calendar app fetches it. */
export function calendarFeedUrl(campaignId: string, county?: string): string {
  const { apiBase } = useContext();
  const url = new URL(`${apiBase}/v1/public/campaigns/${encodeURIComponent(campaignId)}/calendar.ics`, window.location.origin);
  if (county) url.searchParams.set('county', county);
  return url.toString();
}

/** An activity's share link (ADR 0045): chats preview it with the activity's own title; a browser lands on its page here. */
export function shareLinkUrl(activityId: string): string {
  const { apiBase } = useContext();
  return new URL(`${apiBase}/v1/public/activities/${encodeURIComponent(activityId)}/preview`, window.location.origin).toString();
}

const campaigns = new Map<string, Promise<CampaignView>>();

/** The campaign's public view (names of counties, themes, joint actions, kinds), once per id. */
export function publicCampaign(campaignId: string): Promise<CampaignView> {
  const { api } = useContext();
  let loading = campaigns.get(campaignId);
  if (!loading) {
    loading = ok(api.GET('/v1/campaigns/{campaignId}', { params: { path: { campaignId } } })).then(({ data }) => data);
    loading.catch(() => campaigns.delete(campaignId));
    campaigns.set(campaignId, loading);
  }
  return loading;
}

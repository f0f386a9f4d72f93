/**
 * The public routes the citizens' calendar reads (no token), and the campaign each page names
 * (`GET /v1/campaigns/{id}` is public too): loaded per campaign id, since a shared link may name
 * another campaign than the one the app is configured for.
 */
import { ApiError, OfflineError, ok, type CampaignView, type Problem } from './api/client';
import { useContext } from './context';
import { lang } from './i18n';
import type { PublicFilters } from './public-calendar';

export interface Bilingual {
  readonly zh: string;
  readonly en: string;
}

/** An activity as the public sees it: registered and not withdrawn, no unit-internal fields. */
export interface PublicActivity {
  readonly id: string;
  readonly campaignId: string;
  readonly title: string;
  readonly description?: string;
  readonly kind: string;
  readonly jointAction?: string;
  readonly contentThemes: readonly string[];
  readonly format: 'offline' | 'online' | 'hybrid';
  readonly startsAt: string;
  readonly endsAt: string;
  readonly county: string;
  readonly countyName?: Bilingual;
  readonly organizationId: string;
  readonly organizationName?: Bilingual;
  readonly venue?: { readonly name: string; readonly address: string };
  readonly maxOnSite?: number;
  readonly onlineUrl?: string;
  readonly audiences?: readonly string[];
  readonly updatedAt: string;
}

/** One activity's page: what was planned, and after the event its accepted photos and news links. */
export interface PublicActivityDetail extends PublicActivity {
  readonly results: {
    readonly photos: ReadonlyArray<{ readonly mediaId: string; readonly url: string; readonly contentType: string }>;
    readonly newsLinks: readonly string[];
  };
}

export interface PublicPage {
  readonly items: PublicActivity[];
  readonly nextCursor: string | null;
}

/**
 * A public route's JSON (no token), or throws {@link ApiError} with its problem. Until the public
 * routes are in the generated types (issue 22's API half), they are read untyped here.
 */
async function getPublic<T>(path: string, query: Readonly<Record<string, string | number | undefined>> = {}): Promise<T> {
  const { apiBase } = useContext();
  const url = new URL(`${apiBase}${path}`, window.location.origin);
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') url.searchParams.set(k, String(v));
  let res: Response;
  try {
    res = await fetch(url, { headers: { 'accept-language': lang.value } });
  } catch (error) {
    throw new OfflineError({ cause: error });
  }
  const body: unknown = await res.json().catch(() => ({}));
  if (!res.ok) throw new ApiError(res.status, body as Partial<Problem>);
  return body as T;
}

/** A page of the campaign's public activities between `from` and `to` (inclusive local dates), by start. */
export function listPublicActivities(
  campaignId: string,
  filters: PublicFilters & { readonly from: string; readonly to: string },
  cursor?: string,
): Promise<PublicPage> {
  return getPublic(`/v1/public/campaigns/${encodeURIComponent(campaignId)}/activities`, { ...filters, limit: 50, cursor });
}

export function getPublicActivity(activityId: string): Promise<PublicActivityDetail> {
  return getPublic(`/v1/public/activities/${encodeURIComponent(activityId)}`);
}

/** The iCalendar feed of the campaign, or of one county: absolute, since a calendar app fetches it. */
export function calendarFeedUrl(campaignId: string, county?: string): string {
  const { apiBase } = useContext();
  const url = new URL(`${apiBase}/v1/public/campaigns/${encodeURIComponent(campaignId)}/calendar.ics`, window.location.origin);
  if (county) url.searchParams.set('county', county);
  return url.toString();
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

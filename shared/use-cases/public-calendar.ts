/**
 * The citizens' calendar (ADR 0044; the notice: 登记 … 并提前向社会发布): anyone, without a token,
 * reads a campaign's published activities (registered or completed, never drafts nor withdrawn
 * ones) and one of them with what it achieved.
 *
 * Primary course (list):
 * 1. The campaign is published or closed (a draft, or none: 404).
 * 2. The filters are read: `from`/`to` as the campaign's calendar days, a county of the campaign (400 otherwise).
 * 3. One page is read from the public calendar (read model), by start, with the units' names.
 *
 * Primary course (one activity):
 * 1. The activity is published and its campaign is not a draft (otherwise 404, alike).
 * 2. Its accepted photos are answered with view URLs that outlive any cached copy of the answer.
 */
import type { ActivityFormat, ActivityRecord } from '../domain/activity';
import type { Campaign } from '../domain/campaign';
import type { MediaRecord } from '../domain/media';
import { publicEntryOf, type PublicEntry, type PublicFilters } from '../domain/public-activity';
import { endOfLocalDay, ISO_DATE, startOfLocalDay } from '../domain/time';
import { BadRequestError, NotFoundError } from '../errors';
import type { ActivityRepository } from '../repositories/activity-repository';
import type { CampaignCatalog } from '../repositories/campaign-repository';
import type { MediaRepository } from '../repositories/media-repository';
import type { Organization, OrganizationDirectory } from '../repositories/organization-repository';
import type { Page } from '../repositories/page';
import type { PublicCalendarReader } from '../repositories/public-calendar-repository';
import { ACTIVITY_FORMATS } from '../schemas/activity.schema';

/** The query parameters of the public list, as sent. */
export type PublicQuery = Readonly<Partial<Record<'county' | 'from' | 'to' | 'jointAction' | 'theme' | 'format' | 'mode' | 'q', string>>>;

/** Whether `value` is an activity format (API.md's `format`, the public list's exact-match filter). */
const isActivityFormat = (value: string): value is ActivityFormat => (ACTIVITY_FORMATS as readonly string[]).includes(value);

/** Longest `q`, in code points. */
const MAX_QUERY_TEXT = 100;

/** A published or closed campaign; 404 for a draft or none (alike). */
export async function publicCampaign(campaigns: CampaignCatalog, campaignId: string): Promise<Campaign> {
  const campaign = await campaigns.find(campaignId);
  if (!campaign || campaign.status === 'draft') throw new NotFoundError(`campaign ${campaignId} not found`);
  return campaign;
}

/** The filters of a query, checked against the campaign: every bad parameter a 400. */
export function publicFiltersOf(query: PublicQuery, campaign: Campaign): PublicFilters {
  const day = (name: 'from' | 'to', value: string | undefined) => {
    if (value === undefined) return undefined;
    if (!ISO_DATE.test(value)) throw new BadRequestError(`${name} must be a date, YYYY-MM-DD`);
    return name === 'from' ? startOfLocalDay(value, campaign.timeZone) : endOfLocalDay(value, campaign.timeZone);
  };
  const from = day('from', query.from);
  const to = day('to', query.to);
  if (from && to && to < from) throw new BadRequestError('to must not be before from');
  if (query.county !== undefined && !campaign.counties.some((c) => c.id === query.county)) throw new BadRequestError(`county ${query.county} is not one of the campaign's`);
  if (query.format !== undefined && !isActivityFormat(query.format)) throw new BadRequestError('format takes offline, online or hybrid');
  if (query.mode !== undefined && query.mode !== 'online' && query.mode !== 'offline') throw new BadRequestError('mode takes online or offline');
  if (query.q !== undefined && [...query.q].length > MAX_QUERY_TEXT) throw new BadRequestError(`q takes at most ${MAX_QUERY_TEXT} characters`);
  return {
    ...(query.county !== undefined ? { county: query.county } : {}),
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
    ...(query.jointAction !== undefined ? { jointAction: query.jointAction } : {}),
    ...(query.theme !== undefined ? { theme: query.theme } : {}),
    ...(query.format !== undefined && isActivityFormat(query.format) ? { format: query.format } : {}),
    ...(query.mode !== undefined ? { mode: query.mode } : {}),
    ...(query.q !== undefined && query.q.trim() !== '' ? { q: query.q.trim() } : {}),
  };
}

/** The units named by some entries, by id (those the directory knows). */
async function unitsOf(entries: readonly PublicEntry[], campaign: Campaign, organizations: OrganizationDirectory): Promise<ReadonlyMap<string, Organization>> {
  const ids = [...new Set(entries.map((e) => e.organizationId))];
  const found = await Promise.all(ids.map((id) => organizations.find(campaign, id)));
  return new Map(found.flatMap((o) => (o ? [[o.organizationId, o] as const] : [])));
}

export interface PublicListDeps {
  readonly campaigns: CampaignCatalog;
  readonly organizations: OrganizationDirectory;
  readonly calendar: PublicCalendarReader;
}

export async function listPublicActivities(
  input: { campaignId: string; query: PublicQuery; limit: number; cursor?: string },
  deps: PublicListDeps,
): Promise<{ page: Page<PublicEntry>; campaign: Campaign; units: ReadonlyMap<string, Organization> }> {
  const campaign = await publicCampaign(deps.campaigns, input.campaignId);
  const filters = publicFiltersOf(input.query, campaign);
  const page = await deps.calendar.page({
    campaignId: campaign.id,
    counties: filters.county !== undefined ? [filters.county] : campaign.counties.map((c) => c.id),
    filters,
    limit: input.limit,
    ...(input.cursor ? { cursor: input.cursor } : {}),
  });
  return { page, campaign, units: await unitsOf(page.items, campaign, deps.organizations) };
}

/** The public entry of an activity record (its fields beside the server's, as stored). */
export const publicEntryOfRecord = (a: ActivityRecord): PublicEntry | undefined => {
  const { fields, ...server } = a;
  return publicEntryOf({ ...fields, ...server, entity: 'Activity' });
};

/** What reading a published activity without its results needs (the share link's preview). */
export interface PublicActivityReadDeps {
  readonly campaigns: CampaignCatalog;
  readonly organizations: OrganizationDirectory;
  readonly activities: ActivityRepository;
}

export interface PublicActivityDeps extends PublicActivityReadDeps {
  readonly media: MediaRepository;
  readonly signer: { presignGet(key: string, expiresSeconds: number): Promise<string> };
}

/** A published activity of a published campaign, with its unit, without results; 404 otherwise (a draft, withdrawn). */
export async function findPublicActivity(input: { activityId: string }, deps: PublicActivityReadDeps) {
  const found = await deps.activities.get(input.activityId);
  const entry = found && publicEntryOfRecord(found.activity);
  const campaign = entry && (await deps.campaigns.find(entry.campaignId));
  if (!found || !entry || !campaign || campaign.status === 'draft') throw new NotFoundError(`activity ${input.activityId} not found`);
  return { found, entry, campaign, units: await unitsOf([entry], campaign, deps.organizations) };
}

/**
 * A published activity with its accepted photos (URLs valid `photoUrlSeconds`: longer than a cached
 * answer may be served, the caller's cache policy) and news links.
 */
export async function getPublicActivity(input: { activityId: string; photoUrlSeconds: number }, deps: PublicActivityDeps) {
  const { found, entry, campaign, units } = await findPublicActivity(input, deps);
  const media = await deps.media.list({ type: 'activity', campaignId: campaign.id, organizationId: entry.organizationId, activityId: entry.activityId });
  const accepted = media.filter((m): m is MediaRecord & { checkedKey: string } => m.status === 'accepted' && m.kind === 'photo' && m.checkedKey !== undefined);
  const photos = await Promise.all(
    accepted.map(async (m) => ({ mediaId: m.mediaId, url: await deps.signer.presignGet(m.checkedKey, input.photoUrlSeconds), contentType: m.declaredContentType })),
  );
  return {
    entry,
    campaign,
    units,
    results: { photos, newsLinks: [...(found.results?.newsLinks ?? [])] },
  };
}

/** Events one feed holds at most: the first by start (a city's campaign has ~5,000 activities; a county's feed far fewer). */
export const MAX_FEED_EVENTS = 5_000;

/** Every published activity of a campaign (or of one county), by start, for the iCalendar feed; 404 as the list. */
export async function publicFeed(input: { campaignId: string; county?: string }, deps: PublicListDeps) {
  const campaign = await publicCampaign(deps.campaigns, input.campaignId);
  const filters = publicFiltersOf(input.county !== undefined ? { county: input.county } : {}, campaign);
  const counties = filters.county !== undefined ? [filters.county] : campaign.counties.map((c) => c.id);
  return { campaign, entries: await deps.calendar.first({ campaignId: campaign.id, counties, filters, max: MAX_FEED_EVENTS }) };
}

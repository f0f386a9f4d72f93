/**
 * What the public calendar answers (ADR 0044): an allow-list of an activity's fields, times in the
 * campaign's zone, with the names of its county and unit. Nothing else of the activity, ever:
 * no contact, flags, reviewers' data, who changed it, epidemic plan, volunteers or expected crowd.
 */
import * as z from '../domain/zod';
import type { Campaign } from '../domain/campaign';
import type { PublicEntry } from '../domain/public-activity';
import type { Organization } from '../repositories/organization-repository';
import { ACTIVITY_FORMATS, AUDIENCES } from '../schemas/activity.schema';
import { bilingual, count, instant, type ViewOf } from '../schemas/output';
import { id } from '../schemas/text';
import { zoned } from './zoned-instant';

export const publicActivityViewSchema = z.looseObject({
  id: id(),
  campaignId: id(),
  title: z.string(),
  description: z.optional(z.string()),
  kind: z.string(),
  jointAction: z.optional(z.string()),
  contentThemes: z.array(z.string()),
  format: z.enum(ACTIVITY_FORMATS),
  startsAt: instant(),
  endsAt: instant(),
  county: z.string(),
  countyName: z.optional(bilingual()),
  organizationId: id(),
  organizationName: z.optional(bilingual()),
  venue: z.optional(z.looseObject({ name: z.string(), address: z.string() })),
  maxOnSite: z.optional(count()),
  onlineUrl: z.optional(z.url()),
  audiences: z.optional(z.array(z.enum(AUDIENCES))),
  updatedAt: instant(),
});
export type PublicActivityView = ViewOf<typeof publicActivityViewSchema>;

// An intersection, so the document refers to PublicActivity rather than repeating it.
export const publicActivityDetailViewSchema = z.intersection(
  publicActivityViewSchema,
  z.looseObject({
    results: z.looseObject({
      photos: z.array(z.looseObject({ mediaId: id(), url: z.url(), contentType: z.string() })),
      newsLinks: z.array(z.string()),
    }),
  }),
);
export type PublicActivityDetailView = ViewOf<typeof publicActivityDetailViewSchema>;

export function publicActivityView(e: PublicEntry, campaign: Campaign, units: ReadonlyMap<string, Organization>): PublicActivityView {
  const county = campaign.counties.find((c) => c.id === e.county);
  const unit = units.get(e.organizationId);
  return {
    id: e.activityId,
    campaignId: e.campaignId,
    title: e.title,
    ...(e.description !== undefined ? { description: e.description } : {}),
    kind: e.kind,
    ...(e.jointAction !== undefined ? { jointAction: e.jointAction } : {}),
    contentThemes: e.contentThemes,
    format: e.format as PublicActivityView['format'],
    startsAt: zoned(e.startsAt, campaign),
    endsAt: zoned(e.endsAt, campaign),
    county: e.county,
    ...(county ? { countyName: { zh: county.name.zh, en: county.name.en } } : {}),
    organizationId: e.organizationId,
    ...(unit ? { organizationName: { zh: unit.name, en: unit.nameEn ?? unit.name } } : {}),
    ...(e.venue ? { venue: { name: e.venue.name, address: e.venue.address } } : {}),
    ...(e.maxOnSite !== undefined ? { maxOnSite: e.maxOnSite } : {}),
    ...(e.onlineUrl !== undefined ? { onlineUrl: e.onlineUrl } : {}),
    ...(e.audiences !== undefined ? { audiences: e.audiences as PublicActivityView['audiences'] } : {}),
    updatedAt: zoned(e.updatedAt, campaign),
  };
}

export function publicActivityDetailView(
  e: PublicEntry,
  campaign: Campaign,
  units: ReadonlyMap<string, Organization>,
  results: PublicActivityDetailView['results'],
): PublicActivityDetailView {
  return { ...publicActivityView(e, campaign, units), results };
}

/** How long the public answers may be kept (seconds): browsers 1 minute, a CDN 5, a stale copy 10 more while one fetch refreshes it (ADR 0044). */
export const PUBLIC_CACHE = { maxAge: 60, sharedMaxAge: 300, staleWhileRevalidate: 600 } as const;

/** Cache headers of the public answers ({@link PUBLIC_CACHE}). */
export const PUBLIC_CACHE_CONTROL = `public, max-age=${PUBLIC_CACHE.maxAge}, s-maxage=${PUBLIC_CACHE.sharedMaxAge}, stale-while-revalidate=${PUBLIC_CACHE.staleWhileRevalidate}`;

/**
 * How long a photo's URL in a public answer stays valid: the longest a cached answer may still be
 * served (a CDN's copy, then stale), plus the 5 minutes any viewer gets to open it. A URL that
 * expired before its cached answer did would show a broken photo.
 */
export const PUBLIC_PHOTO_URL_SECONDS = Math.max(PUBLIC_CACHE.maxAge, PUBLIC_CACHE.sharedMaxAge) + PUBLIC_CACHE.staleWhileRevalidate + 5 * 60;

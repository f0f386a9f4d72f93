/**
 * What the public calendar shows of an activity (ADR 0044): an allow-list of its fields, taken
 * from its stored item only while it is published (registered or completed). A field not named
 * here (contact, epidemic plan, volunteers, expected participants, flags, who changed it) is never
 * public, whatever the form gains later.
 */
import { isPublished, type ActivityFormat } from './activity';
import { date, num, record, str, strings, type StoredItem } from './stored-item';

/** An activity as the public sees it (instants UTC inside, as stored). */
export interface PublicEntry {
  readonly activityId: string;
  readonly campaignId: string;
  readonly organizationId: string;
  readonly title: string;
  readonly description?: string;
  readonly kind: string;
  readonly jointAction?: string;
  readonly contentThemes: readonly string[];
  readonly format: string;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly county: string;
  readonly venue?: { readonly name: string; readonly address: string };
  readonly maxOnSite?: number;
  readonly onlineUrl?: string;
  readonly audiences?: readonly string[];
  readonly updatedAt: string;
  /** The activity's version: the iCalendar SEQUENCE, and part of the ETag. */
  readonly version: number;
}

/**
 * The public entry of a stored activity item (or a stream image of one); `undefined` when it is
 * not published (a draft, a withdrawn one) or lacks what a calendar needs (ids, title, times, county).
 */
export function publicEntryOf(item: StoredItem | undefined): PublicEntry | undefined {
  if (!item || item.entity !== 'Activity' || !isPublished(item.status)) return undefined;
  const activityId = str(item.activityId);
  const campaignId = str(item.campaignId);
  const organizationId = str(item.organizationId);
  const title = str(item.title);
  const startsAt = date(item.startsAt);
  const endsAt = date(item.endsAt);
  const county = str(item.county);
  const updatedAt = date(item.updatedAt);
  if (!activityId || !campaignId || !organizationId || !title || !startsAt || !endsAt || !county || !updatedAt) return undefined;
  const venue = record(item.venue);
  const venueName = str(venue.name);
  const venueAddress = str(venue.address);
  return {
    activityId,
    campaignId,
    organizationId,
    title,
    ...(str(item.description) ? { description: str(item.description) } : {}),
    kind: str(item.kind) ?? 'joint-action',
    ...(str(item.jointAction) ? { jointAction: str(item.jointAction) } : {}),
    contentThemes: strings(item.contentThemes),
    format: str(item.format) ?? 'offline',
    startsAt: startsAt.toISOString(),
    endsAt: endsAt.toISOString(),
    county,
    ...(venueName && venueAddress ? { venue: { name: venueName, address: venueAddress } } : {}),
    ...(num(item.maxOnSite) !== undefined ? { maxOnSite: num(item.maxOnSite) } : {}),
    ...(str(item.onlineUrl) ? { onlineUrl: str(item.onlineUrl) } : {}),
    ...(Array.isArray(item.audiences) ? { audiences: strings(item.audiences) } : {}),
    updatedAt: updatedAt.toISOString(),
    version: num(item.version) ?? 1,
  };
}

/** How a visitor narrows the calendar; every filter is optional. */
export interface PublicFilters {
  readonly county?: string;
  /** The first and last instant of the range (Asia/Shanghai calendar days, inclusive); an activity overlapping it matches. */
  readonly from?: Date;
  readonly to?: Date;
  readonly jointAction?: string;
  readonly theme?: string;
  /** The activity's format exactly (API.md's filter, as on the units' list). */
  readonly format?: ActivityFormat;
  /** How a visitor can take part: `online` matches online and hybrid ones, `offline` offline and hybrid ones. */
  readonly mode?: 'online' | 'offline';
  readonly q?: string;
}

/** Text compared case- and width-insensitively (NFKC, lower case). */
export const foldText = (text: string): string => text.normalize('NFKC').toLowerCase();

/** Whether an entry passes the filters (the county and the start are the store's keys; checked again here). */
export function matchesPublicFilters(e: PublicEntry, f: PublicFilters): boolean {
  if (f.county !== undefined && e.county !== f.county) return false;
  if (f.to && e.startsAt > f.to.toISOString()) return false;
  if (f.from && e.endsAt < f.from.toISOString()) return false;
  if (f.jointAction !== undefined && e.jointAction !== f.jointAction) return false;
  if (f.theme !== undefined && !e.contentThemes.includes(f.theme)) return false;
  if (f.format !== undefined && e.format !== f.format) return false;
  if (f.mode !== undefined && e.format !== f.mode && e.format !== 'hybrid') return false;
  if (f.q !== undefined) {
    const needle = foldText(f.q);
    const haystack = [e.title, e.venue?.name ?? '', e.venue?.address ?? ''].map(foldText);
    if (!haystack.some((h) => h.includes(needle))) return false;
  }
  return true;
}

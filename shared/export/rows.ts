/**
 * Stored items → rows of the exported tables (pure). Each function reads one item as the
 * repositories write it and answers the EXPORT_TABLES columns it feeds, by their names, each
 * value already of the column's logical type:
 *
 * - `string` → string; `int64` → a whole number; `double` → a number; `boolean` → boolean;
 * - `timestamptz` → a UTC ISO instant (`2021-09-15T01:00:00.000Z`);
 * - `list<string>` → an array of strings;
 * - anything missing or not of the type → `null` (never a guess).
 *
 * Personal data of contacts (names, phones, e-mails) and the epidemic plan are not exported:
 * the catalogue has no column for them.
 */
import { EXPORT_TABLES, type ColumnType, type ExportColumn, type ExportEntity } from './columns';
import type { StoredItem } from '../domain/stored-item';
import { zonedInstant } from '../domain/time';

/** One cell: what a column of each logical type holds. */
export type Cell = string | number | boolean | readonly string[] | null;
export type Row = Readonly<Record<string, Cell>>;
/** An item as stored (the domain's), what every reader of the export hands on. */
export type { StoredItem };

/** `value` as a cell of `type`, or `null` when it is not one. */
export function cellOf(type: ColumnType, value: unknown): Cell {
  if (value === undefined || value === null) return null;
  switch (type) {
    case 'string':
      return typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : null;
    case 'int64': {
      const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      return typeof n === 'number' && Number.isSafeInteger(n) ? n : null;
    }
    case 'double': {
      const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      return typeof n === 'number' && Number.isFinite(n) ? n : null;
    }
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    case 'timestamptz': {
      if (typeof value !== 'string') return null;
      const ms = Date.parse(value);
      return Number.isNaN(ms) ? null : new Date(ms).toISOString();
    }
    case 'list<string>': {
      const items = value instanceof Set ? [...value] : value;
      return Array.isArray(items) ? items.filter((x): x is string => typeof x === 'string') : null;
    }
  }
}

const columnsByName = (entity: ExportEntity): ReadonlyMap<string, ExportColumn> =>
  new Map(EXPORT_TABLES[entity].columns.map((c) => [c.name, c]));
const COLUMNS: Readonly<Record<ExportEntity, ReadonlyMap<string, ExportColumn>>> = {
  activities: columnsByName('activities'),
  media: columnsByName('media'),
  summaries: columnsByName('summaries'),
  flags: columnsByName('flags'),
  organizations: columnsByName('organizations'),
  scores: columnsByName('scores'),
};

/** Builds a row of `entity` from raw values, each turned into its column's type. */
function typedRow(entity: ExportEntity, raw: Readonly<Record<string, unknown>>): Row {
  const columns = COLUMNS[entity];
  return Object.fromEntries(
    Object.entries(raw).map(([name, value]) => {
      const column = columns.get(name);
      if (!column) throw new Error(`${entity} has no column ${name}`);
      return [name, cellOf(column.type, value)];
    }),
  );
}

const asRecord = (value: unknown): Readonly<Record<string, unknown>> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

/**
 * The activity's own columns (results, media counts and open flags are joined in DuckDB from
 * their own tables, see {@link ACTIVITY_JOINED_COLUMNS}).
 */
export function activityRow(item: StoredItem): Row {
  const venue = asRecord(item.venue);
  const volunteers = asRecord(item.volunteers);
  return typedRow('activities', {
    activity_id: item.activityId,
    campaign_id: item.campaignId,
    organization_id: item.organizationId,
    status: item.status,
    title: item.title,
    description: item.description,
    kind: item.kind,
    joint_action: item.jointAction,
    content_themes: item.contentThemes,
    format: item.format,
    starts_at: item.startsAt,
    ends_at: item.endsAt,
    county: item.county,
    audiences: item.audiences,
    venue_name: venue.name,
    venue_address: venue.address,
    expected_participants: item.expectedParticipants,
    max_on_site: item.maxOnSite,
    online_url: item.onlineUrl,
    volunteer_count: volunteers.count,
    volunteer_hours: volunteers.hours,
    co_organizers: item.coOrganizers,
    branded: item.branded,
    version: item.version,
    created_at: item.createdAt,
    submitted_at: item.submittedAt,
    completed_at: item.completedAt,
    updated_at: item.updatedAt,
  });
}

/** Activity columns that come from the results item (staged apart, joined on `activity_id`). */
export const ACTIVITY_RESULT_COLUMNS = ['actual_participants', 'news_links', 'results_online_url', 'highlights'] as const;
/** Activity columns computed in DuckDB from the media and flags tables of the same export. */
export const ACTIVITY_COMPUTED_COLUMNS = ['accepted_photos', 'accepted_videos', 'open_flags'] as const;
/** Every activity column that is not the activity item's own. */
export const ACTIVITY_JOINED_COLUMNS: ReadonlySet<string> = new Set([...ACTIVITY_RESULT_COLUMNS, ...ACTIVITY_COMPUTED_COLUMNS]);

/** A results item as the staged results row: `activity_id` and the result columns. */
export function resultsRow(item: StoredItem): Row {
  return typedRow('activities', {
    activity_id: item.activityId,
    actual_participants: item.actualParticipants,
    news_links: item.newsLinks,
    results_online_url: item.onlineUrl,
    highlights: item.highlights,
  });
}

/** EXIF's `YYYY-MM-DDTHH:MM:SS` (the camera's wall clock, no zone), read in the campaign's zone. */
function exifInstant(value: unknown, timeZone: string): string | undefined {
  if (typeof value !== 'string') return undefined;
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2}):(\d{2})$/.exec(value);
  if (!m) return (cellOf('timestamptz', value) as string | null) ?? undefined;
  const [, date, hour, minute, second] = m as unknown as [string, string, string, string, string];
  const instant = zonedInstant(date, timeZone, { hour: Number(hour), minute: Number(minute), second: Number(second), ms: 0 });
  return Number.isNaN(instant.getTime()) ? undefined : instant.toISOString();
}

/** A media item (of an activity or of a summary). EXIF capture times are read in `timeZone`. */
export function mediaRow(item: StoredItem, timeZone: string): Row {
  const subject = asRecord(item.subject);
  return typedRow('media', {
    media_id: item.mediaId,
    campaign_id: item.campaignId ?? subject.campaignId,
    organization_id: item.organizationId ?? subject.organizationId,
    activity_id: subject.type === 'activity' ? subject.activityId : null,
    kind: item.kind,
    status: item.status,
    reason: item.reason,
    file_name: item.fileName,
    content_type: item.declaredContentType,
    size_bytes: item.declaredSize,
    sha256: item.sha256,
    captured_at: exifInstant(item.capturedAt, timeZone),
    warnings: item.warnings,
    created_at: item.createdAt,
  });
}

export function summaryRow(item: StoredItem): Row {
  return typedRow('summaries', {
    campaign_id: item.campaignId,
    organization_id: item.organizationId,
    text: item.text,
    document_media_ids: item.documentMediaIds,
    version: item.version,
    submitted_at: item.submittedAt,
    updated_at: item.updatedAt,
  });
}

export function flagRow(item: StoredItem): Row {
  return typedRow('flags', {
    flag_id: item.flagId,
    campaign_id: item.campaignId,
    organization_id: item.organizationId,
    activity_id: item.activityId,
    code: item.code,
    milestone: item.milestone,
    raised_at: item.raisedAt,
    late_by_seconds: item.lateBySeconds,
    waived: item.waived === true,
    waived_reason: item.waivedReason,
    waived_at: item.waivedAt,
  });
}

/** A unit, from the campaign definition (no `listedAt`) or added at run time. */
export function organizationRow(
  campaignId: string,
  unit: { readonly organizationId: unknown; readonly name: unknown; readonly nameEn?: unknown; readonly county: unknown; readonly type: unknown; readonly listedAt?: unknown },
): Row {
  return typedRow('organizations', {
    campaign_id: campaignId,
    organization_id: unit.organizationId,
    name: unit.name,
    name_en: unit.nameEn,
    county: unit.county,
    type: unit.type,
    listed_at: unit.listedAt,
  });
}

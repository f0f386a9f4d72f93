/**
 * Exports as the API answers them: one export (`GET /v1/exports/{id}`, and the answer to
 * `POST …/exports`) with short-lived file URLs, and the campaign's list of them without URLs.
 * Times in the campaign's zone.
 */
import * as z from '../domain/zod';
import { MILESTONE_IDS, type Campaign } from '../domain/campaign';
import { personal } from '../domain/privacy';
import { EXPORT_KINDS, snapshotMilestone, type ExportRecord } from '../export/export-record';
import { exportRequestSchema } from '../schemas/export.schema';
import { id } from '../schemas/text';
import { bilingual, count, instant, type ViewOf } from '../schemas/output';
import { zoned } from './zoned-instant';

const EXPORT_STATUSES = ['queued', 'running', 'succeeded', 'failed'] as const satisfies readonly ExportRecord['status'][];

/** What an export and its list item share. */
const exportShape = () => ({
  exportId: id(),
  campaignId: id(),
  kind: z.meta(z.enum(EXPORT_KINDS), {
    description: '`requested`: asked for through the API; `milestone`: a milestone’s snapshot, taken once, as of its deadline.',
  }),
  milestone: z.meta(z.optional(z.enum(MILESTONE_IDS)), { description: 'The milestone a snapshot (`kind: milestone`) is of.' }),
  format: exportRequestSchema.shape.format,
  language: z.meta(exportRequestSchema.shape.language._zod.def.innerType, {
    description: 'The CSV header’s language (Parquet columns always carry the data dictionary’s names).',
  }),
  snapshot: z.meta(z.string(), { description: 'The snapshot its files belong to: `registration`/`completion` for a milestone, else the export id.' }),
  asOf: z.meta(instant(), { description: 'The instant the data is as of: the milestone’s deadline, or when it was asked for.' }),
  status: z.enum(EXPORT_STATUSES),
  requestedBy: z.meta(z.string(), { description: 'Who asked (`sub`), or `milestone` for a snapshot.', ...personal('actor', 'accountability') }),
  requestedAt: instant(),
  startedAt: z.optional(instant()),
  finishedAt: z.meta(z.optional(instant()), { description: 'When it succeeded or failed.' }),
  readFrom: z.meta(z.optional(z.enum(['table-copy', 'live-table'])), {
    description: 'Once it succeeded: `table-copy`, the data exactly as of `asOf` (a milestone snapshot read from a copy of the table at that instant); `live-table`, the data while the export ran.',
  }),
  error: z.meta(z.optional(bilingual()), { description: 'Once it failed: what to tell people (zh, en); the reason is for operators.' }),
});

export const exportViewSchema = z.looseObject({
  ...exportShape(),
  files: z.array(
    z.looseObject({
      entity: z.string(),
      url: z.meta(z.nullable(z.url()), { description: 'Valid 15 minutes once the export succeeded.' }),
      rows: count(),
      bytes: count(),
      sha256: z.string(),
    }),
  ),
  manifest: z.optional(z.nullable(z.url())),
  artifacts: z.meta(z.array(z.looseObject({ name: z.string(), url: z.nullable(z.url()), bytes: count(), sha256: z.string() })), {
    description: 'Files for people: `commendations.csv` (the sheet for upward recommendation) and `chart.svg`.',
  }),
});
export type ExportView = ViewOf<typeof exportViewSchema>;

export const exportListItemViewSchema = z.meta(
  z.looseObject({
    ...exportShape(),
    files: z.meta(z.array(z.looseObject({ entity: z.string(), rows: count(), bytes: count() })), {
      description: 'Once it succeeded, one per table: its rows and size. The URLs are in `GET /v1/exports/{exportId}`, signed when asked for.',
    }),
    artifacts: z.meta(z.array(z.looseObject({ name: z.string(), bytes: count() })), { description: 'Files for people beside the tables, by name.' }),
  }),
  { description: 'An export as the campaign’s list shows it: `GET /v1/exports/{exportId}` without the file URLs.' },
);
export type ExportListItemView = ViewOf<typeof exportListItemViewSchema>;

/** What a failed export says to people (the reason stays in `error` of the record, for operators). */
const EXPORT_FAILED = { zh: '导出失败，请重试或联系管理员', en: 'The export failed; try again or ask an administrator' };

/** An export as answered: times in the campaign's zone, each file with a short-lived URL once it succeeded. */
export function exportView(e: ExportRecord, campaign: Campaign, urls: ReadonlyMap<string, string> = new Map()): ExportView {
  return {
    ...exportStateView(e, campaign),
    files: (e.files ?? []).map((f) => ({ entity: f.entity, url: urls.get(f.key) ?? null, rows: f.rows, bytes: f.bytes, sha256: f.sha256 })),
    ...(e.manifestKey ? { manifest: urls.get(e.manifestKey) ?? null } : {}),
    ...(e.readFrom ? { readFrom: e.readFrom } : {}),
    artifacts: (e.artifacts ?? []).map((a) => ({ name: a.name, url: urls.get(a.key) ?? null, bytes: a.bytes, sha256: a.sha256 })),
    ...(e.status === 'failed' ? { error: EXPORT_FAILED } : {}),
  };
}

/** What both the export and its list item say of it: what it is, when, and its state (times in the campaign's zone). */
function exportStateView(e: ExportRecord, campaign: Campaign) {
  return {
    exportId: e.exportId,
    campaignId: e.campaignId,
    ...exportKindView(e),
    format: e.format,
    language: e.language,
    snapshot: e.snapshot,
    asOf: zoned(e.asOf, campaign),
    status: e.status,
    requestedBy: e.requestedBy,
    requestedAt: zoned(e.requestedAt, campaign),
    ...(e.startedAt ? { startedAt: zoned(e.startedAt, campaign) } : {}),
    ...(e.finishedAt ? { finishedAt: zoned(e.finishedAt, campaign) } : {}),
  };
}

/** `kind`, and the `milestone` of a milestone's snapshot. */
function exportKindView(e: ExportRecord) {
  const milestone = snapshotMilestone(e);
  return milestone ? { kind: 'milestone' as const, milestone } : { kind: 'requested' as const };
}

/**
 * An export in a campaign's list (`GET …/exports`): what it is, its state and row counts per
 * entity, but no file URLs (those are signed by `GET /v1/exports/{id}` when asked for).
 */
export function exportListItemView(e: ExportRecord, campaign: Campaign): ExportListItemView {
  return {
    ...exportStateView(e, campaign),
    ...(e.readFrom ? { readFrom: e.readFrom } : {}),
    files: (e.files ?? []).map((f) => ({ entity: f.entity, rows: f.rows, bytes: f.bytes })),
    artifacts: (e.artifacts ?? []).map((a) => ({ name: a.name, bytes: a.bytes })),
    ...(e.status === 'failed' ? { error: EXPORT_FAILED } : {}),
  };
}

/**
 * Flags (with their waivers), extensions and inbox messages as the API answers them: times in
 * the campaign's zone (`+08:00` for Asia/Shanghai), like the other views (views.ts).
 */
import type { Campaign } from '../domain/campaign';
import type { InboxMessage } from '../domain/inbox';
import { formatInstant } from '../domain/time';
import type { ExtensionRecord } from '../repositories/extension-repository';
import { snapshotMilestone, type ExportRecord } from '../export/export-record';
import { flagView } from './views';

const zoned = (iso: string, campaign: Campaign) => formatInstant(new Date(iso), campaign.timeZone);

/** A flag as answered everywhere (GET activity, the flags list, a waiver). */
export const storedFlagView = flagView;

export function extensionView(e: ExtensionRecord, campaign: Campaign) {
  return {
    extensionId: e.extensionId,
    campaignId: e.campaignId,
    organizationId: e.organizationId,
    ...(e.activityId ? { activityId: e.activityId } : {}),
    milestone: e.milestone,
    until: zoned(e.until, campaign),
    reason: e.reason,
    grantedBy: e.grantedBy,
    grantedAt: zoned(e.grantedAt, campaign),
  };
}

export function inboxMessageView(m: InboxMessage, campaign: Campaign) {
  return {
    messageId: m.messageId,
    campaignId: m.campaignId,
    organizationId: m.organizationId,
    kind: m.kind,
    milestone: m.milestone,
    scheduleId: m.scheduleId,
    title: m.title,
    text: m.text,
    gaps: m.gaps,
    at: zoned(m.at, campaign),
    createdAt: zoned(m.createdAt, campaign),
    ...(m.webhook ? { webhook: m.webhook } : {}),
  };
}

/** What a failed export says to people (the reason stays in `error` of the record, for operators). */
const EXPORT_FAILED = { zh: '导出失败，请重试或联系管理员', en: 'The export failed; try again or ask an administrator' };

/** An export as answered: times in the campaign's zone, each file with a short-lived URL once it succeeded. */
export function exportView(
  e: ExportRecord,
  campaign: Campaign,
  urls: ReadonlyMap<string, string> = new Map(),
) {
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
    files: (e.files ?? []).map((f) => ({ entity: f.entity, url: urls.get(f.key) ?? null, rows: f.rows, bytes: f.bytes, sha256: f.sha256 })),
    ...(e.manifestKey ? { manifest: urls.get(e.manifestKey) ?? null } : {}),
    ...(e.readFrom ? { readFrom: e.readFrom } : {}),
    artifacts: (e.artifacts ?? []).map((a) => ({ name: a.name, url: urls.get(a.key) ?? null, bytes: a.bytes, sha256: a.sha256 })),
    ...(e.status === 'failed' ? { error: EXPORT_FAILED } : {}),
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
export function exportListItemView(e: ExportRecord, campaign: Campaign) {
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
    ...(e.readFrom ? { readFrom: e.readFrom } : {}),
    files: (e.files ?? []).map((f) => ({ entity: f.entity, rows: f.rows, bytes: f.bytes })),
    artifacts: (e.artifacts ?? []).map((a) => ({ name: a.name, bytes: a.bytes })),
    ...(e.status === 'failed' ? { error: EXPORT_FAILED } : {}),
  };
}

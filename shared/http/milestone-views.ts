/**
 * Flags (with their waivers), extensions and inbox messages as the API answers them: times in
 * the campaign's zone (`+08:00` for Asia/Shanghai), like the other views (views.ts).
 */
import type { Campaign } from '../domain/campaign';
import type { InboxMessage } from '../domain/inbox';
import { formatInstant } from '../domain/time';
import type { ExtensionRecord } from '../repositories/extension-repository';
import type { ExportRecord } from '../export/export-record';
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

/** An export as answered: times in the campaign's zone, each file with a short-lived URL once it succeeded. */
export function exportView(
  e: ExportRecord,
  campaign: Campaign,
  urls: ReadonlyMap<string, string> = new Map(),
) {
  return {
    exportId: e.exportId,
    campaignId: e.campaignId,
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
    ...(e.status === 'failed' ? { error: { zh: '导出失败，请重试或联系管理员', en: 'The export failed; try again or ask an administrator' } } : {}),
  };
}

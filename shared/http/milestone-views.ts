/**
 * Flags (with their waivers), extensions and inbox messages as the API answers them: times in
 * the campaign's zone (`+08:00` for Asia/Shanghai), like the other views (views.ts).
 */
import type { Campaign } from '../domain/campaign';
import type { InboxMessage } from '../domain/inbox';
import { formatInstant } from '../domain/time';
import type { ExtensionRecord } from '../repositories/extension-repository';
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

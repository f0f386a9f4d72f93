/** A unit's inbox messages as the API answers them (`GET …/inbox`): times in the campaign's zone. */
import * as z from '../domain/zod';
import { MILESTONE_IDS, type Campaign } from '../domain/campaign';
import type { InboxMessage } from '../domain/inbox';
import { id } from '../schemas/text';
import { bilingual, count, instant, type ViewOf } from '../schemas/output';
import { zoned } from './zoned-instant';

/** What a reminder names as still missing before a milestone (shared/domain/inbox.ts `ReminderGaps`). */
export const reminderGapsSchema = () =>
  z.looseObject({
    noActivity: z.meta(z.optional(z.boolean()), { description: 'Registration: the unit has no activity at all.' }),
    drafts: z.meta(z.optional(count()), { description: 'Registration: drafts not yet submitted.' }),
    withoutEvidence: z.meta(z.optional(count()), { description: 'Completion: registered activities with neither an accepted photo/video nor a news link.' }),
    withoutOnlineUrl: z.meta(z.optional(count()), { description: 'Completion: online or hybrid activities without their URL.' }),
    summaryMissing: z.meta(z.optional(z.boolean()), { description: 'Completion: the work summary is not submitted.' }),
  });

export const inboxMessageViewSchema = z.looseObject({
  messageId: z.string(),
  campaignId: id(),
  organizationId: id(),
  kind: z.enum(['reminder']),
  milestone: z.enum(MILESTONE_IDS),
  scheduleId: z.meta(z.string(), { description: 'The schedule that sent it: one message per unit and schedule.' }),
  title: bilingual(),
  text: z.meta(bilingual(), { description: 'What is still missing, e.g. 「3 项活动尚未上传成果照片或新闻链接」.' }),
  gaps: reminderGapsSchema(),
  at: z.meta(instant(), { description: 'The instant the message is about (the reminder’s schedule time).' }),
  createdAt: instant(),
  webhook: z.meta(z.optional(z.enum(['queued', 'sent', 'refused', 'failed'])), { description: 'Whether it was also sent to the unit’s webhook.' }),
});
export type InboxMessageView = ViewOf<typeof inboxMessageViewSchema>;

export function inboxMessageView(m: InboxMessage, campaign: Campaign): InboxMessageView {
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

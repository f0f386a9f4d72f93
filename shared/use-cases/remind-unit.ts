/**
 * One unit's reminder (milestone-jobs.ts, job 4), and {@link gapsOf}, what the unit still owes.
 *
 * Primary course:
 * 1. Nothing unless the campaign is published and the unit is listed; nothing after the unit's
 *    deadline (the sweep speaks then) or when nothing is missing.
 * 2. The message: the milestone's gaps in words, one per (schedule, instant, unit), written to
 *    the unit's inbox once.
 * 3. When the unit set a webhook, the message queued for delivery (again on a redelivery that
 *    finds it still queued: the notifier sends once per delivery id).
 */
import { createHash } from 'node:crypto';
import { storedActivityFacts, type ActivityFacts } from '../domain/activity';
import type { Campaign, MilestoneId } from '../domain/campaign';
import { hasGaps, reminderText, robotText, type InboxMessage, type ReminderGaps } from '../domain/inbox';
import { MILESTONE_RULES } from '../domain/milestone-rules';
import { effectiveDeadline } from '../domain/rules';
import type { Notification } from '../../events/schemas/notification.v1';
import type { MessageQueue } from '../clients/message-queue';
import type { OrganizationSettingsStore } from '../repositories/organization-repository';
import type { ReminderGapReader } from '../repositories/sweep-repository';
import { acceptedEvidence } from './complete-activity';
import { campaignOf, pool } from './milestone-jobs';
import type { SweepDeps } from './sweep-unit';

export interface RemindDeps extends SweepDeps {
  readonly settings: Pick<OrganizationSettingsStore, 'get'>;
  readonly notifications: MessageQueue<Notification>;
}

export type RemindOutcome = 'sent' | 'already-sent' | 'nothing-missing' | 'too-late' | 'unknown-unit' | 'not-published';

/**
 * The id of a unit's message from one schedule at one instant: the same however often the
 * reminder runs, and a new one when the reminder's date moved and it runs at its new instant.
 */
export const reminderMessageId = (scheduleId: string, organizationId: string, at: string): string =>
  createHash('sha256').update(`${scheduleId}|${new Date(at).toISOString()}|${organizationId}`).digest('hex').slice(0, 32);

/**
 * What the unit still owes before `milestone` (see ReminderGaps), as of `now`: the one reading
 * behind both a reminder's words ({@link remindUnit}) and the unit's status page
 * (`getUnitStatus`), so the two never name different gaps.
 *
 * @example
 * const gaps = await gapsOf(campaign, 'registration', 'hongqi-kx', clock.now(), new DynamoDbSweepStore(table));
 * if (hasGaps(gaps)) console.log(reminderText(campaign, 'registration', gaps).text.zh); // 「1 项活动尚未提交登记。」
 */
export async function gapsOf(
  campaign: Campaign,
  milestone: MilestoneId,
  organizationId: string,
  now: Date,
  store: ReminderGapReader,
): Promise<ReminderGaps> {
  const due = await store.dueActivities(campaign.id, organizationId);
  return MILESTONE_RULES[milestone].gaps({
    due: due.map((a) => storedActivityFacts(a)),
    registeredAny: async () =>
      due.some((a) => a.status !== 'draft') || (await store.findRegistered(campaign.id, organizationId, now, () => true)) !== undefined,
    withEvidence: async (activities) => {
      const judged: ActivityFacts[] = [];
      await pool(activities, 10, async (a) => {
        const evidence = await store.evidence(a.activityId);
        judged.push({ ...a, ...(evidence.results ? { results: evidence.results } : {}), acceptedMedia: acceptedEvidence(evidence.media) });
      });
      return judged;
    },
    summarySubmitted: async () => (await store.summarySubmittedAt(campaign.id, organizationId)) !== undefined,
  });
}

/** Reminds one unit of what it still owes: one inbox message per reminder, and its webhook once. */
export async function remindUnit(
  input: { campaignId: string; organizationId: string; milestone: MilestoneId; scheduleId: string; at: string },
  deps: RemindDeps,
): Promise<{ outcome: RemindOutcome; message?: InboxMessage }> {
  const campaign = await campaignOf(deps.campaigns, input.campaignId);
  if (campaign.status !== 'published') return { outcome: 'not-published' };
  const organization = await deps.organizations.find(campaign, input.organizationId);
  if (!organization) return { outcome: 'unknown-unit' };
  const { organizationId } = organization;
  const now = deps.clock.now();
  const extensions = await deps.extensions.forOrganization(campaign.id, organizationId);
  // A reminder delivered after the unit's deadline would only confuse: the sweep speaks then.
  if (now.getTime() > effectiveDeadline(campaign, input.milestone, { organizationId }, extensions).getTime()) return { outcome: 'too-late' };

  const gaps = await gapsOf(campaign, input.milestone, organizationId, now, deps.store);
  if (!hasGaps(gaps)) return { outcome: 'nothing-missing' };
  // Passed on sealed (ADR 0048): only the notifier opens it.
  const settings = await deps.settings.get(campaign.id, organizationId, { reveal: false });
  const webhookUrl = settings.sealedWebhookUrl ?? settings.webhookUrl;
  const messageId = reminderMessageId(input.scheduleId, organizationId, input.at);
  const message: InboxMessage = {
    messageId,
    campaignId: campaign.id,
    organizationId,
    kind: 'reminder',
    milestone: input.milestone,
    scheduleId: input.scheduleId,
    ...reminderText(campaign, input.milestone, gaps),
    gaps,
    at: new Date(input.at).toISOString(),
    createdAt: now.toISOString(),
    ...(webhookUrl ? { webhook: 'queued' as const } : {}),
  };
  const { written, stored } = await deps.store.writeInbox(message);
  // Queued again when a redelivery finds it still queued: the notifier sends once per delivery id.
  if (stored.webhook === 'queued' && webhookUrl) {
    await deps.notifications.sendAll([
      {
        version: 1,
        deliveryId: `reminder-${stored.messageId}`,
        campaignId: campaign.id,
        organizationId,
        messageId: stored.messageId,
        at: stored.at,
        webhookUrl,
        text: robotText(stored),
      },
    ]);
  }
  return { outcome: written ? 'sent' : 'already-sent', message: stored };
}

/**
 * Messages on the `notifications` queue, version 1: one webhook delivery of one inbox message.
 * `deliveryId` names the delivery: the notifier POSTs at most once per id, however often the
 * message arrives.
 */
import * as z from '../../shared/domain/zod';
import { personal } from '../../shared/domain/privacy';

export const NotificationSchema = z.strictObject({
  version: z.literal(1),
  deliveryId: z.string().check(z.minLength(1), z.maxLength(200)),
  campaignId: z.string().check(z.minLength(1)),
  organizationId: z.string().check(z.minLength(1)),
  messageId: z.string().check(z.minLength(1)),
  /**
   * The inbox message's instant (with campaign, unit and id it names the inbox item:
   * keys.inboxMessage), exactly the string stored in the item's key: the notifier records the
   * delivery's outcome on that item.
   */
  at: z.iso.datetime({ offset: true }),
  /**
   * The unit's webhook at the time the message was written, sealed as it is stored (ADR 0048:
   * the notifier opens it; a plain URL queued before then is taken as it is). Checked again
   * before sending (the URL rules and every address its host resolves to); never logged whole
   * (robot tokens).
   */
  webhookUrl: z.meta(z.union([z.url(), z.string().check(z.regex(/^sealed:v1:[A-Za-z0-9_-]+$/))]), personal('secret', 'notify-unit', 'message')),
  /** The text the robot posts: Chinese first, then English. */
  text: z.string().check(z.minLength(1), z.maxLength(4000)),
});

export type Notification = z.output<typeof NotificationSchema>;
export const parseNotification = (body: string): Notification => NotificationSchema.parse(JSON.parse(body));

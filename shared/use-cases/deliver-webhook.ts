/**
 * Delivers one inbox message to its unit's webhook (a WeCom or DingTalk group robot), once.
 *
 * Primary course:
 * 1. The POST happens at most once per `deliveryId` (`deps.sendOnce`, the idempotent
 *    {@link sendRobotMessage}): a delivery already done answers its first outcome without
 *    sending; one in progress elsewhere answers `in-progress` and is left to finish there.
 * 2. {@link sendRobotMessage} judges the URL again under this runtime's policy, then POSTs the
 *    robot JSON `{"msgtype":"text","text":{"content":…}}` through a client that connects only
 *    to addresses it has checked.
 * 3. Outcomes: `sent` (2xx, `errcode` absent or 0); `refused` (the address may not be reached,
 *    nothing sent); `failed` (other 4xx, a robot error: permanent, not retried). A 429, 5xx,
 *    timeout or network error throws {@link WebhookRetryableError}: the record fails and SQS
 *    delivers it again; on the last receive (`maxReceiveCount`) the inbox says `failed` first,
 *    and the message then moves to the DLQ.
 * 4. The inbox message's `webhook` attribute records the outcome (a missing message is fine).
 */
import type { Notification } from '../../events/schemas/notification.v1';
import type { WebhookResponse, WebhookSender } from '../clients/webhook-client';
import type { InboxWebhookStatus, WebhookDeliveryState } from '../repositories/inbox-webhook-repository';

/** WeCom robots take at most 2048 bytes of text (DingTalk more): longer text is cut there. */
export const ROBOT_TEXT_MAX_BYTES = 2048;

/** What became of a delivery, as stored by the idempotency layer (JSON). */
export interface DeliveryResult {
  readonly outcome: WebhookDeliveryState;
  /** Machine reason: `http_404`, `robot_error`, `webhook_address_not_allowed`… */
  readonly reason?: string;
  readonly status?: number;
  readonly errcode?: number;
}

/** A delivery that may succeed later (429, 5xx, timeout, network): the message is retried. */
export class WebhookRetryableError extends Error {
  public constructor(
    public readonly response: Extract<WebhookResponse, { kind: 'retryable' }>,
    options?: ErrorOptions,
  ) {
    super(`webhook delivery failed, will retry: ${response.reason}`, options);
    this.name = 'WebhookRetryableError';
  }
}

/** `text` cut to at most `maxBytes` of UTF-8, on a code point boundary, marked with `…`. */
export function truncateUtf8(text: string, maxBytes: number): string {
  const encoder = new TextEncoder();
  if (encoder.encode(text).length <= maxBytes) return text;
  const budget = maxBytes - encoder.encode('…').length;
  let out = '';
  let used = 0;
  for (const ch of text) {
    const size = encoder.encode(ch).length;
    if (used + size > budget) break;
    out += ch;
    used += size;
  }
  return `${out}…`;
}

/** The JSON a WeCom or DingTalk group robot takes for a text message. */
export const robotPayload = (text: string) => ({ msgtype: 'text', text: { content: truncateUtf8(text, ROBOT_TEXT_MAX_BYTES) } }) as const;

/**
 * POSTs `notification` to its webhook once and tells what became of it; throws
 * {@link WebhookRetryableError} when it is worth another try. Wrap it with idempotency: it
 * sends every time it is called.
 */
export async function sendRobotMessage(notification: Notification, deps: { readonly webhooks: WebhookSender }): Promise<DeliveryResult> {
  const response = await deps.webhooks.post(notification.webhookUrl, robotPayload(notification.text));
  switch (response.kind) {
    case 'sent':
      return { outcome: 'sent', status: response.status };
    case 'refused':
      return { outcome: 'refused', reason: response.reason };
    case 'rejected':
      return {
        outcome: 'failed',
        reason: response.reason,
        status: response.status,
        ...(response.errcode !== undefined ? { errcode: response.errcode } : {}),
      };
    case 'retryable':
      throw new WebhookRetryableError(response);
  }
}

export interface DeliverWebhookDeps {
  /** {@link sendRobotMessage} made idempotent on `deliveryId`; a replay carries `replayed`. */
  readonly sendOnce: (notification: Notification, owner?: string) => Promise<(DeliveryResult & { readonly replayed?: boolean }) | 'in-progress'>;
  readonly inbox: InboxWebhookStatus;
  /** Receives after which SQS moves the message to the DLQ (the queue's maxReceiveCount). */
  readonly maxReceiveCount: number;
}

/** What the handler logs and counts. */
export interface DeliveryReport {
  readonly outcome: WebhookDeliveryState | 'in-progress';
  /** The outcome was decided by an earlier delivery of the same id (nothing sent now). */
  readonly replayed: boolean;
  readonly reason?: string;
  readonly status?: number;
  readonly errcode?: number;
  /** Whether the inbox message was found and updated. */
  readonly inboxUpdated: boolean;
}

/**
 * Delivers one message from the notifications queue (see the module comment).
 *
 * @param input.receiveCount the SQS receive count of this delivery attempt (1 on the first)
 * @param input.messageId the SQS message id: a claim on the delivery left by an earlier attempt of the
 *   same message (its answer lost, its bookkeeping failed) is this message's own, not one in progress elsewhere
 */
export async function deliverWebhook(
  input: { readonly notification: Notification; readonly receiveCount: number; readonly messageId?: string },
  deps: DeliverWebhookDeps,
): Promise<DeliveryReport> {
  const { notification } = input;
  let result: Awaited<ReturnType<DeliverWebhookDeps['sendOnce']>>;
  try {
    result = await deps.sendOnce(notification, input.messageId);
  } catch (error) {
    if (error instanceof WebhookRetryableError && input.receiveCount >= deps.maxReceiveCount) {
      // The last attempt: the message goes to the DLQ now, and the unit's inbox says so.
      await deps.inbox.markWebhook(notification, 'failed');
    }
    throw error;
  }
  if (result === 'in-progress') return { outcome: 'in-progress', replayed: true, inboxUpdated: false };
  const inboxUpdated = await deps.inbox.markWebhook(notification, result.outcome);
  const { replayed = false, outcome, ...detail } = result;
  return { outcome, replayed, ...detail, inboxUpdated };
}

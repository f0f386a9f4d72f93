import { FullBatchFailureError } from '@aws-lambda-powertools/batch';
import { NotificationSchema, type Notification } from '../../../events/schemas/notification.v1';
import type { WebhookResponse, WebhookSender } from '../../../shared/clients/webhook-client';
import type { InboxMessageRef, InboxWebhookStatus, WebhookDeliveryState } from '../../../shared/repositories/inbox-webhook-repository';
import {
  deliverWebhook,
  robotPayload,
  ROBOT_TEXT_MAX_BYTES,
  sendRobotMessage,
  truncateUtf8,
  WebhookRetryableError,
  type DeliveryResult,
} from '../../../shared/use-cases/deliver-webhook';
import { handler } from '../../../functions/deliver-webhook/handler';
import { context, sqsRecord } from '../../helpers/context';

const notification: Notification = NotificationSchema.parse({
  version: 1,
  deliveryId: 'reminder-m1',
  campaignId: '2021-xinxiang',
  organizationId: 'hongqi-kx',
  messageId: 'm1',
  at: '2021-09-20T01:00:00.000Z',
  webhookUrl: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=secret',
  text: '【2021年新乡市全国科普日】活动登记提醒\n尚未登记任何活动。\n\n[…] Registration reminder\nNo activity registered yet.',
});

class FakeWebhooks implements WebhookSender {
  public readonly posts: Array<{ url: string; payload: unknown }> = [];
  public constructor(private readonly answers: WebhookResponse[]) {}
  public async post(url: string, payload: unknown): Promise<WebhookResponse> {
    this.posts.push({ url, payload });
    const next = this.answers.shift();
    if (!next) throw new Error('no more answers');
    return next;
  }
}

class FakeInbox implements InboxWebhookStatus {
  public readonly marks: Array<[string, WebhookDeliveryState]> = [];
  public constructor(private readonly exists = true) {}
  public async markWebhook(ref: InboxMessageRef, state: WebhookDeliveryState): Promise<boolean> {
    if (this.exists) this.marks.push([`${ref.campaignId}/${ref.organizationId}/${ref.at}/${ref.messageId}`, state]);
    return this.exists;
  }
}

/** The idempotency layer in memory: completed results replayed, failures forgotten. */
function onceInMemory(webhooks: WebhookSender) {
  const done = new Map<string, DeliveryResult>();
  return async (n: Notification) => {
    const previous = done.get(n.deliveryId);
    if (previous) return { ...previous, replayed: true as const };
    const result = await sendRobotMessage(n, { webhooks });
    done.set(n.deliveryId, result);
    return result;
  };
}

const ref = '2021-xinxiang/hongqi-kx/2021-09-20T01:00:00.000Z/m1';

describe('Function: sendRobotMessage', () => {
  it.each<[WebhookResponse, DeliveryResult]>([
    [{ kind: 'sent', status: 200 }, { outcome: 'sent', status: 200 }],
    [{ kind: 'refused', reason: 'webhook_address_not_allowed' }, { outcome: 'refused', reason: 'webhook_address_not_allowed' }],
    [{ kind: 'rejected', reason: 'http_404', status: 404 }, { outcome: 'failed', reason: 'http_404', status: 404 }],
    [
      { kind: 'rejected', reason: 'robot_error', status: 200, errcode: 93000, errmsg: 'invalid webhook url' },
      { outcome: 'failed', reason: 'robot_error', status: 200, errcode: 93000 },
    ],
  ])('turns %j into %j', async (response, expected) => {
    const webhooks = new FakeWebhooks([response]);
    expect(await sendRobotMessage(notification, { webhooks })).toEqual(expected);
    expect(webhooks.posts).toEqual([{ url: notification.webhookUrl, payload: { msgtype: 'text', text: { content: notification.text } } }]);
  });

  it('throws WebhookRetryableError on a retryable answer', async () => {
    const webhooks = new FakeWebhooks([{ kind: 'retryable', reason: 'http_503', status: 503 }]);
    await expect(sendRobotMessage(notification, { webhooks })).rejects.toBeInstanceOf(WebhookRetryableError);
  });
});

describe('Function: deliverWebhook', () => {
  it('sends once, marks the inbox sent, and a second delivery of the same id sends nothing', async () => {
    // Prepare
    const webhooks = new FakeWebhooks([{ kind: 'sent', status: 200 }]);
    const inbox = new FakeInbox();
    const deps = { sendOnce: onceInMemory(webhooks), inbox, maxReceiveCount: 5 };

    // Act
    const first = await deliverWebhook({ notification, receiveCount: 1 }, deps);
    const second = await deliverWebhook({ notification, receiveCount: 1 }, deps);

    // Assess
    expect(first).toEqual({ outcome: 'sent', replayed: false, status: 200, inboxUpdated: true });
    expect(second).toEqual({ outcome: 'sent', replayed: true, status: 200, inboxUpdated: true });
    expect(webhooks.posts).toHaveLength(1);
    expect(inbox.marks).toEqual([
      [ref, 'sent'],
      [ref, 'sent'],
    ]);
  });

  it('marks a refused address refused and a permanent failure failed, without throwing', async () => {
    const inbox = new FakeInbox();
    const refused = new FakeWebhooks([{ kind: 'refused', reason: 'webhook_address_not_allowed' }]);
    const gone = new FakeWebhooks([{ kind: 'rejected', reason: 'http_404', status: 404 }]);
    expect(await deliverWebhook({ notification, receiveCount: 1 }, { sendOnce: onceInMemory(refused), inbox, maxReceiveCount: 5 })).toMatchObject({
      outcome: 'refused',
    });
    expect(await deliverWebhook({ notification, receiveCount: 1 }, { sendOnce: onceInMemory(gone), inbox, maxReceiveCount: 5 })).toMatchObject({
      outcome: 'failed',
      reason: 'http_404',
    });
    expect(inbox.marks.map(([, s]) => s)).toEqual(['refused', 'failed']);
  });

  it('throws a retryable failure (the message is retried) and sends again on the retry', async () => {
    const webhooks = new FakeWebhooks([{ kind: 'retryable', reason: 'http_500', status: 500 }, { kind: 'sent', status: 200 }]);
    const inbox = new FakeInbox();
    const deps = { sendOnce: onceInMemory(webhooks), inbox, maxReceiveCount: 5 };
    await expect(deliverWebhook({ notification, receiveCount: 1 }, deps)).rejects.toBeInstanceOf(WebhookRetryableError);
    expect(inbox.marks).toEqual([]);
    expect(await deliverWebhook({ notification, receiveCount: 2 }, deps)).toMatchObject({ outcome: 'sent', replayed: false });
    expect(webhooks.posts).toHaveLength(2);
  });

  it('marks the inbox failed on the last receive, then still throws (the message goes to the DLQ)', async () => {
    const webhooks = new FakeWebhooks([{ kind: 'retryable', reason: 'timeout' }]);
    const inbox = new FakeInbox();
    await expect(
      deliverWebhook({ notification, receiveCount: 5 }, { sendOnce: onceInMemory(webhooks), inbox, maxReceiveCount: 5 }),
    ).rejects.toBeInstanceOf(WebhookRetryableError);
    expect(inbox.marks).toEqual([[ref, 'failed']]);
  });

  it('leaves a delivery in progress elsewhere to finish there', async () => {
    const inbox = new FakeInbox();
    const report = await deliverWebhook({ notification, receiveCount: 1 }, { sendOnce: async () => 'in-progress', inbox, maxReceiveCount: 5 });
    expect(report).toEqual({ outcome: 'in-progress', replayed: true, inboxUpdated: false });
    expect(inbox.marks).toEqual([]);
  });

  it('is fine with an inbox message that does not exist', async () => {
    const webhooks = new FakeWebhooks([{ kind: 'sent', status: 200 }]);
    const report = await deliverWebhook({ notification, receiveCount: 1 }, { sendOnce: onceInMemory(webhooks), inbox: new FakeInbox(false), maxReceiveCount: 5 });
    expect(report).toMatchObject({ outcome: 'sent', inboxUpdated: false });
  });
});

describe('Function: robotPayload', () => {
  it('is the text message WeCom and DingTalk robots both take', () => {
    expect(robotPayload('提醒 reminder')).toEqual({ msgtype: 'text', text: { content: '提醒 reminder' } });
  });

  it('cuts text to 2048 UTF-8 bytes on a code point boundary', () => {
    const long = '科'.repeat(1000); // 3000 bytes
    const content = robotPayload(long).text.content;
    expect(new TextEncoder().encode(content).length).toBeLessThanOrEqual(ROBOT_TEXT_MAX_BYTES);
    expect(content.endsWith('科…')).toBe(true);
    expect(truncateUtf8('🌱🌱🌱', 9)).toBe('🌱…');
    expect(truncateUtf8('short', 9)).toBe('short');
  });
});

describe('Function: deliver-webhook handler', () => {

  it('fails a message that is not a notification (it ends in the DLQ after its retries)', async () => {
    const body = JSON.stringify({ ...notification, version: 2 });
    await expect(handler({ Records: [sqsRecord('a', body, 'notifications'), sqsRecord('b', 'not json', 'notifications')] }, context)).rejects.toBeInstanceOf(FullBatchFailureError);
  });
});

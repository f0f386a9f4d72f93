/**
 * Port and SQS adapter for sending messages: many at once (SendMessageBatch in tens, failed
 * entries retried, and an error if any is still refused: the caller's own retry then resends all
 * of them; every consumer is idempotent), or one delayed.
 */
import { SendMessageBatchCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';

/** SQS delays a message at most 15 minutes. */
export const MAX_DELAY_SECONDS = 900;

export interface MessageQueue {
  sendAll(bodies: readonly unknown[]): Promise<void>;
}

export interface DelayedMessages {
  /** One message, delivered no sooner than `delaySeconds` from now (clamped to 0..900). */
  sendLater(body: unknown, delaySeconds: number): Promise<void>;
}

export class SqsMessageQueue implements MessageQueue, DelayedMessages {
  public constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
    private readonly attempts = 3,
  ) {}

  public async sendLater(body: unknown, delaySeconds: number): Promise<void> {
    const delay = Math.min(MAX_DELAY_SECONDS, Math.max(0, Math.round(delaySeconds)));
    await this.sqs.send(new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: JSON.stringify(body), DelaySeconds: delay }));
  }

  public async sendAll(bodies: readonly unknown[]): Promise<void> {
    for (let start = 0; start < bodies.length; start += 10) {
      let entries = bodies.slice(start, start + 10).map((b, i) => ({ Id: String(i), MessageBody: JSON.stringify(b) }));
      for (let attempt = 1; entries.length > 0; attempt++) {
        const sent = await this.sqs.send(new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: entries }));
        const failed = new Set((sent.Failed ?? []).map((f) => f.Id));
        entries = entries.filter((e) => failed.has(e.Id));
        if (entries.length > 0 && attempt >= this.attempts) {
          throw new Error(`SQS refused ${entries.length} message(s) after ${attempt} attempts: ${JSON.stringify(sent.Failed)}`);
        }
      }
    }
  }
}

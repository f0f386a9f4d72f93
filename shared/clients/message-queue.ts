/**
 * Port and SQS adapter for sending messages: many at once (SendMessageBatch in tens, failed
 * entries retried, and an error if any is still refused: the caller's own retry then resends all
 * of them; every consumer is idempotent), or one delayed. A queue is typed by the schema of the
 * messages it carries (`MessageQueue<SweepMessage>`), so a producer cannot send another shape.
 */
import { SendMessageBatchCommand, SendMessageCommand, type MessageAttributeValue, type SQSClient } from '@aws-sdk/client-sqs';

/** SQS delays a message at most 15 minutes. */
export const MAX_DELAY_SECONDS = 900;

/** SendMessageBatch takes at most ten entries. */
const BATCH_SIZE = 10;

export interface MessageQueue<T = unknown> {
  sendAll(bodies: readonly T[]): Promise<void>;
}

export interface DelayedMessages<T = unknown> {
  /** One message, delivered no sooner than `delaySeconds` from now (clamped to 0..900). */
  sendLater(body: T, delaySeconds: number): Promise<void>;
}

export interface SqsMessageQueueOptions<T> {
  /**
   * Sends of a batch's refused entries before `sendAll` fails.
   * @default 3
   */
  readonly attempts?: number;
  /** String message attributes of a message, for consumers that route on them without parsing the body (e.g. `detailType`). */
  readonly attributes?: (body: T) => Readonly<Record<string, string>>;
}

export class SqsMessageQueue<T = unknown> implements MessageQueue<T>, DelayedMessages<T> {
  private readonly attempts: number;

  public constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
    private readonly options: SqsMessageQueueOptions<T> = {},
  ) {
    this.attempts = options.attempts ?? 3;
  }

  public async sendLater(body: T, delaySeconds: number): Promise<void> {
    const delay = Math.min(MAX_DELAY_SECONDS, Math.max(0, Math.round(delaySeconds)));
    await this.sqs.send(new SendMessageCommand({ QueueUrl: this.queueUrl, ...this.message(body), DelaySeconds: delay }));
  }

  public async sendAll(bodies: readonly T[]): Promise<void> {
    for (let start = 0; start < bodies.length; start += BATCH_SIZE) {
      let entries = bodies.slice(start, start + BATCH_SIZE).map((b, i) => ({ Id: String(i), ...this.message(b) }));
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

  private message(body: T): { MessageBody: string; MessageAttributes?: Record<string, MessageAttributeValue> } {
    const attributes = this.options.attributes?.(body);
    return {
      MessageBody: JSON.stringify(body),
      ...(attributes
        ? { MessageAttributes: Object.fromEntries(Object.entries(attributes).map(([name, value]) => [name, { DataType: 'String', StringValue: value }])) }
        : {}),
    };
  }
}

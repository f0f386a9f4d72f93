/**
 * Lambda's SQS event source, on one machine: long-polls a queue, gathers a batch
 * (batch size, batching window), invokes the function with a real-shaped SQSEvent,
 * deletes what succeeded and leaves failures to reappear after the visibility
 * timeout, so the queue's redrive policy moves a message to its DLQ after
 * maxReceiveCount receives — exactly as on AWS.
 */
import {
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  type Message,
  type MessageAttributeValue,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSMessageAttributes, SQSRecord } from 'aws-lambda';

export interface SqsPollerOptions {
  readonly client: SQSClient;
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly region: string;
  readonly batchSize: number;
  readonly maxBatchingWindowSeconds: number;
  /**
   * Batches in flight at once (default 1): Lambda's SQS pollers invoke several batches of one queue
   * concurrently, up to the event source's maximum concurrency. Each runs in its own module instance
   * of the function (FunctionHost), so batches never share a handler's BatchProcessor.
   */
  readonly concurrency?: number;
  /** Seconds a ReceiveMessage may wait (20 on AWS; shorter here so stop is quick). */
  readonly waitTimeSeconds?: number;
  invoke(event: SQSEvent): Promise<unknown>;
  log?(entry: Record<string, unknown>): void;
}

function lambdaAttributes(attrs: Record<string, MessageAttributeValue> | undefined): SQSMessageAttributes {
  return Object.fromEntries(
    Object.entries(attrs ?? {}).map(([name, v]) => [
      name,
      {
        dataType: v.DataType ?? 'String',
        ...(v.StringValue !== undefined ? { stringValue: v.StringValue } : {}),
        ...(v.BinaryValue !== undefined ? { binaryValue: Buffer.from(v.BinaryValue).toString('base64') } : {}),
        stringListValues: v.StringListValues ?? [],
        binaryListValues: (v.BinaryListValues ?? []).map((b) => Buffer.from(b).toString('base64')),
      },
    ]),
  ) as SQSMessageAttributes;
}

/** The record Lambda builds from one received message. */
export function toSqsRecord(m: Message, queueArn: string, region: string): SQSRecord {
  const a = m.Attributes ?? {};
  return {
    messageId: m.MessageId ?? '',
    receiptHandle: m.ReceiptHandle ?? '',
    body: m.Body ?? '',
    attributes: {
      ApproximateReceiveCount: a.ApproximateReceiveCount ?? '1',
      SentTimestamp: a.SentTimestamp ?? String(Date.now()),
      SenderId: a.SenderId ?? '000000000000',
      ApproximateFirstReceiveTimestamp: a.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
      ...(a.AWSTraceHeader ? { AWSTraceHeader: a.AWSTraceHeader } : {}),
    },
    messageAttributes: lambdaAttributes(m.MessageAttributes),
    md5OfBody: m.MD5OfBody ?? '',
    ...(m.MD5OfMessageAttributes ? { md5OfMessageAttributes: m.MD5OfMessageAttributes } : {}),
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  };
}

/**
 * Which received messages to delete after an invocation, by Lambda's rules for
 * `ReportBatchItemFailures`: a thrown error fails all; a response naming an id that
 * is not in the batch (or an unparseable one) fails all; otherwise all but the
 * named ones succeeded.
 */
export function succeededMessages(records: readonly SQSRecord[], outcome: { error: unknown } | { value: unknown }): SQSRecord[] {
  if ('error' in outcome) return [];
  const response = outcome.value as Partial<SQSBatchResponse> | null | undefined;
  const failures = response?.batchItemFailures;
  if (failures === undefined || failures === null) return [...records];
  if (!Array.isArray(failures)) return [];
  const ids = new Set(records.map((r) => r.messageId));
  const failed = new Set<string>();
  for (const f of failures) {
    if (!f || typeof f.itemIdentifier !== 'string' || !ids.has(f.itemIdentifier)) return [];
    failed.add(f.itemIdentifier);
  }
  return records.filter((r) => !failed.has(r.messageId));
}

export class SqsPoller {
  private running = false;
  private loop: Promise<unknown> | undefined;
  private abort = new AbortController();

  public constructor(private readonly options: SqsPollerOptions) {}

  public start(): void {
    if (this.running) return;
    this.running = true;
    this.abort = new AbortController();
    const pollers = Math.max(1, Math.floor(this.options.concurrency ?? 1));
    this.loop = Promise.all(Array.from({ length: pollers }, () => this.run()));
  }

  /** Stops receiving; resolves when the batches in flight (if any) have finished. */
  public async stop(): Promise<void> {
    this.running = false;
    this.abort.abort();
    await this.loop;
  }

  private async receive(max: number, wait: number): Promise<Message[]> {
    const { Messages } = await this.options.client.send(
      new ReceiveMessageCommand({
        QueueUrl: this.options.queueUrl,
        MaxNumberOfMessages: Math.min(10, max),
        WaitTimeSeconds: wait,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
      { abortSignal: this.abort.signal },
    );
    return Messages ?? [];
  }

  private async run(): Promise<void> {
    const { batchSize, maxBatchingWindowSeconds } = this.options;
    while (this.running) {
      try {
        const batch = await this.receive(batchSize, this.options.waitTimeSeconds ?? 1);
        if (batch.length === 0) continue;
        // The batching window: keep gathering until the batch is full or the window closes.
        const windowEnds = Date.now() + maxBatchingWindowSeconds * 1000;
        while (this.running && batch.length < batchSize && Date.now() < windowEnds) {
          // A stop during the window still delivers what was gathered (it is in flight).
          const more = await this.receive(batchSize - batch.length, 0).catch((error: unknown) => {
            if (this.running) throw error;
            return [];
          });
          if (more.length === 0) await new Promise((r) => setTimeout(r, 50));
          batch.push(...more);
        }
        await this.process(batch);
      } catch (error) {
        if (!this.running) return;
        this.options.log?.({ msg: 'sqs poll failed', queueUrl: this.options.queueUrl, error: String(error) });
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  private async process(messages: Message[]): Promise<void> {
    const records = messages.map((m) => toSqsRecord(m, this.options.queueArn, this.options.region));
    let outcome: { error: unknown } | { value: unknown };
    try {
      outcome = { value: await this.options.invoke({ Records: records }) };
    } catch (error) {
      outcome = { error };
    }
    const done = succeededMessages(records, outcome);
    if (done.length < records.length) {
      this.options.log?.({
        msg: 'batch items failed',
        queueUrl: this.options.queueUrl,
        failed: records.length - done.length,
        ...('error' in outcome ? { error: String(outcome.error) } : {}),
      });
    }
    for (let i = 0; i < done.length; i += 10) {
      await this.options.client.send(
        new DeleteMessageBatchCommand({
          QueueUrl: this.options.queueUrl,
          Entries: done.slice(i, i + 10).map((r, j) => ({ Id: String(i + j), ReceiptHandle: r.receiptHandle })),
        }),
      );
    }
  }
}

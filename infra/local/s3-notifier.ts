/**
 * S3's bucket-notification role, which fauxqs lacks: every object stored under a
 * notified prefix puts exactly one real-shaped S3 event (`{"Records":[...]}`) on the
 * configured queue.
 *
 * - Live: fauxqs's message spy reports each stored object (twice per upload, so
 *   announcements are deduplicated on the object version: key, ETag, LastModified).
 * - Crash-safe: announced versions go to a ledger under the data dir after the
 *   message is sent; at start-up every stored object not in the ledger is announced,
 *   so an object stored just before `kill -9` is still announced (at least once,
 *   as on S3; consumers are idempotent).
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { HeadObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Clock } from '../../shared/clock';

export interface NotificationRule {
  readonly bucket: string;
  readonly prefix: string;
  readonly queueUrl: string;
  readonly configurationId: string;
}

export interface S3NotifierOptions {
  readonly s3: S3Client;
  readonly sqs: SQSClient;
  readonly region: string;
  readonly clock: Clock;
  readonly rules: readonly NotificationRule[];
  readonly ledgerFile: string;
  log?(entry: Record<string, unknown>): void;
}

interface ObjectVersion {
  readonly bucket: string;
  readonly key: string;
  readonly size: number;
  readonly etag: string;
  readonly lastModified: number;
}

/** S3 event keys are URL-encoded, form style, with `/` kept. */
export const encodeEventKey = (key: string): string =>
  key
    .split('/')
    .map((s) => encodeURIComponent(s).replace(/%20/g, '+'))
    .join('/');

const versionId = (v: ObjectVersion) => JSON.stringify([v.bucket, v.key, v.etag, v.lastModified]);

export class S3Notifier {
  private readonly announced = new Set<string>();
  private readonly pending = new Set<Promise<void>>();
  private counter = 0;

  public constructor(private readonly options: S3NotifierOptions) {
    if (existsSync(options.ledgerFile)) {
      for (const line of readFileSync(options.ledgerFile, 'utf8').split('\n')) if (line) this.announced.add(line);
    }
  }

  private rule(bucket: string, key: string): NotificationRule | undefined {
    return this.options.rules.find((r) => r.bucket === bucket && key.startsWith(r.prefix));
  }

  /** Called for every object fauxqs stores; announces it in the background. */
  public objectStored(bucket: string, key: string): void {
    if (!this.rule(bucket, key)) return;
    const work = this.announceLatest(bucket, key).catch((error: unknown) =>
      this.options.log?.({ msg: 's3 notification failed', bucket, key, error: String(error) }),
    );
    this.pending.add(work);
    void work.finally(() => this.pending.delete(work));
  }

  /** Announces every stored object that the ledger does not hold (start-up). */
  public async reconcile(): Promise<number> {
    let count = 0;
    for (const rule of this.options.rules) {
      let ContinuationToken: string | undefined;
      do {
        const page = await this.options.s3.send(
          new ListObjectsV2Command({ Bucket: rule.bucket, Prefix: rule.prefix, ContinuationToken }),
        );
        for (const o of page.Contents ?? []) {
          const announced = await this.announce({
            bucket: rule.bucket,
            key: o.Key ?? '',
            size: o.Size ?? 0,
            etag: (o.ETag ?? '').replaceAll('"', ''),
            lastModified: o.LastModified?.getTime() ?? 0,
          });
          if (announced) count += 1;
        }
        ContinuationToken = page.NextContinuationToken;
      } while (ContinuationToken);
    }
    return count;
  }

  /** Resolves when every announcement under way has been sent. */
  public async drain(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  private async announceLatest(bucket: string, key: string): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt += 1) {
      try {
        const head = await this.options.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        await this.announce({
          bucket,
          key,
          size: head.ContentLength ?? 0,
          etag: (head.ETag ?? '').replaceAll('"', ''),
          lastModified: head.LastModified?.getTime() ?? 0,
        });
        return;
      } catch (error) {
        if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode !== 404) throw error;
        await new Promise((r) => setTimeout(r, 50 * (attempt + 1)));
      }
    }
  }

  private async announce(v: ObjectVersion): Promise<boolean> {
    const rule = this.rule(v.bucket, v.key);
    const id = versionId(v);
    if (!rule || this.announced.has(id)) return false;
    this.announced.add(id);
    try {
      await this.options.sqs.send(
        new SendMessageCommand({ QueueUrl: rule.queueUrl, MessageBody: JSON.stringify(this.event(v, rule)) }),
      );
    } catch (error) {
      this.announced.delete(id);
      throw error;
    }
    appendFileSync(this.options.ledgerFile, `${id}\n`);
    return true;
  }

  private sequencer(): string {
    this.counter = (this.counter + 1) % 4096;
    return (BigInt(Date.now()) * 4096n + BigInt(this.counter)).toString(16).toUpperCase().padStart(16, '0');
  }

  private event(v: ObjectVersion, rule: NotificationRule) {
    return {
      Records: [
        {
          eventVersion: '2.1',
          eventSource: 'aws:s3',
          awsRegion: this.options.region,
          eventTime: this.options.clock.now().toISOString(),
          eventName: 'ObjectCreated:Put',
          userIdentity: { principalId: 'AWS:LOCAL' },
          requestParameters: { sourceIPAddress: '127.0.0.1' },
          responseElements: { 'x-amz-request-id': randomUUID(), 'x-amz-id-2': randomUUID() },
          s3: {
            s3SchemaVersion: '1.0',
            configurationId: rule.configurationId,
            bucket: { name: v.bucket, ownerIdentity: { principalId: 'LOCAL' }, arn: `arn:aws:s3:::${v.bucket}` },
            object: { key: encodeEventKey(v.key), size: v.size, eTag: v.etag, sequencer: this.sequencer() },
          },
        },
      ],
    };
  }
}

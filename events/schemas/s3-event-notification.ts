/**
 * The S3 event notification S3 puts on SQS (`{"Records":[...]}`), as much of it as
 * SciDay reads. S3 also sends a one-off `s3:TestEvent` when a notification is
 * configured; {@link parseS3Notification} returns no records for it.
 */
import * as z from '../../shared/domain/zod';

export const S3EventRecordSchema = z.object({
  eventVersion: z.string(),
  eventSource: z.literal('aws:s3'),
  awsRegion: z.string(),
  eventTime: z.string(),
  eventName: z.string().check(z.startsWith('ObjectCreated:')),
  s3: z.object({
    bucket: z.object({ name: z.string().check(z.minLength(1)), arn: z.string() }),
    object: z.object({
      /** URL-encoded (form style: a space is `+`). */
      key: z.string().check(z.minLength(1)),
      size: z.optional(z.number().check(z.int(), z.nonnegative())),
      eTag: z.optional(z.string()),
      /** Hex; a later event of the same key has a greater sequencer. */
      sequencer: z.string().check(z.regex(/^[0-9A-Fa-f]+$/)),
    }),
  }),
});
export type S3EventRecord = z.infer<typeof S3EventRecordSchema>;

export const S3NotificationSchema = z.object({ Records: z.array(S3EventRecordSchema).check(z.minLength(1)) });
export const S3TestEventSchema = z.object({ Event: z.literal('s3:TestEvent'), Service: z.literal('Amazon S3') });

export interface StoredObjectEvent {
  readonly bucket: string;
  readonly key: string;
  readonly sequencer: string;
  readonly eventTime: string;
}

/** Parses an SQS body from S3; throws (so the message is retried, then DLQ'd) on anything else. */
export function parseS3Notification(body: string): StoredObjectEvent[] {
  const json: unknown = JSON.parse(body);
  if (z.catchall(S3TestEventSchema, z.unknown()).safeParse(json).success) return [];
  return z.parse(S3NotificationSchema, json).Records.map((r) => ({
    bucket: r.s3.bucket.name,
    key: decodeURIComponent(r.s3.object.key.replace(/\+/g, ' ')),
    sequencer: r.s3.object.sequencer,
    eventTime: r.eventTime,
  }));
}

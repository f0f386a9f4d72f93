/**
 * The S3 event notification S3 puts on SQS (`{"Records":[...]}`), as much of it as
 * SciDay reads. S3 also sends a one-off `s3:TestEvent` when a notification is
 * configured; {@link parseS3Notification} returns no records for it.
 */
import * as z from 'zod';

export const S3EventRecordSchema = z.object({
  eventVersion: z.string(),
  eventSource: z.literal('aws:s3'),
  awsRegion: z.string(),
  eventTime: z.string(),
  eventName: z.string().startsWith('ObjectCreated:'),
  s3: z.object({
    bucket: z.object({ name: z.string().min(1), arn: z.string() }),
    object: z.object({
      /** URL-encoded (form style: a space is `+`). */
      key: z.string().min(1),
      size: z.number().int().nonnegative().optional(),
      eTag: z.string().optional(),
      /** Hex; a later event of the same key has a greater sequencer. */
      sequencer: z.string().regex(/^[0-9A-Fa-f]+$/),
    }),
  }),
});
export type S3EventRecord = z.infer<typeof S3EventRecordSchema>;

export const S3NotificationSchema = z.object({ Records: z.array(S3EventRecordSchema).min(1) });
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
  if (S3TestEventSchema.loose().safeParse(json).success) return [];
  return S3NotificationSchema.parse(json).Records.map((r) => ({
    bucket: r.s3.bucket.name,
    key: decodeURIComponent(r.s3.object.key.replace(/\+/g, ' ')),
    sequencer: r.s3.object.sequencer,
    eventTime: r.eventTime,
  }));
}

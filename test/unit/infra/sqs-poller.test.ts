import type { SQSRecord } from 'aws-lambda';
import { succeededMessages, toSqsRecord } from '../../../infra/local/sqs-poller';
import { encodeEventKey } from '../../../infra/local/s3-notifier';
import { parseS3Notification } from '../../../events/schemas/s3-event-notification';

const records = ['a', 'b', 'c'].map((id) => ({ messageId: id }) as SQSRecord);

describe('Function: succeededMessages (ReportBatchItemFailures rules)', () => {
  it('deletes every message when the response names no failure', () => {
    expect(succeededMessages(records, { value: undefined })).toHaveLength(3);
    expect(succeededMessages(records, { value: { batchItemFailures: [] } })).toHaveLength(3);
  });

  it('keeps the named failures for redelivery', () => {
    const done = succeededMessages(records, { value: { batchItemFailures: [{ itemIdentifier: 'b' }] } });
    expect(done.map((r) => r.messageId)).toEqual(['a', 'c']);
  });

  it('fails the whole batch on a thrown error, an unknown id or a malformed response', () => {
    expect(succeededMessages(records, { error: new Error('boom') })).toEqual([]);
    expect(succeededMessages(records, { value: { batchItemFailures: [{ itemIdentifier: 'zzz' }] } })).toEqual([]);
    expect(succeededMessages(records, { value: { batchItemFailures: [{}] } })).toEqual([]);
    expect(succeededMessages(records, { value: { batchItemFailures: 'x' } })).toEqual([]);
  });
});

describe('Function: toSqsRecord', () => {
  it('builds the record Lambda delivers, attributes in Lambda casing', () => {
    const record = toSqsRecord(
      {
        MessageId: 'm1',
        ReceiptHandle: 'r1',
        Body: '{}',
        MD5OfBody: 'md5',
        Attributes: { ApproximateReceiveCount: '3', SentTimestamp: '1', SenderId: 's', ApproximateFirstReceiveTimestamp: '2' },
        MessageAttributes: { kind: { DataType: 'String', StringValue: 'photo' } },
      },
      'arn:aws:sqs:us-east-1:000000000000:q',
      'us-east-1',
    );
    expect(record).toEqual({
      messageId: 'm1',
      receiptHandle: 'r1',
      body: '{}',
      attributes: { ApproximateReceiveCount: '3', SentTimestamp: '1', SenderId: 's', ApproximateFirstReceiveTimestamp: '2' },
      messageAttributes: { kind: { dataType: 'String', stringValue: 'photo', stringListValues: [], binaryListValues: [] } },
      md5OfBody: 'md5',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:q',
      awsRegion: 'us-east-1',
    });
  });
});

describe('Function: encodeEventKey', () => {
  it('encodes keys as S3 does and round-trips through the consumer', () => {
    const key = 'uploads/科普 日/a+b (1).jpg';
    const encoded = encodeEventKey(key);
    expect(encoded).toBe('uploads/%E7%A7%91%E6%99%AE+%E6%97%A5/a%2Bb%20(1).jpg'.replace('%20', '+'));
    const body = JSON.stringify({
      Records: [
        {
          eventVersion: '2.1',
          eventSource: 'aws:s3',
          awsRegion: 'us-east-1',
          eventTime: '2021-09-12T00:00:00Z',
          eventName: 'ObjectCreated:Put',
          s3: { bucket: { name: 'b', arn: 'arn:aws:s3:::b' }, object: { key: encoded, sequencer: '01' } },
        },
      ],
    });
    expect(parseS3Notification(body)[0]?.key).toBe(key);
  });
});

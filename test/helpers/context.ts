import type { Context, SQSRecord } from 'aws-lambda';

/** A Lambda context for invoking exported handlers in unit tests. */
export const context: Context = {
  callbackWaitsForEmptyEventLoop: true,
  functionName: 'sciday-unit-fn',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:sciday-unit-fn',
  memoryLimitInMB: '256',
  awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
  logGroupName: '/aws/lambda/sciday-unit-fn',
  logStreamName: '2021/09/12/[$LATEST]abcdef',
  getRemainingTimeInMillis: () => 10_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
};

/** One SQS record of `queue`, first delivery, as Lambda hands it to a handler. */
export const sqsRecord = (messageId: string, body: string, queue: string): SQSRecord => ({
  messageId,
  receiptHandle: `rh-${messageId}`,
  body,
  attributes: { ApproximateReceiveCount: '1', SentTimestamp: '0', SenderId: 's', ApproximateFirstReceiveTimestamp: '0' },
  messageAttributes: {},
  md5OfBody: '',
  eventSource: 'aws:sqs',
  eventSourceARN: `arn:aws:sqs:us-east-1:123456789012:${queue}`,
  awsRegion: 'us-east-1',
});

/**
 * A cold-load reference, not the baseline: bare-handler.ts plus the S3 and SQS clients that
 * shared/clients/dynamodb.ts imports, so every API bundle loads them from the runtime whether it
 * uses them or not. The difference to bare-handler.ts is what those SDK imports cost.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';

const region = process.env.AWS_REGION ?? 'us-east-1';
const dynamodb = new DynamoDBClient({ region });
const doc = DynamoDBDocumentClient.from(dynamodb, { marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false } });
const s3 = new S3Client({ region });
const sqs = new SQSClient({ region, useQueueUrlAsEndpoint: false });

export const handler = async () => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ ok: true, clients: [typeof dynamodb.send, typeof doc.send, typeof s3.send, typeof sqs.send] }),
});

/**
 * The bundle-size and cold-load baseline: a handler that only creates the SDK clients the API
 * handlers create at cold start (DynamoDB and its document client, shared/clients/dynamodb.ts) and
 * answers. Bundled exactly as the real functions are (`@aws-sdk/*` left to the Lambda runtime).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

const dynamodb = new DynamoDBClient({ region: process.env.AWS_REGION ?? 'us-east-1' });
const doc = DynamoDBDocumentClient.from(dynamodb, { marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false } });

export const handler = async () => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ ok: true, clients: [typeof dynamodb.send, typeof doc.send] }),
});

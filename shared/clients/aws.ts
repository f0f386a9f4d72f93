/**
 * One SDK v3 client of each kind per module instance (created lazily, reused across
 * invocations). Endpoints come from the SDK's own `AWS_ENDPOINT_URL_*` variables,
 * which the local runtime sets; on AWS they are absent.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';

export interface ClientSettings {
  readonly region: string;
  readonly s3ForcePathStyle: boolean;
}

let dynamo: DynamoDBClient | undefined;
let doc: DynamoDBDocumentClient | undefined;
let s3: S3Client | undefined;
let sqs: SQSClient | undefined;

export function dynamoDbClient(settings: ClientSettings): DynamoDBClient {
  dynamo ??= new DynamoDBClient({ region: settings.region });
  return dynamo;
}

/** Document client that drops `undefined` attributes instead of failing on them. */
export function documentClient(settings: ClientSettings): DynamoDBDocumentClient {
  doc ??= DynamoDBDocumentClient.from(dynamoDbClient(settings), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  return doc;
}

export function s3Client(settings: ClientSettings): S3Client {
  s3 ??= new S3Client({ region: settings.region, forcePathStyle: settings.s3ForcePathStyle });
  return s3;
}

export function sqsClient(settings: ClientSettings): SQSClient {
  // Queue URLs are configuration; never let one redirect the client to another host.
  sqs ??= new SQSClient({ region: settings.region, useQueueUrlAsEndpoint: false });
  return sqs;
}

/**
 * The DynamoDB clients, one per module instance (created lazily, reused across
 * invocations). Endpoints come from the SDK's own `AWS_ENDPOINT_URL_*` variables, which
 * the local runtime sets. Each AWS client lives in its own module so a handler loads only
 * the SDK packages it uses (cold start).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ClientSettings } from './settings';
import { withSdkPlugins } from './sdk-plugins';
import { functionRetryConfig } from './retry-strategy';

export type { ClientSettings } from './settings';

let dynamo: DynamoDBClient | undefined;
let doc: DynamoDBDocumentClient | undefined;

export function dynamoDbClient(settings: ClientSettings): DynamoDBClient {
  // The registry is empty in production; the local runtime may register its fault injector there.
  dynamo ??= withSdkPlugins(new DynamoDBClient({ region: settings.region, ...functionRetryConfig() }));
  return dynamo;
}

/**
 * Forgets the clients, so the next call makes new ones from the environment as it is then. For a
 * process that points the same handler modules at another DynamoDB (the bench's groups, one
 * DynamoDB Local each); a Lambda never needs it.
 */
export function forgetDynamoDbClients(): void {
  dynamo?.destroy();
  dynamo = undefined;
  doc = undefined;
}

/** Document client that drops `undefined` attributes instead of failing on them. */
export function documentClient(settings: ClientSettings): DynamoDBDocumentClient {
  doc ??= DynamoDBDocumentClient.from(dynamoDbClient(settings), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  return doc;
}

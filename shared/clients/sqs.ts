/** The SQS client, one per module instance (see dynamodb.ts). */
import { SQSClient } from '@aws-sdk/client-sqs';
import type { ClientSettings } from './settings';
import { withSdkPlugins } from './sdk-plugins';
import { functionRetryConfig } from './retry-strategy';

let sqs: SQSClient | undefined;

export function sqsClient(settings: ClientSettings): SQSClient {
  // Queue URLs are configuration; never let one redirect the client to another host.
  sqs ??= withSdkPlugins(new SQSClient({ region: settings.region, useQueueUrlAsEndpoint: false, ...functionRetryConfig() }));
  return sqs;
}

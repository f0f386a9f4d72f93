/** The S3 client, one per module instance (see dynamodb.ts). */
import { S3Client } from '@aws-sdk/client-s3';
import type { ClientSettings } from './settings';
import { withSdkPlugins } from './sdk-plugins';
import { functionRetryConfig } from './retry-strategy';

let s3: S3Client | undefined;

export function s3Client(settings: ClientSettings): S3Client {
  s3 ??= withSdkPlugins(new S3Client({ region: settings.region, forcePathStyle: settings.s3ForcePathStyle, ...functionRetryConfig() }));
  return s3;
}

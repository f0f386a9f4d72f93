/** The Athena client, one per module instance (see dynamodb.ts). Only run-export uses it (ADR 0029). */
import { AthenaClient } from '@aws-sdk/client-athena';
import type { ClientSettings } from './settings';
import { withSdkPlugins } from './sdk-plugins';
import { functionRetryConfig } from './retry-strategy';

let athena: AthenaClient | undefined;

export function athenaClient(settings: ClientSettings): AthenaClient {
  athena ??= withSdkPlugins(new AthenaClient({ region: settings.region, ...functionRetryConfig() }));
  return athena;
}

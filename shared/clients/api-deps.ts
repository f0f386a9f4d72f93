/** The repositories and ports the HTTP use cases share, over the main table. */
import { campaignCatalogOf } from './campaign-catalog';
import { runtimeClock } from '../clock';
import { DynamoDbActivityRepository } from '../repositories/activity-repository';
import { DynamoDbExtensionSource } from '../repositories/extension-repository';
import { DynamoDbOrganizationDirectory } from '../repositories/organization-repository';
import { DynamoDbSummaryRepository } from '../repositories/summary-repository';
import { DynamoDbMediaRepository } from '../repositories/media-repository';
import { documentClient, type ClientSettings } from './dynamodb';

export function mainTableDeps(config: ClientSettings & { readonly tables: { readonly main: string } }) {
  const table = { client: documentClient(config), tableName: config.tables.main };
  return {
    campaigns: campaignCatalogOf(config),
    clock: runtimeClock,
    activities: new DynamoDbActivityRepository(table),
    organizations: new DynamoDbOrganizationDirectory(table),
    extensions: new DynamoDbExtensionSource(table),
    summaries: new DynamoDbSummaryRepository(table),
    media: new DynamoDbMediaRepository(table),
  };
}

/** The ports of the campaign admin routes (ADR 0023), over the main table. */
import { runtimeClock } from '../clock';
import { DynamoDbCampaignReviews } from '../repositories/campaign-repository';
import { DynamoDbOrganizationDirectory } from '../repositories/organization-repository';
import { DynamoDbRetentionIndex } from '../repositories/personal-data-repository';
import { campaignCatalogOf, campaignStoreOf } from './campaign-catalog';
import { documentClient, type ClientSettings } from './dynamodb';

export function campaignAdminDeps(config: ClientSettings & { readonly tables: { readonly main: string } }) {
  const table = { client: documentClient(config), tableName: config.tables.main };
  return {
    store: campaignStoreOf(config),
    cache: campaignCatalogOf(config),
    clock: runtimeClock,
    organizations: new DynamoDbOrganizationDirectory(table),
    reviews: new DynamoDbCampaignReviews(table),
    retention: new DynamoDbRetentionIndex(table),
  };
}

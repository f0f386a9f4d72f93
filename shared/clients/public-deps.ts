/** What the public routes read (ADR 0044): the campaigns and units (main table) and the public calendar (progress table). */
import { campaignCatalogOf } from './campaign-catalog';
import { documentClient, type ClientSettings } from './dynamodb';
import { DynamoDbOrganizationDirectory } from '../repositories/organization-repository';
import { DynamoDbPublicCalendar } from '../repositories/public-calendar-repository';

export function publicCalendarDeps(config: ClientSettings & { readonly tables: { readonly main: string; readonly progress: string } }) {
  const client = documentClient(config);
  return {
    campaigns: campaignCatalogOf(config),
    organizations: new DynamoDbOrganizationDirectory({ client, tableName: config.tables.main }),
    calendar: new DynamoDbPublicCalendar({ client, tableName: config.tables.progress }),
  };
}

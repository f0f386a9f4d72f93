// (HTTP GET /v1/campaigns/{campaignId}/organizations/{orgId}/status) --> getUnitStatus --> (main table: the unit's extensions, due index, activities; the campaign's flags)
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { campaignCatalogOf } from '../../shared/clients/campaign-catalog';
import { documentClient } from '../../shared/clients/dynamodb';
import { runtimeClock } from '../../shared/clock';
import { loadConfig } from '../../shared/config';
import { apiHandler } from '../../shared/http/api-handler';
import { json } from '../../shared/http/middleware';
import { pathParam, principalOf } from '../../shared/http/request';
import { unitStatusView } from '../../shared/http/unit-status-views';
import { DynamoDbActivityRepository } from '../../shared/repositories/activity-repository';
import { DynamoDbExtensionSource } from '../../shared/repositories/extension-repository';
import { DynamoDbFlagRepository } from '../../shared/repositories/flag-repository';
import { DynamoDbOrganizationDirectory } from '../../shared/repositories/organization-repository';
import { DynamoDbSweepStore } from '../../shared/repositories/sweep-repository';
import { getUnitStatus } from '../../shared/use-cases/get-unit-status';

const config = loadConfig({ tables: ['main'] });
const table = { client: documentClient(config), tableName: config.tables.main };
const deps = {
  campaigns: campaignCatalogOf(config),
  organizations: new DynamoDbOrganizationDirectory(table),
  extensions: new DynamoDbExtensionSource(table),
  // The reminders' reading of what a unit still owes; only its read methods are reachable here.
  gaps: new DynamoDbSweepStore(table),
  flags: new DynamoDbFlagRepository(table),
  activities: new DynamoDbActivityRepository(table),
  clock: runtimeClock,
};

const getUnitStatusRoute = async (event: APIGatewayProxyEventV2) => {
  const status = await getUnitStatus(
    { principal: principalOf(event), campaignId: pathParam(event, 'campaignId'), organizationId: pathParam(event, 'orgId') },
    deps,
  );
  // Seconds left and gaps change by the minute: never served from a cache.
  return json(200, unitStatusView(status), { 'cache-control': 'no-store' });
};

export const handler = apiHandler('get-unit-status', getUnitStatusRoute);

// (HTTP GET /v1/campaigns/{campaignId}/organizations/{orgId}/inbox) --> getInbox --> (main table, unit partition)
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { loadConfig } from '../../shared/config';
import { campaignCatalogOf } from '../../shared/clients/campaign-catalog';
import { documentClient } from '../../shared/clients/dynamodb';
import { apiHandler } from '../../shared/http/api-handler';
import { json } from '../../shared/http/middleware';
import { inboxMessageView } from '../../shared/http/inbox-views';
import { listParams, pathParam, principalOf } from '../../shared/http/request';
import { DynamoDbInboxReader } from '../../shared/repositories/inbox-repository';
import { DynamoDbOrganizationDirectory } from '../../shared/repositories/organization-repository';
import { getInbox } from '../../shared/use-cases/get-inbox';

const config = loadConfig({ tables: ['main'] });
const table = { client: documentClient(config), tableName: config.tables.main };
const deps = { campaigns: campaignCatalogOf(config), organizations: new DynamoDbOrganizationDirectory(table), inbox: new DynamoDbInboxReader(table) };

const getInboxRoute = async (event: APIGatewayProxyEventV2) => {
  const { page, campaign } = await getInbox(
    { principal: principalOf(event), campaignId: pathParam(event, 'campaignId'), organizationId: pathParam(event, 'orgId'), ...listParams(event) },
    deps,
  );
  return json(200, { items: page.items.map((m) => inboxMessageView(m, campaign)), nextCursor: page.nextCursor });
};

export const handler = apiHandler('get-inbox', getInboxRoute);

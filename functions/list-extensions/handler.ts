// (HTTP GET /v1/campaigns/{campaignId}/extensions) --> listExtensions --> (main table: the unit's partition, or gsi2)
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { loadConfig } from '../../shared/config';
import { campaignCatalogOf } from '../../shared/clients/campaign-catalog';
import { documentClient } from '../../shared/clients/dynamodb';
import { apiHandler } from '../../shared/http/api-handler';
import { json } from '../../shared/http/middleware';
import { extensionView } from '../../shared/http/extension-views';
import { listParams, pathParam, principalOf } from '../../shared/http/request';
import { DynamoDbExtensionRepository } from '../../shared/repositories/extension-repository';
import { listExtensions } from '../../shared/use-cases/list-extensions';

const config = loadConfig({ tables: ['main'] });
const deps = {
  campaigns: campaignCatalogOf(config),
  extensions: new DynamoDbExtensionRepository({ client: documentClient(config), tableName: config.tables.main }),
};

const listExtensionsRoute = async (event: APIGatewayProxyEventV2) => {
  const { page, campaign } = await listExtensions(
    {
      principal: principalOf(event),
      campaignId: pathParam(event, 'campaignId'),
      query: event.queryStringParameters ?? {},
      ...listParams(event),
    },
    deps,
  );
  return json(200, { items: page.items.map((e) => extensionView(e, campaign)), nextCursor: page.nextCursor });
};

export const handler = apiHandler('list-extensions', listExtensionsRoute);

// (HTTP GET /v1/campaigns/{campaignId}/flags) --> listFlags --> (main table, gsi1)
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { loadConfig } from '../../shared/config';
import { campaignCatalogOf } from '../../shared/clients/campaign-catalog';
import { documentClient } from '../../shared/clients/dynamodb';
import { apiHandler } from '../../shared/http/api-handler';
import { json } from '../../shared/http/middleware';
import { flagView } from '../../shared/http/flag-views';
import { listParams, pathParam, principalOf } from '../../shared/http/request';
import { DynamoDbFlagRepository } from '../../shared/repositories/flag-repository';
import { listFlags } from '../../shared/use-cases/list-flags';

const config = loadConfig({ tables: ['main'] });
const deps = {
  campaigns: campaignCatalogOf(config),
  flags: new DynamoDbFlagRepository({ client: documentClient(config), tableName: config.tables.main }),
};

const listFlagsRoute = async (event: APIGatewayProxyEventV2) => {
  const { page, campaign } = await listFlags(
    {
      principal: principalOf(event),
      campaignId: pathParam(event, 'campaignId'),
      query: event.queryStringParameters ?? {},
      ...listParams(event),
    },
    deps,
  );
  return json(200, { items: page.items.map((f) => flagView(f, campaign)), nextCursor: page.nextCursor });
};

export const handler = apiHandler('list-flags', listFlagsRoute);

// (HTTP GET /v1/campaigns/{campaignId}/exports) --> listExports --> (main table, gsi1)
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { loadConfig } from '../../shared/config';
import { campaignCatalogOf } from '../../shared/clients/campaign-catalog';
import { documentClient } from '../../shared/clients/dynamodb';
import { apiHandler } from '../../shared/http/api-handler';
import { json } from '../../shared/http/middleware';
import { exportListItemView } from '../../shared/http/export-views';
import { listParams, pathParam, principalOf } from '../../shared/http/request';
import { DynamoDbExportRepository } from '../../shared/repositories/export-repository';
import { listExports } from '../../shared/use-cases/list-exports';

const config = loadConfig({ tables: ['main'] });
const deps = {
  campaigns: campaignCatalogOf(config),
  exports: new DynamoDbExportRepository({ client: documentClient(config), tableName: config.tables.main }),
};

const listExportsRoute = async (event: APIGatewayProxyEventV2) => {
  const { page, campaign } = await listExports(
    {
      principal: principalOf(event),
      campaignId: pathParam(event, 'campaignId'),
      query: event.queryStringParameters ?? {},
      ...listParams(event),
    },
    deps,
  );
  // A list whose items change state while an export runs: never from a cache.
  return json(200, { items: page.items.map((e) => exportListItemView(e, campaign)), nextCursor: page.nextCursor }, { 'cache-control': 'no-store' });
};

export const handler = apiHandler('list-exports', listExportsRoute);

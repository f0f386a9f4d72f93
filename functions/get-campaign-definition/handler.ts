// (HTTP GET /v1/campaigns/{campaignId}/definition) --> the stored campaign --> (main table, strongly consistent)
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { loadConfig } from '../../shared/config';
import { campaignStoreOf } from '../../shared/clients/campaign-catalog';
import { apiHandler } from '../../shared/http/api-handler';
import { json } from '../../shared/http/middleware';
import { etagOf, pathParam, principalOf } from '../../shared/http/request';
import { storedCampaignView } from '../../shared/http/campaign-views';
import { managedCampaign } from '../../shared/use-cases/campaign-admin';

const store = campaignStoreOf(loadConfig({ tables: ['main'] }));

const getDefinitionRoute = async (event: APIGatewayProxyEventV2) => {
  const stored = await managedCampaign(principalOf(event), store, pathParam(event, 'campaignId'));
  return json(200, storedCampaignView(stored), { etag: etagOf(stored.version), 'cache-control': 'private, no-store' });
};

export const handler = apiHandler('get-campaign-definition', getDefinitionRoute);

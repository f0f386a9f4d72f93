// (HTTP GET /v1/campaigns/{campaignId}) --> campaign + its units --> (main table)
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { loadConfig } from '../../shared/config';
import { mainTableDeps } from '../../shared/clients/api-deps';
import { apiHandler } from '../../shared/http/api-handler';
import { json } from '../../shared/http/middleware';
import { pathParam } from '../../shared/http/request';
import { campaignView } from '../../shared/http/views';
import { campaignOrNotFound } from '../../shared/use-cases/activity-access';

const deps = mainTableDeps(loadConfig({ tables: ['main'] }));

const getCampaign = async (event: APIGatewayProxyEventV2) => {
  const campaign = campaignOrNotFound(deps.campaigns, pathParam(event, 'campaignId'));
  return json(200, campaignView(campaign, await deps.organizations.list(campaign)), { 'cache-control': 'public, max-age=60' });
};

export const handler = apiHandler('get-campaign', getCampaign);

// (HTTP GET /v1/campaigns/{campaignId}) --> campaign + its units --> (main table)
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { loadConfig } from '../../shared/config';
import { mainTableDeps } from '../../shared/clients/api-deps';
import { apiHandler } from '../../shared/http/api-handler';
import { json } from '../../shared/http/middleware';
import { pathParam } from '../../shared/http/request';
import { campaignView } from '../../shared/http/campaign-views';
import { NotFoundError } from '../../shared/errors';

const deps = mainTableDeps(loadConfig({ tables: ['main'] }));

const getCampaign = async (event: APIGatewayProxyEventV2) => {
  const campaignId = pathParam(event, 'campaignId');
  const campaign = await deps.campaigns.find(campaignId);
  // A public route: a draft is never public, and answers exactly as a missing campaign.
  if (!campaign || campaign.status === 'draft') throw new NotFoundError(`campaign ${campaignId} not found`);
  return json(200, campaignView(campaign, await deps.organizations.list(campaign)), { 'cache-control': 'public, max-age=60' });
};

export const handler = apiHandler('get-campaign', getCampaign);

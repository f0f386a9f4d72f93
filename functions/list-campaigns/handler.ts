// (HTTP GET /v1/campaigns) --> listCampaigns --> (main table: the campaigns' partition, cached)
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { loadConfig } from '../../shared/config';
import { campaignCatalogOf } from '../../shared/clients/campaign-catalog';
import { apiHandler } from '../../shared/http/api-handler';
import { json } from '../../shared/http/middleware';
import { principalOf } from '../../shared/http/request';
import { listCampaigns } from '../../shared/use-cases/list-campaigns';

const deps = { campaigns: campaignCatalogOf(loadConfig({ tables: ['main'] })) };

const listCampaignsRoute = async (event: APIGatewayProxyEventV2) =>
  json(200, await listCampaigns({ principal: principalOf(event) }, deps), { 'cache-control': 'private, no-store' });

export const handler = apiHandler('list-campaigns', listCampaignsRoute);

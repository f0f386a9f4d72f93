// (HTTP GET /v1/campaigns/{campaignId}/organizations) --> the campaign's units --> (main table)
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { loadConfig } from '../../shared/config';
import { mainTableDeps } from '../../shared/clients/api-deps';
import { apiHandler } from '../../shared/http/api-handler';
import { json } from '../../shared/http/middleware';
import { organizationView } from '../../shared/http/organization-views';
import { listParams, pathParam, principalOf } from '../../shared/http/request';
import { campaignFor } from '../../shared/use-cases/activity-access';

const deps = mainTableDeps(loadConfig({ tables: ['main'] }));

const listOrganizations = async (event: APIGatewayProxyEventV2) => {
  // Anyone signed in, in the campaign's city (a draft to its admins only).
  const campaign = await campaignFor(principalOf(event), deps.campaigns, pathParam(event, 'campaignId'));
  // One page (`?limit=` 1..100, default 20; `?cursor=` signed for this campaign's list).
  const page = await deps.organizations.page(campaign, listParams(event));
  return json(200, { items: page.items.map(organizationView), nextCursor: page.nextCursor });
};

export const handler = apiHandler('list-organizations', listOrganizations);

// (HTTP PATCH /v1/campaigns/{campaignId}/definition) --> updateCampaign --> (main table; audited from the stream)
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { loadConfig } from '../../shared/config';
import { campaignAdminDeps } from '../../shared/clients/campaign-admin-deps';
import { VersionRequiredError } from '../../shared/errors';
import { apiHandler } from '../../shared/http/api-handler';
import { json } from '../../shared/http/middleware';
import { etagOf, ifMatchVersion, jsonBody, pathParam, principalOf } from '../../shared/http/request';
import { storedCampaignView } from '../../shared/http/campaign-views';
import { requireAdmin } from '../../shared/use-cases/campaign-admin';
import { updateCampaign } from '../../shared/use-cases/update-campaign';

const deps = campaignAdminDeps(loadConfig({ tables: ['main'] }));

const updateCampaignRoute = async (event: APIGatewayProxyEventV2) => {
  const principal = principalOf(event);
  requireAdmin(principal);
  const expectedVersion = ifMatchVersion(event);
  const patch = jsonBody(event);
  if (expectedVersion === undefined) throw new VersionRequiredError();
  const stored = await updateCampaign({ principal, campaignId: pathParam(event, 'campaignId'), expectedVersion, patch }, deps);
  return json(200, storedCampaignView(stored), { etag: etagOf(stored.version) });
};

export const handler = apiHandler('update-campaign', updateCampaignRoute);

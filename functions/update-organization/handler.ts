// (HTTP PATCH /v1/campaigns/{campaignId}/organizations/{orgId}) --> updateOrganization --> (main table)
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { loadConfig, loadWebhookPolicy } from '../../shared/config';
import { documentClient } from '../../shared/clients/dynamodb';
import { mainTableDeps } from '../../shared/clients/api-deps';
import { resolveHostAddresses } from '../../shared/clients/webhook-client';
import { apiHandler } from '../../shared/http/api-handler';
import { json } from '../../shared/http/middleware';
import { organizationSettingsView } from '../../shared/http/organization-views';
import { etagOf, ifMatchVersion, jsonBody, pathParam, principalOf } from '../../shared/http/request';
import { DynamoDbOrganizationSettingsStore } from '../../shared/repositories/organization-repository';
import { campaignOrNotFound } from '../../shared/use-cases/activity-access';
import { updateOrganization } from '../../shared/use-cases/update-organization';

const config = loadConfig({ tables: ['main'] });
const deps = {
  ...mainTableDeps(config),
  settings: new DynamoDbOrganizationSettingsStore({ client: documentClient(config), tableName: config.tables.main }),
  webhookPolicy: loadWebhookPolicy(),
  resolveHost: (host: string) => resolveHostAddresses(host),
};

const updateOrganizationRoute = async (event: APIGatewayProxyEventV2) => {
  const campaignId = pathParam(event, 'campaignId');
  const { organization, settings } = await updateOrganization(
    {
      principal: principalOf(event),
      campaignId,
      organizationId: pathParam(event, 'orgId'),
      ifMatch: ifMatchVersion(event),
      body: jsonBody(event),
    },
    deps,
  );
  const campaign = await campaignOrNotFound(deps.campaigns, campaignId);
  // There is no GET of one unit: the PATCH answers the settings it leaves.
  return json(200, organizationSettingsView(organization, settings, campaign), { etag: etagOf(settings.version) });
};

export const handler = apiHandler('update-organization', updateOrganizationRoute);

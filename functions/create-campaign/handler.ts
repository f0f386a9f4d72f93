// (HTTP POST /v1/campaigns) --> createCampaign --> (main table: the campaign item; audited from the stream)
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { loadConfig } from '../../shared/config';
import { campaignAdminDeps } from '../../shared/clients/campaign-admin-deps';
import { dynamoDbClient } from '../../shared/clients/dynamodb';
import { apiHandler } from '../../shared/http/api-handler';
import { idempotencyMiddlewares } from '../../shared/http/idempotency';
import { json } from '../../shared/http/middleware';
import { writeIdentityOf } from '../../shared/http/write-identity';
import { etagOf, jsonBody, principalOf } from '../../shared/http/request';
import { observability } from '../../shared/observability';
import { storedCampaignView } from '../../shared/http/campaign-views';
import { createCampaign } from '../../shared/use-cases/create-campaign';

const config = loadConfig({ tables: ['main', 'idempotency'] });
const deps = campaignAdminDeps(config);
const obs = observability('create-campaign');

const createCampaignRoute = async (event: APIGatewayProxyEventV2) => {
  const { value: stored, repeated } = await createCampaign({ principal: principalOf(event), body: jsonBody(event), write: writeIdentityOf(event) }, deps);
  if (!repeated) obs.metrics.addMetric('campaigns_created', MetricUnit.Count, 1);
  return json(201, storedCampaignView(stored), {
    location: `/v1/campaigns/${stored.definition.id}/definition`,
    etag: etagOf(stored.version),
    ...(repeated ? { 'idempotent-replayed': 'true' } : {}),
  });
};

export const handler = apiHandler('create-campaign', createCampaignRoute, {
  observability: obs,
  extraMiddlewares: idempotencyMiddlewares(dynamoDbClient(config), config.tables.idempotency),
});

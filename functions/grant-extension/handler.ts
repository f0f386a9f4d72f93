// (HTTP POST /v1/campaigns/{campaignId}/extensions) --> grantExtension --> (main table; audited from the stream)
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { loadConfig } from '../../shared/config';
import { documentClient, dynamoDbClient } from '../../shared/clients/dynamodb';
import { campaignCatalogOf } from '../../shared/clients/campaign-catalog';
import { runtimeClock } from '../../shared/clock';
import { observability } from '../../shared/observability';
import { apiHandler } from '../../shared/http/api-handler';
import { idempotencyMiddlewares } from '../../shared/http/idempotency';
import { json } from '../../shared/http/middleware';
import { writeIdentityOf } from '../../shared/http/write-identity';
import { extensionView } from '../../shared/http/extension-views';
import { jsonBody, pathParam, principalOf } from '../../shared/http/request';
import { DynamoDbActivityStore } from '../../shared/repositories/activity-repository';
import { DynamoDbExtensionRepository } from '../../shared/repositories/extension-repository';
import { DynamoDbOrganizationDirectory } from '../../shared/repositories/organization-repository';
import { grantExtension, type GrantExtensionDeps } from '../../shared/use-cases/grant-extension';

const config = loadConfig({ tables: ['main', 'idempotency'] });
// Only the ports it uses (not mainTableDeps): every other repository would be bundled and loaded at cold start.
const table = { client: documentClient(config), tableName: config.tables.main };
const deps: GrantExtensionDeps = {
  campaigns: campaignCatalogOf(config),
  organizations: new DynamoDbOrganizationDirectory(table),
  activities: new DynamoDbActivityStore(table),
  extensions: new DynamoDbExtensionRepository(table),
  clock: runtimeClock,
};
const obs = observability('grant-extension');

const grantExtensionRoute = async (event: APIGatewayProxyEventV2) => {
  const { extension, campaign, repeated } = await grantExtension(
    { principal: principalOf(event), campaignId: pathParam(event, 'campaignId'), body: jsonBody(event), write: writeIdentityOf(event) },
    deps,
  );
  if (!repeated) obs.metrics.addMetric('extensions_granted', MetricUnit.Count, 1);
  return json(201, extensionView(extension, campaign), repeated ? { 'idempotent-replayed': 'true' } : {});
};

export const handler = apiHandler('grant-extension', grantExtensionRoute, {
  observability: obs,
  extraMiddlewares: idempotencyMiddlewares(dynamoDbClient(config), config.tables.idempotency),
});

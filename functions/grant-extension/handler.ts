// (HTTP POST /v1/campaigns/{campaignId}/extensions) --> grantExtension --> (main table; audited from the stream)
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { loadConfig } from '../../shared/config';
import { documentClient, dynamoDbClient } from '../../shared/clients/dynamodb';
import { mainTableDeps } from '../../shared/clients/api-deps';
import { observability } from '../../shared/observability';
import { apiHandler } from '../../shared/http/api-handler';
import { idempotencyMiddlewares } from '../../shared/http/idempotency';
import { json } from '../../shared/http/middleware';
import { writeIdentityOf } from '../../shared/http/write-identity';
import { extensionView } from '../../shared/http/extension-views';
import { jsonBody, pathParam, principalOf } from '../../shared/http/request';
import { DynamoDbExtensionRepository } from '../../shared/repositories/extension-repository';
import { grantExtension } from '../../shared/use-cases/grant-extension';

const config = loadConfig({ tables: ['main', 'idempotency'] });
const deps = {
  ...mainTableDeps(config),
  extensions: new DynamoDbExtensionRepository({ client: documentClient(config), tableName: config.tables.main }),
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

// (HTTP POST /v1/people/{sub}/erasure) --> erasePerson --> (main table: scrubbed items, the erasure; audited and redacted from the stream)
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { campaignCatalogOf } from '../../shared/clients/campaign-catalog';
import { documentClient, dynamoDbClient } from '../../shared/clients/dynamodb';
import { stackPseudonyms } from '../../shared/clients/pseudonyms';
import { runtimeClock } from '../../shared/clock';
import { loadConfig } from '../../shared/config';
import { apiHandler } from '../../shared/http/api-handler';
import { idempotencyMiddlewares } from '../../shared/http/idempotency';
import { json } from '../../shared/http/middleware';
import { erasureView } from '../../shared/http/personal-data-views';
import { jsonBody, pathParam, principalOf } from '../../shared/http/request';
import { writeIdentityOf } from '../../shared/http/write-identity';
import { DynamoDbAuditRepository } from '../../shared/repositories/dynamodb-audit-repository';
import { DynamoDbPersonalDataStore } from '../../shared/repositories/personal-data-repository';
import { observability } from '../../shared/observability';
import { erasePerson } from '../../shared/use-cases/erase-person';

const config = loadConfig({ tables: ['main', 'audit', 'idempotency'] });
const deps = {
  ledger: new DynamoDbAuditRepository({ client: documentClient(config), tableName: config.tables.audit }),
  store: new DynamoDbPersonalDataStore({ client: documentClient(config), tableName: config.tables.main }),
  campaigns: campaignCatalogOf(config),
  clock: runtimeClock,
};
const obs = observability('erase-person');

const erasePersonRoute = async (event: APIGatewayProxyEventV2) => {
  const { erasure, repeated } = await erasePerson(
    { principal: principalOf(event), sub: pathParam(event, 'sub'), body: jsonBody(event), write: writeIdentityOf(event) },
    { ...deps, pseudonyms: await stackPseudonyms() },
  );
  // The erasure's id and counts only: never the person's sub or contact in a log line.
  if (!repeated) obs.metrics.addMetric('people_erased', MetricUnit.Count, 1);
  obs.logger.info('erasure recorded', { erasureId: erasure.erasureId, counts: erasure.counts, repeated });
  return json(201, erasureView(erasure), repeated ? { 'idempotent-replayed': 'true' } : {});
};

export const handler = apiHandler('erase-person', erasePersonRoute, {
  observability: obs,
  extraMiddlewares: idempotencyMiddlewares(dynamoDbClient(config), config.tables.idempotency),
});

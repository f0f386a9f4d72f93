// (HTTP POST /v1/activities/{activityId}/withdraw) --> withdrawActivity --> (main table: the activity; the stream audits it and updates the read models)
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
import { etagOf, ifMatchVersion, jsonBody, pathParam, principalOf } from '../../shared/http/request';
import { activityView } from '../../shared/http/views';
import { DynamoDbActivityStore } from '../../shared/repositories/activity-repository';
import { withdrawActivity } from '../../shared/use-cases/withdraw-activity';

const config = loadConfig({ tables: ['main', 'idempotency'] });
// Only the ports it uses (not mainTableDeps): every other repository would be bundled and loaded at cold start.
const table = { client: documentClient(config), tableName: config.tables.main };
const deps = {
  campaigns: campaignCatalogOf(config),
  clock: runtimeClock,
  activities: new DynamoDbActivityStore(table),
};
const obs = observability('withdraw-activity');

const withdrawActivityRoute = async (event: APIGatewayProxyEventV2) => {
  const { activity, flags, campaign } = await withdrawActivity(
    { principal: principalOf(event), activityId: pathParam(event, 'activityId'), ifMatch: ifMatchVersion(event), body: jsonBody(event) },
    deps,
  );
  obs.metrics.addMetric('activities_withdrawn', MetricUnit.Count, 1);
  return json(200, activityView(activity, flags, campaign), { etag: etagOf(activity.version) });
};

export const handler = apiHandler('withdraw-activity', withdrawActivityRoute, {
  observability: obs,
  extraMiddlewares: idempotencyMiddlewares(dynamoDbClient(config), config.tables.idempotency),
});

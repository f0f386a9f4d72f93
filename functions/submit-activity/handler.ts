// (HTTP POST /v1/activities/{activityId}/submit) --> submitActivity --> (main table: activity + flags)
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
import { etagOf, ifMatchVersion, pathParam, principalOf } from '../../shared/http/request';
import { activityView } from '../../shared/http/views';
import { DynamoDbActivityStore } from '../../shared/repositories/activity-repository';
import { DynamoDbExtensionSource } from '../../shared/repositories/extension-repository';
import { submitActivity } from '../../shared/use-cases/submit-activity';

const config = loadConfig({ tables: ['main', 'idempotency'] });
// Only the ports it uses (not mainTableDeps): every other repository would be bundled and loaded at cold start.
const table = { client: documentClient(config), tableName: config.tables.main };
const deps = {
  campaigns: campaignCatalogOf(config),
  clock: runtimeClock,
  activities: new DynamoDbActivityStore(table),
  extensions: new DynamoDbExtensionSource(table),
};
const obs = observability('submit-activity');

const submitActivityRoute = async (event: APIGatewayProxyEventV2) => {
  const { activity, flags, campaign, repeated } = await submitActivity(
    { principal: principalOf(event), activityId: pathParam(event, 'activityId'), ifMatch: ifMatchVersion(event), write: writeIdentityOf(event) },
    deps,
  );
  if (!repeated) {
    obs.metrics.addMetric('activities_submitted', MetricUnit.Count, 1);
    if (flags.some((f) => f.code === 'registration-late')) obs.metrics.addMetric('activities_submitted_late', MetricUnit.Count, 1);
  }
  return json(200, activityView(activity, flags, campaign), { etag: etagOf(activity.version), ...(repeated ? { 'idempotent-replayed': 'true' } : {}) });
};

export const handler = apiHandler('submit-activity', submitActivityRoute, {
  observability: obs,
  extraMiddlewares: idempotencyMiddlewares(dynamoDbClient(config), config.tables.idempotency),
});

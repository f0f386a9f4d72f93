// (HTTP POST /v1/campaigns/{campaignId}/activities) --> createActivity --> (main table)
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { loadConfig } from '../../shared/config';
import { mainTableDeps } from '../../shared/clients/api-deps';
import { observability } from '../../shared/observability';
import { apiHandler } from '../../shared/http/api-handler';
import { json } from '../../shared/http/middleware';
import { writeIdentityOf } from '../../shared/http/write-identity';
import { etagOf, jsonBody, pathParam, principalOf } from '../../shared/http/request';
import { activityView } from '../../shared/http/views';
import { campaignOrNotFound } from '../../shared/use-cases/activity-access';
import { createActivity } from '../../shared/use-cases/create-activity';

const config = loadConfig({ tables: ['main'] });
const deps = mainTableDeps(config);
const obs = observability('create-activity');

const createActivityRoute = async (event: APIGatewayProxyEventV2) => {
  const { value: activity, repeated } = await createActivity(
    { principal: principalOf(event), campaignId: pathParam(event, 'campaignId'), body: jsonBody(event), write: writeIdentityOf(event) },
    deps,
  );
  if (!repeated) obs.metrics.addMetric('activities_created', MetricUnit.Count, 1);
  const campaign = await campaignOrNotFound(deps.campaigns, activity.campaignId);
  return json(201, activityView(activity, [], campaign), {
    location: `/v1/activities/${activity.activityId}`,
    etag: etagOf(activity.version),
    ...(repeated ? { 'idempotent-replayed': 'true' } : {}),
  });
};

// No Powertools idempotency record: the id derived from the Idempotency-Key and the create token make
// the write exactly once, and a replay answers the first response from them (ADRs 0025, 0049).
export const handler = apiHandler('create-activity', createActivityRoute, { observability: obs });

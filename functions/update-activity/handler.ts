// (HTTP PATCH /v1/activities/{activityId}) --> updateActivity --> (main table)
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { loadConfig } from '../../shared/config';
import { mainTableDeps } from '../../shared/clients/api-deps';
import { apiHandler } from '../../shared/http/api-handler';
import { json } from '../../shared/http/middleware';
import { etagOf, ifMatchVersion, jsonBody, pathParam, principalOf } from '../../shared/http/request';
import { activityView } from '../../shared/http/views';
import { updateActivity } from '../../shared/use-cases/update-activity';

const deps = mainTableDeps(loadConfig({ tables: ['main'] }));

const updateActivityRoute = async (event: APIGatewayProxyEventV2) => {
  const { activity, flags, campaign } = await updateActivity(
    { principal: principalOf(event), activityId: pathParam(event, 'activityId'), ifMatch: ifMatchVersion(event), body: jsonBody(event) },
    deps,
  );
  return json(200, activityView(activity, flags, campaign), { etag: etagOf(activity.version) });
};

export const handler = apiHandler('update-activity', updateActivityRoute);

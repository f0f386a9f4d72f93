// (HTTP GET /v1/activities/{activityId}) --> readableActivity --> (main table)
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { loadConfig } from '../../shared/config';
import { mainTableDeps } from '../../shared/clients/api-deps';
import { apiHandler } from '../../shared/http/api-handler';
import { json } from '../../shared/http/middleware';
import { etagOf, pathParam, principalOf } from '../../shared/http/request';
import { activityView } from '../../shared/http/views';
import { readableActivity } from '../../shared/use-cases/activity-access';

const deps = mainTableDeps(loadConfig({ tables: ['main'] }));

const getActivity = async (event: APIGatewayProxyEventV2) => {
  const { activity, flags, results, campaign } = await readableActivity(principalOf(event), pathParam(event, 'activityId'), deps);
  return json(200, activityView(activity, flags, campaign, results), { etag: etagOf(activity.version) });
};

export const handler = apiHandler('get-activity', getActivity);

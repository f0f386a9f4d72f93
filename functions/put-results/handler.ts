// (HTTP PUT /v1/activities/{activityId}/results) --> putResults --> (main table: results, activity, flags)
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { loadConfig } from '../../shared/config';
import { mainTableDeps } from '../../shared/clients/api-deps';
import { observability } from '../../shared/observability';
import { apiHandler } from '../../shared/http/api-handler';
import { json } from '../../shared/http/middleware';
import { etagOf, ifMatchVersion, jsonBody, pathParam, principalOf } from '../../shared/http/request';
import { activityView } from '../../shared/http/views';
import { putResults } from '../../shared/use-cases/put-results';

const deps = mainTableDeps(loadConfig({ tables: ['main'] }));
const obs = observability('put-results');

const putResultsRoute = async (event: APIGatewayProxyEventV2) => {
  const { results, activity, flags, campaign } = await putResults(
    { principal: principalOf(event), activityId: pathParam(event, 'activityId'), ifMatch: ifMatchVersion(event), body: jsonBody(event) },
    deps,
  );
  obs.metrics.addMetric('results_saved', MetricUnit.Count, 1);
  if (flags.some((f) => f.code === 'results-late')) obs.metrics.addMetric('results_late', MetricUnit.Count, 1);
  return json(200, activityView(activity, flags, campaign, results), { etag: etagOf(results.version) });
};

export const handler = apiHandler('put-results', putResultsRoute, { observability: obs });

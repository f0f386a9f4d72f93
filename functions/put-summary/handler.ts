// (HTTP PUT /v1/campaigns/{campaignId}/organizations/{orgId}/summary) --> putSummary --> (main table)
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { loadConfig } from '../../shared/config';
import { mainTableDeps } from '../../shared/clients/api-deps';
import { observability } from '../../shared/observability';
import { apiHandler } from '../../shared/http/api-handler';
import { json } from '../../shared/http/middleware';
import { etagOf, ifMatchVersion, jsonBody, pathParam, principalOf } from '../../shared/http/request';
import { flagView } from '../../shared/http/flag-views';
import { summaryView } from '../../shared/http/views';
import { putSummary } from '../../shared/use-cases/work-summary';

const deps = mainTableDeps(loadConfig({ tables: ['main'] }));
const obs = observability('put-summary');

const putSummaryRoute = async (event: APIGatewayProxyEventV2) => {
  const { summary, flags, campaign } = await putSummary(
    {
      principal: principalOf(event),
      campaignId: pathParam(event, 'campaignId'),
      organizationId: pathParam(event, 'orgId'),
      ifMatch: ifMatchVersion(event),
      body: jsonBody(event),
    },
    deps,
  );
  obs.metrics.addMetric('summaries_saved', MetricUnit.Count, 1);
  if (flags.length > 0) obs.metrics.addMetric('summaries_late', MetricUnit.Count, 1);
  return json(200, { ...summaryView(summary, campaign), flags: flags.map((f) => flagView(f, campaign)) }, {
    etag: etagOf(summary.version),
  });
};

export const handler = apiHandler('put-summary', putSummaryRoute, { observability: obs });

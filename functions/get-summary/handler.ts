// (HTTP GET /v1/campaigns/{campaignId}/organizations/{orgId}/summary) --> getSummary --> (main table)
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { loadConfig } from '../../shared/config';
import { mainTableDeps } from '../../shared/clients/api-deps';
import { apiHandler } from '../../shared/http/api-handler';
import { json } from '../../shared/http/middleware';
import { etagOf, pathParam, principalOf } from '../../shared/http/request';
import { summaryView } from '../../shared/http/views';
import { getSummary } from '../../shared/use-cases/work-summary';

const deps = mainTableDeps(loadConfig({ tables: ['main'] }));

const getSummaryRoute = async (event: APIGatewayProxyEventV2) => {
  const { summary, campaign } = await getSummary(
    { principal: principalOf(event), campaignId: pathParam(event, 'campaignId'), organizationId: pathParam(event, 'orgId') },
    deps,
  );
  return json(200, summaryView(summary, campaign), { etag: etagOf(summary.version) });
};

export const handler = apiHandler('get-summary', getSummaryRoute);

// (HTTP GET /v1/campaigns/{campaignId}/activities) --> listActivities --> (main table, gsi1/gsi2)
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { loadConfig } from '../../shared/config';
import { mainTableDeps } from '../../shared/clients/api-deps';
import { BadRequestError } from '../../shared/errors';
import { apiHandler } from '../../shared/http/api-handler';
import { json } from '../../shared/http/middleware';
import { listParams, pathParam, principalOf } from '../../shared/http/request';
import { activityView } from '../../shared/http/views';
import { listActivities } from '../../shared/use-cases/list-activities';

const deps = mainTableDeps(loadConfig({ tables: ['main'] }));
const FILTERS = ['status', 'county', 'jointAction', 'format'] as const;

const listActivitiesRoute = async (event: APIGatewayProxyEventV2) => {
  const q = event.queryStringParameters ?? {};
  const flagged = q.flagged === undefined ? undefined : q.flagged === 'true' ? true : undefined;
  if (q.flagged !== undefined && q.flagged !== 'true') throw new BadRequestError('flagged takes the value true');
  const { page, campaign } = await listActivities(
    {
      principal: principalOf(event),
      campaignId: pathParam(event, 'campaignId'),
      ...(q.organizationId ? { organizationId: q.organizationId } : {}),
      filters: { ...Object.fromEntries(FILTERS.filter((f) => q[f]).map((f) => [f, q[f]])), ...(flagged ? { flagged } : {}) },
      ...listParams(event),
    },
    deps,
  );
  return json(200, { items: page.items.map((a) => activityView(a, [], campaign)), nextCursor: page.nextCursor });
};

export const handler = apiHandler('list-activities', listActivitiesRoute);

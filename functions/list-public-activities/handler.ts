// (HTTP GET /v1/public/campaigns/{campaignId}/activities, no token) --> listPublicActivities --> (progress table: PUB#<c>#<county>; main table: campaign, units)
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { publicCalendarDeps } from '../../shared/clients/public-deps';
import { loadConfig } from '../../shared/config';
import { apiHandler } from '../../shared/http/api-handler';
import { publicAnswer } from '../../shared/http/public-cache';
import { publicActivityView } from '../../shared/http/public-views';
import { listParams, pathParam } from '../../shared/http/request';
import { listPublicActivities, type PublicQuery } from '../../shared/use-cases/public-calendar';

const deps = publicCalendarDeps(loadConfig({ tables: ['main', 'progress'] }));
const FILTERS = ['county', 'from', 'to', 'jointAction', 'theme', 'format', 'mode', 'q'] as const;

const listPublicActivitiesRoute = async (event: APIGatewayProxyEventV2) => {
  const q = event.queryStringParameters ?? {};
  const query: PublicQuery = Object.fromEntries(FILTERS.filter((f) => q[f] !== undefined).map((f) => [f, q[f]]));
  const { page, campaign, units } = await listPublicActivities({ campaignId: pathParam(event, 'campaignId'), query, ...listParams(event) }, deps);
  const body = { items: page.items.map((e) => publicActivityView(e, campaign, units)), nextCursor: page.nextCursor };
  return publicAnswer(event, JSON.stringify(body), 'application/json; charset=utf-8');
};

export const handler = apiHandler('list-public-activities', listPublicActivitiesRoute);

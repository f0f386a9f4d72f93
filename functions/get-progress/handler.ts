// (HTTP GET /v1/campaigns/{campaignId}/progress) --> getProgress --> (progress table: every unit's totals, one Query; main table: the campaign, cached)
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { campaignCatalogOf } from '../../shared/clients/campaign-catalog';
import { documentClient } from '../../shared/clients/dynamodb';
import { runtimeClock } from '../../shared/clock';
import { loadConfig } from '../../shared/config';
import { formatInstant } from '../../shared/domain/time';
import { apiHandler } from '../../shared/http/api-handler';
import { json } from '../../shared/http/middleware';
import { unitProgressView } from '../../shared/http/progress-views';
import { listParams, pathParam, principalOf } from '../../shared/http/request';
import { DynamoDbProgressStore } from '../../shared/repositories/progress-repository';
import { getProgress } from '../../shared/use-cases/get-progress';

const config = loadConfig({ tables: ['main', 'progress'] });
const deps = {
  campaigns: campaignCatalogOf(config),
  progress: new DynamoDbProgressStore({ client: documentClient(config), tableName: config.tables.progress }),
  clock: runtimeClock,
};

const getProgressRoute = async (event: APIGatewayProxyEventV2) => {
  const { page, campaign } = await getProgress(
    { principal: principalOf(event), campaignId: pathParam(event, 'campaignId'), query: event.queryStringParameters ?? {}, ...listParams(event) },
    deps,
  );
  const asOf = formatInstant(deps.clock.now(), campaign.timeZone);
  // Counts move with every change: never served from a cache.
  return json(
    200,
    { items: page.items.map((u) => unitProgressView(u, campaign)), nextCursor: page.nextCursor, asOf },
    { 'cache-control': 'no-store' },
  );
};

export const handler = apiHandler('get-progress', getProgressRoute);

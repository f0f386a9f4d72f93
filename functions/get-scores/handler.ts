// (HTTP GET /v1/campaigns/{campaignId}/scores) --> getScores --> (progress table: the units' totals; main table: reviews, extensions, marked activities)
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { campaignCatalogOf } from '../../shared/clients/campaign-catalog';
import { documentClient } from '../../shared/clients/dynamodb';
import { runtimeClock } from '../../shared/clock';
import { loadConfig } from '../../shared/config';
import { DynamoDbExportSource } from '../../shared/export/readers';
import { DynamoDbActivityItems, DynamoDbProgressStore } from '../../shared/repositories/progress-repository';
import { apiHandler } from '../../shared/http/api-handler';
import { json } from '../../shared/http/middleware';
import { pathParam, principalOf } from '../../shared/http/request';
import { scoresView } from '../../shared/http/score-views';
import { observability } from '../../shared/observability';
import { getScores } from '../../shared/use-cases/scores';

const config = loadConfig({ tables: ['main', 'progress'] });
const main = { client: documentClient(config), tableName: config.tables.main };
const deps = {
  campaigns: campaignCatalogOf(config),
  // The read model (ADR 0038): one item per unit, whatever the number of activities.
  model: new DynamoDbProgressStore({ client: documentClient(config), tableName: config.tables.progress }),
  // Reviews and extensions: one small partition each.
  source: new DynamoDbExportSource({ ...main, pageSize: 1000 }),
  activities: new DynamoDbActivityItems(main),
};
const obs = observability('get-scores');

const getScoresRoute = async (event: APIGatewayProxyEventV2) => {
  const { report, timings, withheld } = await getScores({ principal: principalOf(event), campaignId: pathParam(event, 'campaignId') }, deps);
  obs.metrics.addMetric('scores_read_ms', MetricUnit.Milliseconds, timings.readMs);
  obs.metrics.addMetric('scores_compute_ms', MetricUnit.Milliseconds, timings.scoreMs);
  obs.metrics.addMetric('scores_units_read', MetricUnit.Count, report.read.units ?? 0);
  obs.logger.info('scores read', { campaignId: report.campaign.id, ...timings, read: report.read });
  return json(200, scoresView(report, timings, runtimeClock.now(), withheld === undefined ? {} : { withheld }), {
    'server-timing': `read;dur=${timings.readMs.toFixed(1)}, score;dur=${timings.scoreMs.toFixed(1)}`,
    'cache-control': 'no-store',
  });
};

export const handler = apiHandler('get-scores', getScoresRoute, { observability: obs });

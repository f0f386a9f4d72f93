// (HTTP POST /v1/flags/{flagId}/waive) --> waiveFlag --> (main table: flag + activity, one transaction)
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { loadConfig } from '../../shared/config';
import { runtimeClock } from '../../shared/clock';
import { campaignCatalogOf } from '../../shared/clients/campaign-catalog';
import { documentClient } from '../../shared/clients/dynamodb';
import { observability } from '../../shared/observability';
import { apiHandler } from '../../shared/http/api-handler';
import { conflictProblem } from '../../shared/http/conflict-problem';
import { json } from '../../shared/http/middleware';
import { flagView } from '../../shared/http/flag-views';
import { jsonBody, pathParam, principalOf } from '../../shared/http/request';
import { DynamoDbFlagRepository, FlagAlreadyWaivedError } from '../../shared/repositories/flag-repository';
import { waiveFlag } from '../../shared/use-cases/waive-flag';

const config = loadConfig({ tables: ['main'] });
const deps = {
  campaigns: campaignCatalogOf(config),
  clock: runtimeClock,
  flags: new DynamoDbFlagRepository({ client: documentClient(config), tableName: config.tables.main }),
};
const obs = observability('waive-flag');

const waiveFlagRoute = async (event: APIGatewayProxyEventV2) => {
  try {
    const { flag, campaign } = await waiveFlag({ principal: principalOf(event), flagId: pathParam(event, 'flagId'), body: jsonBody(event) }, deps);
    obs.metrics.addMetric('flags_waived', MetricUnit.Count, 1);
    return json(200, flagView(flag, campaign));
  } catch (error) {
    if (!(error instanceof FlagAlreadyWaivedError)) throw error;
    obs.metrics.addMetric('rejected', MetricUnit.Count, 1);
    return conflictProblem(event, error);
  }
};

export const handler = apiHandler('waive-flag', waiveFlagRoute, { observability: obs });

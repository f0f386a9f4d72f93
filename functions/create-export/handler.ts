// (HTTP POST /v1/campaigns/{campaignId}/exports) --> requestExport --> (main table: the job, its slot, the caller's budget; the stream queues the job)
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { loadConfig } from '../../shared/config';
import { campaignCatalogOf } from '../../shared/clients/campaign-catalog';
import { documentClient, dynamoDbClient } from '../../shared/clients/dynamodb';
import { runtimeClock } from '../../shared/clock';
import { observability } from '../../shared/observability';
import { apiHandler } from '../../shared/http/api-handler';
import { idempotencyMiddlewares } from '../../shared/http/idempotency';
import { json } from '../../shared/http/middleware';
import { writeIdentityOf } from '../../shared/http/write-identity';
import { exportView } from '../../shared/http/export-views';
import { jsonBody, pathParam, principalOf } from '../../shared/http/request';
import { DynamoDbExportRepository } from '../../shared/repositories/export-repository';
import { requestExport } from '../../shared/use-cases/exports';
import { EXPORT_JOB_ACTIVE_SECONDS } from '../../shared/topology-facts';

const config = loadConfig({ tables: ['main', 'idempotency'] });
const deps = {
  campaigns: campaignCatalogOf(config),
  exports: new DynamoDbExportRepository({ client: documentClient(config), tableName: config.tables.main }),
  clock: runtimeClock,
  // An unfinished job holds its slot while its message may still be delivered: every receive's
  // visibility timeout, until the queue dead-letters it (ADR 0033).
  activeForSeconds: EXPORT_JOB_ACTIVE_SECONDS,
};
const obs = observability('create-export');

const createExportRoute = async (event: APIGatewayProxyEventV2) => {
  const { export: record, campaign, repeated, outcome } = await requestExport(
    { principal: principalOf(event), campaignId: pathParam(event, 'campaignId'), body: jsonBody(event), write: writeIdentityOf(event) },
    deps,
  );
  const location = { location: `/v1/exports/${record.exportId}` };
  // One queued or running export per campaign and format: asking again answers that one (200).
  if (outcome === 'running') return json(200, exportView(record, campaign), location);
  if (!repeated) obs.metrics.addMetric('exports_requested', MetricUnit.Count, 1);
  return json(202, exportView(record, campaign), { ...location, ...(repeated ? { 'idempotent-replayed': 'true' } : {}) });
};

export const handler = apiHandler('create-export', createExportRoute, {
  observability: obs,
  extraMiddlewares: idempotencyMiddlewares(dynamoDbClient(config), config.tables.idempotency),
});

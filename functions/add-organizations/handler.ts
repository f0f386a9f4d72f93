// (HTTP POST /v1/campaigns/{campaignId}/organizations) --> addOrganizations --> (main table)
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { loadConfig } from '../../shared/config';
import { documentClient, dynamoDbClient } from '../../shared/clients/dynamodb';
import { campaignCatalogOf } from '../../shared/clients/campaign-catalog';
import { runtimeClock } from '../../shared/clock';
import { UnsupportedMediaTypeError } from '../../shared/errors';
import { observability } from '../../shared/observability';
import { apiHandler } from '../../shared/http/api-handler';
import { idempotencyMiddlewares } from '../../shared/http/idempotency';
import { csvRecords, mediaTypeOf } from '../../shared/http/csv';
import { json } from '../../shared/http/middleware';
import { addedOrganizationsView } from '../../shared/http/organization-views';
import { writeIdentityOf } from '../../shared/http/write-identity';
import { jsonBody, pathParam, principalOf } from '../../shared/http/request';
import { DynamoDbOrganizationDirectory } from '../../shared/repositories/organization-repository';
import { campaignOrNotFound } from '../../shared/use-cases/activity-access';
import { addOrganizations, type AddOrganizationsDeps, type UnitsBody } from '../../shared/use-cases/add-organizations';

const config = loadConfig({ tables: ['main', 'idempotency'] });
// Only the ports it uses (not mainTableDeps): every other repository would be bundled and loaded at cold start.
const deps: AddOrganizationsDeps = {
  campaigns: campaignCatalogOf(config),
  organizations: new DynamoDbOrganizationDirectory({ client: documentClient(config), tableName: config.tables.main }),
  clock: runtimeClock,
};
const obs = observability('add-organizations');

/** JSON (one unit or a list) or a CSV import; 415 for anything else. No body reads as JSON `{}`. */
function unitsBody(event: APIGatewayProxyEventV2): UnitsBody {
  const { type } = mediaTypeOf(event);
  if (type === 'text/csv') return { format: 'csv', records: csvRecords(event) };
  if (event.body === undefined || event.body === '' || type === 'application/json' || type.endsWith('+json')) {
    return { format: 'json', value: jsonBody(event) };
  }
  throw new UnsupportedMediaTypeError('the body must be application/json (one unit or a list of them) or text/csv (an import)');
}

const addOrganizationsRoute = async (event: APIGatewayProxyEventV2) => {
  const campaignId = pathParam(event, 'campaignId');
  const { value: units, repeated } = await addOrganizations(
    { principal: principalOf(event), campaignId, body: () => unitsBody(event), write: writeIdentityOf(event) },
    deps,
  );
  if (!repeated) obs.metrics.addMetric('organizations_added', MetricUnit.Count, units.length);
  const campaign = await campaignOrNotFound(deps.campaigns, campaignId);
  const only = units.length === 1 ? units[0] : undefined;
  return json(201, addedOrganizationsView(units, campaign), {
    ...(only ? { location: `/v1/campaigns/${campaign.id}/organizations/${only.organizationId}` } : {}),
    ...(repeated ? { 'idempotent-replayed': 'true' } : {}),
  });
};

export const handler = apiHandler('add-organizations', addOrganizationsRoute, {
  observability: obs,
  extraMiddlewares: idempotencyMiddlewares(dynamoDbClient(config), config.tables.idempotency),
});

// (HTTP PUT /v1/campaigns/{campaignId}/milestones/{milestoneId}) --> moveMilestone --> (main table; audited; the stream moves its schedules)
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { loadConfig } from '../../shared/config';
import { campaignAdminDeps } from '../../shared/clients/campaign-admin-deps';
import { apiHandler } from '../../shared/http/api-handler';
import { json } from '../../shared/http/middleware';
import { etagOf, ifMatchVersion, jsonBody, pathParam, principalOf } from '../../shared/http/request';
import { observability } from '../../shared/observability';
import { storedCampaignView } from '../../shared/http/campaign-views';
import { requireAdmin } from '../../shared/use-cases/campaign-admin';
import { moveMilestone } from '../../shared/use-cases/move-milestone';

const deps = campaignAdminDeps(loadConfig({ tables: ['main'] }));
const obs = observability('move-milestone');

const route = async (event: APIGatewayProxyEventV2) => {
  const principal = principalOf(event);
  requireAdmin(principal);
  const expectedVersion = ifMatchVersion(event);
  const stored = await moveMilestone(
    {
      principal,
      campaignId: pathParam(event, 'campaignId'),
      milestoneId: pathParam(event, 'milestoneId'),
      body: jsonBody(event),
      ...(expectedVersion !== undefined ? { expectedVersion } : {}),
    },
    deps,
  );
  obs.metrics.addMetric('milestones_moved', MetricUnit.Count, 1);
  return json(200, storedCampaignView(stored), { etag: etagOf(stored.version) });
};

export const handler = apiHandler('move-milestone', route, { observability: obs });

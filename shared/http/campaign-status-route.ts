/**
 * The HTTP side of publishing and closing a campaign (`POST /v1/campaigns/{c}/publish|close`,
 * ADR 0023): the same body (an optional reason), the same answer, one status each.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { campaignAdminDeps } from '../clients/campaign-admin-deps';
import { loadConfig } from '../config';
import { safeParseFields } from '../domain/issues';
import { InvalidInputError } from '../errors';
import { observability } from '../observability';
import { campaignStatusChangeSchema } from '../schemas/campaign.schema';
import { requireAdmin } from '../use-cases/campaign-admin';
import { storedCampaignView } from './campaign-views';
import { setCampaignStatus } from '../use-cases/set-campaign-status';
import { apiHandler } from './api-handler';
import { json } from './middleware';
import { etagOf, ifMatchVersion, jsonBody, pathParam, principalOf } from './request';

export function campaignStatusHandler(functionId: string, status: 'published' | 'closed') {
  const deps = campaignAdminDeps(loadConfig({ tables: ['main'] }));
  const obs = observability(functionId);
  const route = async (event: APIGatewayProxyEventV2) => {
    const principal = principalOf(event);
    requireAdmin(principal);
    const body = safeParseFields(campaignStatusChangeSchema, jsonBody(event));
    if (!body.success) throw new InvalidInputError('the body is not valid', body.issues);
    const expectedVersion = ifMatchVersion(event);
    const { stored, changed } = await setCampaignStatus(
      {
        principal,
        campaignId: pathParam(event, 'campaignId'),
        status,
        ...(body.data.reason ? { reason: body.data.reason } : {}),
        ...(expectedVersion !== undefined ? { expectedVersion } : {}),
      },
      deps,
    );
    if (changed) obs.metrics.addMetric(`campaigns_${status}`, MetricUnit.Count, 1);
    return json(200, storedCampaignView(stored), { etag: etagOf(stored.version) });
  };
  return apiHandler(functionId, route, { observability: obs });
}

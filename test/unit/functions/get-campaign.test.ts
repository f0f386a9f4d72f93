// GET /v1/campaigns/{campaignId} is public (no token): a draft campaign is never public, and
// answers exactly as a missing one (404), before the units are read.
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { handler as getCampaign } from '../../../functions/get-campaign/handler';
import { context } from '../../helpers/context';
import { getSample } from '../../helpers/samples';

// The handler reads the stored campaigns through the process's cached catalog (ADR 0023): here a
// draft, in memory (no I/O).
jest.mock('../../../shared/clients/campaign-catalog', () => {
  const { fixedCampaignCatalog } = jest.requireActual<typeof import('../../../shared/repositories/cached-campaign-catalog')>('../../../shared/repositories/cached-campaign-catalog');
  const { loadCampaign } = jest.requireActual<typeof import('../../../shared/domain/campaign')>('../../../shared/domain/campaign');
  const { xinxiang2021 } = jest.requireActual<typeof import('../../../shared/campaigns/2021-xinxiang')>('../../../shared/campaigns/2021-xinxiang');
  const catalog = fixedCampaignCatalog([loadCampaign({ ...xinxiang2021, id: '2022-xinxiang' }, 'draft')]);
  return { ...jest.requireActual<object>('../../../shared/clients/campaign-catalog'), campaignCatalogOf: () => catalog };
});

const event = (campaignId: string): APIGatewayProxyEventV2 => {
  const base = getSample<APIGatewayProxyEventV2>('apigw/get-health.json');
  const routeKey = 'GET /v1/campaigns/{campaignId}';
  const rawPath = `/v1/campaigns/${campaignId}`;
  return {
    ...base,
    routeKey,
    rawPath,
    pathParameters: { campaignId },
    requestContext: { ...base.requestContext, routeKey, http: { ...base.requestContext.http, path: rawPath } },
  };
};

const call = async (campaignId: string) => {
  const res = (await getCampaign(event(campaignId), context)) as { statusCode: number; headers: Record<string, string>; body: string };
  return { status: res.statusCode, type: res.headers['content-type'], body: JSON.parse(res.body) as { title: string; detail?: string } };
};

describe('Function: get-campaign handler', () => {
  it('answers a draft campaign 404 problem+json, exactly as a missing campaign', async () => {
    const [draft, missing] = await Promise.all([call('2022-xinxiang'), call('2099-nowhere')]);
    expect(draft).toMatchObject({ status: 404, type: expect.stringMatching(/^application\/problem\+json/) });
    expect(missing).toMatchObject({ status: 404, type: expect.stringMatching(/^application\/problem\+json/) });
    expect(draft.body.title).toBe(missing.body.title);
    expect(draft.body.detail).toBe('campaign 2022-xinxiang not found');
  });
});

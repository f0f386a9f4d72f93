// (HTTP GET /v1/openapi.json) --> the OpenAPI 3.1 document generated from the zod schemas --> (main table: the campaigns, cached)
import { campaignCatalogOf } from '../../shared/clients/campaign-catalog';
import { loadClaimNames, loadConfig } from '../../shared/config';
import type { Campaign } from '../../shared/domain/campaign';
import { NotFoundError } from '../../shared/errors';
import { apiHandler } from '../../shared/http/api-handler';
import { openApiDocument } from '../../shared/http/openapi/document';

const campaigns = campaignCatalogOf(loadConfig({ tables: ['main'] }));
const { homeCity } = loadClaimNames();

/**
 * The campaign whose enumerations and limits the document carries (campaigns are data, ADR 0023):
 * the deployment's home city's newest published campaign, else its newest closed one. Never a
 * draft, never another city's: the route is public.
 */
function servedCampaign(all: readonly Campaign[]): Campaign | undefined {
  const newestFirst = all
    .filter((c) => c.cityId === homeCity && c.status !== 'draft')
    .sort((a, b) => b.year - a.year || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  return newestFirst.find((c) => c.status === 'published') ?? newestFirst[0];
}

// Built and serialized once per campaign read (~50 KB, a few ms): the catalog answers the same
// campaign object until its time-to-live runs out.
let built: { readonly campaign: Campaign; readonly body: string } | undefined;

const getOpenApi = async () => {
  const campaign = servedCampaign(await campaigns.all());
  if (!campaign) throw new NotFoundError(`no published campaign of ${homeCity}`);
  if (built?.campaign !== campaign) built = { campaign, body: JSON.stringify(openApiDocument(campaign)) };
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'public, max-age=300' },
    body: built.body,
  };
};

export const handler = apiHandler('get-openapi', getOpenApi);

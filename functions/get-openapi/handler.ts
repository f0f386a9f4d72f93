// (HTTP GET /v1/openapi.json) --> the OpenAPI 3.1 document generated from the zod schemas (no I/O)
import { findCampaign } from '../../shared/campaigns';
import { apiHandler } from '../../shared/http/api-handler';
import { openApiDocument } from '../../shared/http/openapi';

/** The campaign whose enumerations and limits the served document carries. */
const CAMPAIGN_ID = '2021-xinxiang';

const campaign = findCampaign(CAMPAIGN_ID);
if (!campaign) throw new Error(`get-openapi: unknown campaign ${CAMPAIGN_ID}`);

// Built and serialized once per cold start (~50 KB, a few ms).
const body = JSON.stringify(openApiDocument(campaign));

const getOpenApi = async () => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'public, max-age=300' },
  body,
});

export const handler = apiHandler('get-openapi', getOpenApi);

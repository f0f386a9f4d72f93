// (HTTP POST /v1/campaigns/{campaignId}/organizations/{orgId}/summary/uploads) --> requestUpload --> (main table, presigned POST)
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { loadConfig } from '../../shared/config';
import { mainTableDeps } from '../../shared/clients/api-deps';
import { S3UploadSigner } from '../../shared/clients/upload-signer';
import { apiHandler } from '../../shared/http/api-handler';
import { json } from '../../shared/http/middleware';
import { writeIdentityOf } from '../../shared/http/write-identity';
import { uploadGrantView } from '../../shared/http/media-views';
import { jsonBody, pathParam, principalOf } from '../../shared/http/request';
import { requestUpload } from '../../shared/use-cases/media-uploads';

const config = loadConfig({ tables: ['main'], buckets: ['media'] });
const deps = { ...mainTableDeps(config), signer: new S3UploadSigner(config.buckets.media, { ...config, publicEndpoint: config.s3PublicEndpoint }) };

const createSummaryUpload = async (event: APIGatewayProxyEventV2) => {
  const grant = await requestUpload(
    {
      principal: principalOf(event),
      target: { campaignId: pathParam(event, 'campaignId'), organizationId: pathParam(event, 'orgId') },
      body: jsonBody(event),
      write: writeIdentityOf(event),
    },
    deps,
  );
  // An Idempotency-Key retry answers with the same media item, presigned again (ADR 0025).
  return json(201, uploadGrantView(grant), grant.repeated ? { 'idempotent-replayed': 'true' } : {});
};

export const handler = apiHandler('create-summary-upload', createSummaryUpload);

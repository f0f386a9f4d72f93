// (HTTP GET /v1/activities/{activityId}/media) --> listActivityMedia --> (main table, presigned GET)
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { loadConfig } from '../../shared/config';
import { mainTableDeps } from '../../shared/clients/api-deps';
import { S3UploadSigner } from '../../shared/clients/upload-signer';
import { apiHandler } from '../../shared/http/api-handler';
import { json } from '../../shared/http/middleware';
import { mediaView } from '../../shared/http/media-views';
import { pathParam, principalOf } from '../../shared/http/request';
import { listActivityMedia } from '../../shared/use-cases/media-uploads';

const config = loadConfig({ tables: ['main'], buckets: ['media'] });
const deps = { ...mainTableDeps(config), signer: new S3UploadSigner(config.buckets.media, { ...config, publicEndpoint: config.s3PublicEndpoint }) };

const listMedia = async (event: APIGatewayProxyEventV2) => {
  const { items, campaign } = await listActivityMedia({ principal: principalOf(event), activityId: pathParam(event, 'activityId') }, deps);
  return json(200, { items: items.map((i) => mediaView(i.media, campaign, i.url)), nextCursor: null });
};

export const handler = apiHandler('list-media', listMedia);

// (HTTP GET /v1/public/activities/{activityId}, no token) --> getPublicActivity --> (main table: the activity's partition; presigned GET of its accepted photos)
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { mainTableDeps } from '../../shared/clients/api-deps';
import { S3UploadSigner } from '../../shared/clients/upload-signer';
import { loadConfig } from '../../shared/config';
import { apiHandler } from '../../shared/http/api-handler';
import { publicAnswer } from '../../shared/http/public-cache';
import { PUBLIC_PHOTO_URL_SECONDS, publicActivityDetailView } from '../../shared/http/public-views';
import { pathParam } from '../../shared/http/request';
import { getPublicActivity } from '../../shared/use-cases/public-calendar';

const config = loadConfig({ tables: ['main'], buckets: ['media'] });
const deps = { ...mainTableDeps(config), signer: new S3UploadSigner(config.buckets.media, { ...config, publicEndpoint: config.s3PublicEndpoint }) };

const getPublicActivityRoute = async (event: APIGatewayProxyEventV2) => {
  const { entry, campaign, units, results } = await getPublicActivity({ activityId: pathParam(event, 'activityId'), photoUrlSeconds: PUBLIC_PHOTO_URL_SECONDS }, deps);
  return publicAnswer(event, JSON.stringify(publicActivityDetailView(entry, campaign, units, results)), 'application/json; charset=utf-8');
};

export const handler = apiHandler('get-public-activity', getPublicActivityRoute);

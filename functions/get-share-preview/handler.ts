// (HTTP GET /v1/public/activities/{activityId}/preview, no token) --> findPublicActivity --> (main table: the activity's partition) --> a page with the preview's tags that sends browsers on to the web app (ADR 0045)
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { mainTableDeps } from '../../shared/clients/api-deps';
import { loadConfig, loadWebOrigin } from '../../shared/config';
import { NotFoundError } from '../../shared/errors';
import { apiHandler } from '../../shared/http/api-handler';
import { publicAnswer } from '../../shared/http/public-cache';
import { publicActivityDetailView } from '../../shared/http/public-views';
import { pathParam } from '../../shared/http/request';
import { activityPreview, PUBLIC_ACTIVITY_ID, publicActivityPageUrl, sharePage, type SharePreview } from '../../shared/http/share-preview';
import { findPublicActivity } from '../../shared/use-cases/public-calendar';

const config = loadConfig({ tables: ['main'] });
const deps = mainTableDeps(config);
const webOrigin = loadWebOrigin();

/** A link to an activity no longer public (withdrawn) still lands on its page, which says so. */
const GENERIC: SharePreview = { title: '全国科普日活动', description: '全国科普日活动日历' };

const getSharePreviewRoute = async (event: APIGatewayProxyEventV2) => {
  const activityId = pathParam(event, 'activityId');
  if (!PUBLIC_ACTIVITY_ID.test(activityId)) throw new NotFoundError(`activity ${activityId} not found`);
  let preview = GENERIC;
  try {
    const { entry, campaign, units } = await findPublicActivity({ activityId }, deps);
    preview = activityPreview(publicActivityDetailView(entry, campaign, units, { photos: [], newsLinks: [] })) ?? GENERIC;
  } catch (e) {
    if (!(e instanceof NotFoundError)) throw e;
  }
  return publicAnswer(event, sharePage(preview, publicActivityPageUrl(activityId, webOrigin)), 'text/html; charset=utf-8');
};

export const handler = apiHandler('get-share-preview', getSharePreviewRoute);

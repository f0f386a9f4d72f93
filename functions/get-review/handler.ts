// (HTTP GET /v1/campaigns/{campaignId}/organizations/{orgId}/review) --> getReview --> (main table)
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { loadConfig } from '../../shared/config';
import { mainTableDeps } from '../../shared/clients/api-deps';
import { documentClient } from '../../shared/clients/dynamodb';
import { apiHandler } from '../../shared/http/api-handler';
import { json } from '../../shared/http/middleware';
import { etagOf, pathParam, principalOf } from '../../shared/http/request';
import { reviewView } from '../../shared/http/score-views';
import { DynamoDbReviewRepository } from '../../shared/repositories/review-repository';
import { getReview } from '../../shared/use-cases/review-unit';

const config = loadConfig({ tables: ['main'] });
// documentClient is one client per process: the repositories share it.
const deps = { ...mainTableDeps(config), reviews: new DynamoDbReviewRepository({ client: documentClient(config), tableName: config.tables.main }) };

const getReviewRoute = async (event: APIGatewayProxyEventV2) => {
  const { review, campaign } = await getReview(
    { principal: principalOf(event), campaignId: pathParam(event, 'campaignId'), organizationId: pathParam(event, 'orgId') },
    deps,
  );
  return json(200, reviewView(review, campaign), { etag: etagOf(review.version) });
};

export const handler = apiHandler('get-review', getReviewRoute);

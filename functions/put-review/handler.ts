// (HTTP PUT /v1/campaigns/{campaignId}/organizations/{orgId}/review) --> putReview --> (main table; audited from the stream)
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { loadConfig } from '../../shared/config';
import { mainTableDeps } from '../../shared/clients/api-deps';
import { documentClient } from '../../shared/clients/dynamodb';
import { observability } from '../../shared/observability';
import { apiHandler } from '../../shared/http/api-handler';
import { json } from '../../shared/http/middleware';
import { etagOf, ifMatchVersion, jsonBody, pathParam, principalOf } from '../../shared/http/request';
import { reviewView } from '../../shared/http/score-views';
import { DynamoDbReviewRepository } from '../../shared/repositories/review-repository';
import { putReview } from '../../shared/use-cases/review-unit';

const config = loadConfig({ tables: ['main'] });
// documentClient is one client per process: the repositories share it.
const deps = { ...mainTableDeps(config), reviews: new DynamoDbReviewRepository({ client: documentClient(config), tableName: config.tables.main }) };
const obs = observability('put-review');

const putReviewRoute = async (event: APIGatewayProxyEventV2) => {
  const { review, campaign } = await putReview(
    {
      principal: principalOf(event),
      campaignId: pathParam(event, 'campaignId'),
      organizationId: pathParam(event, 'orgId'),
      ifMatch: ifMatchVersion(event),
      body: jsonBody(event),
    },
    deps,
  );
  obs.metrics.addMetric('reviews_saved', MetricUnit.Count, 1);
  return json(200, reviewView(review, campaign), { etag: etagOf(review.version) });
};

export const handler = apiHandler('put-review', putReviewRoute, { observability: obs });

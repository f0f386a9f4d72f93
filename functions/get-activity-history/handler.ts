// (HTTP GET /v1/activities/{activityId}/history) --> getActivityHistory --> (audit table)
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { loadConfig } from '../../shared/config';
import { documentClient } from '../../shared/clients/dynamodb';
import { mainTableDeps } from '../../shared/clients/api-deps';
import { apiHandler } from '../../shared/http/api-handler';
import { historyEntryView } from '../../shared/http/history-views';
import { json } from '../../shared/http/middleware';
import { listParams, pathParam, principalOf } from '../../shared/http/request';
import { DynamoDbAuditRepository } from '../../shared/repositories/dynamodb-audit-repository';
import { getActivityHistory } from '../../shared/use-cases/get-activity-history';

const config = loadConfig({ tables: ['main', 'audit'] });
const deps = { ...mainTableDeps(config), audit: new DynamoDbAuditRepository({ client: documentClient(config), tableName: config.tables.audit }) };

const getHistory = async (event: APIGatewayProxyEventV2) => {
  const { entries, nextCursor, campaign } = await getActivityHistory(
    { principal: principalOf(event), activityId: pathParam(event, 'activityId'), ...listParams(event) },
    deps,
  );
  return json(200, { items: entries.map((e) => historyEntryView(e, campaign)), nextCursor });
};

export const handler = apiHandler('get-activity-history', getHistory);

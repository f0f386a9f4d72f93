// (HTTP GET /v1/me/data) --> getMyData --> (audit table: the person ledger, trails; main table: the items)
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { documentClient } from '../../shared/clients/dynamodb';
import { runtimeClock } from '../../shared/clock';
import { loadConfig } from '../../shared/config';
import { apiHandler } from '../../shared/http/api-handler';
import { json } from '../../shared/http/middleware';
import { myDataView } from '../../shared/http/personal-data-views';
import { principalOf } from '../../shared/http/request';
import { DynamoDbAuditRepository } from '../../shared/repositories/dynamodb-audit-repository';
import { DynamoDbPersonalDataStore } from '../../shared/repositories/personal-data-repository';
import { getMyData } from '../../shared/use-cases/get-my-data';

const config = loadConfig({ tables: ['main', 'audit'] });
const audit = new DynamoDbAuditRepository({ client: documentClient(config), tableName: config.tables.audit });
const deps = { ledger: audit, audit, store: new DynamoDbPersonalDataStore({ client: documentClient(config), tableName: config.tables.main }), clock: runtimeClock };

const getMyDataRoute = async (event: APIGatewayProxyEventV2) => {
  const data = await getMyData({ principal: principalOf(event) }, deps);
  return json(200, myDataView(data), { 'content-disposition': 'attachment; filename="sciday-my-data.json"', 'cache-control': 'no-store' });
};

export const handler = apiHandler('get-my-data', getMyDataRoute);

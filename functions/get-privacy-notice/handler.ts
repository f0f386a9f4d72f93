// (HTTP GET /v1/me/privacy-notice) --> getPrivacyNotice --> (main table)
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { loadConfig } from '../../shared/config';
import { documentClient } from '../../shared/clients/dynamodb';
import { apiHandler } from '../../shared/http/api-handler';
import { json } from '../../shared/http/middleware';
import { privacyNoticeView } from '../../shared/http/privacy-notice-views';
import { principalOf } from '../../shared/http/request';
import { DynamoDbNoticeAcknowledgements } from '../../shared/repositories/notice-repository';
import { getPrivacyNotice } from '../../shared/use-cases/privacy-notice';

const config = loadConfig({ tables: ['main'] });
const deps = { notices: new DynamoDbNoticeAcknowledgements({ client: documentClient(config), tableName: config.tables.main }) };

const getPrivacyNoticeRoute = async (event: APIGatewayProxyEventV2) => {
  const { notice, acknowledgement } = await getPrivacyNotice({ principal: principalOf(event) }, deps);
  return json(200, privacyNoticeView(notice, acknowledgement));
};

export const handler = apiHandler('get-privacy-notice', getPrivacyNoticeRoute);

// (HTTP PUT /v1/me/privacy-notice) --> acknowledgePrivacyNotice --> (main table)
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { loadConfig } from '../../shared/config';
import { runtimeClock } from '../../shared/clock';
import { documentClient } from '../../shared/clients/dynamodb';
import { apiHandler } from '../../shared/http/api-handler';
import { json } from '../../shared/http/middleware';
import { noticeAcknowledgementView } from '../../shared/http/privacy-notice-views';
import { jsonBody, principalOf } from '../../shared/http/request';
import { DynamoDbNoticeAcknowledgements } from '../../shared/repositories/notice-repository';
import { acknowledgePrivacyNotice } from '../../shared/use-cases/privacy-notice';

const config = loadConfig({ tables: ['main'] });
const deps = {
  notices: new DynamoDbNoticeAcknowledgements({ client: documentClient(config), tableName: config.tables.main }),
  clock: runtimeClock,
};

const acknowledgePrivacyNoticeRoute = async (event: APIGatewayProxyEventV2) =>
  json(200, noticeAcknowledgementView(await acknowledgePrivacyNotice({ principal: principalOf(event), body: jsonBody(event) }, deps)));

export const handler = apiHandler('acknowledge-privacy-notice', acknowledgePrivacyNoticeRoute);

// (HTTP GET /v1/exports/{exportId}) --> getExport --> (main table, presigned GETs of the export's files)
import { basename, extname } from 'node:path';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { loadConfig } from '../../shared/config';
import { campaignCatalogOf } from '../../shared/clients/campaign-catalog';
import { documentClient } from '../../shared/clients/dynamodb';
import { S3UploadSigner } from '../../shared/clients/upload-signer';
import { apiHandler } from '../../shared/http/api-handler';
import { json } from '../../shared/http/middleware';
import { exportView } from '../../shared/http/export-views';
import { pathParam, principalOf } from '../../shared/http/request';
import { DynamoDbExportRepository } from '../../shared/repositories/export-repository';
import { EXPORT_URL_SECONDS, getExport } from '../../shared/use-cases/exports';

const config = loadConfig({ tables: ['main'], buckets: ['exports'] });
const deps = {
  campaigns: campaignCatalogOf(config),
  exports: new DynamoDbExportRepository({ client: documentClient(config), tableName: config.tables.main }),
};
const signer = new S3UploadSigner(config.buckets.exports, { ...config, publicEndpoint: config.s3PublicEndpoint });

const getExportRoute = async (event: APIGatewayProxyEventV2) => {
  const { export: record, campaign } = await getExport({ principal: principalOf(event), exportId: pathParam(event, 'exportId') }, deps);
  // Each file is saved as `<campaign>-<snapshot>-<entity or name>` (`2021-xinxiang-registration-activities.parquet`), not `part-0.parquet`.
  const saveAs = (name: string) => `${record.campaignId}-${record.snapshot}-${name}`;
  const files: Array<readonly [key: string, name: string]> =
    record.status === 'succeeded'
      ? [
          ...(record.files ?? []).map((f) => [f.key, saveAs(`${f.entity}${extname(f.key)}`)] as const),
          ...(record.artifacts ?? []).map((a) => [a.key, saveAs(a.name)] as const),
          ...(record.manifestKey ? [[record.manifestKey, saveAs(basename(record.manifestKey))] as const] : []),
        ]
      : [];
  const urls = new Map(await Promise.all(files.map(async ([k, name]) => [k, await signer.presignGet(k, EXPORT_URL_SECONDS, name)] as const)));
  return json(200, exportView(record, campaign, urls), { 'cache-control': 'no-store' });
};

export const handler = apiHandler('get-export', getExportRoute);

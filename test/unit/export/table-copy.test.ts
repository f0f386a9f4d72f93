// DynamoDB's point-in-time export as the table copy of a milestone snapshot (ADR 0017). DynamoDB
// Local has no such API, so the DynamoDB and S3 clients here are stand-ins that answer what the
// AWS documentation describes; the Scan copy and the reading of the files run against the local
// services in test/integration/table-copy.test.ts.
import { DescribeExportCommand, ExportTableToPointInTimeCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { PointInTimeTableCopies } from '../../../shared/export/table-copy';

const TABLE = 'arn:aws:dynamodb:cn-north-1:123456789012:table/SciDay-prod-main';
const ARN = `${TABLE}/export/01700000000000-abcdef12`;

function clients(describe: Record<string, unknown>, objects: Record<string, string> = {}) {
  const sent: unknown[] = [];
  const dynamodb = {
    send: async (command: unknown) => {
      sent.push(command);
      if (command instanceof ExportTableToPointInTimeCommand) return { ExportDescription: { ExportArn: ARN, ExportStatus: 'IN_PROGRESS' } };
      if (command instanceof DescribeExportCommand) return { ExportDescription: { ExportArn: command.input.ExportArn, ...describe } };
      throw new Error('unexpected command');
    },
  } as unknown as DynamoDBClient;
  const s3 = {
    send: async (command: unknown) => {
      if (!(command instanceof GetObjectCommand)) throw new Error('unexpected command');
      const body = objects[command.input.Key ?? ''];
      if (body === undefined) throw Object.assign(new Error('NoSuchKey'), { name: 'NoSuchKey' });
      return { Body: { transformToString: async () => body } };
    },
  } as unknown as S3Client;
  const copies = new PointInTimeTableCopies({ dynamodb, s3, bucket: 'exports-bucket', prefix: 'table-copies/', tableArn: TABLE });
  return { copies, sent };
}

describe('PointInTimeTableCopies', () => {
  it('asks DynamoDB for a full DynamoDB-JSON export of the table as of the instant, under the export’s prefix, idempotent per export', async () => {
    const { copies, sent } = clients({});
    const asOf = new Date('2021-09-24T16:00:00.000Z');

    expect(await copies.start({ exportId: '2021-xinxiang-registration', asOf })).toBe(ARN);
    await copies.start({ exportId: '2021-xinxiang-registration', asOf });
    await copies.start({ exportId: '2021-xinxiang-completion', asOf });

    const inputs = (sent as ExportTableToPointInTimeCommand[]).map((c) => c.input);
    expect(inputs[0]).toEqual({
      TableArn: TABLE,
      ExportTime: asOf,
      S3Bucket: 'exports-bucket',
      S3Prefix: 'table-copies/2021-xinxiang-registration',
      ExportFormat: 'DYNAMODB_JSON',
      ExportType: 'FULL_EXPORT',
      ClientToken: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
    expect(inputs[1]?.ClientToken).toBe(inputs[0]?.ClientToken);
    expect(inputs[2]?.ClientToken).not.toBe(inputs[0]?.ClientToken);
  });

  it('answers in progress, and failed with DynamoDB’s code and message', async () => {
    expect(await clients({ ExportStatus: 'IN_PROGRESS' }).copies.state(ARN)).toEqual({ status: 'in-progress' });
    expect(await clients({ ExportStatus: 'FAILED', FailureCode: 'S3NoSuchBucket', FailureMessage: 'The bucket does not exist' }).copies.state(ARN)).toEqual({
      status: 'failed',
      reason: 'S3NoSuchBucket: The bucket does not exist',
    });
  });

  it('answers the data files of a completed export from its manifest summary and manifest-files.json', async () => {
    const base = 'table-copies/2021-xinxiang-registration/AWSDynamoDB/01700000000000-abcdef12';
    const { copies } = clients(
      { ExportStatus: 'COMPLETED', ExportManifest: `${base}/manifest-summary.json` },
      {
        [`${base}/manifest-summary.json`]: JSON.stringify({ version: '2020-06-30', itemCount: 3, outputFormat: 'DYNAMODB_JSON', manifestFilesS3Key: `${base}/manifest-files.json` }),
        [`${base}/manifest-files.json`]: [
          JSON.stringify({ itemCount: 2, md5Checksum: 'x', etag: 'y', dataFileS3Key: `${base}/data/a.json.gz` }),
          JSON.stringify({ itemCount: 1, md5Checksum: 'x', etag: 'y', dataFileS3Key: `${base}/data/b.json.gz` }),
          '',
        ].join('\n'),
      },
    );

    expect(await copies.state(ARN)).toEqual({ status: 'completed', dataFiles: [`${base}/data/a.json.gz`, `${base}/data/b.json.gz`], items: 3 });
  });

  it('fails loudly on a completed export whose manifest names no data files list', async () => {
    const { copies } = clients({ ExportStatus: 'COMPLETED', ExportManifest: 'm.json' }, { 'm.json': '{}' });
    await expect(copies.state(ARN)).rejects.toThrow(/names no manifest-files.json/);
  });
});

/** The running local runtime (started by global-setup) and SDK clients pointed at it. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { RuntimeInfo } from '../../infra/local/runtime';

export function runtimeInfo(dataDir = process.env.SCIDAY_TEST_DATA_DIR): RuntimeInfo {
  if (!dataDir) throw new Error('SCIDAY_TEST_DATA_DIR is not set: run integration tests through jest (global setup)');
  return JSON.parse(readFileSync(join(dataDir, 'runtime.json'), 'utf8')) as RuntimeInfo;
}

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

export function clientsFor(info: RuntimeInfo) {
  const dynamodb = new DynamoDBClient({ region: info.region, endpoint: info.endpoints.dynamodb, credentials });
  return {
    dynamodb,
    doc: DynamoDBDocumentClient.from(dynamodb),
    sqs: new SQSClient({ region: info.region, endpoint: info.endpoints.sqs, credentials }),
    s3: new S3Client({ region: info.region, endpoint: info.endpoints.s3, credentials, forcePathStyle: true }),
  };
}

export type Clients = ReturnType<typeof clientsFor>;

/** Polls `probe` until it returns a value other than undefined, or fails after `ms`. */
export async function eventually<T>(probe: () => Promise<T | undefined>, ms = 15_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A unique id for this test's data. */
export const uniqueId = (prefix: string): string => `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

/**
 * The cold-load baselines of the bundle bench: for each function, a bare handler that creates the
 * SDK clients its topology entry binds (tables: DynamoDB and its document client; buckets: S3;
 * queues: SQS; `manageSchedules`: EventBridge Scheduler; `athenaExports`: Athena) and answers,
 * nothing else. Bundled exactly as the functions are, it is what that function could not load
 * faster than. Functions that bind the same clients share one.
 */
import type { FunctionSpec } from '../../infra/topology';

/** An SDK client a topology binding implies, in a fixed order (the bare bundle's id lists them). */
export const SDK_CLIENTS = ['dynamodb', 's3', 'sqs', 'scheduler', 'athena'] as const;
export type SdkClientId = (typeof SDK_CLIENTS)[number];

/** How a bare handler makes each client: its imports and its construction, as shared/clients/* do. */
const CLIENT_CODE = {
  dynamodb: {
    imports: ["import { DynamoDBClient } from '@aws-sdk/client-dynamodb';", "import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';"],
    make: 'DynamoDBDocumentClient.from(new DynamoDBClient({ region }), { marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false } })',
  },
  s3: { imports: ["import { S3Client } from '@aws-sdk/client-s3';"], make: 'new S3Client({ region })' },
  sqs: { imports: ["import { SQSClient } from '@aws-sdk/client-sqs';"], make: 'new SQSClient({ region, useQueueUrlAsEndpoint: false })' },
  scheduler: { imports: ["import { SchedulerClient } from '@aws-sdk/client-scheduler';"], make: 'new SchedulerClient({ region })' },
  athena: { imports: ["import { AthenaClient } from '@aws-sdk/client-athena';"], make: 'new AthenaClient({ region })' },
} as const satisfies Record<SdkClientId, { imports: readonly string[]; make: string }>;

/** The clients `spec` binds, in {@link SDK_CLIENTS} order. */
export function clientsOf(spec: FunctionSpec): SdkClientId[] {
  const bound: Record<SdkClientId, boolean> = {
    dynamodb: Object.keys(spec.tables ?? {}).length > 0,
    s3: Object.keys(spec.buckets ?? {}).length > 0,
    sqs: Object.keys(spec.queues ?? {}).length > 0,
    scheduler: spec.manageSchedules === true,
    athena: spec.athenaExports === true,
  };
  return SDK_CLIENTS.filter((c) => bound[c]);
}

/** Name of the bare handler of `clients` (`bare: dynamodb+s3`, `bare: no client`). */
export const bareId = (clients: readonly SdkClientId[]): string => `bare: ${clients.length > 0 ? clients.join('+') : 'no client'}`;

/** The ESM source of the bare handler that creates `clients` at load and answers 200. */
export function bareHandlerSource(clients: readonly SdkClientId[]): string {
  return [
    ...clients.flatMap((c) => CLIENT_CODE[c].imports),
    "const region = process.env.AWS_REGION ?? 'us-east-1';",
    `const clients = [${clients.map((c) => CLIENT_CODE[c].make).join(', ')}];`,
    'export const handler = async () => ({',
    '  statusCode: 200,',
    "  headers: { 'content-type': 'application/json' },",
    '  body: JSON.stringify({ ok: true, clients: clients.map((c) => typeof c.send) }),',
    '});',
    '',
  ].join('\n');
}

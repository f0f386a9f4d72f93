/** Probes that ask each AWS resource a metadata question (no data is read). */
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { HeadBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import type { DependencyProbe } from '../use-cases/check-health';

export interface ProbeTargets {
  readonly tables: Readonly<Record<string, string>>;
  readonly queues: Readonly<Record<string, string>>;
  readonly buckets: Readonly<Record<string, string>>;
}

export function awsProbes(
  targets: ProbeTargets,
  clients: { dynamodb: DynamoDBClient; sqs: SQSClient; s3: S3Client },
): DependencyProbe[] {
  return [
    ...Object.entries(targets.tables).map(([name, TableName]) => ({
      name,
      kind: 'table' as const,
      check: async (abortSignal: AbortSignal) => {
        await clients.dynamodb.send(new DescribeTableCommand({ TableName }), { abortSignal });
      },
    })),
    ...Object.entries(targets.queues).map(([name, QueueUrl]) => ({
      name,
      kind: 'queue' as const,
      check: async (abortSignal: AbortSignal) => {
        await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }), { abortSignal });
      },
    })),
    ...Object.entries(targets.buckets).map(([name, Bucket]) => ({
      name,
      kind: 'bucket' as const,
      check: async (abortSignal: AbortSignal) => {
        await clients.s3.send(new HeadBucketCommand({ Bucket }), { abortSignal });
      },
    })),
  ];
}

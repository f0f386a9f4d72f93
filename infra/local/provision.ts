/**
 * Creates every table, queue and bucket of a topology on the local services,
 * idempotently: a second run (a restart) changes nothing that already exists.
 */
import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceInUseException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  type AttributeDefinition,
  type DynamoDBClient,
  type KeySchemaElement,
} from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, GetQueueAttributesCommand, SetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { dlqId, localName, queueVisibilityTimeoutSeconds, type TableSpec, type Topology } from '../topology';

export interface QueueResource {
  readonly name: string;
  readonly url: string;
  readonly arn: string;
  readonly dlq?: { readonly name: string; readonly url: string; readonly arn: string; readonly maxReceiveCount: number };
  readonly visibilityTimeoutSeconds: number;
}

export interface LocalResources {
  readonly tables: Record<string, { readonly name: string; readonly streamArn?: string }>;
  /** The ids of the tables this provisioning created (the rest existed): a store born now has nothing to migrate. */
  readonly createdTables?: readonly string[];
  readonly queues: Record<string, QueueResource>;
  readonly buckets: Record<string, { readonly name: string }>;
}

const FOURTEEN_DAYS = String(14 * 24 * 3600);

function keySchema(spec: { partitionKey: { name: string }; sortKey?: { name: string } }): KeySchemaElement[] {
  return [
    { AttributeName: spec.partitionKey.name, KeyType: 'HASH' },
    ...(spec.sortKey ? [{ AttributeName: spec.sortKey.name, KeyType: 'RANGE' as const }] : []),
  ];
}

function attributeDefinitions(spec: TableSpec): AttributeDefinition[] {
  const all = [spec.partitionKey, spec.sortKey, ...(spec.globalIndexes ?? []).flatMap((i) => [i.partitionKey, i.sortKey])];
  const byName = new Map(all.filter((a) => a !== undefined).map((a) => [a.name, a.type]));
  return [...byName].map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType }));
}

/** Creates the table unless it exists; its stream's ARN, and whether it was created now. */
async function ensureTable(client: DynamoDBClient, name: string, spec: TableSpec): Promise<{ streamArn: string | undefined; created: boolean }> {
  let created = false;
  try {
    await client.send(
      new CreateTableCommand({
        TableName: name,
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: keySchema(spec),
        AttributeDefinitions: attributeDefinitions(spec),
        ...(spec.globalIndexes?.length
          ? {
              GlobalSecondaryIndexes: spec.globalIndexes.map((i) => ({
                IndexName: i.name,
                KeySchema: keySchema(i),
                Projection: { ProjectionType: 'ALL' },
              })),
            }
          : {}),
        ...(spec.stream ? { StreamSpecification: { StreamEnabled: true, StreamViewType: spec.stream } } : {}),
      }),
    );
    created = true;
    if (spec.ttlAttribute) {
      await client.send(
        new UpdateTimeToLiveCommand({
          TableName: name,
          TimeToLiveSpecification: { Enabled: true, AttributeName: spec.ttlAttribute },
        }),
      );
    }
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  const { Table } = await client.send(new DescribeTableCommand({ TableName: name }));
  // A topology that grew an index since the data dir was made: add what is missing.
  const existing = new Set((Table?.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName));
  for (const index of spec.globalIndexes ?? []) {
    if (existing.has(index.name)) continue;
    await client.send(
      new UpdateTableCommand({
        TableName: name,
        AttributeDefinitions: attributeDefinitions(spec),
        GlobalSecondaryIndexUpdates: [
          { Create: { IndexName: index.name, KeySchema: keySchema(index), Projection: { ProjectionType: 'ALL' } } },
        ],
      }),
    );
  }
  return { streamArn: Table?.LatestStreamArn, created };
}

async function ensureQueue(client: SQSClient, name: string, attributes: Record<string, string>) {
  const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: name }));
  if (!QueueUrl) throw new Error(`CreateQueue ${name} returned no URL`);
  await client.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: attributes }));
  const { Attributes } = await client.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  return { name, url: QueueUrl, arn: Attributes?.QueueArn ?? '' };
}

/** Creates (or finds) every resource of `topology` for `stage`. */
export async function provision(
  topology: Topology,
  stage: string,
  clients: { dynamodb: DynamoDBClient; sqs: SQSClient; s3: S3Client },
): Promise<LocalResources> {
  const tables: LocalResources['tables'] = {};
  const createdTables: string[] = [];
  for (const [id, spec] of Object.entries(topology.tables)) {
    const name = localName(stage, id);
    const { streamArn, created } = await ensureTable(clients.dynamodb, name, spec);
    tables[id] = { name, ...(spec.stream && streamArn ? { streamArn } : {}) };
    if (created) createdTables.push(id);
  }

  const queues: LocalResources['queues'] = {};
  for (const [id, spec] of Object.entries(topology.queues)) {
    const visibilityTimeoutSeconds = queueVisibilityTimeoutSeconds(topology, id);
    if (spec.kind === 'work') {
      const dlq = await ensureQueue(clients.sqs, localName(stage, dlqId(id)), { MessageRetentionPeriod: FOURTEEN_DAYS });
      const queue = await ensureQueue(clients.sqs, localName(stage, id), {
        VisibilityTimeout: String(visibilityTimeoutSeconds),
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: spec.maxReceiveCount }),
        // An outlet (ADR 0034) keeps its messages as long as the topology says, as on AWS.
        ...(spec.outlet ? { MessageRetentionPeriod: String(spec.outlet.retentionDays * 86_400) } : {}),
      });
      queues[id] = { ...queue, visibilityTimeoutSeconds, dlq: { ...dlq, maxReceiveCount: spec.maxReceiveCount } };
    } else {
      const queue = await ensureQueue(clients.sqs, localName(stage, id), {
        VisibilityTimeout: String(visibilityTimeoutSeconds),
        MessageRetentionPeriod: FOURTEEN_DAYS,
      });
      queues[id] = { ...queue, visibilityTimeoutSeconds };
    }
  }

  const buckets: LocalResources['buckets'] = {};
  for (const id of Object.keys(topology.buckets)) {
    const name = localName(stage, id);
    try {
      await clients.s3.send(new CreateBucketCommand({ Bucket: name }));
    } catch (error) {
      const code = (error as Error).name;
      if (code !== 'BucketAlreadyOwnedByYou' && code !== 'BucketAlreadyExists') throw error;
    }
    buckets[id] = { name };
  }
  return { tables, queues, buckets, createdTables };
}

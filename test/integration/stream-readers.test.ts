// The main table's two stream readers (ADR 0034), each invoked here as Lambda invokes it, against
// DynamoDB Local and fauxqs: when one part fails a record and Lambda retries from it, no other
// part's effect is doubled (an audit entry, a domain event, an export job, a unit's counts, a
// schedule). The records are real-shaped and of this test's own items; the messages go to this
// test's own queues and the schedules to its own file, so nothing of the shared runtime moves.
// The one thing mocked is the fault: a part that throws once (the emulators fail on no record).
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { CreateQueueCommand, DeleteMessageCommand, DeleteQueueCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue as LambdaAttributeValue, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { envName } from '../../shared/env-names';
import { installRuntimeClock } from '../../shared/clock';
import { SqsMessageQueue } from '../../shared/clients/message-queue';
import { DynamoDbAuditRepository } from '../../shared/repositories/dynamodb-audit-repository';
import { keys } from '../../shared/repositories/keys';
import { DynamoDbProgressStore, progressKeys } from '../../shared/repositories/progress-repository';
import { LocalFileScheduleGateway, readLocalSchedules } from '../../shared/repositories/schedule-gateway-local';
import { context } from '../helpers/context';
import { clientsFor, runtimeInfo, uniqueId } from '../helpers/runtime';

type StreamHandler = (event: DynamoDBStreamEvent, ctx: typeof context) => Promise<DynamoDBBatchResponse>;

const info = runtimeInfo();
const aws = clientsFor(info);
const auditTable = info.resources.tables.audit!.name;
const progressTable = info.resources.tables.progress!.name;
const run = uniqueId('sr');
const queues: Record<'domain-events' | 'exports', string> = { 'domain-events': '', exports: '' };
const schedulesFile = join(mkdtempSync(join(tmpdir(), 'stream-readers-')), 'campaign-schedules.json');
let recordChanges: StreamHandler;
let projectChanges: StreamHandler;

beforeAll(async () => {
  for (const id of Object.keys(queues) as Array<keyof typeof queues>) {
    const { QueueUrl } = await aws.sqs.send(new CreateQueueCommand({ QueueName: `${run}-${id}` }));
    queues[id] = QueueUrl!;
  }
  Object.assign(process.env, {
    AWS_REGION: info.region,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: info.endpoints.dynamodb,
    AWS_ENDPOINT_URL_SQS: info.endpoints.sqs,
    [envName.table('main')]: info.resources.tables.main!.name,
    [envName.table('audit')]: auditTable,
    [envName.table('progress')]: progressTable,
    [envName.queueUrl('domain-events')]: queues['domain-events'],
    [envName.queueUrl('exports')]: queues.exports,
    LOCAL_SCHEDULES_FILE: schedulesFile,
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  });
  // Not isolated: the handlers must share the classes whose prototypes a test makes fail.
  /* eslint-disable @typescript-eslint/no-require-imports -- the handlers read their config at import, after the env above */
  recordChanges = (require('../../functions/record-changes/handler') as { handler: StreamHandler }).handler;
  projectChanges = (require('../../functions/project-changes/handler') as { handler: StreamHandler }).handler;
  /* eslint-enable @typescript-eslint/no-require-imports */
  // Before the 2021 campaign's milestones, so that it has schedules to make.
  installRuntimeClock({ now: () => new Date('2021-09-01T00:00:00.000Z') });
});

afterEach(() => jest.restoreAllMocks());

afterAll(async () => {
  installRuntimeClock({ now: () => new Date() });
  for (const url of Object.values(queues)) await aws.sqs.send(new DeleteQueueCommand({ QueueUrl: url }));
  for (const c of Object.values(aws)) c.destroy();
});

let sequence = 0;
/** A stream record as Lambda delivers it: sequence numbers grow through the test. */
function record(eventName: 'INSERT' | 'MODIFY', image: Record<string, unknown>, oldImage?: Record<string, unknown>): DynamoDBRecord {
  sequence += 1;
  const marshalled = (i: Record<string, unknown>) => marshall(i, { removeUndefinedValues: true }) as Record<string, LambdaAttributeValue>;
  return {
    eventID: `${run}-ev${sequence}`,
    eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: info.region,
    dynamodb: {
      ApproximateCreationDateTime: 1_631_000_000,
      Keys: marshalled({ pk: image.pk, sk: image.sk }),
      NewImage: marshalled(image),
      ...(oldImage ? { OldImage: marshalled(oldImage) } : {}),
      SequenceNumber: String(4_000_000_000_000_000 + sequence).padStart(21, '0'),
      SizeBytes: 200,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
    eventSourceARN: info.resources.tables.main!.streamArn,
  };
}
const seq = (r: DynamoDBRecord) => r.dynamodb!.SequenceNumber!;

/** Every message in one of this test's queues (taken: each test reads what it caused). */
async function drain(queue: keyof typeof queues): Promise<Array<Record<string, unknown>>> {
  const bodies: Array<Record<string, unknown>> = [];
  for (let empty = 0; empty < 2; ) {
    const { Messages = [] } = await aws.sqs.send(new ReceiveMessageCommand({ QueueUrl: queues[queue], MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
    empty = Messages.length === 0 ? empty + 1 : 0;
    for (const m of Messages) {
      bodies.push(JSON.parse(m.Body ?? '{}') as Record<string, unknown>);
      await aws.sqs.send(new DeleteMessageCommand({ QueueUrl: queues[queue], ReceiptHandle: m.ReceiptHandle }));
    }
  }
  return bodies;
}

const trail = async (r: DynamoDBRecord) => {
  const { pk, sk } = { pk: r.dynamodb!.Keys!.pk!.S!, sk: r.dynamodb!.Keys!.sk!.S! };
  const { Items = [] } = await aws.doc.send(new QueryCommand({ TableName: auditTable, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.auditTrail({ pk, sk }) } }));
  return Items;
};

/** Four changes of this test's items: an activity submitted, an export requested, results and a summary written. */
function changes(tag: string) {
  const campaignId = '2021-xinxiang';
  const organizationId = `${run}-${tag}-org`;
  const activityId = `${run}-${tag}-act`;
  const activity = { pk: `ACT#${activityId}`, sk: 'A', entity: 'Activity', campaignId, organizationId, activityId, version: 2, updatedBy: 'u1', updatedAt: '2021-09-10T01:00:00.000Z' };
  const exportId = `${run}-${tag}-exp`;
  return {
    exportId,
    records: [
      record('MODIFY', { ...activity, status: 'registered' }, { ...activity, status: 'draft', version: 1 }),
      record('INSERT', { pk: `EXPORT#${exportId}`, sk: 'EXPORT', entity: 'Export', exportId, campaignId, status: 'queued', createdAt: '2021-09-10T01:00:00.000Z' }),
      record('INSERT', { pk: `ACT#${activityId}`, sk: 'RES', entity: 'Results', campaignId, organizationId, activityId, version: 1, newsLinks: [], updatedAt: '2021-09-10T02:00:00.000Z' }),
      record('INSERT', { pk: `ORG#${organizationId}`, sk: 'SUMMARY', entity: 'Summary', campaignId, organizationId, version: 1, updatedAt: '2021-09-10T03:00:00.000Z' }),
    ],
  };
}

describe('Function: record-changes, retried from the record one part failed', () => {
  it('writes each audit entry and sends each message once when the audit part failed a record', async () => {
    // Prepare: the audit entry of the export record fails, once.
    const { records, exportId } = changes('audit');
    const append = DynamoDbAuditRepository.prototype.append;
    let failed = false;
    jest.spyOn(DynamoDbAuditRepository.prototype, 'append').mockImplementation(function (this: DynamoDbAuditRepository, entry) {
      if (!failed && entry.eventId === records[1]!.eventID) {
        failed = true;
        return Promise.reject(new Error('injected: audit write failed'));
      }
      return append.call(this, entry);
    });

    // Act 1
    const first = await recordChanges({ Records: records }, context);

    // Assess 1: Lambda's checkpoint is the failed record; every other entry is written, and only
    // the messages of the records before it are sent.
    expect(first).toEqual({ batchItemFailures: [{ itemIdentifier: seq(records[1]!) }] });
    expect(await Promise.all(records.map(async (r) => (await trail(r)).length))).toEqual([1, 0, 1, 1]);
    expect((await drain('domain-events')).map((e) => e.id)).toEqual([records[0]!.eventID]);
    expect(await drain('exports')).toEqual([]);

    // Act 2: Lambda retries from the failed record.
    const retry = await recordChanges({ Records: records.slice(1) }, context);

    // Assess 2: one entry per change, not two; each message once over both invocations.
    expect(retry).toEqual({ batchItemFailures: [] });
    expect(await Promise.all(records.map(async (r) => (await trail(r)).length))).toEqual([1, 1, 1, 1]);
    const events = await drain('domain-events');
    expect(events.map((e) => [e.id, e.detailType])).toEqual([
      [records[2]!.eventID, 'results.updated'],
      [records[3]!.eventID, 'summary.submitted'],
    ]);
    expect(await drain('exports')).toEqual([{ version: 1, exportId }]);
  });

  it('sends nothing twice and writes no entry twice when sending an export job failed', async () => {
    // Prepare: the export job cannot be sent, once.
    const { records, exportId } = changes('send');
    const sendAll = SqsMessageQueue.prototype.sendAll;
    let failed = false;
    jest.spyOn(SqsMessageQueue.prototype, 'sendAll').mockImplementation(function (this: SqsMessageQueue, bodies) {
      // Domain events go through the same adapter: only the export job fails.
      const exportJob = (bodies[0] as { exportId?: unknown } | undefined)?.exportId !== undefined;
      if (!failed && exportJob) {
        failed = true;
        return Promise.reject(new Error('injected: SQS unavailable'));
      }
      return sendAll.call(this, bodies);
    });

    // Act 1
    const first = await recordChanges({ Records: records }, context);

    // Assess 1: every audit entry is written (they are idempotent); no message after the failed one is sent.
    expect(first).toEqual({ batchItemFailures: [{ itemIdentifier: seq(records[1]!) }] });
    expect(await Promise.all(records.map(async (r) => (await trail(r)).length))).toEqual([1, 1, 1, 1]);
    expect((await drain('domain-events')).map((e) => e.id)).toEqual([records[0]!.eventID]);

    // Act 2: the retry from the failed record.
    expect(await recordChanges({ Records: records.slice(1) }, context)).toEqual({ batchItemFailures: [] });

    // Assess 2
    expect(await Promise.all(records.map(async (r) => (await trail(r)).length))).toEqual([1, 1, 1, 1]);
    expect((await drain('domain-events')).map((e) => e.id)).toEqual([records[2]!.eventID, records[3]!.eventID]);
    expect(await drain('exports')).toEqual([{ version: 1, exportId }]);
  });
});

describe('Function: project-changes, retried from the record one part failed', () => {
  const campaignRecord = () => record('MODIFY', { pk: 'CAMPAIGNS', sk: 'CAMPAIGN#2021-xinxiang', entity: 'Campaign', updatedAt: '2021-08-01T00:00:00.000Z' });
  const activityRecord = (organizationId: string, n: number) => {
    const activityId = `${organizationId}-a${n}`;
    return record('INSERT', { pk: `ACT#${activityId}`, sk: 'A', entity: 'Activity', campaignId: '2021-xinxiang', organizationId, activityId, status: 'registered', version: 1, updatedAt: `2021-09-10T0${n}:00:00.000Z` });
  };
  const totals = async (organizationId: string) =>
    (await aws.doc.send(new GetCommand({ TableName: progressTable, Key: progressKeys.totals({ campaignId: '2021-xinxiang', organizationId }), ConsistentRead: true }))).Item;
  const schedules = () => readFileSync(schedulesFile, 'utf8');

  it('counts each activity once when the schedules part failed the batch’s first record', async () => {
    // Prepare: the campaign's schedules cannot be listed, once.
    const org = `${run}-sched-org`;
    const records = [campaignRecord(), activityRecord(org, 1), activityRecord(org, 2)];
    const listSchedules = LocalFileScheduleGateway.prototype.listSchedules;
    let failed = false;
    jest.spyOn(LocalFileScheduleGateway.prototype, 'listSchedules').mockImplementation(function (this: LocalFileScheduleGateway, group) {
      if (!failed) {
        failed = true;
        return Promise.reject(new Error('injected: Scheduler throttled'));
      }
      return listSchedules.call(this, group);
    });

    // Act 1
    const first = await projectChanges({ Records: records }, context);

    // Assess 1: the checkpoint is the campaign record; progress counted both activities already.
    expect(first).toEqual({ batchItemFailures: [{ itemIdentifier: seq(records[0]!) }] });
    expect(await totals(org)).toMatchObject({ registered: 2 });

    // Act 2: Lambda retries the whole batch (from its first record).
    const retry = await projectChanges({ Records: records }, context);

    // Assess 2: the schedules are made; the unit still counts 2 activities, not 4.
    expect(retry).toEqual({ batchItemFailures: [] });
    expect(await totals(org)).toMatchObject({ registered: 2 });
    const made = readLocalSchedules(schedulesFile);
    expect(made.length).toBeGreaterThan(0);
    expect(new Set(made.map((m) => `${m.group}/${m.name}`)).size).toBe(made.length);
  });

  it('makes no schedule twice and counts nothing twice when progress failed the batch', async () => {
    // Prepare: the progress store fails as a whole, once.
    const org = `${run}-progress-org`;
    const before = schedules();
    const records = [activityRecord(org, 1), campaignRecord(), activityRecord(org, 2)];
    const apply = DynamoDbProgressStore.prototype.apply;
    let failed = false;
    jest.spyOn(DynamoDbProgressStore.prototype, 'apply').mockImplementation(function (this: DynamoDbProgressStore, work) {
      if (!failed) {
        failed = true;
        return Promise.reject(new Error('injected: progress table unavailable'));
      }
      return apply.call(this, work);
    });

    // Act 1 + Assess 1: nothing counted, the schedules synced (as they were: nothing to change).
    expect(await projectChanges({ Records: records }, context)).toEqual({ batchItemFailures: [{ itemIdentifier: seq(records[0]!) }] });
    expect(await totals(org)).toBeUndefined();
    expect(schedules()).toBe(before);

    // Act 2 + Assess 2: the retry counts each activity once and leaves the schedules as they are.
    expect(await projectChanges({ Records: records }, context)).toEqual({ batchItemFailures: [] });
    expect(await totals(org)).toMatchObject({ registered: 2 });
    expect(schedules()).toBe(before);
    // ...and a third delivery of the same records (Lambda's at-least-once) changes nothing either.
    const rev = (await totals(org))?.rev;
    expect(await projectChanges({ Records: records }, context)).toEqual({ batchItemFailures: [] });
    expect(await totals(org)).toMatchObject({ registered: 2, rev });
    expect(schedules()).toBe(before);
  });
});

/**
 * The main table's two stream readers as Lambda calls them (ADR 0034). Unit tests reach no AWS
 * service (every endpoint is a closed port): what they show is which record each reader reports,
 * and that a reader sends nothing past it. The parts' effects and their retries are tested against
 * DynamoDB Local and fauxqs in test/integration/stream-readers.test.ts.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue as LambdaAttributeValue, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { context } from '../../helpers/context';

type Handler = (event: unknown, ctx: typeof context) => Promise<unknown>;

function loadHandler(functionId: 'record-changes' | 'project-changes'): Handler {
  // The local gateway: LOCAL_SCHEDULES_FILE set, as the local runtime sets it (no AWS settings needed).
  process.env.LOCAL_SCHEDULES_FILE = join(mkdtempSync(join(tmpdir(), 'stream-readers-')), 'campaign-schedules.json');
  let handler: Handler | undefined;
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    handler = (require(`../../../functions/${functionId}/handler`) as { handler: Handler }).handler;
  });
  delete process.env.LOCAL_SCHEDULES_FILE;
  return handler!;
}

const record = (eventID: string, image: Record<string, unknown>, eventName: 'INSERT' | 'MODIFY' = 'MODIFY'): DynamoDBRecord => ({
  eventID,
  eventName,
  eventSource: 'aws:dynamodb',
  dynamodb: {
    Keys: marshall({ pk: image.pk, sk: image.sk }) as Record<string, LambdaAttributeValue>,
    NewImage: marshall(image) as Record<string, LambdaAttributeValue>,
    SequenceNumber: eventID,
    StreamViewType: 'NEW_AND_OLD_IMAGES',
  },
});

describe('Function: project-changes handler', () => {
  const handler = loadHandler('project-changes');

  it('does nothing for records that are neither progress subjects nor campaign items', async () => {
    const event: DynamoDBStreamEvent = {
      Records: [record('1', { pk: 'ACT#a1', sk: 'ACT#a1' }), record('2', { pk: 'ORG#2021-xinxiang#hongqi-kx', sk: 'ORG' }), record('3', { pk: 'CAMPAIGNS', sk: 'OTHER' })],
    };
    await expect(handler(event, context)).resolves.toEqual({ batchItemFailures: [] });
  });

  it('reports a campaign record whose schedules cannot be synced, and only from there', async () => {
    const event: DynamoDBStreamEvent = { Records: [record('1', { pk: 'ACT#a1', sk: 'ACT#a1' }), record('2', { pk: 'CAMPAIGNS', sk: 'CAMPAIGN#2021-xinxiang' }), record('3', { pk: 'X', sk: 'Y' })] };
    await expect(handler(event, context)).resolves.toEqual({ batchItemFailures: [{ itemIdentifier: '2' }] });
  });

  it('refuses an event that is neither stream records nor the daily reconciliation', async () => {
    await expect(handler({ type: 'reconcile' }, context)).rejects.toThrow('reconcile-schedules');
  });
});

describe('Function: record-changes handler', () => {
  const handler = loadHandler('record-changes');

  it('reports the first record whose audit entry cannot be written, the earliest of the batch', async () => {
    const event: DynamoDBStreamEvent = {
      Records: [
        record('1', { pk: 'ACT#a1', sk: 'A', entity: 'Activity', campaignId: '2021-xinxiang' }, 'INSERT'),
        record('2', { pk: 'EXPORT#e1', sk: 'EXPORT', entity: 'Export', exportId: 'e1', campaignId: '2021-xinxiang', status: 'queued' }, 'INSERT'),
      ],
    };
    await expect(handler(event, context)).resolves.toEqual({ batchItemFailures: [{ itemIdentifier: '1' }] });
  });

  it('reports an unreadable record as the batch’s checkpoint', async () => {
    const event = { Records: [{ eventID: 'x', eventName: 'INSERT', dynamodb: { Keys: {}, SequenceNumber: '7' } }] };
    await expect(handler(event, context)).resolves.toEqual({ batchItemFailures: [{ itemIdentifier: '7' }] });
  });
});

/**
 * The sync-schedules handler as Lambda calls it. Unit tests reach no DynamoDB (every endpoint is a
 * closed port), so a campaign record fails its read and is reported alone; every other item's
 * record is none of the function's business and costs nothing.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { context } from '../../helpers/context';

type Handler = (event: unknown, ctx: typeof context) => Promise<unknown>;

function loadHandler(): Handler {
  // The local gateway: LOCAL_SCHEDULES_FILE set, as the local runtime sets it (no AWS settings needed).
  process.env.LOCAL_SCHEDULES_FILE = join(mkdtempSync(join(tmpdir(), 'sync-schedules-')), 'campaign-schedules.json');
  let handler: Handler | undefined;
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    handler = (require('../../../functions/sync-schedules/handler') as { handler: Handler }).handler;
  });
  delete process.env.LOCAL_SCHEDULES_FILE;
  return handler!;
}

const record = (eventID: string, pk: string, sk: string): DynamoDBRecord => ({
  eventID,
  eventName: 'MODIFY',
  eventSource: 'aws:dynamodb',
  dynamodb: { Keys: { pk: { S: pk }, sk: { S: sk } }, NewImage: { pk: { S: pk }, sk: { S: sk } }, SequenceNumber: eventID, StreamViewType: 'NEW_AND_OLD_IMAGES' },
});

describe('Function: sync-schedules handler', () => {
  const handler = loadHandler();

  it('ignores every record that is not a campaign item', async () => {
    const event: DynamoDBStreamEvent = {
      Records: [record('1', 'ACT#a1', 'ACT#a1'), record('2', 'ORG#2021-xinxiang#hongqi-kx', 'ORG'), record('3', 'CAMPAIGNS', 'OTHER')],
    };
    await expect(handler(event, context)).resolves.toEqual({ batchItemFailures: [] });
  });

  it('reports a campaign record whose sync fails as a batch item failure, alone', async () => {
    const event: DynamoDBStreamEvent = { Records: [record('1', 'ACT#a1', 'ACT#a1'), record('2', 'CAMPAIGNS', 'CAMPAIGN#2021-xinxiang')] };
    await expect(handler(event, context)).resolves.toEqual({ batchItemFailures: [{ itemIdentifier: '2' }] });
  });

  it('refuses an event that is neither stream records nor the daily reconciliation', async () => {
    await expect(handler({ type: 'reconcile' }, context)).rejects.toThrow('reconcile-schedules');
  });
});

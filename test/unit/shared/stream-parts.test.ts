import type { DynamoDBRecord } from 'aws-lambda';
import { batchResponseOf, eachInOrder, eachInParallel, earliestFailure, outcomeOfFailed, readStreamBatch, type PartHandler } from '../../../shared/clients/stream-parts';

const record = (seq: string, pk = `ACT#${seq}`): DynamoDBRecord => ({
  eventID: `ev-${seq}`,
  eventName: 'INSERT',
  eventSource: 'aws:dynamodb',
  dynamodb: { Keys: { pk: { S: pk }, sk: { S: 'A' } }, NewImage: { pk: { S: pk }, sk: { S: 'A' } }, SequenceNumber: seq, StreamViewType: 'NEW_AND_OLD_IMAGES' },
});
const unreadable = (seq: string): DynamoDBRecord => ({ eventID: `ev-${seq}`, eventName: 'INSERT', dynamodb: { Keys: {}, SequenceNumber: seq } });
const clock = { now: () => new Date('2021-09-12T00:00:00Z') };
const batch = (...records: DynamoDBRecord[]) => readStreamBatch(records, clock);

/** A part that records what it did and fails on the event ids given. */
function part(failOn: readonly string[] = []): { done: string[]; handle: PartHandler } {
  const done: string[] = [];
  return {
    done,
    handle: async (change) => {
      if (failOn.includes(change.eventId)) throw new Error(`fails ${change.eventId}`);
      done.push(change.eventId);
    },
  };
}

describe('Function: readStreamBatch', () => {
  it('reads each record once, keeping why one is no item change', () => {
    const entries = batch(record('1'), unreadable('2'));
    expect(entries[0]?.change).toMatchObject({ eventId: 'ev-1', action: 'created', keys: { pk: 'ACT#1', sk: 'A' } });
    expect(entries[1]?.change).toBeUndefined();
    expect(entries[1]?.error).toBeInstanceOf(TypeError);
  });
});

describe('Function: eachInParallel', () => {
  it('does every record, and fails the part at the earliest record that failed', async () => {
    const p = part(['ev-3', 'ev-2']);
    const outcome = await eachInParallel('audit', batch(record('1'), record('2'), record('3'), record('4')), p.handle);
    expect(outcome).toMatchObject({ part: 'audit', failedAt: 1 });
    expect(String(outcome.error)).toContain('ev-2');
    expect(p.done.sort()).toEqual(['ev-1', 'ev-4']);
  });

  it('fails the part at a record it cannot read', async () => {
    const p = part();
    expect(await eachInParallel('audit', batch(record('1'), unreadable('2')), p.handle)).toMatchObject({ failedAt: 1 });
    expect(p.done).toEqual(['ev-1']);
  });
});

describe('Function: eachInOrder', () => {
  it('stops at the first record a part fails: no part does anything after it', async () => {
    const [a, b] = [part(), part(['ev-2'])];
    const outcomes = await eachInOrder(batch(record('1'), record('2'), record('3')), [
      ['a', a.handle],
      ['b', b.handle],
    ]);
    expect(outcomes).toEqual([{ part: 'a' }, { part: 'b', failedAt: 1, error: expect.any(Error) }]);
    // a did record 2 before b failed on it: the one record whose retry repeats a's work.
    expect(a.done).toEqual(['ev-1', 'ev-2']);
    expect(b.done).toEqual(['ev-1']);
  });

  it('goes no further than the failure of the parts run before it', async () => {
    const a = part();
    expect(await eachInOrder(batch(record('1'), record('2'), record('3')), [['a', a.handle]], 1)).toEqual([{ part: 'a' }]);
    expect(a.done).toEqual(['ev-1']);
  });
});

describe('Function: batchResponseOf', () => {
  const entries = batch(record('10'), record('11'), record('12'), record('13'));

  it('reports the earliest record any part failed, alone (Lambda retries from the lowest sequence number)', () => {
    const outcomes = [{ part: 'a', failedAt: 2 }, { part: 'b' }, { part: 'c', failedAt: 1 }];
    expect(earliestFailure(outcomes)).toBe(1);
    expect(batchResponseOf(entries, outcomes)).toEqual({ batchItemFailures: [{ itemIdentifier: '11' }] });
  });

  it('reports nothing when every part did every record', () => {
    expect(batchResponseOf(entries, [{ part: 'a' }, { part: 'b' }])).toEqual({ batchItemFailures: [] });
  });

  it('places a batch-wide part’s failures by event id', () => {
    expect(outcomeOfFailed('p', entries, new Map([['ev-13', new Error('x')], ['ev-12', new Error('y')]]))).toMatchObject({ part: 'p', failedAt: 2 });
    expect(outcomeOfFailed('p', entries, new Map())).toEqual({ part: 'p' });
  });
});

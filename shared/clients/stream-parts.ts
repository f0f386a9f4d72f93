/**
 * The parts of one reader of a DynamoDB stream (ADR 0034): a table's stream serves at most two
 * readers, so a reader runs several use cases (its parts) over each batch and answers Lambda with
 * the one checkpoint they share, the earliest record any part failed. Lambda then retries from that
 * record (ReportBatchItemFailures), for every part: each part must find what it already did and do
 * it no second time (a conditional put, a sequence number, a state it converges to), or must not
 * have done it yet (a part run {@link eachInOrder} stops at its first failure).
 *
 * @example
 * ```ts
 * const entries = readStreamBatch(event.Records, runtimeClock);
 * const audited = await eachInParallel('audit', entries, recordAudit);
 * const forwarded = await eachInOrder(entries, [['domain-events', publish]], audited.failedAt);
 * return batchResponseOf(entries, [audited, ...forwarded]);
 * ```
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import type { Clock } from '../clock';
import type { Observability } from '../observability';
import type { ItemChange } from '../use-cases/record-audit-entry';
import { itemChangeFromStreamRecord } from './dynamodb-stream';

/** A record of the batch as the parts see it: its change, or why it is none. */
export interface StreamEntry {
  readonly index: number;
  readonly record: DynamoDBRecord;
  readonly change?: ItemChange;
  readonly error?: Error;
}

/** Where a part failed: the index of its earliest failed record, and why; none when it did all. */
export interface PartOutcome {
  readonly part: string;
  readonly failedAt?: number;
  readonly error?: unknown;
}

/** The batch's records, each read once for every part. */
export function readStreamBatch(records: readonly DynamoDBRecord[], clock: Clock): StreamEntry[] {
  return records.map((record, index) => {
    try {
      return { index, record, change: itemChangeFromStreamRecord(record, clock) };
    } catch (error) {
      return { index, record, error: error as Error };
    }
  });
}

/**
 * Runs `handle` on every record's change at once; the part failed at the earliest record that
 * failed (or could not be read). For a part whose every effect is idempotent: the records after
 * that one, done already, are done again on the retry and change nothing.
 */
export async function eachInParallel(part: string, entries: readonly StreamEntry[], handle: PartHandler): Promise<PartOutcome> {
  const errors = await Promise.all(
    entries.map(async (entry) => {
      if (!entry.change) return entry.error ?? new TypeError(`record ${entry.index} is not an item change`);
      try {
        await handle(entry.change, entry);
        return undefined;
      } catch (error) {
        return error;
      }
    }),
  );
  const failedAt = errors.findIndex((e) => e !== undefined);
  return failedAt < 0 ? { part } : { part, failedAt, error: errors[failedAt] };
}

/** One part's work on one record's change. */
export type PartHandler = (change: ItemChange, entry: StreamEntry) => Promise<void>;

/**
 * Runs the parts record by record in stream order (for each record, each part in turn), up to
 * `before` (the earliest failure of the parts run first), and stops at the first record a part
 * fails: nothing after it was done by any of them, so the retry, which starts there, repeats
 * nothing of theirs. For parts whose effect a retry would double (a message sent): run them after
 * the idempotent parts, never past their failures. One outcome per part, in `parts`' order.
 */
export async function eachInOrder(
  entries: readonly StreamEntry[],
  parts: ReadonlyArray<readonly [part: string, handle: PartHandler]>,
  before: number = entries.length,
): Promise<PartOutcome[]> {
  const done = parts.map(([part]): PartOutcome => ({ part }));
  for (const entry of entries.slice(0, before)) {
    if (!entry.change) return parts.map(([part]) => ({ part, failedAt: entry.index, error: entry.error }));
    for (const [i, [part, handle]] of parts.entries()) {
      try {
        await handle(entry.change, entry);
      } catch (error) {
        return done.map((o, j) => (j === i ? { part, failedAt: entry.index, error } : o));
      }
    }
  }
  return done;
}

/** The outcome of a part that handles the batch as a whole and names its failed records by event id. */
export function outcomeOfFailed(part: string, entries: readonly StreamEntry[], failed: ReadonlyMap<string, Error>): PartOutcome {
  const entry = entries.find((e) => !e.change || failed.has(e.change.eventId));
  if (!entry) return { part };
  return { part, failedAt: entry.index, error: entry.change ? failed.get(entry.change.eventId) : entry.error };
}

/** The index of the earliest record any part failed; `undefined` when every part did every record. */
export function earliestFailure(outcomes: readonly PartOutcome[]): number | undefined {
  const failed = outcomes.flatMap((o) => (o.failedAt === undefined ? [] : [o.failedAt]));
  return failed.length === 0 ? undefined : Math.min(...failed);
}

/**
 * Lambda's answer: the earliest failed record's sequence number, alone. Lambda retries from the
 * lowest sequence number reported, every record before it being done for every part.
 */
export function batchResponseOf(entries: readonly StreamEntry[], outcomes: readonly PartOutcome[]): DynamoDBBatchResponse {
  const at = earliestFailure(outcomes);
  if (at === undefined) return { batchItemFailures: [] };
  return { batchItemFailures: [{ itemIdentifier: entries[at]?.record.dynamodb?.SequenceNumber ?? '' }] };
}

/**
 * A part's outcome in its own logs and metrics: `stream_part_failures` (0 or 1 per batch, so an
 * alarm can watch each part), and a warning naming the record it failed and why.
 */
export function reportOutcome(outcome: PartOutcome, entries: readonly StreamEntry[], { logger, metrics }: Observability): void {
  metrics.addMetric('stream_part_failures', MetricUnit.Count, outcome.failedAt === undefined ? 0 : 1);
  if (outcome.failedAt === undefined) return;
  const record = entries[outcome.failedAt]?.record;
  logger.warn('stream record failed', { eventId: record?.eventID, sequenceNumber: record?.dynamodb?.SequenceNumber, error: String(outcome.error) });
}

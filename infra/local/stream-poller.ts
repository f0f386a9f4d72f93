/**
 * Lambda's DynamoDB stream event source, on one machine: reads every shard of a
 * table's stream in order (parents before children), invokes the function with a
 * real-shaped DynamoDBStreamEvent, honours ReportBatchItemFailures (retry from the
 * first failed sequence number), retries a failing batch `retryAttempts` times and
 * then sends its metadata to the on-failure queue, as Lambda does. Checkpoints are
 * kept under the data dir, so a restart resumes where it stopped (at least once).
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import {
  DescribeStreamCommand,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  TrimmedDataAccessException,
  type DynamoDBStreamsClient,
  type Shard,
  type _Record,
} from '@aws-sdk/client-dynamodb-streams';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';

export interface StreamPollerOptions {
  readonly streams: DynamoDBStreamsClient;
  readonly sqs: SQSClient;
  readonly streamArn: string;
  readonly region: string;
  readonly batchSize: number;
  readonly retryAttempts: number;
  readonly onFailureQueueUrl: string;
  /** JSON file holding the last processed sequence number of each shard. */
  readonly checkpointFile: string;
  /**
   * Checkpoint files of the readers whose work this one took over (ADR 0034): when `checkpointFile`
   * does not exist yet, the poller starts where the least advanced of them stopped, shard by shard,
   * instead of at the stream's start. Nothing any of them had still to do is skipped.
   */
  readonly formerCheckpointFiles?: readonly string[];
  readonly pollIntervalMs?: number;
  /**
   * How long the shard list is reused before DescribeStream is asked again (default 10 s). It is
   * asked at once when a shard is read to its end (its children are then listed) or a poll fails.
   */
  readonly shardRefreshMs?: number;
  /** Lambda's event filtering: only records whose `pk` is one of these reach the function. */
  readonly partitionKeys?: readonly string[];
  invoke(event: DynamoDBStreamEvent): Promise<unknown>;
  log?(entry: Record<string, unknown>): void;
}

export interface Checkpoints {
  /** shardId → last sequence number fully processed. */
  done: Record<string, string>;
  /** shards read to their end. */
  closed: string[];
}

/**
 * The main table's stream readers before ADR 0034, by the reader that took over their parts: the
 * local runtime starts a new reader of an existing data dir where they stopped.
 */
export const FORMER_STREAM_READERS: Readonly<Record<string, readonly string[]>> = {
  'record-changes': ['record-audit', 'publish-domain-events', 'dispatch-exports'],
  'project-changes': ['project-progress', 'sync-schedules'],
};

/**
 * The checkpoints of several readers of one stream merged into one that skips nothing any of them
 * had still to do: per shard the least advanced sequence number (a shard one of them never read is
 * read from its start), and closed only the shards every one of them closed.
 */
export function mergeCheckpoints(all: readonly Checkpoints[]): Checkpoints {
  if (all.length === 0) return { done: {}, closed: [] };
  const closed = all.map((c) => new Set(c.closed)).reduce((a, b) => new Set([...a].filter((id) => b.has(id))));
  const shards = new Set(all.flatMap((c) => [...Object.keys(c.done), ...c.closed]));
  const done: Record<string, string> = {};
  for (const shard of shards) {
    if (closed.has(shard)) continue;
    const seqs = all.map((c) => c.done[shard]);
    if (seqs.some((s) => !s)) continue; // one of them has not read it: from the start
    done[shard] = (seqs as string[]).reduce((a, b) => (BigInt(a) <= BigInt(b) ? a : b));
  }
  return { done, closed: [...closed] };
}

function readCheckpoints(file: string): Checkpoints {
  return JSON.parse(readFileSync(file, 'utf8')) as Checkpoints;
}

/** The record Lambda builds from one stream record. */
export function toLambdaRecord(r: _Record, streamArn: string, region: string): DynamoDBRecord {
  const d = r.dynamodb ?? {};
  return {
    eventID: r.eventID,
    eventName: r.eventName as DynamoDBRecord['eventName'],
    eventVersion: r.eventVersion ?? '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: region,
    dynamodb: {
      ...(d.ApproximateCreationDateTime
        ? { ApproximateCreationDateTime: Math.floor(new Date(d.ApproximateCreationDateTime).getTime() / 1000) }
        : {}),
      Keys: d.Keys as never,
      ...(d.NewImage ? { NewImage: d.NewImage as never } : {}),
      ...(d.OldImage ? { OldImage: d.OldImage as never } : {}),
      SequenceNumber: d.SequenceNumber,
      SizeBytes: d.SizeBytes,
      StreamViewType: d.StreamViewType as never,
    },
    eventSourceARN: streamArn,
  };
}

export class StreamPoller {
  private running = false;
  private loop: Promise<void> | undefined;
  private readonly iterators = new Map<string, string>();
  /** The shard list and when it was read (DynamoDB Local answers DescribeStream slowly, and every loop asked it). */
  private listed: { readonly shards: Shard[]; readonly at: number } | undefined;
  private readonly checkpoints: Checkpoints;

  public constructor(private readonly options: StreamPollerOptions) {
    // A former reader without a file had read nothing: with it, the shards are read from their start.
    const former = options.formerCheckpointFiles ?? [];
    const inherit = !existsSync(options.checkpointFile) && former.some((f) => existsSync(f));
    this.checkpoints = existsSync(options.checkpointFile)
      ? readCheckpoints(options.checkpointFile)
      : mergeCheckpoints(inherit ? former.map((f) => (existsSync(f) ? readCheckpoints(f) : { done: {}, closed: [] })) : []);
    if (inherit) {
      this.save();
      options.log?.({ msg: 'stream reader starts where the readers it replaces stopped', streamArn: options.streamArn, former });
    }
  }

  public start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Stops polling; resolves once the batch in flight has been handled. */
  public async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  private save(): void {
    const tmp = `${this.options.checkpointFile}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.checkpoints));
    renameSync(tmp, this.options.checkpointFile);
  }

  private async shards(): Promise<Shard[]> {
    const shards: Shard[] = [];
    let ExclusiveStartShardId: string | undefined;
    do {
      const { StreamDescription } = await this.options.streams.send(
        new DescribeStreamCommand({ StreamArn: this.options.streamArn, ExclusiveStartShardId }),
      );
      shards.push(...(StreamDescription?.Shards ?? []));
      ExclusiveStartShardId = StreamDescription?.LastEvaluatedShardId;
    } while (ExclusiveStartShardId);
    return shards;
  }

  /** The stream's shards, from DescribeStream at most every `shardRefreshMs` (or after a shard closed). */
  private async currentShards(): Promise<Shard[]> {
    const now = Date.now();
    if (!this.listed || now - this.listed.at >= (this.options.shardRefreshMs ?? 10_000)) this.listed = { shards: await this.shards(), at: now };
    return this.listed.shards;
  }

  private async iterator(shardId: string): Promise<string | undefined> {
    const cached = this.iterators.get(shardId);
    if (cached) return cached;
    const after = this.checkpoints.done[shardId];
    const { ShardIterator } = await this.options.streams.send(
      new GetShardIteratorCommand({
        StreamArn: this.options.streamArn,
        ShardId: shardId,
        ...(after
          ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: after }
          : { ShardIteratorType: 'TRIM_HORIZON' }),
      }),
    );
    return ShardIterator;
  }

  private async run(): Promise<void> {
    while (this.running) {
      let busy = false;
      try {
        const shards = await this.currentShards();
        const closed = new Set(this.checkpoints.closed);
        const known = new Set(shards.map((s) => s.ShardId));
        for (const shard of shards) {
          const id = shard.ShardId ?? '';
          if (!this.running || closed.has(id)) continue;
          // Parents first: a child's records come after all of its parent's.
          if (shard.ParentShardId && known.has(shard.ParentShardId) && !closed.has(shard.ParentShardId)) continue;
          busy = (await this.pollShard(id)) || busy;
        }
      } catch (error) {
        this.listed = undefined;
        this.options.log?.({ msg: 'stream poll failed', streamArn: this.options.streamArn, error: String(error) });
      }
      if (this.running && !busy) await new Promise((r) => setTimeout(r, this.options.pollIntervalMs ?? 250));
    }
  }

  /** Reads one batch of a shard; true when it found records. */
  private async pollShard(shardId: string): Promise<boolean> {
    const iterator = await this.iterator(shardId);
    if (!iterator) return false;
    let page;
    try {
      page = await this.options.streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: this.options.batchSize }));
    } catch (error) {
      this.iterators.delete(shardId);
      if (error instanceof ExpiredIteratorException) return false;
      if (error instanceof TrimmedDataAccessException) {
        delete this.checkpoints.done[shardId];
        return false;
      }
      throw error;
    }
    const records = page.Records ?? [];
    if (records.length > 0) {
      await this.deliver(shardId, records);
    }
    if (page.NextShardIterator) {
      this.iterators.set(shardId, page.NextShardIterator);
    } else {
      this.iterators.delete(shardId);
      this.checkpoints.closed.push(shardId);
      this.save();
      // Its children (a rollover) are listed now, not at the next refresh.
      this.listed = undefined;
    }
    return records.length > 0;
  }

  /** Invokes until the batch succeeds or retries run out; checkpoints after each success. */
  private async deliver(shardId: string, batch: _Record[]): Promise<void> {
    const keep = this.options.partitionKeys;
    const all = keep ? batch.filter((r) => keep.includes(String(r.dynamodb?.Keys?.pk?.S))) : batch;
    if (all.length < batch.length) {
      // Filtered-out records are done as they are read (Lambda drops them before invoking).
      await this.deliverAll(shardId, all);
      this.checkpoints.done[shardId] = batch.at(-1)?.dynamodb?.SequenceNumber ?? '';
      this.save();
      return;
    }
    await this.deliverAll(shardId, all);
  }

  private async deliverAll(shardId: string, all: _Record[]): Promise<void> {
    let pending = all;
    let attempt = 0;
    while (pending.length > 0) {
      const records = pending.map((r) => toLambdaRecord(r, this.options.streamArn, this.options.region));
      let failedAt: number;
      try {
        const response = (await this.options.invoke({ Records: records })) as Partial<DynamoDBBatchResponse> | undefined;
        const failures = response?.batchItemFailures ?? [];
        const seqs = records.map((r) => r.dynamodb?.SequenceNumber);
        const indexes = failures.map((f) => seqs.indexOf(f.itemIdentifier));
        failedAt = failures.length === 0 ? records.length : indexes.some((i) => i < 0) ? 0 : Math.min(...indexes);
      } catch (error) {
        this.options.log?.({ msg: 'stream batch failed', shardId, error: String(error) });
        failedAt = 0;
      }
      if (failedAt > 0) {
        this.checkpoints.done[shardId] = pending[failedAt - 1]?.dynamodb?.SequenceNumber ?? '';
        this.save();
        pending = pending.slice(failedAt);
        attempt = 0;
        continue;
      }
      attempt += 1;
      if (attempt > this.options.retryAttempts) {
        await this.giveUp(shardId, pending);
        return;
      }
      await new Promise((r) => setTimeout(r, Math.min(2000, 100 * 2 ** attempt)));
      if (!this.running) {
        // Leave the rest to the next start: the checkpoint still points before it.
        this.iterators.delete(shardId);
        throw new Error('stopped while retrying');
      }
    }
  }

  /** What Lambda sends to an on-failure destination: the batch's metadata, not its records. */
  private async giveUp(shardId: string, records: _Record[]): Promise<void> {
    const first = records[0]?.dynamodb?.SequenceNumber;
    const last = records.at(-1)?.dynamodb?.SequenceNumber;
    await this.options.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.options.onFailureQueueUrl,
        MessageBody: JSON.stringify({
          requestContext: { condition: 'RetryAttemptsExhausted', approximateInvokeCount: this.options.retryAttempts + 1 },
          DDBStreamBatchInfo: {
            shardId,
            startSequenceNumber: first,
            endSequenceNumber: last,
            batchSize: records.length,
            streamArn: this.options.streamArn,
          },
        }),
      }),
    );
    this.checkpoints.done[shardId] = last ?? '';
    this.save();
    this.options.log?.({ msg: 'stream records sent to on-failure queue', shardId, count: records.length });
  }
}

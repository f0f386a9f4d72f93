/**
 * Reading a write-sharded partition (ADR 0028): one logical partition stored as N partition values
 * (`CAMP#<c>#ACT#S0` … `#S31`). Two ways:
 *
 * - {@link shardedPages}: every item, in no particular order (exports, scores, rebuilds): the
 *   shards are queried a few at a time and their pages handed on as they arrive.
 * - {@link shardedPage}: one page of a list shown to users, in the order of the index's sort key
 *   across all shards (a k-way merge). The sort key is unique within the logical partition (it
 *   ends with the item's id), so the page's cursor is just the last sort key given: the next page
 *   asks every shard for what sorts after it.
 */
import { QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';

type Item = Record<string, unknown>;

/** Shards queried at once by {@link shardedPages} (each holds at most one page in memory). */
export const SHARD_READ_CONCURRENCY = 8;

/**
 * Every item of every shard, a Query page at a time, `concurrency` shards at once. `query(shard)`
 * answers the Query of one shard (its partition value bound), without `ExclusiveStartKey`.
 */
export async function* shardedPages(
  client: DynamoDBDocumentClient,
  shards: readonly string[],
  query: (shard: string) => Omit<QueryCommandInput, 'ExclusiveStartKey'>,
  concurrency = SHARD_READ_CONCURRENCY,
): AsyncGenerator<Item[]> {
  const pending = [...shards];
  /** One request in flight per active shard: its next page, and where it goes on from. */
  const inFlight = new Map<string, Promise<{ shard: string; items: Item[]; next: Item | undefined }>>();
  const request = (shard: string, start: Item | undefined) => {
    inFlight.set(
      shard,
      client.send(new QueryCommand({ ...query(shard), ExclusiveStartKey: start })).then((page) => ({ shard, items: page.Items ?? [], next: page.LastEvaluatedKey })),
    );
  };
  try {
    while (inFlight.size < concurrency && pending.length > 0) request(pending.shift() as string, undefined);
    while (inFlight.size > 0) {
      const { shard, items, next } = await Promise.race(inFlight.values());
      inFlight.delete(shard);
      if (next) request(shard, next);
      else if (pending.length > 0) request(pending.shift() as string, undefined);
      if (items.length > 0) yield items;
    }
  } finally {
    // A consumer that stops early (or fails) leaves no request unobserved.
    await Promise.allSettled(inFlight.values());
  }
}

export interface ShardedPageInput {
  /** The Query of one shard: the index, a key condition `#pk = :pk AND #sk > :after` when `after` is set (else `#pk = :pk`), filters. */
  readonly query: (shard: string, after: string | undefined) => Omit<QueryCommandInput, 'ExclusiveStartKey' | 'Limit'>;
  readonly shards: readonly string[];
  /** The index's sort-key attribute: the merge order, and what the cursor carries. */
  readonly sortKey: string;
  /** The page continues after this sort key (from the cursor). */
  readonly after: string | undefined;
  readonly limit: number;
  /** Items one Query of a shard reads (its `Limit`): small unfiltered, larger when a filter drops items. */
  readonly readSize: number;
}

/**
 * One page of a sharded list in sort-key order: the first `limit` items after `after` across every
 * shard, and the sort key to continue after when more may follow (`undefined` at the end).
 *
 * Each shard is read in small Queries, and again only when its buffered items are used up before
 * the page is full, so a page reads about `limit + shards × readSize` items, not `shards × limit`.
 */
export async function shardedPage(client: DynamoDBDocumentClient, input: ShardedPageInput): Promise<{ items: Item[]; after: string | undefined }> {
  const state = input.shards.map((shard) => ({ shard, buffer: [] as Item[], start: undefined as Item | undefined, done: false }));
  const fill = async (s: (typeof state)[number]) => {
    // Until it has an item or ends (a filter can leave a whole read empty).
    while (s.buffer.length === 0 && !s.done) {
      const page = await client.send(new QueryCommand({ ...input.query(s.shard, input.after), Limit: input.readSize, ExclusiveStartKey: s.start }));
      s.buffer.push(...(page.Items ?? []));
      s.start = page.LastEvaluatedKey;
      s.done = s.start === undefined;
    }
  };
  const sortKeyOf = (item: Item | undefined): string => String(item?.[input.sortKey] ?? '');
  const items: Item[] = [];
  while (items.length < input.limit) {
    await Promise.all(state.filter((s) => s.buffer.length === 0 && !s.done).map(fill));
    let next: (typeof state)[number] | undefined;
    for (const s of state) {
      if (s.buffer.length === 0) continue;
      if (!next || sortKeyOf(s.buffer[0]) < sortKeyOf(next.buffer[0])) next = s;
    }
    if (!next) break;
    items.push(next.buffer.shift() as Item);
  }
  const more = state.some((s) => s.buffer.length > 0 || !s.done);
  const last = items.at(-1);
  return { items, after: more && last ? sortKeyOf(last) : undefined };
}

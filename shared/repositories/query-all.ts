import {
  QueryCommand,
  ScanCommand,
  type DynamoDBDocumentClient,
  type QueryCommandInput,
  type QueryCommandOutput,
  type ScanCommandInput,
} from '@aws-sdk/lib-dynamodb';

/**
 * A Query's answers one page at a time, from the input's `ExclusiveStartKey` (if any) on. A reader
 * that has what it needs stops (`break`) and nothing more is read.
 *
 * @example
 * for await (const page of queryPages(client, input)) {
 *   const found = (page.Items ?? []).find(accept);
 *   if (found) return found;
 * }
 */
export async function* queryPages(client: DynamoDBDocumentClient, input: QueryCommandInput): AsyncGenerator<QueryCommandOutput> {
  let startKey = input.ExclusiveStartKey;
  do {
    const page = await client.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey }));
    yield page;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
}

/**
 * Every item a Query matches, page after page. For small partitions only (one unit's
 * units list, one item's audit trail or media); lists shown to users page with cursors.
 */
export async function queryAll(client: DynamoDBDocumentClient, input: Omit<QueryCommandInput, 'ExclusiveStartKey'>): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  for await (const page of queryPages(client, input)) items.push(...(page.Items ?? []));
  return items;
}

/**
 * A parallel Scan for migrations: `segments` segments at once, each page handed to `onPage` (its
 * items, possibly none after a FilterExpression) before the segment reads on.
 */
export async function scanSegments(
  client: DynamoDBDocumentClient,
  input: Omit<ScanCommandInput, 'Segment' | 'TotalSegments' | 'ExclusiveStartKey'>,
  segments: number,
  onPage: (items: Record<string, unknown>[]) => Promise<void>,
): Promise<void> {
  await Promise.all(
    Array.from({ length: segments }, async (_, segment) => {
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const page = await client.send(new ScanCommand({ ...input, Segment: segment, TotalSegments: segments, ExclusiveStartKey }));
        await onPage(page.Items ?? []);
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);
    }),
  );
}

/**
 * One page of a list shown to users: Queries from `startKey`, keeping at most `limit` matches, and
 * refilled while a FilterExpression leaves it short and the partition goes on. When a batch holds
 * more matches than the page has room for, the cursor is the last kept item's `cursorKeys`;
 * otherwise DynamoDB's LastEvaluatedKey. `readSize(kept)` is each Query's `Limit`.
 */
export async function queryPage(
  client: DynamoDBDocumentClient,
  input: Omit<QueryCommandInput, 'ExclusiveStartKey' | 'Limit'>,
  page: {
    readonly limit: number;
    readonly startKey: Record<string, unknown> | undefined;
    readonly cursorKeys: readonly string[];
    readonly readSize: (kept: number) => number;
  },
): Promise<{ items: Record<string, unknown>[]; cursorKey: Record<string, unknown> | undefined }> {
  const kept: Record<string, unknown>[] = [];
  let startKey = page.startKey;
  let cursorKey: Record<string, unknown> | undefined;
  do {
    const answer = await client.send(new QueryCommand({ ...input, Limit: page.readSize(kept.length), ExclusiveStartKey: startKey }));
    const matched = answer.Items ?? [];
    const room = page.limit - kept.length;
    kept.push(...matched.slice(0, room));
    startKey = answer.LastEvaluatedKey;
    if (matched.length > room) {
      // The page is full before this batch ends: the next page starts after the last item kept.
      const last = kept.at(-1) ?? {};
      cursorKey = Object.fromEntries(page.cursorKeys.map((k) => [k, last[k]]));
      break;
    }
    cursorKey = startKey;
  } while (startKey && kept.length < page.limit);
  return { items: kept, cursorKey };
}

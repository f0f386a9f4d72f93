// Write-sharded campaign partitions (ADR 0028): the shard of an id is stable and spreads ids evenly;
// a sharded list merged across its shards pages exactly like one partition would (every item once,
// in sort-key order, whatever the page size, the shard count or a filter dropping items).
import fc from 'fast-check';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CAMPAIGN_SHARDS, keys, shardOf } from '../../../shared/repositories/keys';
import { shardedPage, shardedPages } from '../../../shared/repositories/sharded-query';

type Item = Record<string, unknown>;

/** A stand-in for DynamoDB's Query on one index: items by partition, sorted by `sk`, `Limit`, `ExclusiveStartKey`, `sk > :after`, and a filter dropping `hidden` items. */
function fakeIndex(items: readonly Item[]): { client: DynamoDBDocumentClient; queries: () => number } {
  let queries = 0;
  const client = {
    send: async (command: { input: { ExpressionAttributeValues: Item; Limit?: number; ExclusiveStartKey?: Item; FilterExpression?: string } }) => {
      queries += 1;
      const { ExpressionAttributeValues: v, Limit, ExclusiveStartKey, FilterExpression } = command.input;
      const all = items.filter((i) => i.pk === v[':pk'] && (v[':after'] === undefined || String(i.sk) > String(v[':after']))).sort((a, b) => (String(a.sk) < String(b.sk) ? -1 : 1));
      const from = ExclusiveStartKey ? all.findIndex((i) => i.sk === ExclusiveStartKey.sk) + 1 : 0;
      const read = all.slice(from, from + (Limit ?? all.length));
      const last = read.at(-1);
      return {
        Items: read.filter((i) => !(FilterExpression && i.hidden)),
        ...(from + read.length < all.length && last ? { LastEvaluatedKey: { pk: last.pk, sk: last.sk } } : {}),
      };
    },
  };
  return { client: client as unknown as DynamoDBDocumentClient, queries: () => queries };
}

describe('Function: shardOf', () => {
  it('is stable (the same id, the same shard, in every runtime) and within range', () => {
    expect(shardOf('01JD7Q3M7X5C9F2VZK8N4R6T1B', 32)).toBe(shardOf('01JD7Q3M7X5C9F2VZK8N4R6T1B', 32));
    // FNV-1a of "a" is 0xe40c292c.
    expect(shardOf('a', 2 ** 31)).toBe(0xe40c292c % 2 ** 31);
    fc.assert(fc.property(fc.string(), fc.integer({ min: 1, max: 256 }), (id, n) => {
      const s = shardOf(id, n);
      return Number.isInteger(s) && s >= 0 && s < n;
    }));
  });

  it('spreads 20,000 unit ids and 1,000,000-like activity ids evenly (the fullest shard within 15% of the mean)', () => {
    for (const ids of [Array.from({ length: 20_000 }, (_, i) => `unit-${i}`), Array.from({ length: 64_000 }, (_, i) => `01JD7Q3M${i.toString(36).padStart(8, '0')}ZK8N4R`)]) {
      for (const shards of [CAMPAIGN_SHARDS.activities, CAMPAIGN_SHARDS.media]) {
        const counts = new Array<number>(shards).fill(0);
        for (const id of ids) {
          const s = shardOf(id, shards);
          counts[s] = (counts[s] ?? 0) + 1;
        }
        expect(Math.max(...counts) / (ids.length / shards)).toBeLessThan(1.15);
      }
    }
  });

  it('names each shard after the unsharded partition, and lists them all', () => {
    expect(keys.shards('activities', 'c')).toHaveLength(CAMPAIGN_SHARDS.activities);
    expect(keys.shards('activities', 'c')[3]).toBe('CAMP#c#ACT#S3');
    expect(keys.shards('activities', 'c')).toContain(keys.activitiesOfCampaign('c', 'a1'));
    expect(keys.shards('results', 'c')).toContain(keys.resultsIndex('c', 'a1').gsi2pk);
    expect(keys.shards('media', 'c')).toContain(keys.mediaIndex('c', '2021', 'm1').gsi2pk);
    expect(keys.shards('flags', 'c')).toContain(keys.flagsOfCampaign('c', 'unit-1'));
    expect(keys.unsharded('flags', 'c')).toBe('CAMP#c#FLAG');
    // An activity's results are in its activity's shard number.
    expect(keys.resultsIndex('c', 'a1').gsi2pk.replace('RESULTS', 'ACT')).toBe(keys.activitiesOfCampaign('c', 'a1'));
  });
});

describe('Function: shardedPage', () => {
  const arbitraryIndex = fc.record({
    shards: fc.integer({ min: 1, max: 8 }),
    items: fc.uniqueArray(fc.record({ sk: fc.string({ minLength: 1, maxLength: 6 }), hidden: fc.boolean() }), { selector: (i) => i.sk, maxLength: 60 }),
    limit: fc.integer({ min: 1, max: 12 }),
    readSize: fc.integer({ min: 1, max: 7 }),
    filtered: fc.boolean(),
  });

  it('pages through every shard in sort-key order, each item once, as one partition would', async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryIndex, async ({ shards, items, limit, readSize, filtered }) => {
        const names = Array.from({ length: shards }, (_, n) => `P#S${n}`);
        const stored = items.map((i) => ({ ...i, pk: names[shardOf(i.sk, shards)] }));
        const { client } = fakeIndex(stored);
        const expected = stored.filter((i) => !(filtered && i.hidden)).map((i) => i.sk).sort();
        const seen: string[] = [];
        let after: string | undefined;
        for (let page = 0; page < 200; page += 1) {
          const answer = await shardedPage(client, {
            shards: names,
            sortKey: 'sk',
            after,
            limit,
            readSize,
            query: (shard, from) => ({ TableName: 't', KeyConditionExpression: 'x', ExpressionAttributeValues: { ':pk': shard, ...(from === undefined ? {} : { ':after': from }) }, ...(filtered ? { FilterExpression: 'f' } : {}) }),
          });
          expect(answer.items.length).toBeLessThanOrEqual(limit);
          seen.push(...answer.items.map((i) => String(i.sk)));
          after = answer.after;
          if (after === undefined) break;
        }
        expect(seen).toEqual(expected);
      }),
    );
  });

  it('reads about a page, not a page per shard', async () => {
    const names = Array.from({ length: 32 }, (_, n) => `P#S${n}`);
    const stored = Array.from({ length: 3200 }, (_, i) => ({ sk: `k${String(i).padStart(5, '0')}`, pk: names[i % 32] }));
    const { client, queries } = fakeIndex(stored);
    const page = await shardedPage(client, { shards: names, sortKey: 'sk', after: undefined, limit: 100, readSize: 7, query: (shard) => ({ TableName: 't', KeyConditionExpression: 'x', ExpressionAttributeValues: { ':pk': shard } }) });
    expect(page.items.map((i) => i.sk)).toEqual(stored.slice(0, 100).map((i) => i.sk));
    expect(page.after).toBe('k00099');
    // One Query per shard to start, then one more only for shards used up: 32 + a few, not 32 × 100 items.
    expect(queries()).toBeLessThanOrEqual(32 * 2);
  });
});

describe('Function: shardedPages', () => {
  it('hands on every page of every shard, a few shards at a time', async () => {
    const names = Array.from({ length: 10 }, (_, n) => `P#S${n}`);
    const stored = Array.from({ length: 95 }, (_, i) => ({ sk: `k${String(i).padStart(3, '0')}`, pk: names[i % 10] }));
    const { client } = fakeIndex(stored);
    const seen: string[] = [];
    for await (const page of shardedPages(client, names, (shard) => ({ TableName: 't', KeyConditionExpression: 'x', ExpressionAttributeValues: { ':pk': shard }, Limit: 3 }), 3)) {
      seen.push(...page.map((i) => String(i.sk)));
    }
    expect(seen.sort()).toEqual(stored.map((i) => i.sk));
  });
});

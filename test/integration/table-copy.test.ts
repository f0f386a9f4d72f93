// The table copy of a milestone snapshot on one machine (ADR 0017): ScanTableCopies writes the
// main table of the running local runtime (DynamoDB Local) in DynamoDB's export format into its
// exports bucket (the local S3), and TableCopySource reads the campaign's items back from it.
// Each reader answers exactly what the paged Queries of the live table answer.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { gunzipSync } from 'node:zlib';
import { DynamoDbExportSource, EXPORT_PARTITIONS, type ExportReader, type Pages } from '../../shared/export/readers';
import { ScanTableCopies } from '../../shared/export/table-copy';
import { TableCopySource } from '../../shared/export/table-copy-source';
import { keys } from '../../shared/repositories/keys';
import { clientsFor, runtimeInfo, uniqueId } from '../helpers/runtime';

const info = runtimeInfo();
const clients = clientsFor(info);
const tableName = info.resources.tables.main?.name ?? '';
const bucket = info.resources.buckets.exports?.name ?? '';
const dir = mkdtempSync(join(tmpdir(), 'sciday-table-copy-'));
// A campaign of this test's own: other suites write to the same table meanwhile.
const c = uniqueId('copy');
const other = uniqueId('copy-other');

afterAll(() => {
  for (const client of Object.values(clients)) client.destroy();
  rmSync(dir, { recursive: true, force: true });
});

const READERS = Object.keys(EXPORT_PARTITIONS) as ExportReader[];

/** One item of a reader's partition, as the repositories key it. */
function itemOf(reader: ExportReader, campaignId: string, n: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const { index, partitions, entity } = EXPORT_PARTITIONS[reader];
  const pk = index ? `${index}pk` : 'pk';
  return {
    pk: `TEST#${campaignId}#${reader}#${n}`,
    sk: 'X',
    ...(index ? { [`${index}sk`]: `${String(n).padStart(4, '0')}` } : {}),
    // Spread over the reader's shards (ADR 0028), as the repositories spread them.
    [pk]: partitions(campaignId)[n % partitions(campaignId).length],
    ...(index ? {} : { sk: `ORG#${reader}-${n}` }),
    entity,
    campaignId,
    n,
    ...extra,
  };
}

async function all(pages: Pages): Promise<Array<Record<string, unknown>>> {
  const items: Array<Record<string, unknown>> = [];
  for await (const page of pages) items.push(...page);
  return items.sort((a, b) => Number(a.n) - Number(b.n));
}

describe('Table copy on one machine: Scan → DynamoDB export files → the export readers', () => {
  beforeAll(async () => {
    const items = [
      // Three of every reader's items for the campaign, with the attribute shapes the rows read:
      // maps, lists, string sets (SS), numbers, booleans, Chinese text and emoji.
      ...READERS.flatMap((reader) =>
        [1, 2, 3].map((n) =>
          itemOf(reader, c, n, {
            title: `科普活动 ${n} 🌱`,
            venue: { name: '红旗区新时代文明实践中心', address: '人民路 1 号' },
            newsLinks: [`https://news.example.cn/${n}`],
            tags: new Set(['a', `b${n}`]),
            volunteers: { count: n, hours: n + 0.5 },
            waived: n === 2,
          }),
        ),
      ),
      // Not the campaign's: another campaign's items, and an item of another entity in its partitions.
      ...READERS.map((reader) => itemOf(reader, other, 9)),
      { ...itemOf('activities', c, 99), entity: 'Probe' },
      { pk: keys.organizationsPartition(c), sk: 'NOT-AN-ORG', entity: 'Lease', n: 98 },
    ];
    for (let i = 0; i < items.length; i += 25) {
      await clients.doc.send(new BatchWriteCommand({ RequestItems: { [tableName]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }));
    }
  });

  it('answers every reader exactly what the paged Queries of the live table answer, sets as lists', async () => {
    const copies = new ScanTableCopies({ dynamodb: clients.dynamodb, s3: clients.s3, bucket, prefix: 'table-copies/', tableName });
    const copyId = await copies.start({ exportId: `${c}-registration`, asOf: new Date('2021-09-24T16:00:00Z') });
    const state = await copies.state(copyId);
    if (state.status !== 'completed') throw new Error(`the copy is ${JSON.stringify(state)}`);
    expect(state.dataFiles).toHaveLength(4);
    expect(state.dataFiles.every((k) => k.startsWith(`table-copies/${c}-registration/AWSDynamoDB/`) && k.endsWith('.json.gz'))).toBe(true);
    // DynamoDB's export format: gzipped lines of {"Item": <attribute values>}.
    const first = await clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: state.dataFiles[0] }));
    const line = gunzipSync(Buffer.from((await first.Body?.transformToByteArray()) ?? [])).toString('utf8').split('\n')[0] ?? '';
    expect(JSON.parse(line)).toEqual({ Item: expect.objectContaining({ pk: { S: expect.any(String) } }) });

    const copy = await TableCopySource.open({ target: { s3: clients.s3, bucket }, dataFiles: state.dataFiles, campaignId: c, dir, pageSize: 2 });
    const live = new DynamoDbExportSource({ client: clients.doc, tableName });
    for (const reader of READERS) {
      const fromCopy = await all(copy[reader]());
      const fromLive = (await all(live[reader](c))).map((item) => JSON.parse(JSON.stringify(item, (_k, v: unknown) => (v instanceof Set ? [...(v as Set<unknown>)] : v))));
      expect(fromCopy.map((i) => i.n)).toEqual([1, 2, 3]);
      expect(fromCopy).toEqual(fromLive);
      expect(fromCopy[0]).toMatchObject({ title: '科普活动 1 🌱', venue: { name: '红旗区新时代文明实践中心' }, volunteers: { count: 1, hours: 1.5 }, waived: false });
      expect([...(fromCopy[0]?.tags as string[])].sort()).toEqual(['a', 'b1']);
      expect(copy.counts[reader]).toBe(3);
    }
  });
});

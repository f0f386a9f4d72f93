/**
 * An ExportSource over a table copy (table-copy.ts): the same readers, partitions and entities as
 * the paged Queries (readers.ts EXPORT_PARTITIONS), read from the copy's data files instead of the
 * live table.
 *
 * {@link TableCopySource.open} reads every data file once, line by line (gunzip, JSON, unmarshall), keeps
 * the campaign's items of each reader and appends them as JSON lines to one file per reader in the
 * export's temp dir; each reader then streams its own file in pages. JS holds one line and at most
 * about a megabyte of lines per reader, never the table.
 */
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { NdjsonFile } from './ndjson-file';
import { EXPORT_PARTITIONS, PAGE_SIZE, partitionAttribute, type ExportReader, type ExportSource, type Pages } from './readers';
import type { StoredItem } from './rows';
import type { CopyTarget } from './table-copy';

const READERS = Object.keys(EXPORT_PARTITIONS) as ExportReader[];

/** Sets (DynamoDB SS/NS) become arrays, as the rows and the scores read lists. */
const plain = (_key: string, value: unknown): unknown => (value instanceof Set ? [...(value as Set<unknown>)] : value);

/** Lines of a gzipped object, one at a time. */
async function* gzippedLines(target: Pick<CopyTarget, 's3' | 'bucket'>, key: string): AsyncGenerator<string> {
  const res = await target.s3.send(new GetObjectCommand({ Bucket: target.bucket, Key: key }));
  const body = res.Body as Readable | undefined;
  if (!body) throw new Error(`the table copy's data file ${key} has no body`);
  const lines = createInterface({ input: body.pipe(createGunzip()), crlfDelay: Infinity });
  for await (const line of lines) if (line.trim() !== '') yield line;
}

/** Each reader's items of one campaign from a copy, split into files under `dir`. */
export class TableCopySource implements ExportSource {
  private constructor(
    private readonly files: Readonly<Record<ExportReader, string>>,
    /** Items of each reader found in the copy. */
    public readonly counts: Readonly<Record<ExportReader, number>>,
    private readonly pageSize: number,
  ) {}

  public static async open(input: {
    readonly target: Pick<CopyTarget, 's3' | 'bucket'>;
    readonly dataFiles: readonly string[];
    readonly campaignId: string;
    readonly dir: string;
    readonly pageSize?: number;
  }): Promise<TableCopySource> {
    // partition value → reader, per attribute that holds it.
    const byAttribute = new Map<string, Map<string, ExportReader>>();
    for (const reader of READERS) {
      const attribute = partitionAttribute(reader);
      const routes = byAttribute.get(attribute) ?? new Map<string, ExportReader>();
      for (const partition of EXPORT_PARTITIONS[reader].partitions(input.campaignId)) routes.set(partition, reader);
      byAttribute.set(attribute, routes);
    }
    const files = Object.fromEntries(READERS.map((r) => [r, join(input.dir, `copy-${r}.ndjson`)])) as Record<ExportReader, string>;
    const out = Object.fromEntries(READERS.map((r) => [r, new NdjsonFile(files[r])])) as Record<ExportReader, NdjsonFile>;
    try {
      for (const key of input.dataFiles) {
        for await (const line of gzippedLines(input.target, key)) {
          const parsed = JSON.parse(line) as { Item?: Record<string, never> };
          if (!parsed.Item) continue;
          const item = unmarshall(parsed.Item) as StoredItem;
          const reader = route(byAttribute, item);
          if (reader) out[reader].append(JSON.stringify(item, plain));
        }
      }
    } finally {
      for (const reader of READERS) out[reader].close();
    }
    const counts = Object.fromEntries(READERS.map((r) => [r, out[r].count])) as Record<ExportReader, number>;
    return new TableCopySource(files, counts, input.pageSize ?? PAGE_SIZE);
  }

  public activities(): Pages {
    return this.pages('activities');
  }

  public results(): Pages {
    return this.pages('results');
  }

  public media(): Pages {
    return this.pages('media');
  }

  public summaries(): Pages {
    return this.pages('summaries');
  }

  public flags(): Pages {
    return this.pages('flags');
  }

  public addedOrganizations(): Pages {
    return this.pages('addedOrganizations');
  }

  public reviews(): Pages {
    return this.pages('reviews');
  }

  public extensions(): Pages {
    return this.pages('extensions');
  }

  private async *pages(reader: ExportReader): AsyncGenerator<readonly StoredItem[]> {
    const lines = createInterface({ input: createReadStream(this.files[reader], 'utf8'), crlfDelay: Infinity });
    let page: StoredItem[] = [];
    for await (const line of lines) {
      if (line === '') continue;
      page.push(JSON.parse(line) as StoredItem);
      if (page.length >= this.pageSize) {
        yield page;
        page = [];
      }
    }
    if (page.length > 0) yield page;
  }
}

/** The reader an item belongs to: its partition is one of the campaign's, and it is that reader's entity. */
function route(byAttribute: ReadonlyMap<string, ReadonlyMap<string, ExportReader>>, item: StoredItem): ExportReader | undefined {
  for (const [attribute, routes] of byAttribute) {
    const value = item[attribute];
    if (typeof value !== 'string') continue;
    const reader = routes.get(value);
    if (reader && EXPORT_PARTITIONS[reader].entity === item.entity) return reader;
  }
  return undefined;
}

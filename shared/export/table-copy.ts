/**
 * A copy of the whole main table as it was at one instant, written to the exports bucket in
 * DynamoDB's export format (ADR 0017): what a milestone's snapshot is read from, so that it holds
 * every entry exactly as of the deadline, whatever was changed after.
 *
 * - On AWS: DynamoDB's point-in-time export (`ExportTableToPointInTime`, the table has PITR on).
 *   DynamoDB writes it, using no read capacity, in minutes; the job polls its state.
 * - On one machine: DynamoDB Local has no such export, so {@link ScanTableCopies} writes the same
 *   files from a parallel Scan when the copy is asked for (the local milestone job runs at the
 *   deadline on the runtime's clock, so "now" is the instant).
 *
 * Both leave, under `<prefix><exportId>/AWSDynamoDB/<copy>/`: `manifest-summary.json` (which names
 * `manifest-files.json`), `manifest-files.json` (one JSON line per data file, `dataFileS3Key`) and
 * the data files: gzipped lines `{"Item": {<attribute>: {"S": …}, …}}`.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGzip } from 'node:zlib';
import { DescribeExportCommand, ExportTableToPointInTimeCommand, ScanCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';

export type TableCopyState =
  | { readonly status: 'in-progress' }
  | { readonly status: 'failed'; readonly reason: string }
  /** Done: the keys of its data files in the bucket, and its items (the whole table's) when its manifest counts them. */
  | { readonly status: 'completed'; readonly dataFiles: readonly string[]; readonly items?: number };

/** Port: copies of the main table as of an instant. */
export interface TableCopies {
  /** Starts the copy for one export (asking again for the same export starts nothing new); answers its id. */
  start(input: { readonly exportId: string; readonly asOf: Date }): Promise<string>;
  state(copyId: string): Promise<TableCopyState>;
}

/** Where the copies go: the bucket and the key prefix (`table-copies/`). */
export interface CopyTarget {
  readonly s3: S3Client;
  readonly bucket: string;
  readonly prefix: string;
}

async function text(target: CopyTarget, key: string): Promise<string> {
  const res = await target.s3.send(new GetObjectCommand({ Bucket: target.bucket, Key: key }));
  return (await res.Body?.transformToString('utf8')) ?? '';
}

/** The data files a copy's manifest summary lists (through its manifest-files.json), and its `itemCount`. */
export async function dataFilesOf(target: CopyTarget, summaryKey: string): Promise<{ dataFiles: string[]; items?: number }> {
  const summary = JSON.parse(await text(target, summaryKey)) as { manifestFilesS3Key?: unknown; itemCount?: unknown };
  if (typeof summary.manifestFilesS3Key !== 'string') throw new Error(`the table copy's manifest ${summaryKey} names no manifest-files.json`);
  const dataFiles = (await text(target, summary.manifestFilesS3Key))
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const file = JSON.parse(line) as { dataFileS3Key?: unknown };
      if (typeof file.dataFileS3Key !== 'string') throw new Error(`a line of ${summary.manifestFilesS3Key} names no data file`);
      return file.dataFileS3Key;
    });
  return { dataFiles, ...(typeof summary.itemCount === 'number' ? { items: summary.itemCount } : {}) };
}

/** DynamoDB's point-in-time export of the table (AWS). */
export class PointInTimeTableCopies implements TableCopies {
  public constructor(private readonly deps: CopyTarget & { readonly dynamodb: DynamoDBClient; readonly tableArn: string }) {}

  public async start(input: { exportId: string; asOf: Date }): Promise<string> {
    const out = await this.deps.dynamodb.send(
      new ExportTableToPointInTimeCommand({
        TableArn: this.deps.tableArn,
        ExportTime: input.asOf,
        S3Bucket: this.deps.bucket,
        S3Prefix: `${this.deps.prefix}${input.exportId}`,
        ExportFormat: 'DYNAMODB_JSON',
        ExportType: 'FULL_EXPORT',
        // The same token within 8 hours answers the same export instead of starting another.
        ClientToken: createHash('sha256').update(input.exportId).digest('hex').slice(0, 32),
      }),
    );
    const arn = out.ExportDescription?.ExportArn;
    if (!arn) throw new Error('ExportTableToPointInTime answered no export ARN');
    return arn;
  }

  public async state(copyId: string): Promise<TableCopyState> {
    const d = (await this.deps.dynamodb.send(new DescribeExportCommand({ ExportArn: copyId }))).ExportDescription;
    if (d?.ExportStatus === 'COMPLETED') {
      if (!d.ExportManifest) throw new Error(`export ${copyId} is complete but names no manifest`);
      return { status: 'completed', ...(await dataFilesOf(this.deps, d.ExportManifest)) };
    }
    if (d?.ExportStatus === 'FAILED') return { status: 'failed', reason: `${d.FailureCode ?? 'unknown'}: ${d.FailureMessage ?? ''}`.trim() };
    return { status: 'in-progress' };
  }
}

/** Segments of the parallel Scan (one data file each). */
const SCAN_SEGMENTS = 4;

/** The same files from a parallel Scan, written when the copy is asked for (one machine). */
export class ScanTableCopies implements TableCopies {
  public constructor(private readonly deps: CopyTarget & { readonly dynamodb: DynamoDBClient; readonly tableName: string; readonly segments?: number; readonly tmpRoot?: string }) {}

  public async start(input: { exportId: string; asOf: Date }): Promise<string> {
    const base = `${this.deps.prefix}${input.exportId}/AWSDynamoDB/scan-${input.exportId}/`;
    const summaryKey = `${base}manifest-summary.json`;
    const segments = this.deps.segments ?? SCAN_SEGMENTS;
    const dir = await mkdtemp(join(this.deps.tmpRoot ?? tmpdir(), 'sciday-table-copy-'));
    try {
      // Every segment settles before the folder goes: a failed one must not pull the files from under the others.
      const settled = await Promise.allSettled(Array.from({ length: segments }, (_, segment) => this.scanSegment(segment, segments, dir, `${base}data/segment-${segment}.json.gz`)));
      const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
      const files = settled.map((r) => (r as PromiseFulfilledResult<{ key: string; items: number }>).value);
      const filesKey = `${base}manifest-files.json`;
      await this.put(filesKey, files.map((f) => JSON.stringify({ itemCount: f.items, dataFileS3Key: f.key })).join('\n') + '\n', 'application/x-ndjson');
      await this.put(
        summaryKey,
        JSON.stringify({ version: '2020-06-30', exportArn: `scan:${input.exportId}`, tableArn: this.deps.tableName, exportTime: input.asOf.toISOString(), itemCount: files.reduce((n, f) => n + f.items, 0), outputFormat: 'DYNAMODB_JSON', manifestFilesS3Key: filesKey }),
        'application/json',
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    return summaryKey;
  }

  public async state(copyId: string): Promise<TableCopyState> {
    try {
      return { status: 'completed', ...(await dataFilesOf(this.deps, copyId)) };
    } catch (error) {
      return { status: 'failed', reason: error instanceof Error ? error.message : String(error) };
    }
  }

  /** One Scan segment, every page, into a gzipped file of `{"Item": …}` lines, uploaded to `key`. */
  private async scanSegment(segment: number, total: number, dir: string, key: string): Promise<{ key: string; items: number }> {
    const path = join(dir, `segment-${segment}.json.gz`);
    const gzip = createGzip();
    const out = createWriteStream(path);
    const done = new Promise<void>((resolve, reject) => {
      out.once('finish', resolve);
      out.once('error', reject);
      gzip.once('error', reject);
    });
    gzip.pipe(out);
    let items = 0;
    let start: Record<string, unknown> | undefined;
    try {
      do {
        const page = await this.deps.dynamodb.send(
          new ScanCommand({ TableName: this.deps.tableName, Segment: segment, TotalSegments: total, ExclusiveStartKey: start as never, ConsistentRead: true }),
        );
        const lines = (page.Items ?? []).map((Item) => `${JSON.stringify({ Item })}\n`).join('');
        items += page.Items?.length ?? 0;
        if (lines && !gzip.write(lines)) await new Promise((resolve) => gzip.once('drain', resolve));
        start = page.LastEvaluatedKey;
      } while (start);
    } finally {
      gzip.end();
      await done;
    }
    // A buffer, not a stream: the SDK retries a failed PutObject only when it can send the body again.
    await this.deps.s3.send(new PutObjectCommand({ Bucket: this.deps.bucket, Key: key, Body: await readFile(path), ContentType: 'application/gzip' }));
    return { key, items };
  }

  private async put(key: string, body: string, contentType: string): Promise<void> {
    await this.deps.s3.send(new PutObjectCommand({ Bucket: this.deps.bucket, Key: key, Body: body, ContentType: contentType }));
  }
}

/**
 * The file writers: one exported table of a staged workspace to one local file, Parquet (by
 * DuckDB's COPY, typed as the catalogue says) or CSV (streamed from DuckDB chunk by chunk and
 * written here, see csv.ts). Both answer the rows written; {@link fileDigest} gives the size and
 * SHA-256 the manifest records.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { EXPORT_TABLES, type ExportEntity } from './columns';
import type { ExportFormat } from './export-record';
import { CRLF, csvCellText, csvHeader, csvRecord, UTF8_BOM, zonedInstantFormatter } from './csv';
import { entitySelectSql, quoteLiteral, type ExportWorkspace } from './workspace';

/** File extension and content type of each format. */
export const FORMATS: Readonly<Record<ExportFormat, { readonly extension: string; readonly contentType: string }>> = {
  parquet: { extension: 'parquet', contentType: 'application/vnd.apache.parquet' },
  csv: { extension: 'csv', contentType: 'text/csv; charset=utf-8' },
};

/** Writes `entity` to `file` as Parquet (zstd); answers the rows written. */
export async function writeParquet(workspace: ExportWorkspace, entity: ExportEntity, file: string): Promise<number> {
  const result = await workspace.connection.run(
    `COPY (${entitySelectSql(entity)}) TO ${quoteLiteral(file)} (FORMAT parquet, COMPRESSION zstd)`,
  );
  const rows = await result.getRows();
  return Number(rows[0]?.[0] ?? 0);
}

export interface CsvOptions {
  /** Header language. */
  readonly language: 'zh' | 'en';
  /** The campaign's zone: instants are written in it, with its offset. */
  readonly timeZone: string;
}

/** Writes `entity` to `file` as CSV (BOM, CRLF, RFC 4180, formulas neutralised); answers the rows written. */
export async function writeCsv(workspace: ExportWorkspace, entity: ExportEntity, file: string, options: CsvOptions): Promise<number> {
  const columns = EXPORT_TABLES[entity].columns;
  const zoned = zonedInstantFormatter(options.timeZone);
  let rows = 0;
  // One DuckDB chunk (about 2,048 rows) at a time; the pipeline waits while the file catches up.
  async function* records(): AsyncGenerator<string> {
    yield UTF8_BOM + csvHeader(columns, options.language) + CRLF;
    const result = await workspace.connection.stream(entitySelectSql(entity));
    for await (const chunk of result.yieldRowsJs()) {
      let text = '';
      for (const row of chunk) text += csvRecord(columns.map((c, i) => csvCellText(c.type, row[i], zoned))) + CRLF;
      rows += chunk.length;
      yield text;
    }
  }
  await pipeline(Readable.from(records()), createWriteStream(file));
  return rows;
}

/** Size in bytes and SHA-256 (hex) of a local file, streamed. */
export async function fileDigest(file: string): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    bytes += chunk.length;
  }
  return { bytes, sha256: hash.digest('hex') };
}

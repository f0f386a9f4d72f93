/**
 * CSV request bodies (`text/csv`), read as RFC 4180 with the leniencies spreadsheets need.
 *
 * Dialect:
 * - UTF-8 only; a leading byte order mark (Excel's "CSV UTF-8") is dropped. Bytes that are not
 *   UTF-8 (a GBK file saved by an older Excel) are refused with 400, never guessed at.
 * - Comma separator. Records end with CRLF, LF or a lone CR; a final line break adds no record.
 * - A field that starts with `"` is quoted: it runs to the next `"` not doubled (`""` is one
 *   quote) and may hold commas and line breaks. After its closing quote only a comma or the end
 *   of the record may follow (400 otherwise), and a quote left open is a 400 too.
 * - A `"` inside an unquoted field is kept as it is (as spreadsheets read it).
 * - Cells are returned exactly as written: trimming, blank records and the header are the
 *   importer's business.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { BadRequestError, UnsupportedMediaTypeError } from '../errors';

/** A CSV body that does not follow the dialect; `line` is 1-based (physical lines). */
export class CsvSyntaxError extends Error {
  public constructor(
    message: string,
    public readonly line: number,
  ) {
    super(`${message} (line ${line})`);
    this.name = 'CsvSyntaxError';
  }
}

/** Parses `text` (already decoded, BOM removed) into records of cells. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let line = 1;
  let i = 0;
  const n = text.length;
  const endRecord = () => {
    records.push(record);
    record = [];
  };
  // Each turn reads one field, starting at i.
  for (;;) {
    let cell = '';
    if (text[i] === '"') {
      const openedOn = line;
      i += 1;
      for (;;) {
        if (i >= n) throw new CsvSyntaxError('a quoted field is not closed', openedOn);
        const ch = text[i];
        if (ch === '"') {
          if (text[i + 1] === '"') {
            cell += '"';
            i += 2;
            continue;
          }
          i += 1;
          break;
        }
        if (ch === '\n' || (ch === '\r' && text[i + 1] !== '\n')) line += 1;
        cell += ch;
        i += 1;
      }
      const next = text[i];
      if (i < n && next !== ',' && next !== '\r' && next !== '\n') {
        throw new CsvSyntaxError('only a comma or a line break may follow a closing quote', line);
      }
    } else {
      const start = i;
      while (i < n && text[i] !== ',' && text[i] !== '\r' && text[i] !== '\n') i += 1;
      cell = text.slice(start, i);
    }
    record.push(cell);
    if (i >= n) {
      endRecord();
      break;
    }
    const sep = text[i];
    i += 1;
    if (sep === ',') continue;
    if (sep === '\r' && text[i] === '\n') i += 1;
    line += 1;
    endRecord();
    if (i >= n) break; // a final line break adds no record
  }
  // An empty text is no record at all, not one empty cell.
  return n === 0 ? [] : records;
}

const BOM = '\uFEFF';

/** The UTF-8 text of a request body (base64 or not), its BOM removed; 400 when it is not UTF-8. */
export function utf8BodyText(body: string, isBase64Encoded: boolean): string {
  let text: string;
  if (isBase64Encoded) {
    try {
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(Buffer.from(body, 'base64'));
    } catch (error) {
      throw new BadRequestError('the CSV is not UTF-8: save it as “CSV UTF-8”', { cause: error });
    }
  } else {
    text = body;
    // A gateway that decoded non-UTF-8 bytes as UTF-8 leaves replacement characters behind.
    if (text.includes('\uFFFD')) throw new BadRequestError('the CSV is not UTF-8: save it as “CSV UTF-8”');
  }
  return text.startsWith(BOM) ? text.slice(BOM.length) : text;
}

/** The media type of the request (`text/csv`), lower-cased, without parameters; `''` when none. */
export function mediaTypeOf(event: APIGatewayProxyEventV2): { type: string; charset?: string } {
  const raw = event.headers?.['content-type'] ?? '';
  const [type = '', ...params] = raw.split(';').map((p) => p.trim());
  const charset = params
    .map((p) => /^charset\s*=\s*"?([^"]*)"?$/i.exec(p)?.[1])
    .find((c): c is string => c !== undefined);
  return { type: type.toLowerCase(), ...(charset ? { charset: charset.toLowerCase() } : {}) };
}

/**
 * The records of a `text/csv` body: 415 for a charset other than UTF-8, 400 for bytes that are
 * not UTF-8 or text that breaks the dialect. No body is no record.
 */
export function csvRecords(event: APIGatewayProxyEventV2): string[][] {
  const { charset } = mediaTypeOf(event);
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    throw new UnsupportedMediaTypeError(`a CSV body must be UTF-8, not ${charset}`);
  }
  if (event.body === undefined || event.body === '') return [];
  try {
    return parseCsv(utf8BodyText(event.body, event.isBase64Encoded));
  } catch (error) {
    if (error instanceof CsvSyntaxError) throw new BadRequestError(`the CSV is malformed: ${error.message}`, { cause: error });
    throw error;
  }
}

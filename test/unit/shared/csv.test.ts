import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import fc from 'fast-check';
import { BadRequestError, UnsupportedMediaTypeError } from '../../../shared/errors';
import { csvRecords, parseCsv, utf8BodyText } from '../../../shared/http/csv';

const event = (body: string | undefined, contentType = 'text/csv', isBase64Encoded = false) =>
  ({ headers: { 'content-type': contentType }, body, isBase64Encoded }) as unknown as APIGatewayProxyEventV2;

/** Writes records the RFC 4180 way: every field quoted, quotes doubled, CRLF. */
const writeCsv = (records: string[][]): string =>
  records.map((r) => r.map((c) => `"${c.replace(/"/g, '""')}"`).join(',')).join('\r\n');

describe('Module: csv', () => {
  it('reads fields, quoted fields with commas, quotes and line breaks, and any line ending', () => {
    expect(parseCsv('a,b,c\r\n1,"x, y","say ""hi"""\n2,"two\r\nlines",\r3,,z\n')).toEqual([
      ['a', 'b', 'c'],
      ['1', 'x, y', 'say "hi"'],
      ['2', 'two\r\nlines', ''],
      ['3', '', 'z'],
    ]);
  });

  it('adds no record for a final line break, and none for an empty text', () => {
    expect(parseCsv('a\n')).toEqual([['a']]);
    expect(parseCsv('a')).toEqual([['a']]);
    expect(parseCsv('')).toEqual([]);
    expect(parseCsv('\n\n')).toEqual([[''], ['']]);
  });

  it('keeps a quote inside an unquoted field, as spreadsheets do', () => {
    expect(parseCsv('5" screen,x')).toEqual([['5" screen', 'x']]);
  });

  it('refuses an open quote and text after a closing quote, naming the line', () => {
    expect(() => parseCsv('a\n"open,\nb')).toThrow(/not closed \(line 2\)/);
    expect(() => parseCsv('a\n"x"y,b')).toThrow(/closing quote \(line 2\)/);
  });

  it('round-trips any records written the RFC 4180 way', () => {
    const cell = fc.string({ unit: fc.constantFrom('a', '科', ',', '"', '\r\n', '\n', ' ', '🌱') });
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 5 }), (records) => {
        expect(parseCsv(writeCsv(records))).toEqual(records);
      }),
    );
  });

  it('drops a byte order mark, in text and in base64 bodies', () => {
    expect(utf8BodyText('\uFEFF名称,县区', false)).toBe('名称,县区');
    expect(utf8BodyText(Buffer.from('\uFEFF名称,县区', 'utf8').toString('base64'), true)).toBe('名称,县区');
    expect(csvRecords(event(Buffer.from('\uFEFFname\r\n科协\r\n').toString('base64'), 'text/csv; charset=utf-8', true))).toEqual([
      ['name'],
      ['科协'],
    ]);
  });

  it('refuses bytes that are not UTF-8 (400) and another charset (415)', () => {
    const gbk = Buffer.from([0xc3, 0xfb, 0xb3, 0xc6]).toString('base64'); // 名称 in GBK
    expect(() => csvRecords(event(gbk, 'text/csv', true))).toThrow(BadRequestError);
    expect(() => csvRecords(event('a\uFFFDb'))).toThrow(BadRequestError);
    expect(() => csvRecords(event('a', 'text/csv; charset=gbk'))).toThrow(UnsupportedMediaTypeError);
    expect(() => csvRecords(event('"open'))).toThrow(/the CSV is malformed/);
    expect(csvRecords(event(undefined))).toEqual([]);
  });
});

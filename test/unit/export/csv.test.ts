import fc from 'fast-check';
import { EXPORT_TABLES } from '../../../shared/export/columns';
import { csvCellText, csvHeader, csvRecord, neutralizeFormula, quoteField, zonedInstantFormatter } from '../../../shared/export/csv';
import { formatInstant } from '../../../shared/domain/time';
import { parseCsv } from '../../../shared/http/csv';

const shanghai = (d: Date) => formatInstant(d, 'Asia/Shanghai');

describe('Module: export CSV cells', () => {
  it.each([
    ['=HYPERLINK("http://evil.example","点我")', `'=HYPERLINK("http://evil.example","点我")`],
    ['+86 373 1234567', "'+86 373 1234567"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1:A2)', "'@SUM(A1:A2)"],
    ['\t=1', "'\t=1"],
    ['\r=1', "'\r=1"],
    ['科普=1', '科普=1'],
    [' =1', ' =1'],
    ['', ''],
  ])('neutralises %p as %p', (text, expected) => {
    expect(neutralizeFormula(text)).toBe(expected);
  });

  it('quotes only what RFC 4180 asks, doubling quotes', () => {
    expect(quoteField('plain 科普 🌱')).toBe('plain 科普 🌱');
    expect(quoteField('a,b')).toBe('"a,b"');
    expect(quoteField('say "hi"')).toBe('"say ""hi"""');
    expect(quoteField('two\r\nlines')).toBe('"two\r\nlines"');
    expect(quoteField('lf\nonly')).toBe('"lf\nonly"');
  });

  it('writes values of each type: instants in the campaign zone, lists joined, booleans, numbers, nulls empty', () => {
    expect(csvCellText('timestamptz', { micros: BigInt(Date.parse('2021-09-24T15:59:59.999Z')) * 1000n }, shanghai)).toBe('2021-09-24T23:59:59.999+08:00');
    expect(csvCellText('list<string>', { items: ['a', 'b'] }, shanghai)).toBe('a; b');
    expect(csvCellText('list<string>', { items: ['=cmd', 'b'] }, shanghai)).toBe("'=cmd; b");
    expect(csvCellText('boolean', false, shanghai)).toBe('false');
    expect(csvCellText('int64', 12n, shanghai)).toBe('12');
    expect(csvCellText('int64', -3n, shanghai)).toBe('-3');
    expect(csvCellText('double', 30.5, shanghai)).toBe('30.5');
    expect(csvCellText('string', null, shanghai)).toBe('');
    expect(csvCellText('string', '-1 度', shanghai)).toBe("'-1 度");
  });

  it('writes the header from the meanings in either language', () => {
    const columns = EXPORT_TABLES.summaries.columns;
    expect(parseCsv(csvHeader(columns, 'zh'))[0]).toEqual(columns.map((c) => c.meaning.zh));
    expect(parseCsv(csvHeader(columns, 'en'))[0]).toEqual(columns.map((c) => c.meaning.en));
  });

  it('any text cell reads back as written, and never starts a formula', () => {
    const text = fc.string({ unit: fc.constantFrom('a', '科', ',', '"', '\r\n', '\n', ' ', '🌱', '=', '+', '-', '@', '\t', '\r') });
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 6 }), (cells) => {
        const written = cells.map((c) => csvCellText('string', c, shanghai));
        const [back] = parseCsv(csvRecord(written) + '\r\n');
        expect(back).toEqual(written);
        for (const [i, cell] of (back ?? []).entries()) {
          expect(cell.replace(/^'/, '')).toBe(cells[i]);
          expect(cell).not.toMatch(/^[=+\-@\t\r]/);
        }
      }),
    );
  });
});

describe('Module: export CSV instants', () => {
  it.each(['Asia/Shanghai', 'Europe/Berlin', 'America/St_Johns', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'UTC'])(
    'writes instants in %s exactly as formatInstant does, across offsets and transitions',
    (zone) => {
      const format = zonedInstantFormatter(zone);
      fc.assert(
        fc.property(fc.integer({ min: 0, max: Date.UTC(2040, 0, 1) }), (ms) => {
          expect(format(new Date(ms))).toBe(formatInstant(new Date(ms), zone));
        }),
        { numRuns: 2000 },
      );
      // Around Berlin's 2030 spring change and a millisecond before a deadline.
      for (const iso of ['2030-03-31T00:59:59.999Z', '2030-03-31T01:00:00.000Z', '2021-09-24T15:59:59.999Z']) {
        expect(format(new Date(iso))).toBe(formatInstant(new Date(iso), zone));
      }
    },
  );
});

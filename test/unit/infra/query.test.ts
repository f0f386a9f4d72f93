import { existsSync, mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { parseArgs, UsageError } from '../../../infra/local/query/args';
import { manifestChecksums, parseExportKey } from '../../../infra/local/query/cache';
import { needsHistory, runQuery as runQueryIn } from '../../../infra/local/query/duckdb';
import { oneLine } from '../../../infra/local/query/errors';
import { csvField, displayWidth, formatCsv, formatJson, formatTable, truncateToWidth } from '../../../infra/local/query/output';
import { instantText, toPlain, type QueryResult } from '../../../infra/local/query/values';
import * as catalog from '../../../infra/analytics-catalog';
import { analyticsTables, DUCKDB_TYPES } from '../../../infra/analytics-catalog';
import { EXPORT_ENTITIES, EXPORT_TABLES } from '../../../shared/export/columns';
import * as engine from '../../../shared/export/manifest';

const noFile = (path: string): string => {
  throw new Error(`unexpected read of ${path}`);
};

describe('parseArgs', () => {
  it.each([
    [['SELECT 1'], { format: 'table', sql: 'SELECT 1' }],
    [['--format', 'json', 'SELECT 1'], { format: 'json', sql: 'SELECT 1' }],
    [['--format=csv', 'SELECT 1'], { format: 'csv', sql: 'SELECT 1' }],
    [['-f', 'json', 'SELECT 1'], { format: 'json', sql: 'SELECT 1' }],
    [['SELECT 1', '--format', 'json'], { format: 'json', sql: 'SELECT 1' }],
    [['SELECT', 'count(*)', 'FROM', 'activities'], { format: 'table', sql: 'SELECT count(*) FROM activities' }],
    [['--', '--format', 'x'], { format: 'table', sql: '--format x' }],
    [['-- 注释\nSELECT 1'], { format: 'table', sql: '-- 注释\nSELECT 1' }],
    [['SELECT -1'], { format: 'table', sql: 'SELECT -1' }],
  ])('reads %j', (argv, expected) => {
    expect(parseArgs(argv, noFile)).toEqual({ kind: 'query', args: expected });
  });

  it('reads the SQL of --file (and --file=…)', () => {
    const read = jest.fn((path: string) => `  SELECT 2 -- from ${path}\n`);
    expect(parseArgs(['--file', 'q.sql', '--format', 'csv'], read)).toEqual({
      kind: 'query',
      args: { format: 'csv', sql: 'SELECT 2 -- from q.sql' },
    });
    expect(parseArgs(['--file=other.sql'], read)).toEqual({ kind: 'query', args: { format: 'table', sql: 'SELECT 2 -- from other.sql' } });
  });

  it.each(['--help', '-h'])('answers %s with the usage', (flag) => {
    expect(parseArgs(['SELECT 1', flag], noFile)).toEqual({ kind: 'help' });
  });

  it.each([
    [[], /缺少 SQL \/ no SQL given/],
    [['   '], /no SQL given/],
    [['--format', 'xml', 'SELECT 1'], /--format must be table, csv or json, got "xml"/],
    [['--format'], /--format needs a value/],
    [['--format', 'json', '--format', 'csv', 'SELECT 1'], /--format given twice/],
    [['--file', 'q.sql', 'SELECT 1'], /give the SQL or --file, not both/],
    [['--limit', '3', 'SELECT 1'], /unknown option --limit/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseArgs(argv, () => 'SELECT 1')).toThrow(UsageError);
    expect(() => parseArgs(argv, () => 'SELECT 1')).toThrow(message);
  });

  it('refuses an empty --file', () => {
    expect(() => parseArgs(['--file', 'empty.sql'], () => '\n  \n')).toThrow(/empty.sql holds no SQL/);
  });
});

describe('displayWidth', () => {
  it.each([
    ['', 0],
    ['abc', 3],
    ['科普日', 6],
    ['科普进社区 2021', 15],
    ['（全国科普日），。', 18],
    ['😀', 2],
    ['科普😀', 6],
    ['🇨🇳', 2],
    ['👨‍👩‍👧', 2],
    ['❤️', 2],
    ['e\u0301', 1],
    ['한국', 4],
    ['ｱ', 1],
  ])('gives %j %i columns', (text, width) => {
    expect(displayWidth(text)).toBe(width);
  });

  it('cuts text to a width without splitting a wide character', () => {
    expect(truncateToWidth('科普进社区', 10)).toBe('科普进社区');
    expect(truncateToWidth('科普进社区', 6)).toBe('科普…');
    expect(truncateToWidth('科普进社区', 5)).toBe('科普…');
    expect(truncateToWidth('abcdef', 4)).toBe('abc…');
  });
});

const SAMPLE: QueryResult = {
  columns: [
    { name: 'title', type: 'VARCHAR' },
    { name: 'n', type: 'BIGINT' },
    { name: 'themes', type: 'VARCHAR[]' },
    { name: 'score', type: 'DOUBLE' },
  ],
  rows: [
    ['科普进社区😀', 3, ['science-spirit', 'rural-revitalization'], 9.5],
    ['Night sky', 12345, [], null],
    [null, null, null, 0.25],
  ],
};

describe('formatTable', () => {
  it('aligns every column by terminal width, CJK and emoji counting two', () => {
    // Act
    const lines = formatTable(SAMPLE).split('\n');
    // Assess
    expect(lines).toEqual([
      ' title        | n     | themes                                 | score',
      '--------------+-------+----------------------------------------+-------',
      ' 科普进社区😀 |     3 | [science-spirit, rural-revitalization] |   9.5',
      ' Night sky    | 12345 | []                                     |  NULL',
      ' NULL         |  NULL | NULL                                   |  0.25',
      '(3 rows)',
      '',
    ]);
    // Every separator sits at the same terminal column, whatever the characters before it.
    const bars = (line: string) => [...line.matchAll(/\|/g)].map((m) => displayWidth(line.slice(0, m.index)));
    for (const line of lines.slice(2, 5)) expect(bars(line)).toEqual(bars(lines[0]!));
  });

  it('escapes line breaks, truncates long cells and counts one row', () => {
    const result: QueryResult = { columns: [{ name: 'text', type: 'VARCHAR' }], rows: [['第一行\n第二行\t' + '长'.repeat(50)]] };
    const out = formatTable(result, { maxCellWidth: 20 });
    expect(out.split('\n')[2]).toBe(' 第一行\\n第二行\\t长…');
    expect(out).toContain('(1 row)');
    expect(formatTable({ columns: [{ name: 'n', type: 'BIGINT' }], rows: [] })).toBe(' n\n---\n(0 rows)\n');
  });
});

describe('formatCsv', () => {
  it('writes RFC 4180: header, CRLF, quoted fields with doubled quotes; NULL empty; lists as JSON', () => {
    expect(formatCsv(SAMPLE)).toBe(
      'title,n,themes,score\r\n' +
        '科普进社区😀,3,"[""science-spirit"",""rural-revitalization""]",9.5\r\n' +
        'Night sky,12345,[],\r\n' +
        ',,,0.25\r\n',
    );
  });

  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['cr\r', '"cr\r"'],
    ['科普，日', '科普，日'],
    [true, 'true'],
    [null, ''],
  ])('quotes %j as %j', (value, field) => {
    expect(csvField(value)).toBe(field);
  });

  it('makes text that a spreadsheet would run as a formula inert, as the exports do, and leaves numbers alone', () => {
    // Prepare: the cells an attacker would put in a title or a unit's name
    const result: QueryResult = {
      columns: [
        { name: 'title', type: 'VARCHAR' },
        { name: '=header', type: 'VARCHAR' },
        { name: 'n', type: 'BIGINT' },
        { name: 'total', type: 'DECIMAL(18,2)' },
      ],
      rows: [
        ['=HYPERLINK("http://evil.example","x")', '+1+cmd|\' /C calc\'!A0', -3, -1.5],
        ['@SUM(A1)', '-2', 4, 0],
        ['\tTab', 'plain', null, null],
      ],
    };
    // Act
    const lines = formatCsv(result).split('\r\n');
    // Assess
    expect(lines).toEqual([
      "title,'=header,n,total",
      `"'=HYPERLINK(""http://evil.example"",""x"")",'+1+cmd|' /C calc'!A0,-3,-1.5`,
      "'@SUM(A1),'-2,4,0",
      "'\tTab,plain,,",
      '',
    ]);
  });
});

describe('formatJson', () => {
  it('prints one JSON array of row objects', () => {
    expect(JSON.parse(formatJson(SAMPLE))).toEqual([
      { title: '科普进社区😀', n: 3, themes: ['science-spirit', 'rural-revitalization'], score: 9.5 },
      { title: 'Night sky', n: 12345, themes: [], score: null },
      { title: null, n: null, themes: null, score: 0.25 },
    ]);
    expect(formatJson({ columns: [{ name: 'n', type: 'BIGINT' }], rows: [] })).toBe('[]\n');
  });

  it('keeps a repeated column name apart', () => {
    const result: QueryResult = { columns: [{ name: 'a', type: 'INTEGER' }, { name: 'a', type: 'INTEGER' }], rows: [[1, 2]] };
    expect(JSON.parse(formatJson(result))).toEqual([{ a: 1, a_1: 2 }]);
  });
});

describe('values', () => {
  it.each([
    [0n, '1970-01-01T08:00:00+08:00'],
    [1632499199000000n, '2021-09-24T23:59:59+08:00'],
    [1632499199500000n, '2021-09-24T23:59:59.500+08:00'],
    [1632499199123456n, '2021-09-24T23:59:59.123456+08:00'],
    [-1n, '1970-01-01T07:59:59.999999+08:00'],
  ])('shows the instant %s µs as %s (Asia/Shanghai)', (micros, text) => {
    expect(instantText(micros)).toBe(text);
  });

  it('turns DuckDB values into plain ones: safe BIGINTs as numbers, instants in +08:00, lists as arrays', async () => {
    // Prepare
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    // Act
    const reader = await connection.runAndReadAll(`
      SELECT 42::BIGINT AS small, 9007199254740993::BIGINT AS big, sum(x)::HUGEINT AS total,
             TIMESTAMPTZ '2021-09-24 15:59:59Z' AS at, DATE '2021-09-11' AS day, TIMESTAMP '2021-09-11 09:00:00' AS local,
             ['科普', '😀']::VARCHAR[] AS list, {'k': 1} AS struct, 1.50::DECIMAL(5, 2) AS dec, NULL::VARCHAR AS nothing,
             'NaN'::DOUBLE AS nan, true AS yes
      FROM (VALUES (1), (2)) t(x)`);
    const row = reader.getRows()[0]!.map(toPlain);
    connection.closeSync();
    instance.closeSync();
    // Assess
    expect(row).toEqual([
      42,
      '9007199254740993',
      3,
      '2021-09-24T23:59:59+08:00',
      '2021-09-11',
      '2021-09-11T09:00:00',
      ['科普', '😀'],
      { k: 1 },
      1.5,
      null,
      'NaN',
      true,
    ]);
  });
});

describe('errors and names', () => {
  it('turns a DuckDB error into one line without the excerpt', () => {
    expect(oneLine('Parser Error: syntax error at or near "selec"\n\nLINE 1: selec 1\n        ^')).toBe(
      'Parser Error: syntax error at or near "selec"',
    );
    expect(oneLine('Catalog Error: Table with name nope does not exist!\nDid you mean "flags"?\n\nLINE 1: …')).toBe(
      'Catalog Error: Table with name nope does not exist! Did you mean "flags"?',
    );
  });

  it('reads export keys and manifest checksums whichever snapshot the manifest names', () => {
    expect(parseExportKey('campaign=2021-xinxiang/snapshot=latest/entity=flags/part-0.parquet')).toEqual({
      campaign: '2021-xinxiang',
      snapshot: 'latest',
      rest: 'entity=flags/part-0.parquet',
    });
    expect(parseExportKey('other/key')).toBeUndefined();
    const manifest = {
      schemaVersion: 1,
      files: [
        { entity: 'flags', key: 'campaign=c/snapshot=exp-1/entity=flags/part-0.parquet', rows: 2, sha256: 'AB' },
        { entity: 'media', key: 'entity=media/part-0.parquet', sha256: 'cd' },
        { entity: 'scores', rows: 0 },
      ],
    };
    expect([...manifestChecksums(manifest)]).toEqual([
      ['entity=flags/part-0.parquet', 'ab'],
      ['entity=media/part-0.parquet', 'cd'],
    ]);
    expect(manifestChecksums('not an object').size).toBe(0);
  });

  it('mirrors every snapshot only for SQL that names a _snapshots table', () => {
    expect(needsHistory('SELECT * FROM activities')).toBe(false);
    expect(needsHistory('select snapshot, count(*) from FLAGS_SNAPSHOTS group by 1')).toBe(true);
    expect(needsHistory('SELECT * FROM my_activities_snapshots_x')).toBe(false);
  });
});

describe('runQuery: the views', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sciday-query-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const runQuery = (files: ReadonlyMap<string, readonly string[]>, sql: string, withHistory: boolean) => runQueryIn(files, sql, withHistory, dir);

  it('gives every latest view the catalogue’s columns and DuckDB types, then the campaign, even without files', async () => {
    for (const table of analyticsTables().filter((t) => !t.history)) {
      const result = await runQuery(new Map(), `SELECT column_name, column_type FROM (DESCRIBE ${table.name})`, false);
      expect(result.rows).toEqual([
        ...EXPORT_TABLES[table.entity].columns.map((c) => [c.name, DUCKDB_TYPES[c.type]]),
        ['campaign', 'VARCHAR'],
      ]);
    }
  });

  it('unions campaigns and snapshots with the partition columns from the keys', async () => {
    // Prepare: two campaigns' latest flags and one older snapshot, in the bucket's layout
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    const write = async (campaign: string, snapshot: string, ids: string[]) => {
      const folder = join(dir, `campaign=${campaign}`, `snapshot=${snapshot}`, 'entity=flags');
      mkdirSync(folder, { recursive: true });
      const file = join(folder, 'part-0.parquet');
      const rows = ids.map((id) => `('${id}', '${campaign}', 'org-1', 'registration-late', 'registration', TIMESTAMPTZ '2021-09-25 00:00:05+08', false)`);
      await connection.run(
        `COPY (SELECT * FROM (VALUES ${rows.join(', ')}) t(flag_id, campaign_id, organization_id, code, milestone, raised_at, waived)) TO '${file}' (FORMAT parquet)`,
      );
      return file;
    };
    const a = await write('2021-xinxiang', 'latest', ['f1', 'f2']);
    const b = await write('2022-kaifeng', 'latest', ['f3']);
    const old = await write('2021-xinxiang', 'registration', ['f1']);
    connection.closeSync();
    instance.closeSync();
    const files = new Map([
      ['flags', [a, b]],
      ['flags_snapshots', [a, b, old]],
    ]);
    // Act
    const latest = await runQuery(files, 'SELECT campaign, count(*) AS n, min(raised_at) AS first FROM flags GROUP BY campaign ORDER BY campaign', false);
    const history = await runQuery(files, 'SELECT campaign, snapshot, count(*) AS n FROM flags_snapshots GROUP BY ALL ORDER BY ALL', true);
    const missing = await runQuery(files, 'SELECT count(*) AS n FROM flags WHERE late_by_seconds IS NULL AND waived_reason IS NULL', false);
    // Assess
    expect(latest.rows).toEqual([
      ['2021-xinxiang', 2, '2021-09-25T00:00:05+08:00'],
      ['2022-kaifeng', 1, '2021-09-25T00:00:05+08:00'],
    ]);
    expect(history.rows).toEqual([
      ['2021-xinxiang', 'latest', 2],
      ['2021-xinxiang', 'registration', 1],
      ['2022-kaifeng', 'latest', 1],
    ]);
    // Columns the files lack are there, NULL.
    expect(missing.rows).toEqual([[3]]);
  });

  it('reports bad SQL as a one-line error with exit code 2', async () => {
    await expect(runQuery(new Map(), 'SELEC 1', false)).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringMatching(/^SQL 有误 \/ bad SQL: Parser Error: syntax error at or near "SELEC"$/),
    });
    await expect(runQuery(new Map(), 'SELECT * FROM nope', false)).rejects.toMatchObject({ exitCode: 2 });
  });
});

describe('runQuery: locked down after the views (ADR 0032)', () => {
  let root: string;
  let cache: string;
  let secret: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'sciday-query-lock-'));
    cache = join(root, 'query-cache');
    mkdirSync(cache);
    // What sits beside the cache in a data dir: the key that signs the local runtime's tokens.
    secret = join(root, 'local-issuer.jwk.json');
    writeFileSync(secret, JSON.stringify({ kty: 'EC', d: 'private' }));
    symlinkSync(secret, join(cache, 'linked.json'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const refused = { exitCode: 2, message: expect.stringMatching(/^查询只能读取导出的表.* \/ A query reads the exported tables only: it may not read or write other files, nor change settings\. \(.+\)$/) };

  it.each([
    ['the issuer key by its path', (s: string) => `SELECT * FROM read_text('${s}')`],
    ['the issuer key through ../ out of the cache', () => `SELECT * FROM read_text('${cache}/../local-issuer.jwk.json')`],
    ['the issuer key through a symbolic link in the cache', () => `SELECT * FROM read_text('${join(cache, 'linked.json')}')`],
    ['the issuer key as JSON', (s: string) => `SELECT * FROM read_json_auto('${s}')`],
    ['a listing of the data dir', () => `SELECT * FROM glob('${root}/*')`],
    ['another database file', () => `ATTACH '${join(root, 'other.duckdb')}'`],
  ])('refuses to read %s', async (_what, sql) => {
    await expect(runQueryIn(new Map(), sql(secret), false, cache)).rejects.toMatchObject(refused);
  });

  it.each([
    ['COPY … TO a file outside the cache', () => `COPY (SELECT 'x' AS a) TO '${join(root, 'written.csv')}'`],
    ['COPY … TO the working directory’s .tmp (DuckDB’s default spill directory)', () => `COPY (SELECT 1 AS a) TO '${join(process.cwd(), '.tmp', 'written.csv')}'`],
    ['a setting that lifts the lock', () => 'SET enable_external_access = true'],
    ['a wider allowed directory', () => "SET allowed_directories = ['/']"],
    ['the lock itself', () => 'SET lock_configuration = false'],
    ['an extension', () => 'LOAD httpfs'],
  ])('refuses %s', async (_what, sql) => {
    await expect(runQueryIn(new Map(), sql(), false, cache)).rejects.toMatchObject(refused);
    expect(existsSync(join(root, 'written.csv'))).toBe(false);
    expect(existsSync(join(process.cwd(), '.tmp', 'written.csv'))).toBe(false);
  });

  it('still answers queries over the views, in the campaigns’ zone', async () => {
    const result = await runQueryIn(new Map(), "SELECT count(*) AS n, current_setting('TimeZone') AS zone FROM activities", false, cache);
    expect(result.rows).toEqual([[0, 'Asia/Shanghai']]);
  });
});

describe('the analytics catalogue and the export engine', () => {
  // Both take the layout from shared/export/layout.ts (DuckDB-free, so the CDK app can load it);
  // this keeps the engine's file keys and the Glue locations on that one layout.
  it('agree on the key layout of snapshots, entity files and manifests', () => {
    expect(catalog.LATEST_SNAPSHOT).toBe(engine.LATEST_SNAPSHOT);
    for (const snapshot of ['latest', 'registration', 'exp-1']) {
      expect(catalog.snapshotPrefix('2021-xinxiang', snapshot)).toBe(engine.snapshotPrefix('2021-xinxiang', snapshot));
      expect(catalog.manifestKey('2021-xinxiang', snapshot)).toBe(engine.manifestKey('2021-xinxiang', snapshot));
      for (const entity of EXPORT_ENTITIES) {
        expect(engine.entityFileKey('2021-xinxiang', snapshot, entity, 'parquet')).toBe(
          `${catalog.entityPrefix('2021-xinxiang', snapshot, entity)}part-0.parquet`,
        );
      }
    }
  });
});

// Athena making an export's tables from a table copy (ADR 0029). Athena cannot run on one
// machine, so its client here is a stand-in that answers what the Athena API reference describes
// (query ids, QUEUED/RUNNING/SUCCEEDED/FAILED/CANCELLED, AthenaError.Retryable, a CTAS's data
// manifest in the results location); it also plays the failures and slowness the local machine
// cannot produce. The SQL it is sent is checked as text here and run on DuckDB in copy-tables.test.ts.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetQueryExecutionCommand, StartQueryExecutionCommand, StopQueryExecutionCommand, type AthenaClient, type QueryExecution } from '@aws-sdk/client-athena';
import { AthenaCopyTables, CopyQueryError, dataFolderOf } from '../../../shared/export/athena-copy-export';
import { COPY_TABLES } from '../../../shared/export/copy-sql';
import { isRetryable } from '../../../shared/use-cases/run-export';
import { MemoryS3 } from './copy-fixtures';

const tmpRoot = mkdtempSync(join(tmpdir(), 'sciday-athena-copy-'));
afterAll(() => rmSync(tmpRoot, { recursive: true, force: true }));

const EXPORT_ID = '2021-xinxiang-registration';
const DATA = `table-copies/${EXPORT_ID}/AWSDynamoDB/01700000000000-abcdef12/data/`;
const DATA_FILES = [`${DATA}a.json.gz`, `${DATA}b.json.gz`];
const campaign = { id: '2021-xinxiang', timeZone: 'Asia/Shanghai' };
const folder = (table: string) => `table-copies/${EXPORT_ID}/tables/run1/${table}/`;

type Kind = 'create' | 'ctas' | 'drop';
const kindOf = (sql: string): Kind => (sql.startsWith('CREATE EXTERNAL TABLE') ? 'create' : sql.startsWith('CREATE TABLE') ? 'ctas' : 'drop');
/** The copy table a CTAS writes (from its external_location). */
const tableOfCtas = (sql: string) => /external_location = 's3:\/\/exports\/table-copies\/[^/]+\/tables\/run1\/([A-Za-z]+)\/'/.exec(sql)?.[1] ?? '?';

/**
 * Athena as its API answers: a query id per StartQueryExecution; GetQueryExecution walks each
 * query through the states `script` gives it (the last one stays); a CTAS that succeeds has
 * written one Parquet file into its folder and lists it in its data manifest.
 */
class ScriptedAthena {
  public readonly log: string[] = [];
  public readonly inputs: Array<StartQueryExecutionCommand['input']> = [];
  private readonly queries = new Map<string, { sql: string; looks: number }>();

  public readonly client = { send: (command: unknown) => this.send(command) } as unknown as AthenaClient;

  public constructor(
    private readonly s3: MemoryS3,
    private readonly script: (sql: string) => ReadonlyArray<Partial<QueryExecution>> = () => [{ Status: { State: 'SUCCEEDED' } }],
    private readonly options: { readonly manifest?: boolean } = {},
  ) {}

  private async send(command: unknown): Promise<unknown> {
    if (command instanceof StartQueryExecutionCommand) {
      const id = `q${this.queries.size + 1}`;
      const sql = command.input.QueryString ?? '';
      this.queries.set(id, { sql, looks: 0 });
      this.inputs.push(command.input);
      this.log.push(`start ${id} ${kindOf(sql)}${kindOf(sql) === 'ctas' ? ` ${tableOfCtas(sql)}` : ''}`);
      return { QueryExecutionId: id };
    }
    if (command instanceof GetQueryExecutionCommand) {
      const id = command.input.QueryExecutionId ?? '';
      const query = this.queries.get(id)!;
      const states = this.script(query.sql);
      const execution = states[Math.min(query.looks, states.length - 1)]!;
      query.looks += 1;
      this.log.push(`get ${id} ${execution.Status?.State}`);
      return { QueryExecution: { QueryExecutionId: id, ...execution, ...(execution.Status?.State === 'SUCCEEDED' ? this.wrote(id, query.sql) : {}) } };
    }
    if (command instanceof StopQueryExecutionCommand) {
      this.log.push(`stop ${command.input.QueryExecutionId}`);
      return {};
    }
    throw new Error('unexpected command');
  }

  /** What a succeeded CTAS leaves: its file, and its data manifest in the results location. */
  private wrote(id: string, sql: string): Partial<QueryExecution> {
    if (kindOf(sql) !== 'ctas') return {};
    const table = tableOfCtas(sql);
    const key = `${folder(table)}20211001_000000_${id}_part`;
    this.s3.put(key, `parquet of ${table}`);
    if (this.options.manifest === false) return {};
    this.s3.put(`export-queries/${id}-manifest.csv`, `s3://exports/${key}\n`);
    return { Statistics: { DataManifestLocation: `s3://results/export-queries/${id}-manifest.csv` } };
  }
}

function setup(script?: ConstructorParameters<typeof ScriptedAthena>[1], options: { manifest?: boolean; maxWaitMs?: number } = {}) {
  const s3 = new MemoryS3();
  const athena = new ScriptedAthena(s3, script, options);
  let now = 0;
  const sleeps: number[] = [];
  const warnings: Array<Record<string, unknown> | undefined> = [];
  const tables = new AthenaCopyTables({
    athena: athena.client,
    s3: s3.client,
    bucket: 'exports',
    prefix: 'table-copies/',
    workGroup: 'sciday-prod-exports',
    database: 'sciday_prod_export_work',
    clock: { now: () => new Date(now) },
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
    newRunId: () => 'run1',
    pollMs: 1000,
    maxWaitMs: options.maxWaitMs ?? 60_000,
    log: { warn: (_m, d) => void warnings.push(d) },
  });
  const dir = mkdtempSync(join(tmpRoot, 'run-'));
  const request = { exportId: EXPORT_ID, campaign, dataFiles: DATA_FILES, dir };
  return { s3, athena, tables, sleeps, warnings, request, dir };
}

/** The CTAS' query ids: q1 is the copy's table, then one per copy table, in order. */
const CTAS_IDS = COPY_TABLES.map((_t, i) => `q${i + 2}`);
const N = COPY_TABLES.length;
const CTAS_TABLES = COPY_TABLES.map((t) => `sciday_tmp_2021_xinxiang_registration_run1_${t.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`);
const COPY_TABLE = 'sciday_copy_2021_xinxiang_registration_run1';

describe('Class: AthenaCopyTables', () => {
  it('creates the copy’s table, starts one CTAS per table at once, waits for them, fetches their files, then drops every table', async () => {
    // Prepare
    const { athena, tables, request, dir } = setup();

    // Act
    const files = await tables.tables(request);

    // Assess: the order of the statements.
    const starts = athena.log.filter((l) => l.startsWith('start'));
    expect(starts).toEqual([
      'start q1 create',
      ...COPY_TABLES.map((t, i) => `start ${CTAS_IDS[i]} ctas ${t}`),
      ...[...COPY_TABLES, 'copy'].map((_t, i) => `start q${N + 2 + i} drop`),
    ]);
    // Every CTAS runs before the first look at any of them.
    expect(athena.log.indexOf(`start ${CTAS_IDS.at(-1)} ctas ${COPY_TABLES.at(-1)}`)).toBeLessThan(athena.log.indexOf('get q2 SUCCEEDED'));
    // …each statement in the export workgroup and the database of temporary tables.
    for (const input of athena.inputs) {
      expect(input).toMatchObject({ WorkGroup: 'sciday-prod-exports', QueryExecutionContext: { Catalog: 'AwsDataCatalog', Database: 'sciday_prod_export_work' } });
    }
    const sql = athena.inputs.map((i) => i.QueryString ?? '');
    expect(sql[0]).toContain(`CREATE EXTERNAL TABLE \`${COPY_TABLE}\``);
    expect(sql[0]).toContain(`LOCATION 's3://exports/${DATA}'`);
    expect(sql[0]).toContain(`ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'`);
    COPY_TABLES.forEach((table, i) => {
      expect(sql[i + 1]).toMatch(new RegExp(`^CREATE TABLE ${CTAS_TABLES[i]}\\nWITH \\(format = 'PARQUET', write_compression = 'ZSTD', external_location = 's3://exports/${folder(table)}'\\)\\nAS\\n`));
      expect(sql[i + 1]).toContain(`FROM ${COPY_TABLE}\n`);
    });
    expect(sql.slice(N + 1)).toEqual([...CTAS_TABLES, COPY_TABLE].map((t) => `DROP TABLE IF EXISTS \`${t}\``));
    // …and the files: each CTAS's data file, fetched into the export's temp dir.
    for (const table of COPY_TABLES) {
      expect(files[table]).toEqual([join(dir, 'copy-tables', table, 'part-0.parquet')]);
      expect(readFileSync(files[table][0]!, 'utf8')).toBe(`parquet of ${table}`);
    }
  });

  it('looks again while a query is queued or running, sleeping between looks', async () => {
    // Prepare: every query waits in the queue, then runs, then succeeds.
    const { athena, tables, sleeps, request } = setup(() => [{ Status: { State: 'QUEUED' } }, { Status: { State: 'RUNNING' } }, { Status: { State: 'SUCCEEDED' } }]);

    // Act
    await tables.tables(request);

    // Assess: three looks at each statement; a sleep after each round that left one unfinished.
    expect(athena.log.filter((l) => l.startsWith('get q2 '))).toEqual(['get q2 QUEUED', 'get q2 RUNNING', 'get q2 SUCCEEDED']);
    expect(athena.log.filter((l) => CTAS_IDS.includes(l.split(' ')[1]!) && l.startsWith('get'))).toHaveLength(3 * N);
    // create: 2 sleeps; the CTAS together: 2; each drop: 2.
    expect(sleeps).toEqual(Array(2 + 2 + 2 * (N + 1)).fill(1000));
  });

  it.each([
    [true, true],
    [false, false],
  ])('stops the others when a CTAS fails, drops every table, and throws Athena’s reason (Athena says retryable: %s)', async (retryable, expected) => {
    // Prepare: media fails on its second look; the others keep running.
    const { athena, tables, request, s3 } = setup((sql) =>
      kindOf(sql) !== 'ctas'
        ? [{ Status: { State: 'SUCCEEDED' } }]
        : tableOfCtas(sql) === 'media'
          ? [{ Status: { State: 'RUNNING' } }, { Status: { State: 'FAILED', StateChangeReason: 'HIVE_BAD_DATA: malformed JSON', AthenaError: { ErrorCategory: 2, Retryable: retryable } } }]
          : [{ Status: { State: 'RUNNING' } }],
    );

    // Act
    const error = await tables.tables(request).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(CopyQueryError);
    expect((error as Error).message).toMatch(/q3 \(media\) FAILED: HIVE_BAD_DATA: malformed JSON/);
    expect(isRetryable(error)).toBe(expected);
    const stops = athena.log.filter((l) => l.startsWith('stop')).sort();
    expect(stops).toEqual(CTAS_IDS.filter((id) => id !== 'q3').map((id) => `stop ${id}`).sort());
    expect(athena.inputs.slice(N + 1).map((i) => i.QueryString)).toEqual([...CTAS_TABLES, COPY_TABLE].map((t) => `DROP TABLE IF EXISTS \`${t}\``));
    expect(s3.gets).toEqual([]);
  });

  it('stops the CTAS still running after the longest wait, drops every table, and throws (not retryable)', async () => {
    // Prepare: the CTAS never finish.
    const { athena, tables, request } = setup((sql) => (kindOf(sql) === 'ctas' ? [{ Status: { State: 'RUNNING' } }] : [{ Status: { State: 'SUCCEEDED' } }]), { maxWaitMs: 5000 });

    // Act
    const error = await tables.tables(request).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(CopyQueryError);
    expect((error as Error).message).toContain(`still running after 5 s: ${COPY_TABLES.join(', ')}`);
    expect(isRetryable(error)).toBe(false);
    expect(athena.log.filter((l) => l.startsWith('stop'))).toEqual(CTAS_IDS.map((id) => `stop ${id}`));
    expect(athena.log.filter((l) => l.endsWith(' drop'))).toHaveLength(N + 1);
  });

  it('fails when the copy’s table cannot be made, and still drops it', async () => {
    // Prepare
    const { athena, tables, request } = setup((sql) =>
      kindOf(sql) === 'create' ? [{ Status: { State: 'CANCELLED', StateChangeReason: 'cancelled by an operator' } }] : [{ Status: { State: 'SUCCEEDED' } }],
    );

    // Act + Assess
    await expect(tables.tables(request)).rejects.toThrow(/q1 \(copy\) CANCELLED: cancelled by an operator/);
    expect(athena.log.filter((l) => l.startsWith('start'))).toEqual(['start q1 create', 'start q2 drop']);
  });

  it('logs a table it could not drop, and answers the files all the same', async () => {
    // Prepare
    const { tables, request, warnings } = setup((sql) => (kindOf(sql) === 'drop' && sql.includes('_media`') ? [{ Status: { State: 'FAILED', StateChangeReason: 'AccessDenied' } }] : [{ Status: { State: 'SUCCEEDED' } }]));

    // Act
    const files = await tables.tables(request);

    // Assess
    expect(files.media).toHaveLength(1);
    expect(warnings).toEqual([{ table: CTAS_TABLES[1], error: expect.stringContaining('AccessDenied') }]);
  });

  it('finds a CTAS’s files in its folder when Athena wrote no data manifest', async () => {
    // Prepare
    const { tables, request, s3 } = setup(undefined, { manifest: false });
    s3.put(`${folder('flags')}_SUCCESS`, '');

    // Act
    const files = await tables.tables(request);

    // Assess: the data file only, not Hive's marker.
    expect(files.flags).toHaveLength(1);
    expect(readFileSync(files.flags[0]!, 'utf8')).toBe('parquet of flags');
  });

  it('refuses a data manifest that names a file outside the CTAS’s folder', async () => {
    // Prepare: the manifest of the activities' CTAS names another folder.
    const { tables, request, s3, athena } = setup();
    const put = s3.put.bind(s3);
    s3.put = (key, bytes) => put(key, key.startsWith('export-queries/q2-') ? 's3://exports/campaign=2021-xinxiang/snapshot=latest/entity=activities/part-0.parquet\n' : bytes);

    // Act + Assess
    await expect(tables.tables(request)).rejects.toThrow(/outside s3:\/\/exports\/table-copies\/2021-xinxiang-registration\/tables\/run1\/activities\//);
    expect(athena.log.filter((l) => l.endsWith(' drop'))).toHaveLength(N + 1);
  });
});

describe('Function: dataFolderOf', () => {
  it('answers the one folder of a copy’s data files, and refuses files in several or none', () => {
    expect(dataFolderOf(DATA_FILES)).toBe(DATA);
    expect(() => dataFolderOf([...DATA_FILES, 'table-copies/x/other/c.json.gz'])).toThrow(/not in one folder/);
    expect(() => dataFolderOf([])).toThrow(/not in one folder: none/);
  });
});

// `npm run query` against the shared local runtime: a tiny Parquet export written in the
// bucket's layout (campaign=…/snapshot=latest/entity=…/part-0.parquet + manifest.json) is
// queried through the CLI as a child process, as a user runs it.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { DuckDBInstance } from '@duckdb/node-api';
import { DUCKDB_TYPES, entityPrefix, manifestKey } from '../../infra/analytics-catalog';
import { EXPORT_SCHEMA_VERSION, EXPORT_TABLES } from '../../shared/export/columns';
import { clientsFor, runtimeInfo, uniqueId, type Clients } from '../helpers/runtime';

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The CLI exactly as `npm run query` starts it (without npm's banner on stdout). */
function query(args: readonly string[], dataDir: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--disable-warning=ExperimentalWarning', 'infra/local/query.ts', ...args], {
      cwd: process.cwd(),
      env: { ...process.env, SCIDAY_DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
  });
}

const TITLES = ['科普进社区 🔬', '线上天文课🌙“观星”', 'Night sky, "live"'];
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** A Parquet file of activities with the catalogue's columns and types, written by DuckDB as run-export writes them. */
async function activitiesParquet(file: string, campaignId: string, ids: readonly string[], titles: readonly string[]): Promise<Buffer> {
  const given: Record<string, (i: number) => string> = {
    activity_id: (i) => `'${ids[i]}'`,
    campaign_id: () => `'${campaignId}'`,
    organization_id: () => `'hongqi-kx'`,
    status: () => `'registered'`,
    title: (i) => `'${titles[i]!.replaceAll("'", "''")}'`,
    content_themes: () => `['science-spirit', 'rural-revitalization']`,
    expected_participants: (i) => `${(i + 1) * 100}`,
    version: () => '1',
    created_at: () => `TIMESTAMPTZ '2021-09-12 10:00:00+08'`,
    updated_at: () => `TIMESTAMPTZ '2021-09-12 10:00:00+08'`,
  };
  const rows = ids.map((_, i) =>
    `SELECT ${EXPORT_TABLES.activities.columns
      .map((c) => `CAST(${given[c.name]?.(i) ?? 'NULL'} AS ${DUCKDB_TYPES[c.type]}) AS ${c.name}`)
      .join(', ')}`,
  );
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await connection.run(`COPY (${rows.join(' UNION ALL ')}) TO '${file}' (FORMAT parquet)`);
  connection.closeSync();
  instance.closeSync();
  return readFileSync(file);
}

describe('npm run query', () => {
  const dataDir = process.env.SCIDAY_TEST_DATA_DIR ?? '';
  const campaignId = uniqueId('it-query');
  const work = mkdtempSync(join(tmpdir(), 'sciday-query-it-'));
  let aws: Clients;
  let bucket = '';
  const where = `WHERE campaign = '${campaignId}'`;

  /** Puts a Parquet export of `ids` as the given snapshot, with its manifest. */
  async function putExport(snapshot: string, ids: readonly string[], titles: readonly string[]): Promise<void> {
    const body = await activitiesParquet(join(work, `${snapshot}.parquet`), campaignId, ids, titles);
    const key = `${entityPrefix(campaignId, snapshot, 'activities')}part-0.parquet`;
    await aws.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    const manifest = {
      schemaVersion: EXPORT_SCHEMA_VERSION,
      campaignId,
      snapshot,
      files: [{ entity: 'activities', key, rows: ids.length, bytes: body.length, sha256: sha256(body) }],
    };
    await aws.s3.send(new PutObjectCommand({ Bucket: bucket, Key: manifestKey(campaignId, snapshot), Body: JSON.stringify(manifest) }));
  }

  beforeAll(async () => {
    const info = runtimeInfo();
    aws = clientsFor(info);
    bucket = info.resources.buckets.exports?.name ?? '';
    await putExport('latest', ['a-1', 'a-2', 'a-3'], TITLES);
    await putExport('registration', ['a-1'], [TITLES[0]!]);
  });

  afterAll(() => {
    for (const c of Object.values(aws)) c.destroy();
    rmSync(work, { recursive: true, force: true });
  });

  it('counts the rows of the latest export with --format json', async () => {
    // Act
    const run = await query(['--format', 'json', `SELECT count(*) AS n FROM activities ${where}`], dataDir);
    // Assess (stderr may carry a note about another test's campaign being exported meanwhile)
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual([{ n: 3 }]);
  });

  it('keeps Chinese text and emoji intact in json, csv and table output', async () => {
    // Act
    const sql = `SELECT activity_id, title, content_themes, expected_participants, created_at FROM activities ${where} ORDER BY activity_id`;
    const [json, csv, table] = await Promise.all([
      query(['--format', 'json', sql], dataDir),
      query(['--format=csv', sql], dataDir),
      query([sql], dataDir),
    ]);
    // Assess
    expect(JSON.parse(json.stdout)).toEqual(
      TITLES.map((title, i) => ({
        activity_id: `a-${i + 1}`,
        title,
        content_themes: ['science-spirit', 'rural-revitalization'],
        expected_participants: (i + 1) * 100,
        created_at: '2021-09-12T10:00:00+08:00',
      })),
    );
    expect(csv.stdout.split('\r\n')[1]).toBe('a-1,科普进社区 🔬,"[""science-spirit"",""rural-revitalization""]",100,2021-09-12T10:00:00+08:00');
    expect(csv.stdout).toContain('"Night sky, ""live"""');
    for (const title of TITLES) expect(table.stdout).toContain(title);
    expect(table.stdout).toContain('(3 rows)');
    expect([json.code, csv.code, table.code]).toEqual([0, 0, 0]);
  });

  it('reads SQL from --file, and every snapshot through activities_snapshots', async () => {
    // Prepare
    const file = join(work, 'history.sql');
    writeFileSync(file, `-- 每个快照的活动数\nSELECT snapshot, count(*) AS n\nFROM activities_snapshots ${where}\nGROUP BY snapshot ORDER BY snapshot;\n`);
    // Act
    const run = await query(['--file', file, '--format', 'json'], dataDir);
    // Assess
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual([
      { snapshot: 'latest', n: 3 },
      { snapshot: 'registration', n: 1 },
    ]);
  });

  it('downloads a file again only when its checksum in the manifest changes', async () => {
    // Prepare
    const cached = join(dataDir, 'query-cache', ...`${entityPrefix(campaignId, 'latest', 'activities')}part-0.parquet`.split('/'));
    await query(['SELECT 1'], dataDir);
    const before = statSync(cached).mtimeMs;
    // Act: unchanged, then a new latest export
    await query(['SELECT 1'], dataDir);
    const unchanged = statSync(cached).mtimeMs;
    await putExport('latest', ['a-1', 'a-2', 'a-3', 'a-4'], [...TITLES, '第四项']);
    const run = await query(['--format', 'json', `SELECT count(*) AS n FROM activities ${where}`], dataDir);
    // Assess
    expect(unchanged).toBe(before);
    expect(statSync(cached).mtimeMs).toBeGreaterThan(before);
    expect(JSON.parse(run.stdout)).toEqual([{ n: 4 }]);
    await putExport('latest', ['a-1', 'a-2', 'a-3'], TITLES);
  });

  it('reads the copy cached before while latest/ is being replaced (no manifest yet), and says so', async () => {
    // Prepare: the current latest export in the cache, then its manifest gone (run-export deletes
    // it first when it promotes a newer export)
    await query(['SELECT 1'], dataDir);
    await aws.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: manifestKey(campaignId, 'latest') }));
    // Act
    const run = await query(['--format', 'json', `SELECT count(*) AS n FROM activities ${where}`], dataDir);
    // Assess
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual([{ n: 3 }]);
    expect(run.stderr).toContain(`the latest export of ${campaignId} is being replaced: using the copy cached before`);
    await putExport('latest', ['a-1', 'a-2', 'a-3'], TITLES);
  });

  it('answers bad SQL with one line in Chinese and English and exit code 2', async () => {
    // Act
    const run = await query(['--format', 'json', 'SELEC count(*) FROM activities'], dataDir);
    // Assess
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('SQL 有误 / bad SQL: Parser Error: syntax error at or near "SELEC"\n');
  });

  it('refuses to read the local issuer’s private key or write a file, with one clear line (exit 2), and neutralises formulas in CSV', async () => {
    // Prepare: the key that signs admin tokens sits in the data dir, beside the query cache
    const key = join(dataDir, 'local-issuer.jwk.json');
    const target = join(work, 'written.csv');
    // Act
    const [read, write, csv] = await Promise.all([
      query(['--format', 'json', `SELECT * FROM read_text('${key}')`], dataDir),
      query([`COPY (SELECT title FROM activities ${where}) TO '${target}'`], dataDir),
      query(['--format', 'csv', `SELECT '=HYPERLINK("http://evil.example")' AS title, -1 AS n`], dataDir),
    ]);
    // Assess
    for (const run of [read, write]) {
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(/^查询只能读取导出的表.* \/ A query reads the exported tables only: it may not read or write other files, nor change settings\. \(Permission Error: .+\)\n$/);
    }
    expect(read.stderr).not.toContain('"d"');
    expect(() => statSync(target)).toThrow();
    expect(csv.stdout).toBe(`title,n\r\n"'=HYPERLINK(""http://evil.example"")",-1\r\n`);
  });

  it('says so (exit 1) when the runtime is not running', async () => {
    // Prepare
    const empty = mkdtempSync(join(tmpdir(), 'sciday-query-none-'));
    // Act
    const run = await query(['SELECT 1'], empty);
    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^本地运行时未在运行.*npm start.* \/ The local runtime is not running .*npm start first\.\n$/);
    rmSync(empty, { recursive: true, force: true });
  });

  it('says so (exit 1) when nothing has been exported yet', async () => {
    // Prepare: the shared runtime, pointed at an empty exports bucket
    const other = mkdtempSync(join(tmpdir(), 'sciday-query-empty-'));
    const info = runtimeInfo();
    const emptyBucket = uniqueId('empty-exports');
    await aws.s3.send(new CreateBucketCommand({ Bucket: emptyBucket }));
    writeFileSync(
      join(other, 'runtime.json'),
      JSON.stringify({ ...info, resources: { ...info.resources, buckets: { ...info.resources.buckets, exports: { name: emptyBucket } } } }),
    );
    // Act
    const run = await query(['SELECT count(*) FROM activities'], other);
    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^还没有任何导出.* \/ Nothing has been exported yet: .*\n$/);
    rmSync(other, { recursive: true, force: true });
  });
});

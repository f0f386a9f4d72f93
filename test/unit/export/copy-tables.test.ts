// One SQL, two engines (ADR 0029): the export's SQL over a table copy, run by DuckDB over the
// gzipped DynamoDB-JSON files that ScanTableCopies writes, gives the same exported files as the
// function's engine reading the same copy (TableCopySource, stageCampaign): every table, its
// columns and their types, every value, every row, the scores included. Nothing is mocked but the
// Scan that feeds the copy and the bucket it is written to (memory).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { campaignCatalog } from '../../../shared/campaigns/catalog';
import type { Campaign } from '../../../shared/domain/campaign';
import { EXPORT_ENTITIES, EXPORT_TABLES, type ExportEntity } from '../../../shared/export/columns';
import { COPY_RELATION, COPY_TABLES, copyTableSelectSql, duckdbCopyRelation, relationSelectSql } from '../../../shared/export/copy-sql';
import { DuckDbCopyTables } from '../../../shared/export/copy-tables';
import { stageCampaign, stageCopyTables, writeEntityFiles, type LocalFile } from '../../../shared/export/engine';
import { TableCopySource } from '../../../shared/export/table-copy-source';
import { ExportWorkspace } from '../../../shared/export/workspace';
import { campaignTable, C, MemoryS3, scanCopy } from './copy-fixtures';

const tmpRoot = mkdtempSync(join(tmpdir(), 'sciday-copy-tables-'));
afterAll(() => rmSync(tmpRoot, { recursive: true, force: true }));

let campaign: Campaign;
const s3 = new MemoryS3();
let dataFiles: readonly string[];
/** Each exported table's rows and column types, as each engine wrote them. */
const written: Record<'function' | 'sql', Record<ExportEntity, { rows: unknown[]; types: unknown[]; file: LocalFile }>> = { function: {} as never, sql: {} as never };

const fresh = (dir: string): string => {
  mkdirSync(dir, { recursive: true });
  return dir;
};

async function readParquet(path: string): Promise<{ rows: unknown[]; types: unknown[] }> {
  const db = await DuckDBInstance.create(':memory:');
  const connection = await db.connect();
  try {
    await connection.run(`SET TimeZone = 'UTC'`);
    const rows = (await connection.runAndReadAll(`SELECT * FROM read_parquet('${path}')`)).getRowObjectsJson();
    const types = (await connection.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${path}')`)).getRowObjectsJson().map((r) => [r.column_name, r.column_type]);
    return { rows, types };
  } finally {
    connection.closeSync();
    db.closeSync();
  }
}

async function writeAll(engine: 'function' | 'sql', stage: (workspace: ExportWorkspace, dir: string) => Promise<unknown>, layout: 'staging' | 'tables'): Promise<void> {
  const dir = join(tmpRoot, engine);
  mkdirSync(dir);
  const workspace = await ExportWorkspace.open(dir, {}, layout);
  try {
    await stage(workspace, dir);
    for (const file of await writeEntityFiles(workspace, dir, { format: 'parquet', language: 'zh', timeZone: campaign.timeZone })) {
      written[engine][file.entity] = { ...(await readParquet(file.path)), file };
    }
  } finally {
    workspace.close();
  }
}

beforeAll(async () => {
  campaign = (await campaignCatalog.find(C))!;
  dataFiles = (await scanCopy(campaignTable(), s3, tmpRoot)).dataFiles;
  const target = { s3: s3.client, bucket: 'exports' };
  // The function's engine: the copy read line by line in JS, staged page by page.
  await writeAll('function', async (workspace, dir) => stageCampaign(workspace, campaign, await TableCopySource.open({ target, dataFiles, campaignId: C, dir })), 'staging');
  // The SQL: DuckDB runs the copy's SELECTs (the reviews and extensions too), the function loads the tables.
  await writeAll(
    'sql',
    async (workspace, dir) => {
      const tables = await new DuckDbCopyTables({ target }).tables({ exportId: `${C}-registration`, campaign, dataFiles, dir });
      return stageCopyTables(workspace, campaign, tables);
    },
    'tables',
  );
}, 60_000);

describe('Function: copyTableSelectSql on DuckDB, against the engine', () => {
  it.each(EXPORT_ENTITIES)('writes %s with the same columns, types, values and rows as the function', (entity) => {
    // Assess
    const fn = written.function[entity];
    const sql = written.sql[entity];
    expect(sql.types).toEqual(fn.types);
    expect(sql.types.map((t) => (t as string[])[0])).toEqual(EXPORT_TABLES[entity].columns.map((c) => c.name));
    expect(sql.rows).toEqual(fn.rows);
    expect(sql.file.rows).toBe(fn.file.rows);
  });

  it('reads every kind of cell the export has, and skips what is not the campaign’s', () => {
    // Assess: the fixtures reach past trivial rows (so equal files mean something).
    const activities = written.sql.activities.rows as Array<Record<string, unknown>>;
    expect(activities.map((r) => r.activity_id)).not.toEqual(expect.arrayContaining(['x1', 'x3']));
    expect(activities).toHaveLength(10);
    const s1 = activities.find((r) => r.activity_id === 's1')!;
    expect(s1).toMatchObject({
      starts_at: '2021-09-15 01:00:00+00',
      audiences: [],
      content_themes: ['green-development', 'science-spirit'],
      volunteer_hours: 30.5,
      actual_participants: '420',
      accepted_photos: '1',
      accepted_videos: '1',
      open_flags: '1',
    });
    expect(activities.find((r) => r.activity_id === 's2')).toMatchObject({ title: '-10 度\n实验 "引号"', venue_name: null, branded: false, content_themes: null });
    const media = written.sql.media.rows as Array<Record<string, unknown>>;
    // EXIF's wall clock in the campaign's zone (+08:00); an instant with its zone as it is; a summary's document has no activity.
    expect(media.find((r) => r.media_id === 'sm1')).toMatchObject({ captured_at: '2021-09-15 01:30:00+00', activity_id: 's1' });
    expect(media.find((r) => r.media_id === 'sm2')).toMatchObject({ captured_at: '2021-09-15 01:30:00+00', warnings: [] });
    expect(media.find((r) => r.media_id === 'sd1')).toMatchObject({ activity_id: null, campaign_id: C, organization_id: 'hongqi-kx' });
    const flags = written.sql.flags.rows as Array<Record<string, unknown>>;
    expect(flags.find((r) => r.flag_id === 'sf3')).toMatchObject({ waived: false, activity_id: null, late_by_seconds: null });
    const units = (written.sql.organizations.rows as Array<Record<string, unknown>>).map((r) => [r.organization_id, r.name]);
    expect(units).toContainEqual(['new-society', '新乡市新学会']);
    expect(units.filter(([id]) => id === 'hongqi-kx')).toHaveLength(1);
    expect(units).toHaveLength(campaign.organizations.length + 1);
    const ranked = (written.sql.scores.rows as Array<Record<string, unknown>>).filter((r) => (r.total as number) > 0);
    expect(ranked.length).toBeGreaterThan(3);
  });
});

describe('Function: relationSelectSql on DuckDB', () => {
  it('reads the copy’s own relations (one per reader) over the files as they are, gzipped', async () => {
    // Prepare: the copy's files on disk, as DuckDbCopyTables fetches them.
    const dir = join(tmpRoot, 'relations');
    mkdirSync(dir);
    const files = dataFiles.map((key, i) => {
      const path = join(dir, `part-${i}.json.gz`);
      writeFileSync(path, s3.objects.get(key)!);
      return path;
    });
    const db = await DuckDBInstance.create(':memory:');
    const connection = await db.connect();
    try {
      await connection.run(`SET TimeZone = 'UTC'`);
      await connection.run(`CREATE VIEW ${COPY_RELATION} AS SELECT * FROM ${duckdbCopyRelation(files)}`);
      const count = async (sql: string) => Number((await connection.runAndReadAll(`SELECT count(*) FROM (${sql})`)).getRows()[0]?.[0]);
      const context = { dialect: 'duckdb' as const, campaignId: C, timeZone: campaign.timeZone };
      // Act + Assess: the same counts the JS reader of the copy finds.
      const source = await TableCopySource.open({ target: { s3: s3.client, bucket: 'exports' }, dataFiles, campaignId: C, dir: fresh(join(dir, 'js')) });
      expect(await count(relationSelectSql('activity_items', context))).toBe(source.counts.activities);
      expect(await count(relationSelectSql('activity_results', context))).toBe(source.counts.results);
      expect(await count(relationSelectSql('media', context))).toBe(source.counts.media);
      expect(await count(relationSelectSql('flags', context))).toBe(source.counts.flags);
      expect(await count(relationSelectSql('summaries', context))).toBe(source.counts.summaries);
      expect(await count(relationSelectSql('organizations', context))).toBe(source.counts.addedOrganizations);
      for (const table of COPY_TABLES) expect(await count(copyTableSelectSql(table, context))).toBeGreaterThan(0);
    } finally {
      connection.closeSync();
      db.closeSync();
    }
  });
});

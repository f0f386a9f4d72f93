// The data dictionary, the catalogue and the files agree: docs/data-dictionary.md is what the
// generator renders now, and what the writers write has exactly the catalogue's columns and types.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { findCampaign } from '../../../shared/campaigns/index';
import { EXPORT_ENTITIES, EXPORT_TABLES } from '../../../shared/export/columns';
import { renderDataDictionary } from '../../../shared/export/data-dictionary';
import { stageCampaign, writeEntityFiles, type LocalFile } from '../../../shared/export/engine';
import { DUCKDB_TYPES, ExportWorkspace } from '../../../shared/export/workspace';
import { parseCsv } from '../../../shared/http/csv';
import { memorySource, sampleData } from './samples';

const campaign = findCampaign('2021-xinxiang')!;
const dir = mkdtempSync(join(tmpdir(), 'sciday-dictionary-'));
let duck: DuckDBConnection;
const files: Record<'parquet' | 'csv', Record<string, LocalFile>> = { parquet: {}, csv: {} };

beforeAll(async () => {
  for (const format of ['parquet', 'csv'] as const) {
    const workspace = await ExportWorkspace.open(dir);
    try {
      await stageCampaign(workspace, campaign, memorySource(sampleData()));
      for (const f of await writeEntityFiles(workspace, dir, { format, language: 'zh', timeZone: campaign.timeZone })) files[format][f.entity] = f;
    } finally {
      workspace.close();
      rmSync(join(dir, 'staging.duckdb'), { force: true });
    }
  }
  duck = await (await DuckDBInstance.create(':memory:')).connect();
});

afterAll(() => {
  duck?.closeSync();
  rmSync(dir, { recursive: true, force: true });
});

describe('Data dictionary', () => {
  it('docs/data-dictionary.md is what `npm run docs:dictionary` generates from the catalogue', () => {
    expect(readFileSync(join(process.cwd(), 'docs', 'data-dictionary.md'), 'utf8')).toBe(renderDataDictionary());
  });

  it('names every column of every table with its type and both meanings', () => {
    const doc = renderDataDictionary();
    for (const entity of EXPORT_ENTITIES) {
      for (const c of EXPORT_TABLES[entity].columns) {
        expect(doc).toContain(`| \`${c.name}\` | \`${c.type}\` | \`${DUCKDB_TYPES[c.type]}\` |`);
        expect(doc).toContain(c.meaning.zh);
        expect(doc).toContain(c.meaning.en);
      }
    }
  });

  it.each([...EXPORT_ENTITIES])('the Parquet file of %s has exactly the catalogue’s column names and DuckDB types', async (entity) => {
    const described = (await duck.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${files.parquet[entity]!.path}')`)).getRowObjectsJson();
    expect(described.map((d) => [d.column_name, d.column_type])).toEqual(EXPORT_TABLES[entity].columns.map((c) => [c.name, DUCKDB_TYPES[c.type]]));
  });

  it.each([...EXPORT_ENTITIES])('the CSV header of %s is the columns’ meanings, in catalogue order', (entity) => {
    const [header] = parseCsv(readFileSync(files.csv[entity]!.path, 'utf8').replace(/^\uFEFF/, ''));
    expect(header).toEqual(EXPORT_TABLES[entity].columns.map((c) => c.meaning.zh));
  });
});

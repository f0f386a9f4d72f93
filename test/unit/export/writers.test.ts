// The writers end to end on one machine: sample items staged page by page in DuckDB, written
// as Parquet and CSV, and read back (DuckDB's read_parquet, the project's own CSV parser).
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { findCampaign } from '../../../shared/campaigns/index';
import { EXPORT_TABLES } from '../../../shared/export/columns';
import { stageCampaign, writeEntityFiles, type LocalFile } from '../../../shared/export/engine';
import { ExportWorkspace } from '../../../shared/export/workspace';
import { parseCsv } from '../../../shared/http/csv';
import { memorySource, sampleData } from './samples';

const campaign = findCampaign('2021-xinxiang')!;
const dir = mkdtempSync(join(tmpdir(), 'sciday-writers-'));
let parquet: Record<string, LocalFile>;
let csv: Record<string, LocalFile>;
let csvEn: Record<string, LocalFile>;
let duck: DuckDBConnection;
let staged: Record<string, number>;

async function exportTo(sub: string, format: 'parquet' | 'csv', language: 'zh' | 'en') {
  const work = join(dir, sub);
  mkdirSync(work);
  const workspace = await ExportWorkspace.open(work);
  try {
    staged = await stageCampaign(workspace, campaign, memorySource(sampleData()));
    const files = await writeEntityFiles(workspace, work, { format, language, timeZone: campaign.timeZone });
    return Object.fromEntries(files.map((f) => [f.entity, f]));
  } finally {
    workspace.close();
  }
}

const rows = async (sql: string) => (await duck.runAndReadAll(sql)).getRowObjectsJson();
const csvOf = (file: LocalFile) => readFileSync(file.path, 'utf8');

beforeAll(async () => {
  parquet = await exportTo('parquet', 'parquet', 'zh');
  csv = await exportTo('csv', 'csv', 'zh');
  csvEn = await exportTo('csv-en', 'csv', 'en');
  duck = await (await DuckDBInstance.create(':memory:')).connect();
  // Three exports and a DuckDB instance: seconds on a busy 2-core machine, over jest's 5 s default.
}, 60_000);

afterAll(() => {
  duck?.closeSync();
  rmSync(dir, { recursive: true, force: true });
});

describe('Module: export writers (Parquet)', () => {
  const read = (entity: string) => `read_parquet('${parquet[entity]!.path}')`;

  it('stages every entity and writes one file per table with its row count', () => {
    // One score row per unit of the campaign (the definition's and the one added at run time).
    expect(staged).toEqual({ activity_items: 2, activity_results: 1, media: 5, summaries: 1, flags: 3, organizations: campaign.organizations.length + 1, scores: campaign.organizations.length + 1 });
    expect(Object.fromEntries(Object.entries(parquet).map(([e, f]) => [e, f.rows]))).toEqual({
      activities: 2,
      media: 5,
      summaries: 1,
      flags: 3,
      organizations: campaign.organizations.length + 1,
      scores: campaign.organizations.length + 1,
    });
  });

  it('joins each activity with its results, accepted photos and videos and unwaived flags', async () => {
    expect(
      await rows(`SELECT activity_id, actual_participants, news_links, highlights, accepted_photos, accepted_videos, open_flags FROM ${read('activities')} ORDER BY activity_id`),
    ).toEqual([
      {
        activity_id: 'a1',
        actual_participants: '420',
        news_links: ['https://news.example.cn/1', 'https://news.example.cn/2'],
        highlights: '首次\n线上线下结合',
        accepted_photos: '1',
        accepted_videos: '1',
        open_flags: '1',
      },
      { activity_id: 'a2', actual_participants: null, news_links: null, highlights: null, accepted_photos: '0', accepted_videos: '0', open_flags: '0' },
    ]);
  });

  it('keeps instants as timestamps with time zone, lists as lists, Chinese and emoji intact', async () => {
    const [a1] = await rows(
      `SELECT starts_at = TIMESTAMPTZ '2021-09-15 09:00:00+08:00' AS starts_ok, epoch_ms(created_at) AS created_ms,
              content_themes, len(co_organizers) AS co, title, venue_address, volunteer_hours, branded
       FROM ${read('activities')} WHERE activity_id = 'a1'`,
    );
    expect(a1).toEqual({
      starts_ok: true,
      created_ms: String(Date.parse('2021-09-01T02:00:00.000Z')),
      content_themes: ['green-development', 'science-spirit'],
      co: '2',
      title: '科普进社区 🌱',
      venue_address: '新乡市红旗区, "科技路" 1号',
      volunteer_hours: 30.5,
      branded: true,
    });
  });

  it('writes media of activities and summaries, flags of activities and units, and every unit', async () => {
    expect(await rows(`SELECT media_id, activity_id FROM ${read('media')} WHERE kind = 'document'`)).toEqual([{ media_id: 'd1', activity_id: null }]);
    expect(await rows(`SELECT count(*) FILTER (WHERE activity_id IS NULL) AS unit_flags, count(*) FILTER (WHERE waived) AS waived FROM ${read('flags')}`)).toEqual([
      { unit_flags: '1', waived: '1' },
    ]);
    expect(await rows(`SELECT name, listed_at IS NOT NULL AS added FROM ${read('organizations')} WHERE organization_id IN ('hongqi-kx', 'new-society') ORDER BY 1`)).toEqual([
      { name: '新乡市新学会', added: true },
      { name: expect.any(String), added: false },
    ]);
  });

  it('writes the scores table with its columns, one row per unit, best first (shared/use-cases/scores.ts)', async () => {
    expect(await rows(`SELECT count(*) AS n FROM ${read('scores')}`)).toEqual([{ n: String(campaign.organizations.length + 1) }]);
    const described = await rows(`DESCRIBE SELECT * FROM ${read('scores')}`);
    expect(described.map((d) => d.column_name)).toEqual(EXPORT_TABLES.scores.columns.map((c) => c.name));
    const [best] = await rows(`SELECT organization_id, rank, total, penalty, missing FROM ${read('scores')} LIMIT 1`);
    expect(best).toMatchObject({ organization_id: 'hongqi-kx', rank: '1' });
    expect(Number(best?.total)).toBeGreaterThan(0);
    expect(await rows(`SELECT missing FROM ${read('scores')} WHERE organization_id = 'new-society'`)).toEqual([
      { missing: ['no-registered-activity', 'reviewer-score:mobilization', 'reviewer-score:publicity', 'reviewer-score:highlights', 'reviewer-score:volunteering', 'reviewer-score:online'] },
    ]);
  });

  it('answers each file’s size and SHA-256', () => {
    for (const f of Object.values(parquet)) {
      const bytes = readFileSync(f.path);
      expect(f).toMatchObject({ bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
    }
  });
});

describe('Module: export writers (CSV)', () => {
  it('writes UTF-8 with a BOM, CRLF line breaks and a Chinese header of the meanings', () => {
    const text = csvOf(csv.activities!);
    expect(readFileSync(csv.activities!.path).subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(text.startsWith(`\uFEFF${EXPORT_TABLES.activities.columns[0]!.meaning.zh},`)).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
    // Outside quoted fields, every line break is CRLF.
    expect(text.replace(/"(?:[^"]|"")*"/g, '').match(/(?<!\r)\n/g)).toBeNull();
    const [header] = parseCsv(text.slice(1));
    expect(header).toEqual(EXPORT_TABLES.activities.columns.map((c) => c.meaning.zh));
  });

  it('writes the English header on request', () => {
    const [header] = parseCsv(csvOf(csvEn.flags!).slice(1));
    expect(header).toEqual(EXPORT_TABLES.flags.columns.map((c) => c.meaning.en));
  });

  it('neutralises formulas, quotes the RFC 4180 way, keeps Chinese and emoji, writes instants in +08:00', () => {
    const [header, ...records] = parseCsv(csvOf(csv.activities!).slice(1));
    const byName = (r: string[]) => Object.fromEntries(EXPORT_TABLES.activities.columns.map((c, i) => [c.name, r[i]]));
    const a1 = byName(records.find((r) => r[0] === 'a1')!);
    const a2 = byName(records.find((r) => r[0] === 'a2')!);
    expect(header).toHaveLength(EXPORT_TABLES.activities.columns.length);
    expect(a1).toMatchObject({
      description: `'=HYPERLINK("http://evil.example","点我")`,
      title: '科普进社区 🌱',
      venue_address: '新乡市红旗区, "科技路" 1号',
      highlights: '首次\n线上线下结合',
      content_themes: 'green-development; science-spirit',
      co_organizers: '新乡市科技馆; +红旗区图书馆',
      starts_at: '2021-09-15T09:00:00+08:00',
      created_at: '2021-09-01T10:00:00+08:00',
      accepted_photos: '1',
      volunteer_hours: '30.5',
      branded: 'true',
      joint_action: 'carbon',
    });
    expect(a2).toMatchObject({ title: "'-10 度实验", venue_name: '', actual_participants: '', accepted_photos: '0', submitted_at: '' });
    const media = parseCsv(csvOf(csv.media!).slice(1));
    expect(media.some((r) => r.includes("'@总结.pdf"))).toBe(true);
  });

  it('writes the scores table under its Chinese header, one record per unit', () => {
    const lines = csvOf(csv.scores!).split('\r\n');
    expect(lines[0]).toBe(`\uFEFF${EXPORT_TABLES.scores.columns.map((c) => c.meaning.zh).join(',')}`);
    expect(csv.scores!.rows).toBe(campaign.organizations.length + 1);
    expect(lines).toHaveLength(campaign.organizations.length + 3); // header, rows, and the empty string after the last CRLF
  });
});

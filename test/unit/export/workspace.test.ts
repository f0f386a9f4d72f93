// The staging of one table through NDJSON (ADR 0016): rows appended in JS, loaded by DuckDB's
// read_json with the table's column types when the stager closes; the file never outlives it.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExportWorkspace, loadNdjsonSql } from '../../../shared/export/workspace';
import { flagRow, mediaRow } from '../../../shared/export/rows';

let dir: string;
let workspace: ExportWorkspace;

const rows = async (sql: string) => (await workspace.connection.runAndReadAll(sql)).getRowObjectsJson();

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sciday-workspace-'));
  workspace = await ExportWorkspace.open(dir);
});

afterEach(() => {
  workspace.close();
  rmSync(dir, { recursive: true, force: true });
});

const tricky = '引号" 反斜杠\\ 换行\n制表\t 😀 =HYPERLINK("x")';

describe('ExportWorkspace stager', () => {
  it('loads every cell as its column type: text with quotes, newlines and emoji, instants, integers, booleans, lists, nulls', async () => {
    const stager = workspace.stager('flags');
    stager.append(
      flagRow({
        flagId: 'f1',
        campaignId: 'c',
        organizationId: tricky,
        code: 'registration-late',
        milestone: 'registration',
        raisedAt: '2021-09-25T00:00:00+08:00',
        lateBySeconds: 9_007_199_254_740_991,
        waived: true,
      }),
    );
    stager.append(flagRow({ flagId: 'f2', campaignId: 'c', organizationId: 'o', code: 'x', milestone: 'completion', raisedAt: 'not a time' }));
    expect(stager.rows).toBe(2);
    await stager.close();
    expect(await rows(`SELECT flag_id, organization_id, raised_at::VARCHAR AS raised, late_by_seconds, waived, waived_at FROM flags ORDER BY flag_id`)).toEqual([
      { flag_id: 'f1', organization_id: tricky, raised: '2021-09-24 16:00:00+00', late_by_seconds: '9007199254740991', waived: true, waived_at: null },
      { flag_id: 'f2', organization_id: 'o', raised: null, late_by_seconds: null, waived: false, waived_at: null },
    ]);

    const media = workspace.stager('media');
    media.append(
      mediaRow(
        { mediaId: 'm1', subject: { type: 'activity', campaignId: 'c', organizationId: 'o', activityId: 'a' }, kind: 'photo', status: 'accepted', warnings: ['exif-missing', tricky], declaredSize: 12, createdAt: '2021-09-12T02:00:00Z' },
        'Asia/Shanghai',
      ),
    );
    await media.close();
    expect(await rows(`SELECT activity_id, warnings, size_bytes, typeof(warnings) AS t FROM media`)).toEqual([
      { activity_id: 'a', warnings: ['exif-missing', tricky], size_bytes: '12', t: 'VARCHAR[]' },
    ]);
  });

  it('writes the file in flushes of about a megabyte and removes it once loaded', async () => {
    const stager = workspace.stager('summaries');
    const text = '工作总结'.repeat(500);
    for (let i = 0; i < 2000; i += 1) stager.append({ campaign_id: 'c', organization_id: `o${i}`, text, version: i, submitted_at: '2021-10-20T00:00:00.000Z', updated_at: '2021-10-21T00:00:00.000Z' });
    expect(existsSync(join(dir, 'summaries.ndjson'))).toBe(true);
    await stager.close();
    expect(existsSync(join(dir, 'summaries.ndjson'))).toBe(false);
    expect(await rows(`SELECT count(*) AS n, sum(version) AS v, min(length(text)) AS l FROM summaries`)).toEqual([{ n: '2000', v: '1999000', l: '2000' }]);
  });

  it('leaves the table empty when nothing was appended or the staging was discarded, and refuses appends after', async () => {
    const empty = workspace.stager('scores');
    await empty.close();
    const dropped = workspace.stager('organizations');
    dropped.append({ campaign_id: 'c', organization_id: 'o', name: 'n', county: 'x', type: 'school' });
    dropped.discard();
    expect(() => dropped.append({})).toThrow(/closed/);
    expect(await rows(`SELECT (SELECT count(*) FROM scores) AS s, (SELECT count(*) FROM organizations) AS o`)).toEqual([{ s: '0', o: '0' }]);
    expect(readdirSync(dir).filter((f) => f.endsWith('.ndjson'))).toEqual([]);
  });

  it('loads tables closed concurrently, one statement at a time', async () => {
    const a = workspace.stager('activity_items');
    const r = workspace.stager('activity_results');
    for (let i = 0; i < 100; i += 1) {
      a.append({ activity_id: `a${i}`, campaign_id: 'c', organization_id: 'o', status: 'registered', version: 1, created_at: '2021-09-01T00:00:00Z', updated_at: '2021-09-01T00:00:00Z', content_themes: ['x'] });
      r.append({ activity_id: `a${i}`, actual_participants: i, news_links: [] });
    }
    await Promise.all([a.close(), r.close()]);
    expect(await rows(`SELECT count(*) AS n, sum(actual_participants) AS p FROM activities`)).toEqual([{ n: '100', p: '4950' }]);
  });

  it('reads only the table’s columns, each with its DuckDB type, from a quoted path', () => {
    const sql = loadNdjsonSql('flags', "/tmp/it's.ndjson");
    expect(sql).toContain(`read_json('/tmp/it''s.ndjson'`);
    expect(sql).toContain(`'raised_at': 'TIMESTAMP WITH TIME ZONE'`);
    expect(sql).toContain(`'waived': 'BOOLEAN'`);
    expect(sql).toMatch(/^INSERT INTO flags \("flag_id", "campaign_id"/);
  });
});

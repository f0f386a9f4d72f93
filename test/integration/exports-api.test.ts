// Exports through the API on one machine: POST → 202, the stream queues the job, run-export
// writes Parquet/CSV and a manifest, GET answers short-lived URLs. Then the files are read back
// with DuckDB as an analyst would. A milestone's snapshot is taken when the clock passes it and
// never changes afterwards. One queued or running export per campaign and format: asking again
// answers it (ADR 0033).
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { stopRuntime, spawnRuntimeKeepingUnits } from '../helpers/private-runtime';
import { eventually, runtimeInfo } from '../helpers/runtime';
import { client, completeActivity, tokenFor, type Client } from '../helpers/api';

/** Units kept of the seed campaign's 130: the clock moves fan out one job per unit (test/helpers/private-runtime.ts). */
const UNITS = 50;

jest.setTimeout(120_000);

const C = '/v1/campaigns/2021-xinxiang';
const dataDir = mkdtempSync(join(tmpdir(), 'sciday-exports-'));
const work = mkdtempSync(join(tmpdir(), 'sciday-exports-files-'));
let runtime: ChildProcess;
let url: string;
let admin: Client;
let analyst: Client;
let organizer: Client;

interface ExportFileView {
  entity: string;
  url: string | null;
  rows: number;
  sha256: string;
}
interface ExportView {
  exportId: string;
  status: string;
  snapshot: string;
  readFrom?: string;
  files: ExportFileView[];
  artifacts: Array<{ name: string; url: string | null }>;
}

async function tokens() {
  admin = client(url, await tokenFor(url, { sub: 'admin-1', orgId: 'xinxiang-kx', roles: ['admin'] }));
  analyst = client(url, await tokenFor(url, { sub: 'analyst-1', orgId: 'xinxiang-kx', roles: ['analyst'] }));
  organizer = client(url, await tokenFor(url, { sub: 'org-1', orgId: 'hongqi-kx', roles: ['organizer'] }));
}

async function finished(exportId: string): Promise<ExportView> {
  return eventually(
    async () => {
      const res = await analyst.get<ExportView>(`/v1/exports/${exportId}`);
      expect(res.status).toBe(200);
      if (res.body.status === 'failed') throw new Error(`export ${exportId} failed`);
      return res.body.status === 'succeeded' ? res.body : undefined;
    },
    60_000,
    `export ${exportId}`,
  );
}

async function download(file: ExportFileView, name: string): Promise<string> {
  const res = await fetch(file.url!);
  expect(res.status).toBe(200);
  const path = join(work, name);
  writeFileSync(path, Buffer.from(await res.arrayBuffer()));
  return path;
}

async function query(sql: string): Promise<Record<string, unknown>[]> {
  const db = await DuckDBInstance.create(':memory:');
  const connection = await db.connect();
  const rows = (await connection.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
  connection.closeSync();
  return rows;
}

beforeAll(async () => {
  runtime = await spawnRuntimeKeepingUnits(UNITS, dataDir, { SCIDAY_CLOCK: '2021-09-20T09:00:00+08:00' });
  url = runtimeInfo(dataDir).url;
  await tokens();
  for (const title of ['科普进社区 🌱 碳中和讲座', '=HYPERLINK("http://evil.example","点我")']) {
    const res = await organizer.post(`${C}/activities`, { ...completeActivity(), title, startsAt: '2021-09-22T09:00:00+08:00', endsAt: '2021-09-22T11:00:00+08:00' });
    expect(res.status).toBe(201);
  }
});

afterAll(async () => {
  if (runtime) await stopRuntime(runtime, dataDir);
});

describe('Exports', () => {
  it('Parquet: count(*) FROM activities equals what the API lists; Chinese and emoji survive', async () => {
    const res = await admin.post<ExportView>(`${C}/exports`, { format: 'parquet' }, { 'idempotency-key': 'export-1' });
    expect(res.status).toBe(202);
    expect(res.headers.get('location')).toBe(`/v1/exports/${res.body.exportId}`);
    const done = await finished(res.body.exportId);
    const activities = done.files.find((f) => f.entity === 'activities')!;
    const path = await download(activities, 'activities.parquet');
    const listed = await admin.get<{ items: unknown[] }>(`${C}/activities?limit=100`);
    const [{ n }] = (await query(`SELECT count(*) AS n FROM read_parquet('${path}')`)) as [{ n: string }];
    expect(Number(n)).toBe(listed.body.items.length);
    expect(activities.rows).toBe(listed.body.items.length);
    const titles = (await query(`SELECT title FROM read_parquet('${path}') ORDER BY title`)).map((r) => r.title);
    expect(titles).toContain('科普进社区 🌱 碳中和讲座');
    // The files for people: the commendation sheet and the chart, with their own URLs.
    expect(done.artifacts.map((a) => a.name).sort()).toEqual(['chart.svg', 'commendations.csv']);
    const chart = await fetch(done.artifacts.find((a) => a.name === 'chart.svg')!.url!);
    expect(chart.status).toBe(200);
    expect(await chart.text()).toMatch(/^(<\?xml[^>]*>\s*)?<svg/);
  });

  it('CSV: UTF-8 with a BOM, Chinese header, a formula cell neutralised', async () => {
    const res = await analyst.post<ExportView>(`${C}/exports`, { format: 'csv' });
    expect(res.status).toBe(202);
    const done = await finished(res.body.exportId);
    const file = done.files.find((f) => f.entity === 'activities')!;
    const bytes = Buffer.from(await (await fetch(file.url!)).arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8');
    expect(text.split('\r\n')[0]).toContain('活动名称');
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example"",""点我"")"`);
    expect(text).not.toMatch(/(^|,)=HYPERLINK/m);
  });

  it('organizers may not export (403); an unknown export is 404', async () => {
    expect((await organizer.post(`${C}/exports`, { format: 'csv' })).status).toBe(403);
    expect((await analyst.get('/v1/exports/nope')).status).toBe(404);
  });

  it('a loop of POSTs makes one job: the first 202, every other 200 with that job; once it finished, a POST starts another (issue 17, item 9)', async () => {
    // Attack: every POST used to start a 2 GB, 15-minute job; a loop of them took the account's concurrency.
    const requested = async () => (await analyst.get<{ items: Array<{ exportId: string }> }>(`${C}/exports?kind=requested&limit=100`)).body.items.map((e) => e.exportId);
    const before = await requested();
    const first = await analyst.post<ExportView>(`${C}/exports`, { format: 'csv' });
    expect(first.status).toBe(202);
    // A loop, then a burst: all while the first is queued or running.
    const answers = [];
    for (let i = 0; i < 10; i += 1) answers.push(await analyst.post<ExportView>(`${C}/exports`, { format: 'csv' }));
    answers.push(...(await Promise.all(Array.from({ length: 10 }, () => admin.post<ExportView>(`${C}/exports`, { format: 'csv', language: 'en' })))));
    // Those that came after it finished (a fast machine) started one more each at most; the rest are the first.
    const started = answers.filter((a) => a.status === 202);
    for (const a of answers) {
      expect([200, 202]).toContain(a.status);
      expect(a.headers.get('location')).toBe(`/v1/exports/${a.body.exportId}`);
    }
    const running = answers.filter((a) => a.status === 200);
    expect(running.length).toBeGreaterThan(0);
    for (const a of running) expect(['queued', 'running']).toContain(a.body.status);
    await finished(first.body.exportId);
    const after = await requested();
    const made = after.filter((id) => !before.includes(id));
    expect(made.length).toBe(1 + started.length);
    expect(started.length).toBeLessThanOrEqual(1);
    for (const s of started) await finished(s.body.exportId);

    // Finished: the next POST starts a new job.
    const next = await analyst.post<ExportView>(`${C}/exports`, { format: 'csv' });
    expect(next.status).toBe(202);
    expect(next.body.exportId).not.toBe(first.body.exportId);
    await finished(next.body.exportId);
  });

  it('two exports at once (one per format) do not mix files', async () => {
    const [a, b] = await Promise.all([admin.post<ExportView>(`${C}/exports`, { format: 'parquet' }), admin.post<ExportView>(`${C}/exports`, { format: 'csv' })]);
    expect([a.status, b.status]).toEqual([202, 202]);
    const [da, db] = await Promise.all([finished(a.body.exportId), finished(b.body.exportId)]);
    const keysOf = (v: ExportView) => v.files.map((f) => decodeURIComponent(new URL(f.url!).pathname));
    expect(keysOf(da).every((k) => k.includes(`snapshot=${da.snapshot}/`))).toBe(true);
    expect(keysOf(db).every((k) => k.includes(`snapshot=${db.snapshot}/`))).toBe(true);
    expect(da.snapshot).not.toBe(db.snapshot);
  });

  it('the registration snapshot is taken when the clock passes the milestone and does not change when an activity is edited later', async () => {
    const moved = await fetch(`${url}/local/clock`, { method: 'POST', body: JSON.stringify({ now: '2021-09-25T00:00:01+08:00' }) });
    expect(moved.status).toBe(200);
    await tokens();
    const snapshot = await finished('2021-xinxiang-registration');
    expect(snapshot.snapshot).toBe('registration');
    // Read from a copy of the table made at the milestone (a Scan here; DynamoDB's point-in-time export on AWS).
    expect(snapshot.readFrom).toBe('table-copy');
    const before = snapshot.files.find((f) => f.entity === 'activities')!;
    const beforePath = await download(before, 'snapshot-before.parquet');

    const listed = await organizer.get<{ items: Array<{ id: string; version: number }> }>(`${C}/activities?limit=100`);
    const target = listed.body.items[0]!;
    const etag = (await organizer.get(`/v1/activities/${target.id}`)).headers.get('etag')!;
    expect((await organizer.patch(`/v1/activities/${target.id}`, { title: '会后修改的标题' }, { 'if-match': etag })).status).toBe(200);

    const again = await finished('2021-xinxiang-registration');
    const after = again.files.find((f) => f.entity === 'activities')!;
    expect(after.sha256).toBe(before.sha256);
    const afterPath = await download(after, 'snapshot-after.parquet');
    const titles = async (p: string) => (await query(`SELECT title FROM read_parquet('${p}') ORDER BY title`)).map((r) => r.title);
    expect(await titles(afterPath)).toEqual(await titles(beforePath));
    expect(await titles(afterPath)).not.toContain('会后修改的标题');

    const fresh = await admin.post<ExportView>(`${C}/exports`, { format: 'parquet' });
    const now = await finished(fresh.body.exportId);
    expect(now.readFrom).toBe('live-table');
    const nowPath = await download(now.files.find((f) => f.entity === 'activities')!, 'now.parquet');
    expect(await titles(nowPath)).toContain('会后修改的标题');
  });
});

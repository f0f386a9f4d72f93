// A campaign's exports listed through the API on one machine (GET /v1/campaigns/{c}/exports):
// newest first, no file URLs, row counts once done, the milestone's snapshot told apart from
// exports on request (`?kind=`, `?milestone=`), paged with cursors; only admins and analysts.
// A private runtime: the test moves the clock past the registration milestone.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stopRuntime, spawnRuntimeKeepingUnits } from '../helpers/private-runtime';
import { eventually, runtimeInfo } from '../helpers/runtime';
import { client, completeActivity, tokenFor, type Client } from '../helpers/api';

/** Units kept of the seed campaign's 130: the clock moves fan out one job per unit (test/helpers/private-runtime.ts). */
const UNITS = 50;

jest.setTimeout(120_000);

const C = '/v1/campaigns/2021-xinxiang';
const dataDir = mkdtempSync(join(tmpdir(), 'sciday-exports-list-'));
let runtime: ChildProcess;
let url: string;
let admin: Client;
let analyst: Client;

interface Item {
  exportId: string;
  campaignId: string;
  kind: 'requested' | 'milestone';
  milestone?: string;
  format: string;
  language: string;
  snapshot: string;
  asOf: string;
  status: string;
  requestedBy: string;
  requestedAt: string;
  finishedAt?: string;
  files: Array<{ entity: string; rows: number; bytes: number }>;
  artifacts: Array<{ name: string; bytes: number }>;
}
interface ListPage {
  items: Item[];
  nextCursor: string | null;
}

/** The exports asked for in beforeAll, oldest first. */
const requested: string[] = [];
const SNAPSHOT_ID = '2021-xinxiang-registration';

const as = async (sub: string, roles: string[], orgId = 'xinxiang-kx') => client(url, await tokenFor(url, { sub, orgId, roles }));

/** Every page of `query`, `limit` at a time. */
async function allPages(query: string, limit: number): Promise<{ pages: ListPage[]; ids: string[] }> {
  const pages: ListPage[] = [];
  let cursor: string | null = null;
  do {
    const res: { status: number; body: ListPage } = await analyst.get<ListPage>(`${C}/exports?limit=${limit}${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(res.status).toBe(200);
    pages.push(res.body);
    cursor = res.body.nextCursor;
  } while (cursor && pages.length < 20);
  return { pages, ids: pages.flatMap((p) => p.items.map((i) => i.exportId)) };
}

beforeAll(async () => {
  runtime = await spawnRuntimeKeepingUnits(UNITS, dataDir, { SCIDAY_CLOCK: '2021-09-20T09:00:00+08:00' });
  url = runtimeInfo(dataDir).url;
  admin = await as('admin-1', ['admin']);
  analyst = await as('analyst-1', ['analyst']);
  const organizer = await as('org-1', ['organizer'], 'hongqi-kx');
  const created = await organizer.post<{ id: string }>(`${C}/activities`, { ...completeActivity(), startsAt: '2021-09-26T09:00:00+08:00', endsAt: '2021-09-26T11:00:00+08:00' });
  expect(created.status).toBe(201);
  expect((await organizer.post(`/v1/activities/${created.body.id}/submit`)).status).toBe(200);
  // Three exports on request, one after another (distinct request times), then the milestone's
  // snapshot. One CSV export at a time (ADR 0033): the second waits for the first to finish.
  for (const [who, body] of [
    [analyst, { format: 'csv' }],
    [admin, { format: 'parquet' }],
    [analyst, { format: 'csv', language: 'en' }],
  ] as const) {
    if (body.format === 'csv' && requested.length > 0) {
      const first = requested[0]!;
      await eventually(async () => ((await analyst.get<{ status: string }>(`/v1/exports/${first}`)).body.status === 'succeeded' ? true : undefined), 60_000, `export ${first}`);
    }
    const res = await who.post<{ exportId: string }>(`${C}/exports`, body);
    expect(res.status).toBe(202);
    requested.push(res.body.exportId);
  }
  const moved = await fetch(`${url}/local/clock`, { method: 'POST', body: JSON.stringify({ now: '2021-09-25T00:00:05+08:00' }) });
  expect(moved.status).toBe(200);
});

afterAll(async () => {
  if (runtime) await stopRuntime(runtime, dataDir);
});

describe('GET /v1/campaigns/{campaignId}/exports', () => {
  it('lists the exports newest first, each with what it is and its state, and no file URL', async () => {
    // Act
    const res = await analyst.get<ListPage>(`${C}/exports`);
    // Assess
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body.nextCursor).toBeNull();
    expect(res.body.items.map((i) => i.exportId)).toEqual([SNAPSHOT_ID, ...[...requested].reverse()]);
    const [, newest] = res.body.items;
    expect(newest).toMatchObject({
      exportId: requested[2],
      campaignId: '2021-xinxiang',
      kind: 'requested',
      format: 'csv',
      language: 'en',
      snapshot: requested[2],
      requestedBy: 'analyst-1',
    });
    expect(newest!.milestone).toBeUndefined();
    expect(newest!.requestedAt).toMatch(/^2021-09-2\dT\d\d:\d\d:\d\d(\.\d+)?\+08:00$/);
    expect(['queued', 'running', 'succeeded']).toContain(newest!.status);
    expect(res.text).not.toMatch(/"url"|"manifest"|X-Amz-Signature/i);
  });

  it('answers the row counts per table once an export has finished', async () => {
    // Prepare: the first CSV export done
    const exportId = requested[0]!;
    await eventually(
      async () => ((await analyst.get<{ status: string }>(`/v1/exports/${exportId}`)).body.status === 'succeeded' ? true : undefined),
      60_000,
      `export ${exportId}`,
    );
    // Act
    const res = await analyst.get<ListPage>(`${C}/exports?kind=requested`);
    // Assess
    const item = res.body.items.find((i) => i.exportId === exportId)!;
    expect(item.status).toBe('succeeded');
    expect(item.finishedAt).toMatch(/\+08:00$/);
    expect(item.files.map((f) => f.entity).sort()).toEqual(['activities', 'flags', 'media', 'organizations', 'scores', 'summaries']);
    expect(item.files.find((f) => f.entity === 'activities')).toEqual({ entity: 'activities', rows: 1, bytes: expect.any(Number) });
    expect(item.artifacts.map((a) => a.name).sort()).toEqual(['chart.svg', 'commendations.csv']);
  });

  it('tells the milestone’s snapshot apart: ?kind=milestone, ?milestone=registration, ?kind=requested', async () => {
    // Act
    const [snapshots, registration, completion, onRequest] = await Promise.all([
      analyst.get<ListPage>(`${C}/exports?kind=milestone`),
      analyst.get<ListPage>(`${C}/exports?milestone=registration`),
      analyst.get<ListPage>(`${C}/exports?milestone=completion&kind=milestone`),
      admin.get<ListPage>(`${C}/exports?kind=requested`),
    ]);
    // Assess
    expect(snapshots.body.items).toHaveLength(1);
    expect(snapshots.body.items[0]).toMatchObject({
      exportId: SNAPSHOT_ID,
      kind: 'milestone',
      milestone: 'registration',
      snapshot: 'registration',
      format: 'parquet',
      requestedBy: 'milestone',
      asOf: '2021-09-24T23:59:59.999+08:00',
    });
    expect(registration.body.items.map((i) => i.exportId)).toEqual([SNAPSHOT_ID]);
    expect(completion.body).toEqual({ items: [], nextCursor: null });
    expect(onRequest.body.items.map((i) => i.exportId)).toEqual([...requested].reverse());
    expect(onRequest.body.items.every((i) => i.kind === 'requested')).toBe(true);
  });

  it('pages with cursors, filtered or not: every export once, in order', async () => {
    // Act
    const all = await allPages('', 2);
    const onRequest = await allPages('&kind=requested', 1);
    // Assess
    expect(all.pages.map((p) => p.items.length)).toEqual([2, 2]);
    expect(all.pages.at(-1)!.nextCursor).toBeNull();
    expect(all.ids).toEqual([SNAPSHOT_ID, ...[...requested].reverse()]);
    expect(onRequest.ids).toEqual([...requested].reverse());
    // A full last page says so (no cursor to an empty page).
    expect(onRequest.pages.map((p) => p.items.length)).toEqual([1, 1, 1]);
  });

  it('is for admins and analysts: 401 without a token, 403 for organizers and reviewers', async () => {
    // Prepare
    const organizer = await as('org-2', ['organizer'], 'hongqi-kx');
    const reviewer = await as('rev-1', ['reviewer']);
    // Act
    const [anonymous, asOrganizer, asReviewer, asAdmin] = await Promise.all([
      client(url).get(`${C}/exports`),
      organizer.get(`${C}/exports`),
      reviewer.get(`${C}/exports`),
      admin.get(`${C}/exports`),
    ]);
    // Assess
    expect(anonymous.status).toBe(401);
    expect(asOrganizer.status).toBe(403);
    expect(asReviewer.status).toBe(403);
    expect(asOrganizer.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(asAdmin.status).toBe(200);
  });

  it('refuses what it cannot answer: a bad cursor, filter or limit is 400, an unknown campaign 404', async () => {
    // Prepare: a cursor this list issued, edited (its key moved, its signature kept; ADR 0031)
    const first = await analyst.get<ListPage>(`${C}/exports?limit=1`);
    const [payload, signature] = first.body.nextCursor!.split('.');
    const [version, key] = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8')) as [number, Record<string, string>];
    const edited = `${Buffer.from(JSON.stringify([version, { ...key, gsi1sk: '9999' }])).toString('base64url')}.${signature}`;
    // Act
    const answers = await Promise.all([
      analyst.get(`${C}/exports?cursor=not-a-cursor`),
      analyst.get(`${C}/exports?cursor=${edited}`),
      analyst.get(`${C}/exports?kind=nightly`),
      analyst.get(`${C}/exports?milestone=final`),
      analyst.get(`${C}/exports?milestone=registration&kind=requested`),
      analyst.get(`${C}/exports?limit=0`),
    ]);
    const unknown = await analyst.get('/v1/campaigns/1999-nowhere/exports');
    // Assess
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 400));
    expect(answers.find((a) => a.text.includes('kind'))?.body).toMatchObject({ status: 400, detail: expect.stringContaining('requested, milestone') });
    expect(unknown.status).toBe(404);
  });
});

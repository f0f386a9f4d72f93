// Reviews and scores through the gateway on a private runtime: six units seeded through the API
// (activities created, submitted, results, photos uploaded and checked, summaries; one activity
// registered after the registration deadline), two reviews, then GET scores reproduces every
// number computed by hand in test/unit/scores/scores.test.ts (the same data, scores-data.ts),
// ties and a unit with nothing included. Then a CSV export carries the scores table, the
// commendation list and the chart.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../../shared/repositories/keys';
import { spawnRuntime } from '../helpers/global-setup';
import { stopRuntime } from '../helpers/private-runtime';
import { clientsFor, eventually, runtimeInfo } from '../helpers/runtime';
import { client, completeActivity, tokenFor, type Client } from '../helpers/api';
import { sampleFile } from '../helpers/sample-files';
import { ACTIVITIES, REVIEWS, SUMMARY_UNITS } from '../unit/scores/scores-data';

jest.setTimeout(180_000);

const dataDir = mkdtempSync(join(tmpdir(), 'sciday-scores-'));
const C = '/v1/campaigns/2021-xinxiang';
let runtime: ChildProcess;
let url = '';
const ids = new Map<string, string>();
const as = async (orgId: string, role: string, sub = `u-${orgId}-${role}`) => client(url, await tokenFor(url, { sub, orgId, roles: [role] }));

interface UnitView {
  organizationId: string;
  name: string;
  reviewed: boolean;
  reviewWithheld?: true;
  figures: Record<string, number>;
  indicators: Array<{ indicatorId: string; computedShare: number; score: number | null; reviewer: number | null }>;
  subtotal: number;
  penalty: { points: number; flags: Record<string, number> };
  total: number;
  rank: number;
  tie: { group: number; explanation: { zh: string } } | null;
  missing: Array<{ code: string }>;
}
interface ScoresView {
  penalty: { points: Record<string, number>; cap: number };
  units: UnitView[];
  ties: Array<{ group: number; rank: number; total: number; organizationIds: string[] }>;
  commendations: {
    units: Array<{ organizationId: string; rank: number }>;
    activities: Array<{ activityId: string; organizationId: string; title: string; rank: number; highlights: number | null }>;
  };
  measured: { method: string; readMs: number; itemsRead: Record<string, number> };
}

/** The activity body of one row of scores-data.ts. */
function body(a: (typeof ACTIVITIES)[number], startsAt = '2021-09-12T09:00:00+08:00') {
  const { venue, maxOnSite, epidemicPlan, jointAction: _j, volunteers: _v, coOrganizers: _c, ...base } = completeActivity();
  return {
    ...base,
    ...(a.format === 'online' ? {} : { venue, maxOnSite, epidemicPlan }),
    title: a.title.replace(/^=/, '＝'),
    kind: a.kind,
    ...(a.jointAction ? { jointAction: a.jointAction } : {}),
    format: a.format,
    county: a.county,
    startsAt,
    endsAt: startsAt.replace('09:00:00', '11:30:00'),
    ...(a.format === 'offline' ? {} : { onlineUrl: `https://live.example.cn/${a.id}` }),
    ...(a.volunteers ? { volunteers: a.volunteers } : {}),
    ...(a.co.length > 0 ? { coOrganizers: a.co } : {}),
  };
}

async function register(a: (typeof ACTIVITIES)[number], startsAt?: string) {
  const org = await as(a.org, 'organizer');
  const created = await org.post<{ activityId: string }>(`${C}/activities`, body(a, startsAt));
  expect(created.status).toBe(201);
  const id = created.body.activityId;
  ids.set(a.id, id);
  expect((await org.post(`/v1/activities/${id}/submit`)).status).toBe(200);
  expect((await org.put(`/v1/activities/${id}/results`, { actualParticipants: a.actual, newsLinks: a.news })).status).toBe(200);
  for (let i = 0; i < (a.photos ?? 0); i += 1) {
    const grant = await org.post<{ mediaId: string; url: string; fields: Record<string, string> }>(`/v1/activities/${id}/uploads`, {
      kind: 'photo',
      fileName: `现场 ${i}.jpg`,
      contentType: 'image/jpeg',
      size: 2048,
    });
    expect(grant.status).toBe(201);
    const form = new FormData();
    for (const [k, v] of Object.entries(grant.body.fields)) form.append(k, v);
    // Each photo different: an identical file of the same activity is refused as a duplicate.
    const photo = Buffer.concat([sampleFile('jpeg', 2032), Buffer.from(`${a.id}-${i}`.padEnd(16, ' '))]);
    form.append('file', new Blob([photo], { type: 'image/jpeg' }), 'photo.jpg');
    expect((await fetch(grant.body.url, { method: 'POST', body: form })).status).toBeLessThan(300);
  }
}

const scoresOf = async (c: Client) => {
  const res = await c.get<ScoresView>(`${C}/scores`);
  expect(res.status).toBe(200);
  return res;
};
const unitOf = (s: ScoresView, id: string) => s.units.find((u) => u.organizationId === id)!;
const points = (u: UnitView) => Object.fromEntries(u.indicators.map((i) => [i.indicatorId, i.score]));

beforeAll(async () => {
  runtime = await spawnRuntime(dataDir, { SCIDAY_CLOCK: '2021-09-01T09:00:00+08:00' });
  url = runtimeInfo(dataDir).url;
  for (const a of ACTIVITIES.filter((x) => !x.submittedAt)) await register(a);
  for (const org of SUMMARY_UNITS) {
    const text = '本单位围绕“百年再出发，迈向高水平科技自立自强”主题开展科普日活动，参与群众踊跃。';
    expect((await (await as(org, 'organizer')).put(`${C}/organizations/${org}/summary`, { text })).status).toBe(200);
  }
  // Every photo checked and accepted (a1: 2, b1: 1).
  await eventually(async () => {
    const counts = await Promise.all(
      ['a1', 'b1'].map(async (k) => {
        const a = ACTIVITIES.find((x) => x.id === k)!;
        const media = await (await as(a.org, 'organizer')).get<{ items: Array<{ status: string }> }>(`/v1/activities/${ids.get(k)}/media`);
        return media.body.items.filter((m) => m.status === 'accepted').length;
      }),
    );
    return counts[0] === 2 && counts[1] === 1 ? true : undefined;
  }, 30_000, 'the photos accepted');
  // After the registration deadline (the milestone's sweeps run): hongqi-kx registers a3 late.
  const clock = await fetch(`${url}/local/clock`, { method: 'POST', body: JSON.stringify({ now: '2021-09-25T10:00:00+08:00', frozen: true }) });
  expect(clock.status).toBe(200);
  await register(ACTIVITIES.find((x) => x.id === 'a3')!, '2021-10-01T09:00:00+08:00');
  // The scores are read from the read model (ADR 0038), kept from the stream about a second behind:
  // wait until it holds every registration and photo, and two reads a moment apart agree.
  let previous = '';
  await eventually(async () => {
    const res = await (await as('city-kx', 'admin')).get<ScoresView>(`${C}/scores`);
    const registered = (org: string) => ACTIVITIES.filter((a) => a.org === org).length;
    const caughtUp = res.status === 200 && res.body.units.every((u) => u.figures['registered-activities'] === registered(u.organizationId));
    const media = unitOfBody(res.body, 'hongqi-kx')?.figures['accepted-media'] === 2 && unitOfBody(res.body, 'city-jyj')?.figures['accepted-media'] === 1;
    const now = JSON.stringify(res.body.units);
    const settled = caughtUp && media && now === previous;
    previous = now;
    if (!settled) await new Promise((r) => setTimeout(r, 1500));
    return settled ? true : undefined;
  }, 60_000, 'the scores read model caught up');
});
const unitOfBody = (s: ScoresView, id: string) => s.units.find((u) => u.organizationId === id);

afterAll(async () => {
  await stopRuntime(runtime, dataDir);
});

describe('API: review a unit', () => {
  it('is written by a reviewer, then needs If-Match (428), refuses a stale one (412), and is audited with the reviewer as actor', async () => {
    const reviewer = await as('city-kx', 'reviewer');
    const path = `${C}/organizations/hongqi-kx/review`;
    const review = { scores: { ...REVIEWS['hongqi-kx'].scores, highlights: 80 }, comment: '组织有力，宣传到位', distinctiveActivityIds: [ids.get('a1')] };
    const first = await reviewer.put<{ version: number; reviewedBy: string; reviewedAt: string }>(path, review);
    expect(first.status).toBe(200);
    expect(first.headers.get('etag')).toBe('"1"');
    expect(first.body).toMatchObject({ version: 1, reviewedBy: 'u-city-kx-reviewer', reviewedAt: '2021-09-25T10:00:00+08:00' });

    expect((await reviewer.put(path, review)).status).toBe(428);
    const stale = await reviewer.put(path, review, { 'if-match': '"0"' });
    expect(stale.status).toBe(412);
    expect(stale.headers.get('etag')).toBe('"1"');
    const second = await reviewer.put<{ version: number; scores: Record<string, number> }>(path, { ...review, scores: REVIEWS['hongqi-kx'].scores }, { 'if-match': '"1"' });
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ version: 2, scores: { highlights: 90 } });
    expect((await reviewer.put(path, review, { 'if-match': '"1"' })).status).toBe(412);
    // Read back: the stored review and its ETag, which a later change sends as If-Match.
    const read = await reviewer.get<{ version: number; scores: Record<string, number>; comment: string }>(path);
    expect(read.status).toBe(200);
    expect(read.headers.get('etag')).toBe('"2"');
    expect(read.body).toMatchObject({ version: 2, scores: { highlights: 90 }, comment: '组织有力，宣传到位' });
    expect((await (await as('city-kx', 'admin')).get(path)).status).toBe(200);

    const info = runtimeInfo(dataDir);
    const { doc } = clientsFor(info);
    const trail = await eventually(async () => {
      const r = await doc.send(
        new QueryCommand({ TableName: info.resources.tables.audit?.name, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.auditTrail(keys.review('2021-xinxiang', 'hongqi-kx')) } }),
      );
      return (r.Items ?? []).length >= 2 ? r.Items : undefined;
    }, 15_000, 'the review’s audit trail');
    // The clock is frozen: both entries have the same instant, so they are compared as a set.
    expect(trail?.map((e) => [e.action, e.actor]).sort()).toEqual([
      ['created', 'u-city-kx-reviewer'],
      ['updated', 'u-city-kx-reviewer'],
    ]);
    expect(trail?.find((e) => e.action === 'updated')?.changes).toContainEqual({ path: 'scores.highlights', old: 80, new: 90 });
    doc.destroy();
  });

  it('is not for organizers (their own unit included), admins or analysts, nor for the reviewer’s own unit', async () => {
    const review = { scores: REVIEWS['city-jyj'].scores };
    expect((await (await as('city-jyj', 'organizer')).put(`${C}/organizations/city-jyj/review`, review)).status).toBe(403);
    expect((await (await as('hongqi-kx', 'organizer')).put(`${C}/organizations/city-jyj/review`, review)).status).toBe(403);
    expect((await (await as('city-kx', 'admin')).put(`${C}/organizations/city-jyj/review`, review)).status).toBe(403);
    expect((await (await as('city-kx', 'analyst')).put(`${C}/organizations/city-jyj/review`, review)).status).toBe(403);
    expect((await (await as('city-jyj', 'reviewer')).put(`${C}/organizations/city-jyj/review`, review)).status).toBe(403);
    expect((await (await as('city-kx', 'reviewer')).put(`${C}/organizations/no-such-unit/review`, review)).status).toBe(404);
    // Reading: organizers (their own unit included), analysts and the unit's own reviewer get 403; a unit not reviewed, 404.
    for (const [org, role] of [['city-jyj', 'organizer'], ['hongqi-kx', 'organizer'], ['city-kx', 'analyst'], ['hongqi-kx', 'reviewer']] as const) {
      expect((await (await as(org, role)).get(`${C}/organizations/hongqi-kx/review`)).status).toBe(403);
    }
    const unreviewed = await (await as('city-kx', 'reviewer')).get<{ title: string }>(`${C}/organizations/weibin-kx/review`);
    expect(unreviewed.status).toBe(404);
    expect((await (await as('city-kx', 'reviewer')).get(`${C}/organizations/no-such-unit/review`)).status).toBe(404);
  });

  it('refuses distinctive activities that are not the unit’s (422), then stores city-jyj’s review', async () => {
    const reviewer = await as('city-kx', 'reviewer');
    const path = `${C}/organizations/city-jyj/review`;
    const bad = await reviewer.put<{ errors: Array<{ path: string; code: string }> }>(path, { ...REVIEWS['city-jyj'], distinctiveActivityIds: [ids.get('b1'), ids.get('a1')] });
    expect(bad.status).toBe(422);
    expect(bad.body.errors).toEqual([expect.objectContaining({ path: 'distinctiveActivityIds.1', code: 'unknown_activity' })]);
    const missing = await reviewer.put<{ errors: Array<{ path: string; code: string }> }>(path, { scores: { highlights: 70 } });
    expect(missing.status).toBe(422);
    expect(missing.body.errors.map((e) => e.path).sort()).toEqual(['scores.mobilization', 'scores.online', 'scores.publicity', 'scores.volunteering']);
    expect((await reviewer.put(path, { ...REVIEWS['city-jyj'], distinctiveActivityIds: [ids.get('b1')] })).status).toBe(200);
  });
});

describe('API: scores', () => {
  it('reproduces the hand-computed scores, totals and ranks (test/unit/scores/scores.test.ts)', async () => {
    const res = await scoresOf(await as('city-kx', 'reviewer'));
    const s = res.body;
    expect(res.headers.get('server-timing')).toMatch(/^read;dur=[\d.]+, score;dur=[\d.]+$/);
    // From the read model (ADR 0038): one totals item per unit that has any, the reviews.
    expect(s.measured).toMatchObject({ method: 'read-model', itemsRead: { reviews: 2 } });
    expect(s.penalty).toMatchObject({ points: { 'results-late': 1, 'summary-missing': 2 }, cap: 10 });

    const a = unitOf(s, 'hongqi-kx');
    expect(a.figures).toMatchObject({ 'registered-activities': 3, participants: 900, 'co-organizers': 3, 'counties-covered': 2, 'news-links': 4, 'accepted-media': 2, volunteers: 15, 'volunteer-hours': 50, 'joint-actions-covered': 2, 'online-activities-with-url': 1 });
    expect(a.figures['on-time-rate']).toBeCloseTo(2 / 3, 12);
    expect(points(a)).toEqual({ mobilization: 12.8, scale: 15, publicity: 13.65, highlights: 13.5, volunteering: 7.2, 'joint-actions': 15, online: 9 });
    expect([a.subtotal, a.penalty.points, a.total, a.rank, a.reviewed]).toEqual([86.15, 1, 85.15, 1, true]);
    expect(a.penalty.flags).toEqual({ 'registration-late': 1 });

    const b = unitOf(s, 'city-jyj');
    expect(points(b)).toEqual({ mobilization: 11.6, scale: 16.67, publicity: 11.93, highlights: 10.5, volunteering: 9.6, 'joint-actions': 7.5, online: 10 });
    expect([b.total, b.rank]).toEqual([77.8, 2]);

    const c = unitOf(s, 'weihui-kx');
    expect([c.total, c.rank]).toEqual([18.31, 3]);
    expect(c.missing.map((m) => m.code)).toEqual(['no-summary', 'reviewer-scores']);
  });

  it('ties equal totals (rank 4, 4, then 6) and lists a unit with nothing at 0', async () => {
    const res = await scoresOf(await as('city-kx', 'admin'));
    const s = res.body;
    const [e, f] = [unitOf(s, 'weibin-kx'), unitOf(s, 'muye-kx')];
    expect([e.total, e.rank, f.total, f.rank]).toEqual([13.3, 4, 13.3, 4]);
    expect(e.tie?.group).toBe(f.tie?.group);
    expect(s.ties[e.tie!.group]).toEqual({ group: e.tie!.group, rank: 4, total: 13.3, organizationIds: ['muye-kx', 'weibin-kx'] });
    expect(e.tie?.explanation.zh).toContain('与 muye-kx 总分相同');
    expect(e.tie?.explanation.zh).toContain('并列第 4 名，其后单位为第 6 名');
    const d = unitOf(s, 'huojia-slj');
    expect([d.total, d.rank, d.penalty.points]).toEqual([0, 6, 0]);
    // The 125 units with nothing: one tie, told once (it used to repeat 124 ids in each of 125 entries).
    const bottom = s.ties[d.tie!.group]!;
    expect([bottom.rank, bottom.organizationIds.length]).toEqual([6, 125]);
    expect(s.units.filter((u) => u.rank === 6).every((u) => u.tie?.group === bottom.group)).toBe(true);
    expect(d.tie?.explanation.zh).toContain('与另外 124 个单位总分相同');
    expect(s.ties).toHaveLength(2);
    // Linear in the units: about 2 KB each (the answer was 1 MB, 86% of it tie lists).
    expect(Buffer.byteLength(res.text)).toBeLessThan(130 * 3_000);
    expect(d.missing.map((m) => m.code)).toEqual(['no-registered-activity', 'reviewer-scores']);
    expect(s.units).toHaveLength(130);
    expect(s.commendations.units.map((u) => [u.organizationId, u.rank])).toEqual([
      ['hongqi-kx', 1],
      ['city-jyj', 2],
      ['weihui-kx', 3],
      ['muye-kx', 4],
      ['weibin-kx', 4],
    ]);
    expect(s.commendations.activities.map((x) => [x.activityId, x.rank, x.title])).toEqual([
      [ids.get('a1'), 1, '碳中和科普进社区'],
      [ids.get('b1'), 2, '青少年科技教育周'],
    ]);
  });

  it('withholds a reviewer’s own unit’s review from them, as GET …/review does, and from nobody else', async () => {
    // Prepare: hongqi-kx is reviewed (by city-kx); a reviewer who acts for hongqi-kx may not read that review.
    const own = await as('hongqi-kx', 'reviewer');
    expect((await own.get(`${C}/organizations/hongqi-kx/review`)).status).toBe(403);
    const both = client(url, await tokenFor(url, { sub: 'u-hongqi-kx-admin-reviewer', orgId: 'hongqi-kx', roles: ['reviewer', 'admin'] }));
    // Act
    const mine = (await scoresOf(own)).body;
    const other = (await scoresOf(await as('city-kx', 'reviewer'))).body;
    const admin = (await scoresOf(both)).body;
    // Assess
    const [hidden, seen] = [unitOf(mine, 'hongqi-kx'), unitOf(other, 'hongqi-kx')];
    expect(seen.indicators.filter((i) => i.reviewer !== null).map((i) => i.indicatorId)).toEqual(['mobilization', 'publicity', 'highlights', 'volunteering', 'online']);
    expect(hidden.reviewWithheld).toBe(true);
    expect(hidden.indicators.map((i) => [i.indicatorId, i.reviewer, i.score])).toEqual([
      ['mobilization', null, null],
      ['scale', null, 15],
      ['publicity', null, null],
      ['highlights', null, null],
      ['volunteering', null, null],
      ['joint-actions', null, 15],
      ['online', null, null],
    ]);
    // The ranking itself is what reviewers read: total and rank stay.
    expect([hidden.total, hidden.rank]).toEqual([85.15, 1]);
    expect(mine.commendations.activities.find((a) => a.organizationId === 'hongqi-kx')?.highlights).toBeNull();
    expect(other.commendations.activities.find((a) => a.organizationId === 'hongqi-kx')?.highlights).toBe(90);
    // Each reviewer's own unit only (city-kx's for the city-kx reviewer); every other unit, and all an admin reads, unchanged.
    expect(unitOf(other, 'city-kx').reviewWithheld).toBe(true);
    expect(unitOf(mine, 'city-kx')).not.toHaveProperty('reviewWithheld');
    const rest = (v: ScoresView) => v.units.filter((u) => !['hongqi-kx', 'city-kx'].includes(u.organizationId));
    expect(rest(mine)).toEqual(rest(other));
    expect(unitOf(admin, 'hongqi-kx')).toEqual(seen);
    expect(admin.units.some((u) => u.reviewWithheld)).toBe(false);
  });

  it('is not for organizers (their own unit included) or analysts: 403', async () => {
    for (const [org, role] of [
      ['hongqi-kx', 'organizer'],
      ['city-kx', 'organizer'],
      ['city-kx', 'analyst'],
    ] as const) {
      const res = await (await as(org, role)).get(`${C}/scores`);
      expect(res.status).toBe(403);
      expect(res.text).not.toContain('85.15');
    }
    expect((await (await as('city-kx', 'reviewer')).get('/v1/campaigns/no-such/scores')).status).toBe(404);
  });
});

describe('Export: scores, commendations and chart', () => {
  it('writes the scores table, commendations.csv and chart.svg under the snapshot, listed in the manifest', async () => {
    const admin = await as('city-kx', 'admin');
    const created = await admin.post<{ exportId: string }>(`${C}/exports`, { format: 'csv' });
    expect(created.status).toBe(202);
    const done = await eventually(async () => {
      const r = await admin.get<{ status: string; files: Array<{ entity: string; url: string; rows: number }> }>(`/v1/exports/${created.body.exportId}`);
      if (r.body.status === 'failed') throw new Error('the export failed');
      return r.body.status === 'succeeded' ? r.body : undefined;
    }, 60_000, 'the export');
    const scores = done.files.find((f) => f.entity === 'scores')!;
    expect(scores.rows).toBe(130);
    const csv = await (await fetch(scores.url)).text();
    expect(csv.split('\r\n')[1]).toBe('2021-xinxiang,hongqi-kx,12.8,15,13.65,13.5,7.2,15,9,1,85.15,1,');

    const info = runtimeInfo(dataDir);
    const { s3 } = clientsFor(info);
    const bucket = info.resources.buckets.exports?.name;
    const get = async (key: string) => (await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body?.transformToString('utf-8')) ?? '';
    const prefix = `campaign=2021-xinxiang/snapshot=${created.body.exportId}/`;
    const manifest = JSON.parse(await get(`${prefix}manifest.json`)) as { artifacts: Array<{ name: string; key: string }> };
    expect(manifest.artifacts.map((a) => a.key)).toEqual([`${prefix}commendations.csv`, `${prefix}chart.svg`]);
    const commendations = await get(`${prefix}commendations.csv`);
    expect(commendations.startsWith('\uFEFF名单,名次,单位编号,单位名称')).toBe(true);
    expect(commendations).toContain('总排名,1,hongqi-kx,红旗区科协,科协,红旗区,85.15,');
    const svg = await get(`${prefix}chart.svg`);
    expect(svg).toContain('<svg xmlns="http://www.w3.org/2000/svg"');
    expect(svg.match(/class="county-bar"/g)).toHaveLength(16);
    s3.destroy();
  });

  it('shows the scores in `npm run query` once a Parquet export is the latest', async () => {
    const admin = await as('city-kx', 'admin');
    const created = await admin.post<{ exportId: string }>(`${C}/exports`, { format: 'parquet' });
    expect(created.status).toBe(202);
    await eventually(async () => {
      const r = await admin.get<{ status: string }>(`/v1/exports/${created.body.exportId}`);
      if (r.body.status === 'failed') throw new Error('the export failed');
      return r.body.status === 'succeeded' ? true : undefined;
    }, 60_000, 'the Parquet export');
    const sql = "SELECT organization_id, total, rank, missing FROM scores WHERE campaign = '2021-xinxiang' ORDER BY rank, organization_id LIMIT 6";
    const stdout = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', '--disable-warning=ExperimentalWarning', 'infra/local/query.ts', '--format', 'json', sql], {
        cwd: process.cwd(),
        env: { ...process.env, SCIDAY_DATA_DIR: dataDir },
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      const out: Buffer[] = [];
      child.stdout.on('data', (c: Buffer) => out.push(c));
      child.on('error', reject);
      child.on('close', (code) => (code === 0 ? resolve(Buffer.concat(out).toString('utf8')) : reject(new Error(`query exited ${code}`))));
    });
    expect((JSON.parse(stdout) as Array<{ organization_id: string; total: number; rank: number }>).map((r) => [r.organization_id, r.total, r.rank])).toEqual([
      ['hongqi-kx', 85.15, 1],
      ['city-jyj', 77.8, 2],
      ['weihui-kx', 18.31, 3],
      ['muye-kx', 13.3, 4],
      ['weibin-kx', 13.3, 4],
      [expect.any(String), 0, 6],
    ]);
  });
});

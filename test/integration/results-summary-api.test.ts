// Results (信息完善) and the work summary (工作总结) through the gateway, on a runtime whose
// clock starts on 2021-09-01 and is later moved past the completion deadline.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stopRuntime, spawnRuntimeKeepingUnits } from '../helpers/private-runtime';
import { ReceiveMessageCommand, DeleteMessageCommand } from '@aws-sdk/client-sqs';
import { DomainEventV1, type DomainEvent } from '../../events/schemas/domain-events.v1';
import { clientsFor, eventually, runtimeInfo } from '../helpers/runtime';
import { client, completeActivity, tokenFor, type Client } from '../helpers/api';

/** Units kept of the seed campaign's 130: the clock moves fan out one job per unit (test/helpers/private-runtime.ts). */
const UNITS = 50;

const dataDir = mkdtempSync(join(tmpdir(), 'sciday-results-'));
let runtime: ChildProcess;
let url = '';
const C = '/v1/campaigns/2021-xinxiang';
const as = async (orgId: string, role: string) => client(url, await tokenFor(url, { sub: `u-${orgId}-${role}`, orgId, roles: [role] }));
let hongqi: Client;
let muye: Client;
let reviewer: Client;

beforeAll(async () => {
  runtime = await spawnRuntimeKeepingUnits(UNITS, dataDir, { SCIDAY_CLOCK: '2021-09-01T09:00:00+08:00' });
  url = runtimeInfo(dataDir).url;
  [hongqi, muye, reviewer] = [await as('hongqi-kx', 'organizer'), await as('muye-kx', 'organizer'), await as('city-kx', 'reviewer')];
});

afterAll(async () => {
  await stopRuntime(runtime, dataDir);
});

const registered = async (c: Client, body: Record<string, unknown> = completeActivity()) => {
  const created = await c.post<{ activityId: string }>(`${C}/activities`, body);
  expect(created.status).toBe(201);
  const submitted = await c.post(`/v1/activities/${created.body.activityId}/submit`);
  expect(submitted.status).toBe(200);
  return created.body.activityId;
};

const moveClock = async (now: string) => {
  // Frozen: the milestone sweeps it fires take real time, and lateness is asserted to the second.
  const res = await fetch(`${url}/local/clock`, { method: 'POST', body: JSON.stringify({ now, frozen: true }) });
  expect(res.status).toBe(200);
  // Tokens live on the simulated clock: mint new ones.
  [hongqi, muye, reviewer] = [await as('hongqi-kx', 'organizer'), await as('muye-kx', 'organizer'), await as('city-kx', 'reviewer')];
};

describe('API: results', () => {
  it('completes an activity with its first news link, then needs If-Match', async () => {
    const draft = await hongqi.post<{ activityId: string }>(`${C}/activities`, completeActivity());
    expect((await hongqi.put(`/v1/activities/${draft.body.activityId}/results`, { actualParticipants: 1, newsLinks: [] })).status).toBe(409);

    const id = await registered(hongqi);
    const results = { actualParticipants: 230, newsLinks: ['https://www.xxrb.com.cn/news/2021-09-12/kepu.html'], highlights: '居民参与热情高 👏' };
    const first = await hongqi.put<{ status: string; completedAt: string; results: { version: number; highlights: string } }>(`/v1/activities/${id}/results`, results);
    expect(first.status).toBe(200);
    expect(first.headers.get('etag')).toBe('"1"');
    expect(first.body.status).toBe('completed');
    expect(first.body.completedAt).toMatch(/^2021-09-01T.*\+08:00$/);
    expect(first.body.results).toMatchObject({ version: 1, highlights: '居民参与热情高 👏' });

    // The same PUT again (a retry whose first answer was lost) is answered with what is stored;
    // a change needs If-Match, and a current one.
    const again = await hongqi.put<{ results: { version: number } }>(`/v1/activities/${id}/results`, results);
    expect({ status: again.status, version: again.body.results.version }).toEqual({ status: 200, version: 1 });
    expect((await hongqi.put(`/v1/activities/${id}/results`, { ...results, actualParticipants: 240 })).status).toBe(428);
    expect((await hongqi.put(`/v1/activities/${id}/results`, { ...results, actualParticipants: 240 }, { 'if-match': '"5"' })).status).toBe(412);
    const second = await hongqi.put<{ results: { actualParticipants: number } }>(`/v1/activities/${id}/results`, { ...results, actualParticipants: 250 }, { 'if-match': '"1"' });
    expect(second.status).toBe(200);
    expect(second.body.results.actualParticipants).toBe(250);
    const read = await reviewer.get<{ results: { version: number } }>(`/v1/activities/${id}`);
    expect(read.body.results.version).toBe(2);
    const history = await eventually(async () => {
      const h = await reviewer.get<{ items: Array<{ of: string; action: string; changes: Array<{ path: string; old?: unknown; new?: unknown }> }> }>(`/v1/activities/${id}/history`);
      return h.body.items.filter((e) => e.of === 'results').length >= 2 ? h.body.items : undefined;
    });
    expect(history.filter((e) => e.of === 'results').map((e) => e.action)).toEqual(['created', 'updated']);
    expect(history.find((e) => e.of === 'results' && e.action === 'updated')?.changes).toContainEqual({ path: 'actualParticipants', old: 230, new: 250 });
  });

  it('needs the online URL of an online activity before it is complete', async () => {
    const { venue: _v, maxOnSite: _m, epidemicPlan: _e, ...online } = completeActivity();
    const id = await registered(hongqi, { ...online, format: 'online' });
    const without = await hongqi.put<{ status: string }>(`/v1/activities/${id}/results`, { actualParticipants: 5000, newsLinks: ['https://news.example.cn/a'] });
    expect(without.body.status).toBe('registered');
    const withUrl = await hongqi.put<{ status: string }>(
      `/v1/activities/${id}/results`,
      { actualParticipants: 5000, newsLinks: ['https://news.example.cn/a'], onlineUrl: 'https://live.example.cn/kepu' },
      { 'if-match': '"1"' },
    );
    expect(withUrl.body.status).toBe('completed');
  });

  it('keeps results to the owning unit', async () => {
    const id = await registered(hongqi);
    const body = { actualParticipants: 1, newsLinks: [] };
    expect((await muye.put(`/v1/activities/${id}/results`, body)).status).toBe(404);
    expect((await reviewer.put(`/v1/activities/${id}/results`, body)).status).toBe(403);
    const bad = await hongqi.put<{ errors: Array<{ path: string; code: string }> }>(`/v1/activities/${id}/results`, { actualParticipants: -1, newsLinks: ['http://insecure.example.cn'] });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e) => e.path).sort()).toEqual(['actualParticipants', 'newsLinks.0']);
  });
});

describe('API: work summary', () => {
  const text = '本单位围绕“百年再出发，迈向高水平科技自立自强”主题，开展科普进社区、进校园活动共 5 场，参与群众 1200 余人次。';

  it('is read by the unit and reviewers, written only by the unit, with If-Match after the first', async () => {
    const path = `${C}/organizations/hongqi-kx/summary`;
    expect((await hongqi.get(path)).status).toBe(404);
    const first = await hongqi.put<{ version: number; flags: unknown[]; text: string }>(path, { text });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ version: 1, flags: [], text });
    expect((await hongqi.put(path, { text })).status).toBe(428);
    expect((await hongqi.put(path, { text: `${text}（修订）` }, { 'if-match': '"1"' })).status).toBe(200);
    const read = await reviewer.get<{ version: number; text: string }>(path);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ version: 2, text: `${text}（修订）` });
    expect((await muye.get(path)).status).toBe(404);
    expect((await muye.put(path, { text })).status).toBe(404);
    expect((await reviewer.put(path, { text }, { 'if-match': '"2"' })).status).toBe(403);
    expect((await (await as('city-kx', 'analyst')).get(path)).status).toBe(403);
    expect((await hongqi.put(`${C}/organizations/no-such-unit/summary`, { text })).status).toBe(404);
  });
});

describe('Domain events from the stream', () => {
  it('publishes activity.submitted and results.updated, valid against the v1 contracts', async () => {
    const id = await registered(hongqi);
    await hongqi.put(`/v1/activities/${id}/results`, { actualParticipants: 10, newsLinks: ['https://news.example.cn/e'] });
    const info = runtimeInfo(dataDir);
    const { sqs } = clientsFor(info);
    const seen: DomainEvent[] = [];
    const mine = await eventually(async () => {
      const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: info.resources.queues['domain-events']?.url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
      for (const m of r.Messages ?? []) {
        seen.push(DomainEventV1.parse(JSON.parse(m.Body ?? '{}')));
        await sqs.send(new DeleteMessageCommand({ QueueUrl: info.resources.queues['domain-events']?.url, ReceiptHandle: m.ReceiptHandle }));
      }
      const types: string[] = seen.filter((e) => 'activityId' in e.detail && e.detail.activityId === id).map((e) => e.detailType);
      const wanted: readonly string[] = ['activity.submitted', 'results.updated', 'activity.updated'];
      // The stream publishes each change as it comes; wait for all three, not the first two.
      return wanted.every((t) => types.includes(t)) ? types : undefined;
    }, 20_000, 'the domain events of the activity');
    expect(mine).toEqual(expect.arrayContaining(['activity.submitted', 'results.updated', 'activity.updated']));
    sqs.destroy();
  });
});

// Last: the clock only moves forward.
describe('API: after the completion deadline', () => {
  it('flags results and a summary that come late', async () => {
    const id = await registered(muye);
    await moveClock('2021-10-23T00:00:00+08:00');
    const results = await muye.put<{ status: string; flags: Array<{ code: string; lateBySeconds: number }> }>(`/v1/activities/${id}/results`, {
      actualParticipants: 80,
      newsLinks: ['https://news.example.cn/late'],
    });
    expect(results.body.status).toBe('completed');
    expect(results.body.flags).toContainEqual(expect.objectContaining({ code: 'results-late', lateBySeconds: 1 }));
    const summary = await muye.put<{ flags: Array<{ code: string; milestone: string }> }>(`${C}/organizations/muye-kx/summary`, {
      text: '牧野区科协科普日工作总结：开展活动一场，因故补报。',
    });
    expect(summary.status).toBe(200);
    expect(summary.body.flags).toEqual([expect.objectContaining({ code: 'summary-late', milestone: 'completion' })]);
  });
});

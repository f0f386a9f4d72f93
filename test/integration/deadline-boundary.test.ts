// The last millisecond of the registration deadline is on time; the next one is late, by a whole
// second. The clock is frozen at exact instants (POST /local/clock { now, frozen: true }).
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stopRuntime, spawnRuntimeKeepingUnits } from '../helpers/private-runtime';
import { eventually, runtimeInfo } from '../helpers/runtime';
import { client, completeActivity, tokenFor, type Client } from '../helpers/api';

/** Units kept of the seed campaign's 130: the clock moves fan out one job per unit (test/helpers/private-runtime.ts). */
const UNITS = 50;

jest.setTimeout(60_000);

const dataDir = mkdtempSync(join(tmpdir(), 'sciday-boundary-'));
const C = '/v1/campaigns/2021-xinxiang';
let runtime: ChildProcess;
let url: string;
let organizer: Client;

interface Flag {
  code: string;
  lateBySeconds?: number;
  raisedAt: string;
}

async function setClock(now: string) {
  const res = await fetch(`${url}/local/clock`, { method: 'POST', body: JSON.stringify({ now, frozen: true }) });
  expect(res.status).toBe(200);
  // Tokens live an hour of the runtime's clock: take a fresh one at the new time.
  organizer = client(url, await tokenFor(url, { sub: 'org-1', orgId: 'hongqi-kx', roles: ['organizer'] }));
  return (await res.json()) as { now: string; frozen: boolean; fired: Array<{ scheduleId: string }> };
}

beforeAll(async () => {
  runtime = await spawnRuntimeKeepingUnits(UNITS, dataDir, { SCIDAY_CLOCK: '2021-09-24T23:00:00+08:00' });
  url = runtimeInfo(dataDir).url;
  organizer = client(url, await tokenFor(url, { sub: 'org-1', orgId: 'hongqi-kx', roles: ['organizer'] }));
});

afterAll(async () => {
  if (runtime) await stopRuntime(runtime, dataDir);
});

const draft = async () => {
  const res = await organizer.post<{ id: string }>(`${C}/activities`, {
    ...completeActivity(),
    startsAt: '2021-09-26T09:00:00+08:00',
    endsAt: '2021-09-26T11:00:00+08:00',
  });
  expect(res.status).toBe(201);
  return res.body.id;
};
const flagsOf = async (id: string) => {
  const res = await organizer.get<{ flags: Flag[] }>(`/v1/activities/${id}`);
  if (res.status !== 200) throw new Error(`GET activity: ${res.status} ${res.text}`);
  return res.body.flags;
};

describe('The registration deadline, to the millisecond', () => {
  it('2021-09-24T23:59:59.999+08:00 is on time; 2021-09-25T00:00:00+08:00 is late by 1 s, and the milestone fires then', async () => {
    const onTime = await draft();
    const late = await draft();
    expect((await setClock('2021-09-24T23:59:59.999+08:00')).frozen).toBe(true);
    expect((await organizer.post(`/v1/activities/${onTime}/submit`, undefined, { 'if-match': '"1"' })).status).toBe(200);
    expect(await flagsOf(onTime)).toEqual([]);

    const moved = await setClock('2021-09-25T00:00:00+08:00');
    expect(moved.fired.map((f) => f.scheduleId)).toEqual(['start-milestone.2021-xinxiang.registration']);
    // Still a draft when the milestone passed: overdue, raised at the instant the schedule fired.
    const overdue = await eventually(async () => {
      const flags = await flagsOf(late);
      return flags.length > 0 ? flags : undefined;
    });
    expect(overdue).toEqual([expect.objectContaining({ code: 'registration-overdue', raisedAt: '2021-09-25T00:00:00+08:00' })]);
    const version = (await organizer.get(`/v1/activities/${late}`)).headers.get('etag')!;
    expect((await organizer.post(`/v1/activities/${late}/submit`, undefined, { 'if-match': version })).status).toBe(200);
    const flags = (await flagsOf(late)).map((f) => [f.code, f.lateBySeconds]).sort();
    expect(flags).toEqual([
      ['registration-late', 1],
      ['registration-overdue', undefined],
    ]);
    // The unit registered one activity in time: it is not inactive, and the on-time one has no flag.
    expect(await flagsOf(onTime)).toEqual([]);
  });
});

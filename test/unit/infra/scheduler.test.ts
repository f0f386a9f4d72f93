import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MovableClock } from '../../../shared/clock';
import { dailyCron, latestOccurrence, LocalScheduler, type LocalSchedule } from '../../../infra/local/scheduler';
import { expandSchedules } from '../../../infra/schedules';
import { topology } from '../../../infra/topology';
import { findCampaign } from '../../../shared/campaigns/index';

const campaign = findCampaign('2021-xinxiang')!;
const once = (id: string, at: string): LocalSchedule => ({ id, functionId: 'fn', input: { id }, at: new Date(at) });
const daily: LocalSchedule = { id: 'daily', functionId: 'fn', input: { id: 'daily' }, recurring: { expression: 'cron(30 0 * * ? *)', timeZone: 'Asia/Shanghai' } };

function scheduler(schedules: LocalSchedule[], start: string, options: { fail?: Set<string>; ledger?: string } = {}) {
  // Starts before `start` and is frozen at it: a clock started at `start` could have run on a
  // millisecond by the time it is frozen, and would refuse to move back to `start`.
  const clock = new MovableClock(new Date(Date.parse(start) - 60_000));
  clock.set(new Date(start), { frozen: true });
  const invoked: Array<{ id: string; at: string }> = [];
  const dead: string[] = [];
  const ledgerFile = options.ledger ?? join(mkdtempSync(join(tmpdir(), 'sched-')), 'schedules.json');
  const s = new LocalScheduler({
    schedules,
    clock,
    ledgerFile,
    retryDelaysMs: [1, 1],
    tickMs: 60_000,
    invoke: async (_fn, input) => {
      const id = (input as { id: string }).id;
      invoked.push({ id, at: clock.now().toISOString() });
      if (options.fail?.has(id)) throw new Error(`${id} fails`);
    },
    deadLetter: async (schedule) => {
      dead.push(schedule.id);
    },
  });
  return { s, clock, invoked, dead, ledgerFile };
}

describe('LocalScheduler', () => {
  it('moving the clock past schedules fires them in time order, each once, each at its own time', async () => {
    const { s, invoked } = scheduler([once('b', '2021-09-25T00:00:00+08:00'), once('a', '2021-09-21T09:00:00+08:00')], '2021-09-20T00:00:00+08:00');
    const fired = await s.moveTo(new Date('2021-09-26T00:00:00+08:00'), { frozen: true });
    expect(fired.map((f) => f.scheduleId)).toEqual(['a', 'b']);
    expect(invoked).toEqual([
      { id: 'a', at: '2021-09-21T01:00:00.000Z' },
      { id: 'b', at: '2021-09-24T16:00:00.000Z' },
    ]);
    expect(await s.moveTo(new Date('2021-09-27T00:00:00+08:00'))).toEqual([]);
    await s.stop();
  });

  it('a restart fires what was missed while down, never what already fired, nor what was before the ledger began', async () => {
    const first = scheduler([once('old', '2021-09-01T00:00:00+08:00'), once('a', '2021-09-21T09:00:00+08:00')], '2021-09-20T00:00:00+08:00');
    await first.s.moveTo(new Date('2021-09-22T00:00:00+08:00'));
    await first.s.stop();
    const schedules = [once('old', '2021-09-01T00:00:00+08:00'), once('a', '2021-09-21T09:00:00+08:00'), once('b', '2021-09-25T00:00:00+08:00')];
    const second = scheduler(schedules, '2021-09-26T00:00:00+08:00', { ledger: first.ledgerFile });
    const fired = await second.s.start();
    expect(fired.map((f) => f.scheduleId)).toEqual(['b']);
    expect(Object.keys(JSON.parse(readFileSync(first.ledgerFile, 'utf8')).fired).sort()).toEqual(['a', 'b']);
    await second.s.stop();
  });

  it('a daily schedule fires once per move however many days it jumps', async () => {
    const { s } = scheduler([daily], '2021-09-20T00:00:00+08:00');
    // Frozen at each instant: a running clock could pass 00:30 within a second of a loaded machine.
    const frozen = { frozen: true };
    expect((await s.moveTo(new Date('2021-09-20T00:29:59+08:00'), frozen)).length).toBe(0);
    expect((await s.moveTo(new Date('2021-09-25T12:00:00+08:00'), frozen)).map((f) => f.at)).toEqual(['2021-09-24T16:30:00.000Z']);
    expect((await s.moveTo(new Date('2021-09-25T23:00:00+08:00'), frozen)).length).toBe(0);
    expect((await s.moveTo(new Date('2021-09-26T00:30:00+08:00'), frozen)).length).toBe(1);
    await s.stop();
  });

  it('retries a failing invocation, then dead-letters it and counts it as fired', async () => {
    const { s, invoked, dead } = scheduler([once('x', '2021-09-21T09:00:00+08:00')], '2021-09-20T00:00:00+08:00', { fail: new Set(['x']) });
    const fired = await s.moveTo(new Date('2021-09-22T00:00:00+08:00'));
    expect(fired).toEqual([{ scheduleId: 'x', functionId: 'fn', at: '2021-09-21T01:00:00.000Z', ok: false }]);
    expect(invoked).toHaveLength(3);
    expect(dead).toEqual(['x']);
    await s.stop();
  });

  it('refuses to move backwards and only supports daily cron expressions', async () => {
    const { s } = scheduler([], '2021-09-20T00:00:00+08:00');
    await expect(s.moveTo(new Date('2021-09-19T00:00:00+08:00'))).rejects.toThrow(RangeError);
    expect(() => dailyCron('rate(5 minutes)')).toThrow('daily cron');
    expect(latestOccurrence('cron(30 0 * * ? *)', 'Asia/Shanghai', new Date('2021-09-20T00:10:00+08:00')).toISOString()).toBe('2021-09-18T16:30:00.000Z');
    await s.stop();
  });
});

describe('expandSchedules', () => {
  it('derives one schedule per milestone and reminder of each campaign, plus the daily reconciliation, at Shanghai wall times', () => {
    const all = expandSchedules(topology, [campaign]);
    const ids = all.map((s) => s.id);
    expect(ids).toContain('start-milestone.2021-xinxiang.registration');
    expect(ids).toContain('start-milestone.reconcile');
    expect(ids.filter((i) => i.startsWith('start-reminders.'))).toHaveLength(4);
    const registration = all.find((s) => s.id === 'start-milestone.2021-xinxiang.registration')!;
    expect(registration.once).toEqual({ at: new Date('2021-09-25T00:00:00+08:00'), wallTime: '2021-09-25T00:00:00' });
    expect(registration.timeZone).toBe('Asia/Shanghai');
    expect(registration.onFailureQueue).toBe('schedule-failures');
    const remind = all.find((s) => s.id === 'start-reminders.2021-xinxiang.completion.remind-3d')!;
    expect(remind.once?.wallTime).toBe('2021-10-19T09:00:00');
    expect(remind.input).toMatchObject({ type: 'reminder', milestone: 'completion', daysBefore: 3, at: '2021-10-19T01:00:00.000Z' });
  });
});

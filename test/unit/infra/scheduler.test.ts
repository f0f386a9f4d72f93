import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MovableClock } from '../../../shared/clock';
import { campaignSchedulesIn, dailyCron, latestOccurrence, LocalScheduler, type LocalSchedule } from '../../../infra/local/scheduler';
import { campaignScheduleTargets, expandSchedules, scheduleManager } from '../../../infra/schedules';
import { topology } from '../../../infra/topology';
import { LocalFileScheduleGateway, readLocalSchedules } from '../../../shared/repositories/schedule-gateway-local';
import type { CampaignSchedule } from '../../../shared/repositories/schedule-gateway';

const once = (id: string, at: string): LocalSchedule => ({ id, functionId: 'fn', input: { id }, at: new Date(at) });
const daily: LocalSchedule = { id: 'daily', functionId: 'fn', input: { id: 'daily' }, recurring: { expression: 'cron(30 0 * * ? *)', timeZone: 'Asia/Shanghai' } };

function scheduler(
  schedules: LocalSchedule[],
  start: string,
  options: { fail?: Set<string>; ledger?: string; campaignSchedules?: () => readonly LocalSchedule[] } = {},
) {
  // Starts before `start` and is frozen at it: a clock started at `start` could have run on a
  // millisecond by the time it is frozen, and would refuse to move back to `start`.
  const clock = new MovableClock(new Date(Date.parse(start) - 60_000));
  clock.set(new Date(start), { frozen: true });
  const invoked: Array<{ id: string; at: string }> = [];
  const dead: string[] = [];
  const ledgerFile = options.ledger ?? join(mkdtempSync(join(tmpdir(), 'sched-')), 'schedules.json');
  const s = new LocalScheduler({
    schedules,
    ...(options.campaignSchedules ? { campaignSchedules: options.campaignSchedules } : {}),
    clock,
    ledgerFile,
    retryDelaysMs: [1, 1],
    tickMs: 60_000,
    invoke: async (_fn, input) => {
      const id = (input as { id?: string; scheduleId?: string }).id ?? (input as { scheduleId: string }).scheduleId;
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
    expect(Object.keys(JSON.parse(readFileSync(first.ledgerFile, 'utf8')).fired).sort()).toEqual(['a@2021-09-21T01:00:00.000Z', 'b@2021-09-24T16:00:00.000Z']);
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

describe('LocalScheduler with the campaign schedules project-changes keeps in a file (syncCampaignSchedules)', () => {
  const GROUP = 'sciday-local.2021-xinxiang';
  const milestone = (wallTime: string): CampaignSchedule => ({
    name: '2021-xinxiang.registration',
    wallTime,
    timeZone: 'Asia/Shanghai',
    target: 'start-milestone',
    input: { type: 'milestone', campaignId: '2021-xinxiang', milestone: 'registration', scheduleId: '2021-xinxiang.registration' },
  });
  const setUp = async (start: string) => {
    const file = join(mkdtempSync(join(tmpdir(), 'campaign-schedules-')), 'campaign-schedules.json');
    const gateway = new LocalFileScheduleGateway(file);
    const run = scheduler([daily], start, { campaignSchedules: campaignSchedulesIn(file) });
    await run.s.start();
    return { ...run, gateway, file };
  };

  it('fires a schedule written to the file after it started, at its instant, without a restart', async () => {
    // Prepare: running, with no campaign schedule yet
    const { s, invoked, gateway } = await setUp('2021-09-20T12:00:00+08:00');
    expect(await s.moveTo(new Date('2021-09-21T12:00:00+08:00'), { frozen: true })).toEqual([
      expect.objectContaining({ scheduleId: 'daily' }),
    ]);
    // Act: a campaign published now gets its schedule
    await gateway.ensureGroup(GROUP);
    await gateway.put(GROUP, milestone('2021-09-25T00:00:00'), 'create');
    const fired = await s.moveTo(new Date('2021-09-25T00:10:00+08:00'), { frozen: true });
    // Assess: fired at 00:00 Shanghai, as start-milestone (the daily one fired once for the days jumped)
    expect(fired.filter((f) => f.scheduleId !== 'daily').map((f) => [f.scheduleId, f.functionId, f.at])).toEqual([
      ['start-milestone.2021-xinxiang.registration', 'start-milestone', '2021-09-24T16:00:00.000Z'],
    ]);
    expect(invoked.filter((i) => i.id === '2021-xinxiang.registration')).toEqual([{ id: '2021-xinxiang.registration', at: '2021-09-24T16:00:00.000Z' }]);
    await s.stop();
  });

  it('fires a schedule whose date moved at its new instant, and never twice at one instant', async () => {
    // Prepare: fired once at 2021-09-25 00:00
    const { s, invoked, gateway, ledgerFile } = await setUp('2021-09-20T12:00:00+08:00');
    await gateway.ensureGroup(GROUP);
    await gateway.put(GROUP, milestone('2021-09-25T00:00:00'), 'create');
    await s.moveTo(new Date('2021-09-25T00:10:00+08:00'), { frozen: true });
    // Act: the date moves (later); the clock passes the old instant again (nothing), then the new one
    await gateway.put(GROUP, milestone('2021-09-28T00:00:00'), 'update');
    const beforeNew = await s.moveTo(new Date('2021-09-27T23:59:59+08:00'), { frozen: true });
    const atNew = await s.moveTo(new Date('2021-09-28T00:00:00+08:00'), { frozen: true });
    const again = await s.moveTo(new Date('2021-09-29T12:00:00+08:00'), { frozen: true });
    // Assess
    const ran = (f: Array<{ scheduleId: string }>) => f.map((x) => x.scheduleId).filter((id) => id !== 'daily');
    expect(ran(beforeNew)).toEqual([]);
    expect(atNew.map((f) => [f.scheduleId, f.at])).toEqual([['start-milestone.2021-xinxiang.registration', '2021-09-27T16:00:00.000Z']]);
    expect(ran(again)).toEqual([]);
    expect(invoked.filter((i) => i.id === '2021-xinxiang.registration').map((i) => i.at)).toEqual(['2021-09-24T16:00:00.000Z', '2021-09-27T16:00:00.000Z']);
    expect(s.hasFired('start-milestone.2021-xinxiang.registration', new Date('2021-09-28T00:00:00+08:00'))).toBe(true);
    expect(Object.keys(JSON.parse(readFileSync(ledgerFile, 'utf8')).fired).filter((k) => k.startsWith('start-milestone.')).sort()).toEqual([
      'start-milestone.2021-xinxiang.registration@2021-09-24T16:00:00.000Z',
      'start-milestone.2021-xinxiang.registration@2021-09-27T16:00:00.000Z',
    ]);
    await s.stop();
  });

  it('keeps a ledger written before schedules could move: an id fired at its instant does not fire again there', async () => {
    // Prepare: an old ledger keyed by id alone
    const dir = mkdtempSync(join(tmpdir(), 'sched-old-'));
    const ledger = join(dir, 'schedules.json');
    writeFileSync(ledger, JSON.stringify({ since: '2021-09-01T00:00:00.000Z', fired: { a: '2021-09-21T01:00:00.000Z' }, lastOccurrence: {} }));
    // Act
    const { s, invoked } = scheduler([once('a', '2021-09-21T09:00:00+08:00')], '2021-09-22T00:00:00+08:00', { ledger });
    await s.start();
    // Assess
    expect(invoked).toEqual([]);
    expect(JSON.parse(readFileSync(ledger, 'utf8')).fired).toEqual({ 'a@2021-09-21T01:00:00.000Z': '2021-09-21T01:00:00.000Z' });
    await s.stop();
  });

  it('the file holds wall times in the zone, atomically rewritten, removed with their group', async () => {
    const { s, gateway, file } = await setUp('2021-09-20T12:00:00+08:00');
    await gateway.ensureGroup(GROUP);
    await Promise.all([gateway.put(GROUP, milestone('2021-09-25T00:00:00'), 'create'), gateway.put(GROUP, { ...milestone('2021-10-23T00:00:00'), name: 'x' }, 'create')]);
    expect(readLocalSchedules(file).map((e) => [e.group, e.name, e.at.toISOString()])).toEqual([
      [GROUP, '2021-xinxiang.registration', '2021-09-24T16:00:00.000Z'],
      [GROUP, 'x', '2021-10-22T16:00:00.000Z'],
    ]);
    await gateway.deleteGroup(GROUP);
    expect(readLocalSchedules(file)).toEqual([]);
    expect(await gateway.listSchedules(GROUP)).toBeUndefined();
    await s.stop();
  });
});

describe('expandSchedules', () => {
  it('expands only the recurring schedules: the campaigns\' one-time schedules are made at run time', () => {
    const all = expandSchedules(topology);
    expect(all.map((s) => s.id).sort()).toEqual(['project-changes.reconcile-schedules', 'purge-expired-data.purge', 'start-milestone.reconcile']);
    for (const s of all) {
      expect(s.timeZone).toBe('Asia/Shanghai');
      expect(s.onFailureQueue).toBe('schedule-failures');
      expect(() => dailyCron(s.expression)).not.toThrow();
    }
    expect(all.find((s) => s.id === 'project-changes.reconcile-schedules')).toMatchObject({
      functionId: 'project-changes',
      expression: 'cron(15 0 * * ? *)',
      input: { type: 'reconcile-schedules' },
    });
  });

  it('names the target of each kind of campaign schedule and the one function that manages them', () => {
    expect(campaignScheduleTargets(topology)).toEqual({
      milestones: { functionId: 'start-milestone', onFailureQueue: 'schedule-failures' },
      reminders: { functionId: 'start-reminders', onFailureQueue: 'schedule-failures' },
    });
    expect(scheduleManager(topology)).toBe('project-changes');
  });
});

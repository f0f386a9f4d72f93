import { xinxiang2021 } from '../../../shared/campaigns/2021-xinxiang';
import { loadCampaign, type Campaign, type CampaignStatus } from '../../../shared/domain/campaign';
import { fixedClock } from '../../../shared/domain/clock';
import { fixedCampaignCatalog } from '../../../shared/repositories/cached-campaign-catalog';
import { scheduleGroupName, scheduleGroupPrefix, schedulerName } from '../../../shared/repositories/schedule-gateway';
import { MemoryScheduleGateway } from '../../../shared/repositories/schedule-gateway-memory';
import type { CampaignCatalog } from '../../../shared/repositories/campaign-repository';
import { desiredSchedules, reconcileSchedules, syncCampaignSchedules, type SyncSchedulesDeps } from '../../../shared/use-cases/sync-schedules';

const PREFIX = scheduleGroupPrefix('unit');
const GROUP = `${PREFIX}2021-xinxiang`;
const TARGETS = { milestones: 'start-milestone', reminders: 'start-reminders' };
/** Before every schedule of 2021: 2 milestones and 2 reminders before each. */
const EARLY = '2021-09-01T00:00:00+08:00';

const campaign = (status: CampaignStatus = 'published', registrationDue = '2021-09-24', id = xinxiang2021.id): Campaign =>
  loadCampaign(
    {
      ...xinxiang2021,
      id,
      milestones: xinxiang2021.milestones.map((m) => (m.id === 'registration' ? { ...m, dueDate: registrationDue } : m)),
    },
    status,
  );

/** A catalog whose contents the test changes, as an admin's writes would. */
class Campaigns implements CampaignCatalog {
  public constructor(public list: Campaign[]) {}
  public async find(id: string) {
    return this.list.find((c) => c.id === id);
  }
  public async all() {
    return [...this.list];
  }
}

function setUp(campaigns: Campaign[], now = EARLY) {
  const gateway = new MemoryScheduleGateway();
  const catalog = new Campaigns(campaigns);
  const deps = (at = now): SyncSchedulesDeps => ({ campaigns: catalog, gateway, clock: fixedClock(at), groupPrefix: PREFIX, targets: TARGETS });
  return { gateway, catalog, deps };
}

describe('Use case: sync campaign schedules', () => {
  it('publishing creates one schedule per milestone and reminder in the campaign’s group, at Shanghai wall times', async () => {
    // Prepare: a draft has none
    const { gateway, catalog, deps } = setUp([campaign('draft')]);
    expect(await syncCampaignSchedules('2021-xinxiang', deps())).toMatchObject({ created: 0, updated: 0, deleted: 0 });
    expect(gateway.groups.size).toBe(0);
    // Act: published
    catalog.list = [campaign('published')];
    const report = await syncCampaignSchedules('2021-xinxiang', deps());
    // Assess
    expect(report).toMatchObject({ campaigns: 1, created: 6, updated: 0, deleted: 0, groupsDeleted: 0 });
    expect(gateway.names()).toEqual(
      [
        '2021-xinxiang.registration',
        '2021-xinxiang.registration.remind-3d',
        '2021-xinxiang.registration.remind-1d',
        '2021-xinxiang.completion',
        '2021-xinxiang.completion.remind-3d',
        '2021-xinxiang.completion.remind-1d',
      ]
        .map((n) => `${GROUP}/${n}`)
        .sort(),
    );
    const schedules = gateway.groups.get(GROUP)!;
    expect(schedules.get('2021-xinxiang.registration')).toEqual({
      name: '2021-xinxiang.registration',
      wallTime: '2021-09-25T00:00:00',
      timeZone: 'Asia/Shanghai',
      target: 'start-milestone',
      input: { type: 'milestone', campaignId: '2021-xinxiang', milestone: 'registration', scheduleId: '2021-xinxiang.registration' },
    });
    expect(schedules.get('2021-xinxiang.completion.remind-3d')).toMatchObject({
      wallTime: '2021-10-19T09:00:00',
      target: 'start-reminders',
      input: { type: 'reminder', milestone: 'completion', daysBefore: 3, at: '2021-10-19T01:00:00.000Z' },
    });
  });

  it('running twice changes nothing the second time', async () => {
    const { gateway, deps } = setUp([campaign()]);
    await syncCampaignSchedules('2021-xinxiang', deps());
    const calls = gateway.calls.length;
    expect(await syncCampaignSchedules('2021-xinxiang', deps())).toMatchObject({ created: 0, updated: 0, deleted: 0, groupsDeleted: 0, changes: [] });
    expect(await reconcileSchedules(deps())).toMatchObject({ created: 0, updated: 0, deleted: 0, groupsDeleted: 0 });
    expect(gateway.calls).toHaveLength(calls);
  });

  it('a date moved before its deadline moves exactly its schedules: the milestone and its reminders', async () => {
    // Prepare
    const { gateway, catalog, deps } = setUp([campaign()], '2021-09-10T12:00:00+08:00');
    await syncCampaignSchedules('2021-xinxiang', deps());
    gateway.calls.length = 0;
    // Act: registration due 2021-09-28 instead of 09-24
    catalog.list = [campaign('published', '2021-09-28')];
    const report = await syncCampaignSchedules('2021-xinxiang', deps());
    // Assess
    expect(report).toMatchObject({ created: 0, updated: 3, deleted: 0 });
    expect(gateway.calls.sort()).toEqual([
      `update ${GROUP}/2021-xinxiang.registration`,
      `update ${GROUP}/2021-xinxiang.registration.remind-1d`,
      `update ${GROUP}/2021-xinxiang.registration.remind-3d`,
    ]);
    const schedules = gateway.groups.get(GROUP)!;
    expect(schedules.get('2021-xinxiang.registration')?.wallTime).toBe('2021-09-29T00:00:00');
    expect(schedules.get('2021-xinxiang.registration.remind-3d')).toMatchObject({
      wallTime: '2021-09-25T09:00:00',
      input: { at: '2021-09-25T01:00:00.000Z' },
    });
    expect(schedules.get('2021-xinxiang.completion')?.wallTime).toBe('2021-10-23T00:00:00');
  });

  it('never creates a schedule for a past instant; deletes a fired one a day after its instant (its retries are over)', async () => {
    // Prepare: 2021-09-22 12:00: registration's 3-day reminder (09-21 09:00) is past
    const { gateway, deps } = setUp([campaign()], '2021-09-22T12:00:00+08:00');
    // Act
    const first = await syncCampaignSchedules('2021-xinxiang', deps());
    // Assess
    expect(first.created).toBe(5);
    expect(gateway.names()).not.toContain(`${GROUP}/2021-xinxiang.registration.remind-3d`);
    // ...at 09-25 00:15 the 1-day reminder (09-23 09:00) goes; registration (00:00) just fired and stays
    expect(await reconcileSchedules(deps('2021-09-25T00:15:00+08:00'))).toMatchObject({ created: 0, updated: 0, deleted: 1 });
    expect(gateway.names()).toContain(`${GROUP}/2021-xinxiang.registration`);
    expect(await syncCampaignSchedules('2021-xinxiang', deps('2021-09-25T00:15:00+08:00'))).toMatchObject({ created: 0, updated: 0, deleted: 0 });
    // ...a day later it goes too
    expect(await reconcileSchedules(deps('2021-09-26T00:15:00+08:00'))).toMatchObject({ created: 0, updated: 0, deleted: 1 });
    expect(gateway.names()).toEqual(
      ['2021-xinxiang.completion', '2021-xinxiang.completion.remind-1d', '2021-xinxiang.completion.remind-3d'].map((n) => `${GROUP}/${n}`),
    );
    // ...and once every instant is a day past, the group goes
    expect(await reconcileSchedules(deps('2021-10-24T00:15:00+08:00'))).toMatchObject({ deleted: 3, groupsDeleted: 1 });
    expect(gateway.groups.size).toBe(0);
    expect(desiredSchedules(campaign(), new Date('2021-10-23T00:00:00+08:00'), TARGETS)).toEqual([]);
  });

  it('a date moved after its schedule fired makes it fire again at the new instant', async () => {
    // Prepare: registration's 3-day reminder fired at 09-21 09:00
    const { gateway, catalog, deps } = setUp([campaign()], '2021-09-20T12:00:00+08:00');
    await syncCampaignSchedules('2021-xinxiang', deps());
    // Act: on 09-22 registration moves to 09-28
    catalog.list = [campaign('published', '2021-09-28')];
    const report = await syncCampaignSchedules('2021-xinxiang', deps('2021-09-22T12:00:00+08:00'));
    // Assess
    expect(report).toMatchObject({ created: 0, updated: 3, deleted: 0 });
    expect(gateway.groups.get(GROUP)!.get('2021-xinxiang.registration.remind-3d')?.wallTime).toBe('2021-09-25T09:00:00');
  });

  it('closing removes the campaign’s group with its schedules (those that just fired too); a campaign that is gone likewise', async () => {
    const { gateway, catalog, deps } = setUp([campaign()]);
    await syncCampaignSchedules('2021-xinxiang', deps());
    catalog.list = [campaign('closed')];
    const justAfterRegistration = '2021-09-25T00:05:00+08:00';
    expect(await syncCampaignSchedules('2021-xinxiang', deps(justAfterRegistration))).toMatchObject({
      deleted: 6,
      groupsDeleted: 1,
      changes: [`deleteGroup ${GROUP}`],
    });
    expect(gateway.groups.size).toBe(0);
    expect(await syncCampaignSchedules('2021-xinxiang', deps())).toMatchObject({ deleted: 0, groupsDeleted: 0 });
    // Gone from the table altogether
    catalog.list = [campaign()];
    await syncCampaignSchedules('2021-xinxiang', deps());
    catalog.list = [];
    expect(await syncCampaignSchedules('2021-xinxiang', deps())).toMatchObject({ groupsDeleted: 1 });
  });

  it('makes no schedule of a kind no function takes', async () => {
    const { gateway, deps } = setUp([campaign()]);
    await syncCampaignSchedules('2021-xinxiang', { ...deps(), targets: { milestones: 'start-milestone' } });
    expect(gateway.names()).toEqual([`${GROUP}/2021-xinxiang.completion`, `${GROUP}/2021-xinxiang.registration`]);
  });

  it('the daily reconciliation repairs drift: a missing schedule, a changed one, an extra one, and groups of campaigns not published', async () => {
    // Prepare: 2021 published and synced; 2022 is a draft whose group was left behind; an orphan group
    const draft = campaign('draft', '2021-09-24', '2022-xinxiang');
    const { gateway, deps } = setUp([campaign(), draft]);
    await syncCampaignSchedules('2021-xinxiang', deps());
    const schedules = gateway.groups.get(GROUP)!;
    schedules.delete('2021-xinxiang.completion');
    schedules.set('2021-xinxiang.registration', { ...schedules.get('2021-xinxiang.registration')!, wallTime: '2021-09-26T00:00:00' });
    schedules.set('2021-xinxiang.completion.remind-1d', { ...schedules.get('2021-xinxiang.completion.remind-1d')!, stale: true });
    schedules.set('hand-made', { name: 'hand-made', wallTime: '2021-09-30T00:00:00', timeZone: 'Asia/Shanghai', target: 'start-milestone', input: {} });
    await gateway.ensureGroup(`${PREFIX}2022-xinxiang`);
    await gateway.ensureGroup(`${PREFIX}deleted-campaign`);
    await gateway.ensureGroup('sciday-unit-2.2021-xinxiang'); // another stage's
    await gateway.ensureGroup('sciday-unit'); // the stack's group of recurring schedules
    // Act
    const report = await reconcileSchedules(deps());
    // Assess
    expect(report).toMatchObject({ campaigns: 2, created: 1, updated: 2, deleted: 1, groupsDeleted: 2 });
    expect([...gateway.groups.keys()].sort()).toEqual(['sciday-unit', 'sciday-unit-2.2021-xinxiang', GROUP]);
    expect(gateway.groups.get(GROUP)?.size).toBe(6);
    expect(await reconcileSchedules(deps())).toMatchObject({ created: 0, updated: 0, deleted: 0, groupsDeleted: 0 });
  });

  it('keeps reconciling the other campaigns when one fails, then fails naming it', async () => {
    const other = campaign('published', '2021-09-24', '2021-anyang');
    const { gateway, deps } = setUp([other, campaign()]);
    const put = gateway.put.bind(gateway);
    gateway.put = async (group, schedule, mode) => {
      if (group === `${PREFIX}2021-anyang`) throw new Error('throttled');
      return put(group, schedule, mode);
    };
    await expect(reconcileSchedules(deps())).rejects.toThrow(/2021-anyang: Error: throttled/);
    expect(gateway.groups.get(GROUP)?.size).toBe(6);
  });

  it('reads the campaigns through the catalog port (a fixed catalog works as well)', async () => {
    const gateway = new MemoryScheduleGateway();
    const report = await reconcileSchedules({
      campaigns: fixedCampaignCatalog([campaign()]),
      gateway,
      clock: fixedClock(EARLY),
      groupPrefix: PREFIX,
      targets: TARGETS,
    });
    expect(report.created).toBe(6);
  });
});

describe('Names of groups and schedules', () => {
  it('keeps a valid name, and makes any other one valid, unique and at most 64 characters', () => {
    expect(schedulerName('2021-xinxiang.registration.remind-3d')).toBe('2021-xinxiang.registration.remind-3d');
    const long = `${'a'.repeat(60)}.registration.remind-10d`;
    const named = schedulerName(long);
    expect(named).toHaveLength(64);
    expect(named).toMatch(/^[0-9A-Za-z_.-]+$/);
    expect(named.startsWith('a'.repeat(55))).toBe(true);
    expect(schedulerName(`${'a'.repeat(60)}.registration.remind-11d`)).not.toBe(named);
    expect(schedulerName('a b')).toMatch(/^a-b-[0-9a-f]{8}$/);
  });

  it('names a campaign’s group after the stage, with a dot no other stage’s prefix shares, within 64 characters', () => {
    expect(scheduleGroupName(scheduleGroupPrefix('dev'), '2021-xinxiang')).toBe('sciday-dev.2021-xinxiang');
    const long = scheduleGroupName(scheduleGroupPrefix('prod-cn-northwest'), 'x'.repeat(64));
    expect(long).toHaveLength(64);
    expect(long.startsWith('sciday-prod-cn-northwest.xxx')).toBe(true);
    expect(scheduleGroupName(scheduleGroupPrefix('dev-2'), 'a').startsWith(scheduleGroupPrefix('dev'))).toBe(false);
  });
});

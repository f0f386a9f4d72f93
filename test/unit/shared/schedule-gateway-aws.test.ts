/**
 * The EventBridge Scheduler adapter against a fake client (Scheduler has no emulator): the fake
 * records every command and keeps groups and schedules as Scheduler would, with its errors.
 */
import type { SchedulerClient } from '@aws-sdk/client-scheduler';
import { findCampaign } from '../../../shared/campaigns/index';
import { fixedClock } from '../../../shared/domain/clock';
import { fixedCampaignCatalog } from '../../../shared/repositories/cached-campaign-catalog';
import {
  loadScheduleGatewaySettings,
  scheduleGroupPrefix,
  type CampaignSchedule,
  type ScheduleGatewaySettings,
} from '../../../shared/repositories/schedule-gateway';
import { AwsScheduleGateway, wallTimeOf } from '../../../shared/repositories/schedule-gateway-aws';
import { reconcileSchedules, syncCampaignSchedules } from '../../../shared/use-cases/sync-schedules';

const ARN = {
  milestone: 'arn:aws-cn:lambda:cn-north-1:123456789012:function:SciDay-prod-Stateless-startmilestone',
  reminders: 'arn:aws-cn:lambda:cn-north-1:123456789012:function:SciDay-prod-Stateless-startreminders',
  role: 'arn:aws-cn:iam::123456789012:role/SciDay-prod-Stateless-CampaignSchedulerRole',
  dlq: 'arn:aws-cn:sqs:cn-north-1:123456789012:SciDay-prod-Stateful-schedulefailures',
};
const PREFIX = scheduleGroupPrefix('prod');
const settings = (roleArn = ARN.role): Extract<ScheduleGatewaySettings, { kind: 'aws' }> => ({
  kind: 'aws',
  groupPrefix: PREFIX,
  roleArn,
  targets: { 'start-milestone': { arn: ARN.milestone, deadLetterArn: ARN.dlq }, 'start-reminders': { arn: ARN.reminders, deadLetterArn: ARN.dlq } },
});

const error = (name: string) => Object.assign(new Error(name), { name });

/** EventBridge Scheduler in memory, as far as the adapter uses it. */
class FakeScheduler {
  public readonly commands: Array<{ name: string; input: Record<string, unknown> }> = [];
  public readonly groups = new Map<string, Map<string, Record<string, unknown>>>();

  public readonly send = async (command: { constructor: { name: string }; input: Record<string, unknown> }): Promise<Record<string, unknown>> => {
    const name = command.constructor.name.replace(/Command$/, '');
    const input = command.input;
    this.commands.push({ name, input: structuredClone(input) });
    const group = (input.GroupName ?? input.Name) as string;
    const schedules = this.groups.get(input.GroupName as string);
    switch (name) {
      case 'ListScheduleGroups':
        return { ScheduleGroups: [...this.groups.keys()].filter((g) => g.startsWith(String(input.NamePrefix ?? ''))).map((Name) => ({ Name, State: 'ACTIVE' })) };
      case 'CreateScheduleGroup':
        if (this.groups.has(group)) throw error('ConflictException');
        this.groups.set(group, new Map());
        return {};
      case 'GetScheduleGroup':
        if (!this.groups.has(group)) throw error('ResourceNotFoundException');
        return { Name: group, State: 'ACTIVE' };
      case 'DeleteScheduleGroup':
        if (!this.groups.delete(group)) throw error('ResourceNotFoundException');
        return {};
      case 'ListSchedules': {
        // Pages of 2, to exercise NextToken.
        const names = [...(schedules?.keys() ?? [])].sort();
        const from = Number(input.NextToken ?? 0);
        const page = names.slice(from, from + 2);
        return { Schedules: page.map((Name) => ({ Name, GroupName: input.GroupName })), ...(from + 2 < names.length ? { NextToken: String(from + 2) } : {}) };
      }
      case 'GetSchedule': {
        const found = schedules?.get(input.Name as string);
        if (!found) throw error('ResourceNotFoundException');
        return structuredClone(found);
      }
      case 'CreateSchedule':
      case 'UpdateSchedule': {
        if (!schedules) throw error('ResourceNotFoundException');
        const exists = schedules.has(input.Name as string);
        if (name === 'CreateSchedule' && exists) throw error('ConflictException');
        if (name === 'UpdateSchedule' && !exists) throw error('ResourceNotFoundException');
        schedules.set(input.Name as string, structuredClone(input));
        return { ScheduleArn: `arn:aws-cn:scheduler:cn-north-1:123456789012:schedule/${input.GroupName}/${input.Name}` };
      }
      case 'DeleteSchedule':
        if (!schedules?.delete(input.Name as string)) throw error('ResourceNotFoundException');
        return {};
      default:
        throw new Error(`unexpected command ${name}`);
    }
  };

  public writes(): string[] {
    return this.commands.filter((c) => !/^(Get|List)/.test(c.name)).map((c) => `${c.name} ${String(c.input.GroupName ?? c.input.Name)}${c.input.GroupName ? `/${String(c.input.Name)}` : ''}`);
  }
}

const gatewayOver = (fake: FakeScheduler, roleArn?: string) =>
  new AwsScheduleGateway({ send: fake.send } as unknown as Pick<SchedulerClient, 'send'>, settings(roleArn));

const schedule2022: CampaignSchedule = {
  name: '2022-xinxiang.registration',
  wallTime: '2022-09-25T00:00:00',
  timeZone: 'Asia/Shanghai',
  target: 'start-milestone',
  input: { type: 'milestone', campaignId: '2022-xinxiang', milestone: 'registration', scheduleId: '2022-xinxiang.registration' },
};

describe('Adapter: AwsScheduleGateway', () => {
  it('creates a one-time schedule at the wall time in the campaign’s zone, invoking the target with the scheduler role, retries and the DLQ', async () => {
    // Prepare
    const fake = new FakeScheduler();
    const gateway = gatewayOver(fake);
    // Act
    await gateway.ensureGroup(`${PREFIX}2022-xinxiang`);
    await gateway.put(`${PREFIX}2022-xinxiang`, schedule2022, 'create');
    // Assess
    expect(fake.commands.map((c) => c.name)).toEqual(['CreateScheduleGroup', 'CreateSchedule']);
    expect(fake.commands[0]!.input).toEqual({ Name: 'sciday-prod.2022-xinxiang' });
    expect(fake.commands[1]!.input).toEqual({
      Name: '2022-xinxiang.registration',
      GroupName: 'sciday-prod.2022-xinxiang',
      Description: '2022-xinxiang.registration at 2022-09-25T00:00:00 Asia/Shanghai',
      ScheduleExpression: 'at(2022-09-25T00:00:00)',
      ScheduleExpressionTimezone: 'Asia/Shanghai',
      FlexibleTimeWindow: { Mode: 'OFF' },
      State: 'ENABLED',
      ActionAfterCompletion: 'NONE',
      Target: {
        Arn: ARN.milestone,
        RoleArn: ARN.role,
        Input: JSON.stringify(schedule2022.input),
        RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 21_600 },
        DeadLetterConfig: { Arn: ARN.dlq },
      },
    });
  });

  it('reads a group back as the port’s schedules (target by ARN, input parsed), across pages; a missing group is undefined', async () => {
    const fake = new FakeScheduler();
    const gateway = gatewayOver(fake);
    const group = `${PREFIX}2022-xinxiang`;
    expect(await gateway.listSchedules(group)).toBeUndefined();
    await gateway.ensureGroup(group);
    for (const name of ['a', 'b', 'c']) await gateway.put(group, { ...schedule2022, name }, 'create');
    const listed = await gateway.listSchedules(group);
    expect(listed).toHaveLength(3);
    expect(listed![0]).toEqual({ name: 'a', wallTime: '2022-09-25T00:00:00', timeZone: 'Asia/Shanghai', target: 'start-milestone', input: schedule2022.input });
    expect(fake.commands.filter((c) => c.name === 'ListSchedules')).toHaveLength(2);
  });

  it('a sync over it: publishing creates, a second run only reads, a new role rewrites every schedule, closing deletes the group', async () => {
    // Prepare
    const fake = new FakeScheduler();
    const campaign = findCampaign('2021-xinxiang')!;
    const deps = (gatewayRole?: string, campaigns = [campaign]) => ({
      campaigns: fixedCampaignCatalog(campaigns),
      gateway: gatewayOver(fake, gatewayRole),
      clock: fixedClock('2021-09-01T00:00:00+08:00'),
      groupPrefix: PREFIX,
      targets: { milestones: 'start-milestone', reminders: 'start-reminders' },
    });
    // Act + Assess: publish
    expect(await syncCampaignSchedules(campaign.id, deps())).toMatchObject({ created: 6 });
    const group = 'sciday-prod.2021-xinxiang';
    expect(fake.writes().filter((w) => w.startsWith('CreateSchedule '))).toHaveLength(6);
    const reminder = fake.groups.get(group)!.get('2021-xinxiang.registration.remind-1d') as { ScheduleExpression: string; Target: { Arn: string } };
    expect(reminder.ScheduleExpression).toBe('at(2021-09-23T09:00:00)');
    expect(reminder.Target.Arn).toBe(ARN.reminders);
    // ...twice: reads only
    const before = fake.writes().length;
    expect(await reconcileSchedules(deps())).toMatchObject({ created: 0, updated: 0, deleted: 0, groupsDeleted: 0 });
    expect(fake.writes()).toHaveLength(before);
    // ...the stack's role changed: each schedule is rewritten with it
    expect(await syncCampaignSchedules(campaign.id, deps(`${ARN.role}-2`))).toMatchObject({ updated: 6 });
    expect(fake.writes().slice(before).every((w) => w.startsWith('UpdateSchedule '))).toBe(true);
    // ...closed: the group goes, with its schedules
    expect(await syncCampaignSchedules(campaign.id, deps(undefined, []))).toMatchObject({ groupsDeleted: 1, deleted: 6 });
    expect(fake.writes().at(-1)).toBe(`DeleteScheduleGroup ${group}`);
  });

  it('tolerates a stale view: create of an existing schedule updates it, update of a missing one creates it, deletes of missing ones pass', async () => {
    const fake = new FakeScheduler();
    const gateway = gatewayOver(fake);
    const group = `${PREFIX}2022-xinxiang`;
    await gateway.ensureGroup(group);
    await gateway.ensureGroup(group);
    await gateway.put(group, schedule2022, 'update');
    await gateway.put(group, schedule2022, 'create');
    await gateway.deleteSchedule(group, 'nope');
    await gateway.deleteGroup(`${PREFIX}nope`);
    expect(fake.commands.map((c) => c.name)).toEqual([
      'CreateScheduleGroup',
      'CreateScheduleGroup',
      'UpdateSchedule',
      'CreateSchedule',
      'CreateSchedule',
      'UpdateSchedule',
      'DeleteSchedule',
      'DeleteScheduleGroup',
    ]);
    await expect(gateway.put(group, { ...schedule2022, target: 'elsewhere' }, 'create')).rejects.toThrow('no ARN for target function elsewhere');
  });

  it('lists only the groups of the stage’s prefix', async () => {
    const fake = new FakeScheduler();
    for (const g of ['sciday-prod.a', 'sciday-prod.b', 'sciday-prod', 'sciday-prod-2.a']) fake.groups.set(g, new Map());
    expect(await gatewayOver(fake).listGroups(PREFIX)).toEqual(['sciday-prod.a', 'sciday-prod.b']);
  });

  it('reads at() expressions back as wall times', () => {
    expect(wallTimeOf('at(2022-09-25T00:00:00)')).toBe('2022-09-25T00:00:00');
    expect(wallTimeOf('rate(1 day)')).toBe('rate(1 day)');
  });
});

describe('Settings: loadScheduleGatewaySettings', () => {
  const targets = ['start-milestone', 'start-reminders'];

  it('takes the local file when the runtime set one', () => {
    expect(loadScheduleGatewaySettings(targets, 'local', { LOCAL_SCHEDULES_FILE: '/data/campaign-schedules.json' })).toEqual({
      kind: 'local',
      file: '/data/campaign-schedules.json',
      groupPrefix: 'sciday-local.',
    });
  });

  it('takes the role, targets and DLQs on AWS, and names every missing variable', () => {
    expect(
      loadScheduleGatewaySettings(targets, 'prod', {
        SCHEDULER_ROLE_ARN: ARN.role,
        SCHEDULE_GROUP_PREFIX: 'sciday-prod.',
        SCHEDULE_TARGET_START_MILESTONE_ARN: ARN.milestone,
        SCHEDULE_TARGET_START_MILESTONE_DLQ_ARN: ARN.dlq,
        SCHEDULE_TARGET_START_REMINDERS_ARN: ARN.reminders,
      }),
    ).toEqual({
      kind: 'aws',
      groupPrefix: 'sciday-prod.',
      roleArn: ARN.role,
      targets: { 'start-milestone': { arn: ARN.milestone, deadLetterArn: ARN.dlq }, 'start-reminders': { arn: ARN.reminders } },
    });
    expect(() => loadScheduleGatewaySettings(targets, 'prod', {})).toThrow(
      'SCHEDULER_ROLE_ARN, SCHEDULE_TARGET_START_MILESTONE_ARN, SCHEDULE_TARGET_START_REMINDERS_ARN',
    );
  });
});

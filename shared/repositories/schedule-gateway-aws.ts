/**
 * The {@link ScheduleGateway} on AWS: EventBridge Scheduler, one schedule group per campaign.
 *
 * Every schedule is written the same way (what the CDK app did for the compiled-in campaigns):
 * `at(<wall time>)` in the campaign's zone, no flexible window, the target function invoked with
 * the job as input by the one scheduler role (`SCHEDULER_ROLE_ARN`), 10 retries within 6 hours,
 * then the target's failures queue as dead-letter queue. `ActionAfterCompletion: NONE`: a fired
 * schedule stays until the next sync or the daily reconciliation deletes it (its instant has
 * passed, so it is no longer wanted); nothing recreates it, since past instants are never wanted.
 *
 * Listing a group's schedules costs one ListSchedules page per 100 and one GetSchedule each (the
 * list holds no expression or input): a campaign has a handful.
 */
import {
  CreateScheduleCommand,
  CreateScheduleGroupCommand,
  DeleteScheduleCommand,
  DeleteScheduleGroupCommand,
  GetScheduleCommand,
  GetScheduleGroupCommand,
  ListScheduleGroupsCommand,
  ListSchedulesCommand,
  UpdateScheduleCommand,
  type CreateScheduleCommandInput,
  type GetScheduleCommandOutput,
  type SchedulerClient,
} from '@aws-sdk/client-scheduler';
import type { CampaignSchedule, ExistingSchedule, ScheduleGateway, ScheduleGatewaySettings } from './schedule-gateway';

/** As the CDK's LambdaInvoke targets of the recurring schedules: 10 attempts within 6 hours. */
export const SCHEDULE_RETRY_POLICY = { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 6 * 3600 } as const;

/** How many GetSchedule calls run at once while a group is listed. */
const READ_CONCURRENCY = 5;

type AwsSettings = Extract<ScheduleGatewaySettings, { kind: 'aws' }>;

const isError = (error: unknown, name: string): boolean => (error as { name?: unknown } | null)?.name === name;

/** `at(2022-09-25T00:00:00)` → `2022-09-25T00:00:00`; any other expression is returned as it is. */
export const wallTimeOf = (expression: string | undefined): string => /^at\((.+)\)$/.exec(expression ?? '')?.[1] ?? expression ?? '';

export class AwsScheduleGateway implements ScheduleGateway {
  private readonly targetByArn: ReadonlyMap<string, string>;

  public constructor(
    private readonly client: Pick<SchedulerClient, 'send'>,
    private readonly settings: AwsSettings,
  ) {
    this.targetByArn = new Map(Object.entries(settings.targets).map(([functionId, t]) => [t.arn, functionId]));
  }

  public async listGroups(prefix: string): Promise<string[]> {
    const names: string[] = [];
    let NextToken: string | undefined;
    do {
      const page = await this.client.send(new ListScheduleGroupsCommand({ NamePrefix: prefix, ...(NextToken ? { NextToken } : {}) }));
      for (const g of page.ScheduleGroups ?? []) if (g.Name?.startsWith(prefix) && g.State !== 'DELETING') names.push(g.Name);
      NextToken = page.NextToken;
    } while (NextToken);
    return names.sort();
  }

  public async ensureGroup(group: string): Promise<void> {
    try {
      await this.client.send(new CreateScheduleGroupCommand({ Name: group }));
    } catch (error) {
      // It exists already (a concurrent sync made it, or the list was stale).
      if (!isError(error, 'ConflictException')) throw error;
    }
  }

  public async listSchedules(group: string): Promise<ExistingSchedule[] | undefined> {
    try {
      const { State } = await this.client.send(new GetScheduleGroupCommand({ Name: group }));
      if (State === 'DELETING') return undefined;
    } catch (error) {
      if (isError(error, 'ResourceNotFoundException')) return undefined;
      throw error;
    }
    const names: string[] = [];
    let NextToken: string | undefined;
    do {
      const page = await this.client.send(new ListSchedulesCommand({ GroupName: group, ...(NextToken ? { NextToken } : {}) }));
      for (const s of page.Schedules ?? []) if (s.Name && (s.GroupName ?? group) === group) names.push(s.Name);
      NextToken = page.NextToken;
    } while (NextToken);
    const found: ExistingSchedule[] = [];
    for (let i = 0; i < names.length; i += READ_CONCURRENCY) {
      const read = await Promise.all(names.slice(i, i + READ_CONCURRENCY).map((Name) => this.get(group, Name)));
      for (const s of read) if (s) found.push(s);
    }
    return found;
  }

  private async get(group: string, name: string): Promise<ExistingSchedule | undefined> {
    let s: GetScheduleCommandOutput;
    try {
      s = await this.client.send(new GetScheduleCommand({ GroupName: group, Name: name }));
    } catch (error) {
      // Deleted between the list and the read.
      if (isError(error, 'ResourceNotFoundException')) return undefined;
      throw error;
    }
    const target = s.Target?.Arn ? this.targetByArn.get(s.Target.Arn) : undefined;
    let input: unknown = s.Target?.Input;
    try {
      input = JSON.parse(s.Target?.Input ?? 'null');
    } catch {
      // Not JSON: it differs from any job, so it is rewritten.
    }
    const wanted = target ? this.settings.targets[target] : undefined;
    const stale =
      s.Target?.RoleArn !== this.settings.roleArn ||
      s.Target?.DeadLetterConfig?.Arn !== wanted?.deadLetterArn ||
      s.Target?.RetryPolicy?.MaximumRetryAttempts !== SCHEDULE_RETRY_POLICY.MaximumRetryAttempts ||
      s.Target?.RetryPolicy?.MaximumEventAgeInSeconds !== SCHEDULE_RETRY_POLICY.MaximumEventAgeInSeconds ||
      s.FlexibleTimeWindow?.Mode !== 'OFF' ||
      s.State !== 'ENABLED' ||
      (s.ActionAfterCompletion ?? 'NONE') !== 'NONE';
    return {
      name,
      wallTime: wallTimeOf(s.ScheduleExpression),
      timeZone: s.ScheduleExpressionTimezone ?? 'UTC',
      target,
      input,
      ...(stale ? { stale: true } : {}),
    };
  }

  /** What CreateSchedule and UpdateSchedule both take for `schedule` in `group`. */
  public request(group: string, schedule: CampaignSchedule): CreateScheduleCommandInput {
    const target = this.settings.targets[schedule.target];
    if (!target) throw new Error(`schedule ${schedule.name}: no ARN for target function ${schedule.target}`);
    const scheduleId = 'scheduleId' in schedule.input ? schedule.input.scheduleId : schedule.name;
    return {
      Name: schedule.name,
      GroupName: group,
      Description: `${scheduleId} at ${schedule.wallTime} ${schedule.timeZone}`.slice(0, 512),
      ScheduleExpression: `at(${schedule.wallTime})`,
      ScheduleExpressionTimezone: schedule.timeZone,
      FlexibleTimeWindow: { Mode: 'OFF' },
      State: 'ENABLED',
      ActionAfterCompletion: 'NONE',
      Target: {
        Arn: target.arn,
        RoleArn: this.settings.roleArn,
        Input: JSON.stringify(schedule.input),
        RetryPolicy: { ...SCHEDULE_RETRY_POLICY },
        ...(target.deadLetterArn ? { DeadLetterConfig: { Arn: target.deadLetterArn } } : {}),
      },
    };
  }

  public async put(group: string, schedule: CampaignSchedule, mode: 'create' | 'update'): Promise<void> {
    const input = this.request(group, schedule);
    const create = () => this.client.send(new CreateScheduleCommand(input));
    const update = () => this.client.send(new UpdateScheduleCommand(input));
    try {
      await (mode === 'create' ? create() : update());
    } catch (error) {
      // The list was stale: it exists after all (create), or no longer (update).
      if (mode === 'create' && isError(error, 'ConflictException')) await update();
      else if (mode === 'update' && isError(error, 'ResourceNotFoundException')) await create();
      else throw error;
    }
  }

  public async deleteSchedule(group: string, name: string): Promise<void> {
    try {
      await this.client.send(new DeleteScheduleCommand({ GroupName: group, Name: name }));
    } catch (error) {
      if (!isError(error, 'ResourceNotFoundException')) throw error;
    }
  }

  public async deleteGroup(group: string): Promise<void> {
    try {
      // Scheduler deletes the group's schedules with it (asynchronously: the group is DELETING meanwhile).
      await this.client.send(new DeleteScheduleGroupCommand({ Name: group }));
    } catch (error) {
      // Gone already, or being deleted.
      if (!isError(error, 'ResourceNotFoundException') && !isError(error, 'ConflictException')) throw error;
    }
  }
}

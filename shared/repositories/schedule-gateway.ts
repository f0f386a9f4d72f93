/**
 * Port: where the campaigns' one-time schedules live (ADR 0012, 0023). One group per campaign,
 * named `sciday-<stage>.<campaignId>`; in it one schedule per milestone and reminder, named after
 * its schedule id (`<campaign>.<milestone>[.remind-Nd]`).
 *
 * - AWS: EventBridge Scheduler (schedule-gateway-aws.ts), `at(<wall time>)` in the campaign's zone.
 * - One machine: a JSON file the local scheduler fires from (schedule-gateway-local.ts).
 * - Tests: in memory (schedule-gateway-memory.ts).
 *
 * The group prefix ends in a dot, which neither a stage nor a campaign id contains: stage `dev`'s
 * prefix `sciday-dev.` never matches stage `dev-2`'s groups, nor the stack's own group of the
 * recurring schedules (`sciday-<stage>`).
 */
import { createHash } from 'node:crypto';
import type { ScheduledJob } from '../domain/schedules';
import { zonedInstant } from '../domain/time';
import { constantCase } from '../env-names';

/** A campaign's one-time schedule as it should be. */
export interface CampaignSchedule {
  /** Unique in its group ({@link schedulerName} of the schedule id). */
  readonly name: string;
  /** The instant as the wall clock of `timeZone`, `YYYY-MM-DDTHH:mm:ss` (Scheduler's `at()`). */
  readonly wallTime: string;
  readonly timeZone: string;
  /** The topology function it invokes (`start-milestone`, `start-reminders`). */
  readonly target: string;
  /** The event the target receives. */
  readonly input: ScheduledJob;
}

/** A schedule as the gateway found it. */
export interface ExistingSchedule {
  readonly name: string;
  readonly wallTime: string;
  readonly timeZone: string;
  /** The topology function it invokes, if it invokes one the gateway knows. */
  readonly target: string | undefined;
  readonly input: unknown;
  /**
   * Its other settings (role, dead-letter queue, retries, state) are not what {@link
   * ScheduleGateway.put} writes: it is rewritten even if its time and input are right.
   */
  readonly stale?: boolean;
}

export interface ScheduleGateway {
  /** Names of the groups whose name starts with `prefix` (groups being deleted are left out). */
  listGroups(prefix: string): Promise<string[]>;
  /** Creates the group unless it exists. */
  ensureGroup(group: string): Promise<void>;
  /** The group's schedules; `undefined` when the group does not exist. */
  listSchedules(group: string): Promise<ExistingSchedule[] | undefined>;
  /** Creates (`create`) or replaces (`update`) one schedule; either falls back to the other. */
  put(group: string, schedule: CampaignSchedule, mode: 'create' | 'update'): Promise<void>;
  /** Deletes one schedule; a missing one is no error. */
  deleteSchedule(group: string, name: string): Promise<void>;
  /** Deletes the group and every schedule in it; a missing one is no error. */
  deleteGroup(group: string): Promise<void>;
}

/** EventBridge Scheduler's limit on group and schedule names. */
export const SCHEDULER_NAME_MAX = 64;
const NAME_CHAR = /[^0-9A-Za-z_.-]/;
const NAME_CHARS = /[^0-9A-Za-z_.-]/g;

/**
 * A name Scheduler accepts (`[0-9a-zA-Z-_.]+`, 1..64 characters) for `raw`: `raw` itself when it
 * is one; otherwise its other characters become `-` and it keeps at most its first 55 characters,
 * followed by `-` and 8 hex digits of the SHA-256 of `raw`, so two different names stay different.
 */
export function schedulerName(raw: string): string {
  if (raw.length > 0 && raw.length <= SCHEDULER_NAME_MAX && !NAME_CHAR.test(raw)) return raw;
  const hash = createHash('sha256').update(raw).digest('hex').slice(0, 8);
  return `${raw.replace(NAME_CHARS, '-').slice(0, SCHEDULER_NAME_MAX - hash.length - 1)}-${hash}`;
}

/** The prefix of every campaign group of a stage: `sciday-<stage>.` (stages are lower-case slugs). */
export const scheduleGroupPrefix = (stage: string): string => `sciday-${stage}.`;

/** The group of one campaign's schedules. */
export const scheduleGroupName = (prefix: string, campaignId: string): string => schedulerName(`${prefix}${campaignId}`);

const WALL_TIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2}):(\d{2})$/;

/** The instant of a wall time (`YYYY-MM-DDTHH:mm:ss`) in `timeZone`; throws on anything else. */
export function wallTimeInstant(wallTime: string, timeZone: string): Date {
  const m = WALL_TIME.exec(wallTime);
  if (!m) throw new RangeError(`not a wall time: ${wallTime}`);
  return zonedInstant(m[1] ?? '', timeZone, { hour: Number(m[2]), minute: Number(m[3]), second: Number(m[4]), ms: 0 });
}

/** JSON with object keys in order: two inputs are the same when their canonical forms are. */
export function canonicalJson(value: unknown): string {
  const sort = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sort)
      : v !== null && typeof v === 'object'
        ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sort((v as Record<string, unknown>)[k])]))
        : v;
  return JSON.stringify(sort(value));
}

/** Whether an existing schedule already is `wanted` (time, zone, target, input and settings). */
export const sameSchedule = (existing: ExistingSchedule, wanted: CampaignSchedule): boolean =>
  !existing.stale &&
  existing.wallTime === wanted.wallTime &&
  existing.timeZone === wanted.timeZone &&
  existing.target === wanted.target &&
  canonicalJson(existing.input) === canonicalJson(wanted.input);

/** The environment variable that holds a target function's ARN (set by the CDK on the managing function). */
export const scheduleTargetArnEnv = (functionId: string): string => `SCHEDULE_TARGET_${constantCase(functionId)}_ARN`;
/** The environment variable that holds the dead-letter queue ARN of a target's schedules. */
export const scheduleTargetDlqEnv = (functionId: string): string => `SCHEDULE_TARGET_${constantCase(functionId)}_DLQ_ARN`;

/** Environment of the function that manages the schedules (besides the per-target variables above). */
export const SCHEDULE_ENV = {
  /** The role EventBridge Scheduler assumes to invoke the targets and send to the dead-letter queues. */
  roleArn: 'SCHEDULER_ROLE_ARN',
  /** `sciday-<stage>.`; derived from SCIDAY_STAGE when unset. */
  groupPrefix: 'SCHEDULE_GROUP_PREFIX',
  /** One machine only: the file the local scheduler reads (its presence selects the local gateway). */
  localFile: 'LOCAL_SCHEDULES_FILE',
} as const;

/** How the managing function reaches its schedules. */
export type ScheduleGatewaySettings =
  | { readonly kind: 'local'; readonly file: string; readonly groupPrefix: string }
  | {
      readonly kind: 'aws';
      readonly groupPrefix: string;
      readonly roleArn: string;
      /** By target function id: its ARN and its schedules' dead-letter queue ARN. */
      readonly targets: Readonly<Record<string, { readonly arn: string; readonly deadLetterArn?: string }>>;
    };

/**
 * The gateway settings from the environment, for the target functions `targetFunctionIds`
 * (fails at cold start naming every missing variable, like loadConfig).
 */
export function loadScheduleGatewaySettings(
  targetFunctionIds: readonly string[],
  stage: string,
  env: NodeJS.ProcessEnv = process.env,
): ScheduleGatewaySettings {
  const groupPrefix = env[SCHEDULE_ENV.groupPrefix] || scheduleGroupPrefix(stage);
  const file = env[SCHEDULE_ENV.localFile];
  if (file) return Object.freeze({ kind: 'local', file, groupPrefix });
  const missing: string[] = [];
  const required = (name: string): string => {
    const value = env[name];
    if (!value) missing.push(name);
    return value ?? '';
  };
  const roleArn = required(SCHEDULE_ENV.roleArn);
  const targets = Object.fromEntries(
    targetFunctionIds.map((id) => {
      const deadLetterArn = env[scheduleTargetDlqEnv(id)];
      return [id, { arn: required(scheduleTargetArnEnv(id)), ...(deadLetterArn ? { deadLetterArn } : {}) }];
    }),
  );
  if (missing.length > 0) throw new Error(`Missing environment variables of the schedule gateway: ${missing.join(', ')}`);
  return Object.freeze({ kind: 'aws', groupPrefix, roleArn, targets });
}

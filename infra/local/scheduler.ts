/**
 * The one-machine stand-in for EventBridge Scheduler: fires the topology's recurring schedules
 * and the campaigns' one-time schedules from the runtime's movable clock, each occurrence once.
 *
 * - One-time schedules (a published campaign's milestones and reminders) are read afresh on every
 *   tick and clock move from where project-changes keeps them (`campaignSchedules`, the local
 *   schedules file), so one made or moved at run time fires without a restart. They fire when the
 *   clock reaches them; moving the clock past several fires them in time order, each once, before
 *   `advance()` returns. What has fired is keyed by schedule id and instant: a schedule whose date
 *   moved fires again at its new instant, never twice at one. Schedules whose instant passed
 *   while the runtime was down fire at the next start (Scheduler would have fired them; its
 *   retries and the daily reconciliation cover the rest).
 * - Recurring schedules (`cron(M H * * ? *)`, daily, in a zone) fire once per clock move however
 *   many occurrences it jumps over, as a reconciliation that re-runs everything needs only one.
 * - Like Scheduler's retry policy, a failing invocation is retried, then its event goes to the
 *   failures queue and the occurrence counts as fired.
 *
 * What has fired is kept in a ledger under the data dir, so a restart never fires anything twice.
 * Instants before the ledger was created are not "missed": a schedule created for a past instant
 * never fires on AWS either (the reconciliation covers passed milestones).
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { MovableClock } from '../../shared/clock';
import { addDays } from '../../shared/domain/schedules';
import { localDate, zonedInstant } from '../../shared/domain/time';
import { readLocalSchedules } from '../../shared/repositories/schedule-gateway-local';

export interface LocalSchedule {
  readonly id: string;
  readonly functionId: string;
  readonly input: unknown;
  /** A one-time schedule's instant. */
  readonly at?: Date;
  /** A recurring schedule's expression and zone. */
  readonly recurring?: { readonly expression: string; readonly timeZone: string };
}

export interface SchedulerOptions {
  /** Fixed schedules (the topology's recurring ones). */
  readonly schedules: readonly LocalSchedule[];
  /** Schedules made at run time, read again each time what is due is computed (one-time only). */
  readonly campaignSchedules?: () => readonly LocalSchedule[];
  readonly clock: MovableClock;
  readonly ledgerFile: string;
  /**
   * Resolves once the work an invocation started has run (the queues are drained), so that when
   * the clock is moved past several schedules each one's consequences happen at its own time.
   */
  readonly quiesce?: () => Promise<void>;
  readonly invoke: (functionId: string, input: unknown) => Promise<unknown>;
  /** Where an occurrence goes after its last failed attempt (the schedule's DLQ). */
  readonly deadLetter: (schedule: LocalSchedule, occurrence: Date, error: unknown) => Promise<void>;
  readonly retryDelaysMs?: readonly number[];
  readonly tickMs?: number;
  readonly log?: (entry: Record<string, unknown>) => void;
}

interface Ledger {
  /** When the ledger was created (clock time): instants before it were never missed. */
  since: string;
  /** One-time schedules fired, by `<id>@<instant>` (the instant as ISO). */
  fired: Record<string, string>;
  /** The last occurrence fired of each recurring schedule. */
  lastOccurrence: Record<string, string>;
}

/** The id the local scheduler gives a campaign schedule of the file: `<target function>.<name>`. */
export const campaignScheduleId = (target: string, name: string): string => `${target}.${name}`;

/**
 * The campaign schedules project-changes keeps in `file` (schedule-gateway-local.ts), as the
 * scheduler fires them: read afresh on each call.
 */
export const campaignSchedulesIn =
  (file: string) =>
  (): LocalSchedule[] =>
    readLocalSchedules(file).map((s) => ({ id: campaignScheduleId(s.target, s.name), functionId: s.target, input: s.input, at: s.at }));

/** A daily `cron(M H * * ? *)`: the only recurring form SciDay uses; anything else is refused. */
export function dailyCron(expression: string): { hour: number; minute: number } {
  const m = /^cron\((\d{1,2}) (\d{1,2}) \* \* \? \*\)$/.exec(expression);
  const minute = Number(m?.[1]);
  const hour = Number(m?.[2]);
  if (!m || minute > 59 || hour > 23) {
    throw new Error(`the local scheduler supports daily cron(M H * * ? *) expressions only, not ${expression}`);
  }
  return { hour, minute };
}

/** The latest occurrence of a daily cron at or before `now` (in `timeZone`). */
export function latestOccurrence(expression: string, timeZone: string, now: Date): Date {
  const { hour, minute } = dailyCron(expression);
  const today = localDate(now, timeZone);
  const at = zonedInstant(today, timeZone, { hour, minute, second: 0, ms: 0 });
  return at.getTime() <= now.getTime() ? at : zonedInstant(addDays(today, -1), timeZone, { hour, minute, second: 0, ms: 0 });
}

/** The ledger key of a one-time schedule's occurrence: its id and its instant. */
export const firedKey = (scheduleId: string, at: Date): string => `${scheduleId}@${at.toISOString()}`;

export interface FiredOccurrence {
  readonly scheduleId: string;
  readonly functionId: string;
  readonly at: string;
  readonly ok: boolean;
}

export class LocalScheduler {
  private ledger: Ledger;
  private running: Promise<FiredOccurrence[]> = Promise.resolve([]);
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  public constructor(private readonly options: SchedulerOptions) {
    for (const s of options.schedules) if (s.recurring) dailyCron(s.recurring.expression);
    this.ledger = this.load();
  }

  /** Whether the one-time schedule `scheduleId` has fired at `at`. */
  public hasFired(scheduleId: string, at: Date): boolean {
    return this.ledger.fired[firedKey(scheduleId, at)] !== undefined;
  }

  /** Fires what was missed while the runtime was down, then keeps firing as the clock runs. */
  public async start(): Promise<FiredOccurrence[]> {
    const fired = await this.advance();
    this.timer = setInterval(() => void this.advance().catch(() => undefined), this.options.tickMs ?? 1_000);
    this.timer.unref();
    return fired;
  }

  /** Fires every occurrence due at the clock's now, in time order, each once; resolves when all ran. */
  public advance(): Promise<FiredOccurrence[]> {
    return this.serially(() => this.fireDue(this.options.clock.now()));
  }

  /**
   * Moves the clock to `target` as time would pass: to each due occurrence in turn, firing it and
   * letting its work run (quiesce) before the next, then to `target`. Never backwards.
   */
  public moveTo(target: Date, options: { frozen?: boolean } = {}): Promise<FiredOccurrence[]> {
    if (target.getTime() < this.options.clock.now().getTime()) {
      return Promise.reject(new RangeError(`The clock cannot move backwards (now ${this.options.clock.now().toISOString()})`));
    }
    return this.serially(async () => {
      const fired = await this.fireDue(target, { frozen: options.frozen ?? false });
      if (target.getTime() >= this.options.clock.now().getTime()) this.options.clock.set(target, options);
      return fired;
    });
  }

  private serially(work: () => Promise<FiredOccurrence[]>): Promise<FiredOccurrence[]> {
    const next = this.running.then(() => (this.stopped ? [] : work()));
    this.running = next.catch(() => []);
    return next;
  }

  public async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  private due(now: Date): Array<{ schedule: LocalSchedule; occurrence: Date }> {
    const since = new Date(this.ledger.since).getTime();
    const due: Array<{ schedule: LocalSchedule; occurrence: Date }> = [];
    const dynamic = this.readCampaignSchedules();
    for (const schedule of [...this.options.schedules, ...dynamic]) {
      if (schedule.at) {
        const at = schedule.at.getTime();
        if (at > since && at <= now.getTime() && !this.hasFired(schedule.id, schedule.at)) due.push({ schedule, occurrence: schedule.at });
      } else if (schedule.recurring) {
        const occurrence = latestOccurrence(schedule.recurring.expression, schedule.recurring.timeZone, now);
        const last = this.ledger.lastOccurrence[schedule.id];
        const after = Math.max(since, last ? new Date(last).getTime() : -Infinity);
        if (occurrence.getTime() > after) due.push({ schedule, occurrence });
      }
    }
    return due.sort((a, b) => a.occurrence.getTime() - b.occurrence.getTime() || a.schedule.id.localeCompare(b.schedule.id));
  }

  /** The run-time schedules now; one unreadable read fires nothing from them this time (logged). */
  private readCampaignSchedules(): readonly LocalSchedule[] {
    if (!this.options.campaignSchedules) return [];
    try {
      return this.options.campaignSchedules().filter((s) => s.at !== undefined);
    } catch (error) {
      this.options.log?.({ level: 'WARN', msg: 'campaign schedules could not be read', error: String(error) });
      return [];
    }
  }

  /** Fires what is due up to `upTo`; with `step`, the clock is set to each occurrence first (frozen there or running). */
  private async fireDue(upTo: Date, step?: { frozen: boolean }): Promise<FiredOccurrence[]> {
    const fired: FiredOccurrence[] = [];
    for (const { schedule, occurrence } of this.due(upTo)) {
      const { clock } = this.options;
      if (step && occurrence.getTime() >= clock.now().getTime()) clock.set(occurrence, step);
      const ok = await this.fire(schedule, occurrence);
      if (step) await this.options.quiesce?.();
      if (schedule.at) this.ledger.fired[firedKey(schedule.id, occurrence)] = occurrence.toISOString();
      else this.ledger.lastOccurrence[schedule.id] = occurrence.toISOString();
      this.save();
      fired.push({ scheduleId: schedule.id, functionId: schedule.functionId, at: occurrence.toISOString(), ok });
    }
    return fired;
  }

  private async fire(schedule: LocalSchedule, occurrence: Date): Promise<boolean> {
    const delays = this.options.retryDelaysMs ?? [200, 1_000];
    let lastError: unknown;
    for (let attempt = 0; attempt <= delays.length; attempt++) {
      try {
        await this.options.invoke(schedule.functionId, schedule.input);
        this.options.log?.({ msg: 'schedule fired', scheduleId: schedule.id, functionId: schedule.functionId, occurrence: occurrence.toISOString() });
        return true;
      } catch (error) {
        lastError = error;
        this.options.log?.({ msg: 'scheduled invocation failed', scheduleId: schedule.id, attempt: attempt + 1, error: String(error) });
        const delay = delays[attempt];
        if (delay !== undefined) await new Promise((r) => setTimeout(r, delay));
      }
    }
    await this.options.deadLetter(schedule, occurrence, lastError);
    return false;
  }

  private load(): Ledger {
    try {
      const ledger = JSON.parse(readFileSync(this.options.ledgerFile, 'utf8')) as Ledger;
      // Ledgers written before schedules could move keyed a fired schedule by its id alone.
      const old = Object.entries(ledger.fired).filter(([key]) => !key.includes('@'));
      for (const [key, at] of old) {
        delete ledger.fired[key];
        ledger.fired[firedKey(key, new Date(at))] = at;
      }
      if (old.length > 0) {
        this.ledger = ledger;
        this.save();
      }
      return ledger;
    } catch {
      const ledger = { since: this.options.clock.now().toISOString(), fired: {}, lastOccurrence: {} };
      this.ledger = ledger;
      this.save();
      return ledger;
    }
  }

  private save(): void {
    const tmp = `${this.options.ledgerFile}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.ledger, null, 2));
    renameSync(tmp, this.options.ledgerFile);
  }
}

/**
 * Time is injected. Domain code takes a {@link Clock}; handlers wire
 * {@link runtimeClock}, which is the system clock on AWS and, on one machine, the
 * local runtime's movable clock (`SCIDAY_CLOCK`, `POST /local/clock`).
 */
import type { Clock } from './domain/clock';

export type { Clock } from './domain/clock';

export const systemClock: Clock = { now: () => new Date() };

/**
 * A clock that starts at a chosen instant and runs forward in real time; it can be
 * set to another instant at any moment (never backwards, as schedules would refire).
 */
export class MovableClock implements Clock {
  private offsetMs: number;
  /** When set, the clock stands still at this instant until it is set again. */
  private frozenAt: number | undefined;

  public constructor(
    start?: Date,
    private readonly real: Clock = systemClock,
  ) {
    this.offsetMs = start ? start.getTime() - real.now().getTime() : 0;
  }

  public now(): Date {
    return new Date(this.frozenAt ?? this.real.now().getTime() + this.offsetMs);
  }

  /** Whether the clock stands still. */
  public get frozen(): boolean {
    return this.frozenAt !== undefined;
  }

  /**
   * Moves the clock to `instant`; refuses to go back in time. With `frozen` it then stands still
   * there (an exact instant for a test or a demo); otherwise it runs on in real time.
   */
  public set(instant: Date, options: { frozen?: boolean } = {}): void {
    if (instant.getTime() < this.now().getTime()) {
      throw new RangeError(`The clock cannot move backwards (now ${this.now().toISOString()})`);
    }
    this.offsetMs = instant.getTime() - this.real.now().getTime();
    this.frozenAt = options.frozen ? instant.getTime() : undefined;
  }
}

const KEY = Symbol.for('sciday.runtime-clock');
type ClockHolder = { [KEY]?: Clock };

/** Makes `clock` the time source of every handler in this process (local runtime only). */
export function installRuntimeClock(clock: Clock): void {
  (globalThis as ClockHolder)[KEY] = clock;
}

/** The process's clock: the installed one, else the system clock. */
export const runtimeClock: Clock = {
  now: () => ((globalThis as ClockHolder)[KEY] ?? systemClock).now(),
};

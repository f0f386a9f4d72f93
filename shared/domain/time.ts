/**
 * Instants and wall-clock time in a campaign's time zone. Inside, every time is a UTC
 * instant (`Date`); at the edges (API, exports, messages) it is written with the zone's
 * offset, e.g. `2021-09-24T23:59:59.999+08:00`.
 */

/** An ISO 8601 instant with an explicit offset or `Z`: what the API accepts. */
export const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})$/;
/** A calendar date, `YYYY-MM-DD`. */
export const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Whether `timeZone` is an IANA zone this runtime knows. */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

interface WallClock {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

function wallClock(instant: Date, timeZone: string): WallClock {
  const parts = Object.fromEntries(formatter(timeZone).formatToParts(instant).map((p) => [p.type, p.value]));
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

/** The zone's offset from UTC at `instant`, in minutes (+480 for Asia/Shanghai). */
export function offsetMinutes(instant: Date, timeZone: string): number {
  return offsetOf(instant, wallClock(instant, timeZone));
}

/** The offset `w` (the wall clock of `instant`) shows, in minutes. */
function offsetOf(instant: Date, w: WallClock): number {
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
}

const pad = (n: number, width = 2) => String(Math.abs(n)).padStart(width, '0');

const QUARTER_HOUR_MS = 900_000;
/** A zone's offset by quarter hour (`<zone>|<quarter hour since 1970>`); bounded. */
const offsets = new Map<string, number | null>();

/**
 * The zone's offset throughout the quarter hour of `instant`, or `null` when it changes within it.
 * Zones change offset on whole quarter hours of UTC (modern offsets are multiples of 15 minutes),
 * so one reading of the zone's clock serves every instant of a quarter hour: lists format
 * hundreds of instants, and `formatToParts` is the costly part.
 */
function quarterHourOffset(instant: Date, timeZone: string): number | null {
  const quarter = Math.floor(instant.getTime() / QUARTER_HOUR_MS);
  const key = `${timeZone}|${quarter}`;
  let off = offsets.get(key);
  if (off === undefined) {
    const [start, end] = [new Date(quarter * QUARTER_HOUR_MS), new Date((quarter + 1) * QUARTER_HOUR_MS - 1)];
    const [a, b] = [offsetMinutes(start, timeZone), offsetMinutes(end, timeZone)];
    off = a === b ? a : null;
    if (offsets.size >= 4096) offsets.clear();
    offsets.set(key, off);
  }
  return off;
}

/** `instant` as ISO 8601 in `timeZone` with its offset; milliseconds only when not zero. */
export function formatInstant(instant: Date, timeZone: string): string {
  const cached = quarterHourOffset(instant, timeZone);
  let w: WallClock;
  let off: number;
  if (cached === null) {
    w = wallClock(instant, timeZone);
    off = offsetOf(instant, w);
  } else {
    off = cached;
    const local = new Date(instant.getTime() + off * 60_000);
    w = { year: local.getUTCFullYear(), month: local.getUTCMonth() + 1, day: local.getUTCDate(), hour: local.getUTCHours(), minute: local.getUTCMinutes(), second: local.getUTCSeconds() };
  }
  const ms = instant.getTime() % 1000;
  const millis = ms === 0 ? '' : `.${pad((ms + 1000) % 1000, 3)}`;
  const sign = off < 0 ? '-' : '+';
  return `${w.year}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}${millis}${sign}${pad(Math.floor(Math.abs(off) / 60))}:${pad(Math.abs(off) % 60)}`;
}

/** The calendar date (`YYYY-MM-DD`) of `instant` in `timeZone`. */
export function localDate(instant: Date, timeZone: string): string {
  const w = wallClock(instant, timeZone);
  return `${w.year}-${pad(w.month)}-${pad(w.day)}`;
}

/** The calendar year of `instant` in `timeZone`. */
export const localYear = (instant: Date, timeZone: string): number => wallClock(instant, timeZone).year;

/** The instant at which the wall clock in `timeZone` shows `date` `time` (ms precision). */
export function zonedInstant(date: string, timeZone: string, time = { hour: 0, minute: 0, second: 0, ms: 0 }): Date {
  const m = ISO_DATE.exec(date);
  if (!m) throw new RangeError(`not a date: ${date}`);
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), time.hour, time.minute, time.second, time.ms);
  // Two passes settle the offset even across a DST change.
  let guess = wall - offsetMinutes(new Date(wall), timeZone) * 60_000;
  guess = wall - offsetMinutes(new Date(guess), timeZone) * 60_000;
  return new Date(guess);
}

/** The last millisecond of `date` in `timeZone`: a deadline "by the end of that day" (inclusive). */
export const endOfLocalDay = (date: string, timeZone: string): Date =>
  zonedInstant(date, timeZone, { hour: 23, minute: 59, second: 59, ms: 999 });

/** The first millisecond of `date` in `timeZone`. */
export const startOfLocalDay = (date: string, timeZone: string): Date => zonedInstant(date, timeZone);

/** Parses an ISO instant with offset; `undefined` if it is not one (or not a real date). */
export function parseInstant(value: string): Date | undefined {
  const m = ISO_INSTANT.exec(value);
  if (!m) return undefined;
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number) as [number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || Number(m[6] ?? 0) > 59) return undefined;
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCMonth() !== month - 1) return undefined;
  const instant = new Date(value);
  return Number.isNaN(instant.getTime()) ? undefined : instant;
}

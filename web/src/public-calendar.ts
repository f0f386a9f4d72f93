/**
 * The citizens' calendar (issue 22): which week "this week" is in the campaign's zone, the
 * filters as they live in the URL (so a link shares them and a reload keeps them), and the
 * list grouped by day. Pure: the pages and their unit tests share it.
 */
import { ISO_DATE, localDate, parseInstant } from '../../shared/domain/time';

/** Monday to Sunday, the week as China counts it, in `YYYY-MM-DD`. */
export interface DateRange {
  readonly from: string;
  readonly to: string;
}

/** `date` (`YYYY-MM-DD`) moved by `days` calendar days. */
export function addDays(date: string, days: number): string {
  const m = ISO_DATE.exec(date);
  if (!m) throw new RangeError(`not a date: ${date}`);
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + days)).toISOString().slice(0, 10);
}

/** The week (Monday to Sunday) that holds `now` on the wall clock of `timeZone`. */
export function weekOf(now: Date, timeZone: string): DateRange {
  const today = localDate(now, timeZone);
  // getUTCDay of the calendar date itself: 0 is Sunday, the week's last day.
  const weekday = new Date(`${today}T00:00:00Z`).getUTCDay();
  const from = addDays(today, -((weekday + 6) % 7));
  return { from, to: addDays(from, 6) };
}

/** Whether two ranges share a day (a week against the campaign's period). */
export const overlaps = (a: DateRange, b: DateRange): boolean => a.from <= b.to && b.from <= a.to;

export type PublicMode = 'online' | 'offline';

/** The list's filters; a missing date means this week's. */
export interface PublicFilters {
  readonly county?: string;
  readonly from?: string;
  readonly to?: string;
  readonly theme?: string;
  readonly jointAction?: string;
  readonly mode?: PublicMode;
  readonly q?: string;
}

const FILTER_KEYS = ['county', 'from', 'to', 'theme', 'jointAction', 'mode', 'q'] as const;

/** One value of a query parameter (vue-router gives arrays for repeated keys: the first counts). */
const single = (v: unknown): string | undefined => {
  const s = Array.isArray(v) ? v[0] : v;
  return typeof s === 'string' && s.trim() !== '' ? s.trim() : undefined;
};

/**
 * The filters a URL's query names. Values that cannot be right (a date that is not one, an
 * unknown mode) are dropped rather than sent; the API still judges the rest (a county that is
 * not the campaign's is its 400).
 */
export function filtersFromQuery(query: Readonly<Record<string, unknown>>): PublicFilters {
  const out: Record<string, string> = {};
  for (const key of FILTER_KEYS) {
    const value = single(query[key]);
    if (value === undefined) continue;
    if ((key === 'from' || key === 'to') && !ISO_DATE.test(value)) continue;
    if (key === 'mode' && value !== 'online' && value !== 'offline') continue;
    out[key] = key === 'q' ? value.slice(0, 100) : value;
  }
  return out;
}

/** The query that names `filters`, keys in a fixed order and empty ones left out (a stable, short link). */
export function filtersToQuery(filters: PublicFilters): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of FILTER_KEYS) {
    const value = filters[key]?.trim();
    if (value) out[key] = value;
  }
  return out;
}

/**
 * The dates the list asks for: none given, this week; one given, the seven days from (or up
 * to) it; a reversed range is put right.
 */
export function rangeOf(filters: PublicFilters, thisWeek: DateRange): DateRange {
  const from = filters.from ?? (filters.to ? addDays(filters.to, -6) : thisWeek.from);
  const to = filters.to ?? (filters.from ? addDays(filters.from, 6) : thisWeek.to);
  return from <= to ? { from, to } : { from: to, to: from };
}

/** The activities of one calendar day, in the order they came (the API's: by start). */
export interface Day<T> {
  readonly date: string;
  readonly items: T[];
}

/**
 * `items` grouped by the calendar day they start on in `timeZone`, days in ascending order;
 * within a day the order given is kept. The list holds what overlaps the range, so one that
 * began before `from` (a week-long exhibition) is shown on `from`. An item whose start cannot
 * be read is left out.
 */
export function groupByDay<T extends { readonly startsAt: string }>(items: readonly T[], timeZone: string, from?: string): Day<T>[] {
  const days = new Map<string, T[]>();
  for (const item of items) {
    const start = parseInstant(item.startsAt);
    if (!start) continue;
    const startDay = localDate(start, timeZone);
    const date = from !== undefined && startDay < from ? from : startDay;
    const day = days.get(date);
    if (day) day.push(item);
    else days.set(date, [item]);
  }
  return [...days.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([date, dayItems]) => ({ date, items: dayItems }));
}

/** A calendar day as a heading: `9月20日 星期一` / `Mon 20 Sep`. */
export function dayHeading(date: string, lang: 'zh-CN' | 'en'): string {
  // Noon UTC of the date is the same date in every zone a campaign uses; the date is already local.
  return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'zh-CN', {
    timeZone: 'UTC',
    month: lang === 'en' ? 'short' : 'long',
    day: 'numeric',
    weekday: lang === 'en' ? 'short' : 'long',
  }).format(new Date(`${date}T12:00:00Z`));
}

/** A start and end as one span in `timeZone`: `2021年9月20日 星期一 14:00–16:00` (`…至 9月21日 10:00` over days). */
export function timeSpan(startsAt: string, endsAt: string, timeZone: string, lang: 'zh-CN' | 'en'): string {
  const start = parseInstant(startsAt);
  const end = parseInstant(endsAt);
  if (!start || !end) return '';
  const locale = lang === 'en' ? 'en-GB' : 'zh-CN';
  const day = new Intl.DateTimeFormat(locale, { timeZone, year: 'numeric', month: lang === 'en' ? 'short' : 'long', day: 'numeric', weekday: lang === 'en' ? 'short' : 'long' });
  const clock = new Intl.DateTimeFormat(locale, { timeZone, hour: '2-digit', minute: '2-digit', hour12: false });
  const sameDay = localDate(start, timeZone) === localDate(end, timeZone);
  if (sameDay) return `${day.format(start)} ${clock.format(start)}–${clock.format(end)}`;
  return lang === 'en'
    ? `${day.format(start)} ${clock.format(start)} to ${day.format(end)} ${clock.format(end)}`
    : `${day.format(start)} ${clock.format(start)} 至 ${day.format(end)} ${clock.format(end)}`;
}

/**
 * A start and end under their day's heading: the clock alone (`14:00–16:00`), with the end's date
 * when it ends on another day (`14:00 – 9月23日 10:00` / `14:00 – 23 Sep 10:00`).
 */
export function clockSpan(startsAt: string, endsAt: string, timeZone: string, lang: 'zh-CN' | 'en'): string {
  const start = parseInstant(startsAt);
  const end = parseInstant(endsAt);
  if (!start || !end) return '';
  const locale = lang === 'en' ? 'en-GB' : 'zh-CN';
  const clock = new Intl.DateTimeFormat(locale, { timeZone, hour: '2-digit', minute: '2-digit', hour12: false });
  if (localDate(start, timeZone) === localDate(end, timeZone)) return `${clock.format(start)}–${clock.format(end)}`;
  const day = new Intl.DateTimeFormat(locale, { timeZone, month: lang === 'en' ? 'short' : 'long', day: 'numeric' });
  return `${clock.format(start)} – ${day.format(end)} ${clock.format(end)}`;
}

/**
 * The association's progress board, without Vue: the columns (one declaration for the table's
 * headers, its sorting, the totals row and the CSV download), the filters, the grouping and the
 * CSV file. Pure functions, tested without a browser (test/unit/web/progress-board.test.ts).
 */
import { ORGANIZATION_TYPES, ORGANIZATION_TYPE_NAMES, type Bilingual, type OrganizationType } from '../../../../shared/domain/campaign';
import { CRLF, UTF8_BOM, neutralizeFormula } from '../../../../shared/export/csv';
// The generated types only (not the client, nor i18n.ts): this module runs in node for its tests.
import type { components } from '../../api/schema';

export type UnitProgress = components['schemas']['UnitProgress'];
/** The page's language (i18n.ts `Lang`). */
export type Lang = 'zh-CN' | 'en';

/** What the board needs of the campaign: its counties in order and their names. */
export interface BoardContext {
  readonly counties: ReadonlyArray<{ readonly id: string; readonly name: Bilingual }>;
  readonly lang: Lang;
}

const say = (lang: Lang, b: Bilingual): string => (lang === 'en' ? b.en : b.zh);

export const countyName = (ctx: BoardContext, id: string): string => {
  const c = ctx.counties.find((x) => x.id === id);
  return c ? say(ctx.lang, c.name) : id;
};
export const typeName = (lang: Lang, type: string): string =>
  type in ORGANIZATION_TYPE_NAMES ? say(lang, ORGANIZATION_TYPE_NAMES[type as OrganizationType]) : type;
/** The unit's name in the page's language (the Chinese one when it has no English name). */
export const unitName = (lang: Lang, u: Pick<UnitProgress, 'name' | 'nameEn'>): string => (lang === 'en' && u.nameEn ? u.nameEn : u.name);

/** The work summary: 2 submitted on time, 1 submitted late, 0 missing (sorts missing first). */
export const summaryRank = (u: UnitProgress): number => (!u.summary.submitted ? 0 : u.summary.late ? 1 : 2);
export const summaryText = (lang: Lang, u: UnitProgress): string =>
  say(lang, !u.summary.submitted ? { zh: '未提交', en: 'Missing' } : u.summary.late ? { zh: '逾期提交', en: 'Late' } : { zh: '已提交', en: 'Submitted' });

export type ColumnKey =
  | 'name'
  | 'county'
  | 'type'
  | 'draft'
  | 'registeredOnTime'
  | 'registeredLate'
  | 'resultsComplete'
  | 'resultsLate'
  | 'summary'
  | 'flagsOpen'
  | 'flagsWaived'
  | 'lastChangeAt';

/** One column of the board. */
export interface Column {
  readonly key: ColumnKey;
  readonly header: Bilingual;
  /** Numbers are right-aligned, summed in the totals row and sorted largest first. */
  readonly numeric: boolean;
  /** What sorting compares. */
  readonly sortValue: (u: UnitProgress, ctx: BoardContext) => string | number;
}

const count = (key: ColumnKey, header: Bilingual, value: (u: UnitProgress) => number): Column => ({ key, header, numeric: true, sortValue: value });

/**
 * The board's columns, in order: the unit (it stays in view on a phone), what it has done, then
 * where it is and when it last changed (the grouped-by column is left out: its group says it).
 */
export const COLUMNS: readonly Column[] = [
  { key: 'name', header: { zh: '单位', en: 'Unit' }, numeric: false, sortValue: (u, ctx) => unitName(ctx.lang, u) },
  count('draft', { zh: '草稿', en: 'Drafts' }, (u) => u.activities.draft),
  count('registeredOnTime', { zh: '按时登记', en: 'Registered on time' }, (u) => u.activities.registeredOnTime),
  count('registeredLate', { zh: '逾期登记', en: 'Registered late' }, (u) => u.activities.registeredLate),
  count('resultsComplete', { zh: '成果已完善', en: 'Results complete' }, (u) => u.activities.resultsComplete),
  count('resultsLate', { zh: '成果逾期', en: 'Results late' }, (u) => u.activities.resultsLate),
  { key: 'summary', header: { zh: '工作总结', en: 'Summary' }, numeric: false, sortValue: summaryRank },
  count('flagsOpen', { zh: '待处理标记', en: 'Open flags' }, (u) => u.flags.open),
  count('flagsWaived', { zh: '已豁免标记', en: 'Waived flags' }, (u) => u.flags.waived),
  { key: 'county', header: { zh: '县（市、区）', en: 'County' }, numeric: false, sortValue: (u, ctx) => ctx.counties.findIndex((c) => c.id === u.county) },
  { key: 'type', header: { zh: '类型', en: 'Type' }, numeric: false, sortValue: (u) => ORGANIZATION_TYPES.indexOf(u.type) },
  { key: 'lastChangeAt', header: { zh: '最近更新', en: 'Last change' }, numeric: false, sortValue: (u) => (u.lastChangeAt ? Date.parse(u.lastChangeAt) : 0) },
];

/** The columns shown for a grouping: the grouped-by one is said by its group. */
export const visibleColumns = (grouping: Grouping): Column[] => COLUMNS.filter((c) => c.key !== grouping);

export const columnOf = (key: string): Column | undefined => COLUMNS.find((c) => c.key === key);

export interface BoardFilters {
  readonly county: string;
  readonly type: string;
  /** Has an activity registered after the deadline. */
  readonly late: boolean;
  /** Has no registered activity at all. */
  readonly noRegistration: boolean;
  readonly summaryMissing: boolean;
  readonly openFlags: boolean;
  /** Part of the unit's Chinese or English name, or of its id. */
  readonly q: string;
}

export const NO_FILTERS: BoardFilters = { county: '', type: '', late: false, noRegistration: false, summaryMissing: false, openFlags: false, q: '' };

/** The units that pass every filter set. */
export function filterUnits(units: readonly UnitProgress[], f: BoardFilters): UnitProgress[] {
  const q = f.q.trim().toLowerCase();
  return units.filter(
    (u) =>
      (!f.county || u.county === f.county) &&
      (!f.type || u.type === f.type) &&
      (!f.late || u.activities.registeredLate > 0) &&
      (!f.noRegistration || u.activities.registered === 0) &&
      (!f.summaryMissing || !u.summary.submitted) &&
      (!f.openFlags || u.flags.open > 0) &&
      (!q || [u.name, u.nameEn ?? '', u.organizationId].some((s) => s.toLowerCase().includes(q))),
  );
}

export type SortDirection = 'ascending' | 'descending';

/** Sorted by `key` (ties by id, so the order is stable), a new array. */
export function sortUnits(units: readonly UnitProgress[], key: ColumnKey, direction: SortDirection, ctx: BoardContext): UnitProgress[] {
  const column = columnOf(key) ?? COLUMNS[0]!;
  const sign = direction === 'ascending' ? 1 : -1;
  const collator = new Intl.Collator(ctx.lang === 'en' ? 'en' : 'zh-CN');
  return [...units].sort((a, b) => {
    const va = column.sortValue(a, ctx);
    const vb = column.sortValue(b, ctx);
    const byValue = typeof va === 'number' && typeof vb === 'number' ? va - vb : collator.compare(String(va), String(vb));
    return byValue !== 0 ? sign * byValue : a.organizationId.localeCompare(b.organizationId);
  });
}

/** The first direction a column sorts in: numbers and times largest first, words A–Z. */
export const firstDirection = (key: ColumnKey): SortDirection =>
  columnOf(key)?.numeric || key === 'lastChangeAt' ? 'descending' : 'ascending';

export type Grouping = 'none' | 'county' | 'type';

export interface Group {
  readonly id: string;
  readonly label: string;
  readonly units: UnitProgress[];
}

/** The units in groups, in the campaign's order of counties or the types' order; empty groups left out. */
export function groupUnits(units: readonly UnitProgress[], grouping: Grouping, ctx: BoardContext): Group[] {
  if (grouping === 'none') return [{ id: 'all', label: '', units: [...units] }];
  const ids = grouping === 'county' ? ctx.counties.map((c) => c.id) : [...ORGANIZATION_TYPES];
  const of = (u: UnitProgress) => (grouping === 'county' ? u.county : u.type);
  // Values the list does not know (a county added later) go last, in their own groups.
  const extra = [...new Set(units.map(of).filter((v) => !ids.includes(v)))];
  return [...ids, ...extra]
    .map((id) => ({
      id,
      label: grouping === 'county' ? countyName(ctx, id) : typeName(ctx.lang, id),
      units: units.filter((u) => of(u) === id),
    }))
    .filter((g) => g.units.length > 0);
}

/** The totals row: sums of the counts, how many submitted their summary, the latest change. */
export interface Totals {
  readonly units: number;
  readonly sums: Readonly<Partial<Record<ColumnKey, number>>>;
  readonly summarySubmitted: number;
  readonly lastChangeAt: string | null;
}

export function totalsOf(units: readonly UnitProgress[], ctx: BoardContext): Totals {
  const sums: Partial<Record<ColumnKey, number>> = {};
  for (const column of COLUMNS.filter((c) => c.numeric)) {
    sums[column.key] = units.reduce((n, u) => n + Number(column.sortValue(u, ctx)), 0);
  }
  const latest = units.reduce<string | null>(
    (m, u) => (u.lastChangeAt && (!m || Date.parse(u.lastChangeAt) > Date.parse(m)) ? u.lastChangeAt : m),
    null,
  );
  return { units: units.length, sums, summarySubmitted: units.filter((u) => u.summary.submitted).length, lastChangeAt: latest };
}

// --- CSV -------------------------------------------------------------------------------------

interface CsvColumn {
  readonly header: Bilingual;
  /** A number is written as it is; text is made inert for spreadsheets (a leading '). */
  readonly value: (u: UnitProgress, ctx: BoardContext) => string | number;
}

const yesNo = (lang: Lang, v: boolean) => say(lang, v ? { zh: '是', en: 'yes' } : { zh: '否', en: 'no' });

/** The downloaded file's columns: the board's, with the id, both names and the summary's time. */
const CSV_COLUMNS: readonly CsvColumn[] = [
  { header: { zh: '单位编号', en: 'Unit id' }, value: (u) => u.organizationId },
  { header: { zh: '单位名称', en: 'Unit name' }, value: (u) => u.name },
  { header: { zh: '英文名称', en: 'English name' }, value: (u) => u.nameEn ?? '' },
  { header: { zh: '县（市、区）', en: 'County' }, value: (u, ctx) => countyName(ctx, u.county) },
  { header: { zh: '类型', en: 'Type' }, value: (u, ctx) => typeName(ctx.lang, u.type) },
  { header: { zh: '草稿', en: 'Drafts' }, value: (u) => u.activities.draft },
  { header: { zh: '已登记', en: 'Registered' }, value: (u) => u.activities.registered },
  { header: { zh: '按时登记', en: 'Registered on time' }, value: (u) => u.activities.registeredOnTime },
  { header: { zh: '逾期登记', en: 'Registered late' }, value: (u) => u.activities.registeredLate },
  { header: { zh: '成果已完善', en: 'Results complete' }, value: (u) => u.activities.resultsComplete },
  { header: { zh: '成果逾期', en: 'Results late' }, value: (u) => u.activities.resultsLate },
  { header: { zh: '工作总结已提交', en: 'Summary submitted' }, value: (u, ctx) => yesNo(ctx.lang, u.summary.submitted) },
  { header: { zh: '工作总结提交时间', en: 'Summary submitted at' }, value: (u) => u.summary.submittedAt ?? '' },
  { header: { zh: '工作总结逾期', en: 'Summary late' }, value: (u, ctx) => yesNo(ctx.lang, u.summary.late) },
  { header: { zh: '待处理标记', en: 'Open flags' }, value: (u) => u.flags.open },
  { header: { zh: '已豁免标记', en: 'Waived flags' }, value: (u) => u.flags.waived },
  { header: { zh: '最近更新', en: 'Last change' }, value: (u) => u.lastChangeAt ?? '' },
];

/** One field, always quoted (a `"` doubled); text that could start a formula gets a leading '. */
export function csvField(value: string | number): string {
  const text = typeof value === 'number' ? String(value) : neutralizeFormula(value);
  return `"${text.replaceAll('"', '""')}"`;
}

/**
 * The board as a spreadsheet opens it (Excel, WPS): UTF-8 with a byte order mark, CRLF after
 * every record, every field quoted, formula injection neutralised (shared/export/csv.ts), the
 * header in the page's language, times as the API gives them (ISO 8601, +08:00).
 *
 * @example
 * const file = new Blob([progressCsv(rows, { counties, lang: 'zh-CN' })], { type: 'text/csv;charset=utf-8' });
 */
export function progressCsv(units: readonly UnitProgress[], ctx: BoardContext): string {
  const records = [
    CSV_COLUMNS.map((c) => csvField(say(ctx.lang, c.header))),
    ...units.map((u) => CSV_COLUMNS.map((c) => csvField(c.value(u, ctx)))),
  ];
  return UTF8_BOM + records.map((r) => r.join(',') + CRLF).join('');
}

/** `progress-2021-xinxiang-20210925-1000.csv`: the campaign and the minute (in `timeZone`) it was read. */
export function csvFileName(campaignId: string, at: Date, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return `progress-${campaignId}-${parts.year}${parts.month}${parts.day}-${parts.hour}${parts.minute}.csv`;
}

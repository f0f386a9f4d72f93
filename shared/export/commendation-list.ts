/**
 * The commendation list as a spreadsheet (表扬推荐名单, `commendations.csv`): one record per unit
 * commended overall, per organization type, and per distinctive activity. The export writes it
 * from its ScoreReport (score-files.ts); the web app's scores page writes the same file from
 * `GET …/scores` (web/src/components/console/score-csv.ts), so both are this one function.
 *
 * UTF-8 with a BOM, Chinese header by default, CRLF, RFC 4180, every text cell made inert for
 * spreadsheets (csv.ts `neutralizeFormula`); ranks, totals and counts are numbers.
 */
import { ORGANIZATION_TYPE_NAMES, type Bilingual, type OrganizationType } from '../domain/campaign';
import { CRLF, csvRecord, neutralizeFormula, UTF8_BOM } from './csv';

export const COMMENDATION_HEADER = {
  zh: ['名单', '名次', '单位编号', '单位名称', '单位类型', '县（市、区）', '总分', '并列说明', '活动编号', '活动名称', '评审标记次数', '效果亮点评审分'],
  en: ['List', 'Rank', 'Unit id', 'Unit name', 'Unit type', 'County', 'Total', 'Tie', 'Activity id', 'Activity title', 'Reviewer marks', 'Highlights (reviewer)'],
} as const;

/** A commended unit: its rank and total among those listed, and the tie's explanation. */
export interface CommendationUnitEntry {
  readonly organizationId: string;
  readonly rank: number;
  readonly total: number;
  readonly tie: { readonly explanation: Bilingual } | null;
}

/** A distinctive activity as listed. */
export interface CommendationActivityEntry {
  readonly activityId: string;
  readonly organizationId: string;
  readonly title: string | null;
  readonly marks: number;
  readonly highlights: number | null;
  readonly unitTotal: number;
  readonly rank: number;
  readonly tiedWith: readonly string[];
}

export interface CommendationListInput {
  /** The campaign's counties (their names in the file). */
  readonly counties: ReadonlyArray<{ readonly id: string; readonly name: Bilingual }>;
  /** A unit's name, type and county (id), by organization id. */
  readonly unitOf: (organizationId: string) => { readonly name: string; readonly type: OrganizationType; readonly county: string | null } | undefined;
  readonly commendations: {
    readonly units: readonly CommendationUnitEntry[];
    readonly byType: ReadonlyArray<{ readonly organizationType: OrganizationType; readonly units: readonly CommendationUnitEntry[] }>;
    readonly activities: readonly CommendationActivityEntry[];
  };
}

/** `commendations.csv`: UTF-8 with a BOM, CRLF, RFC 4180, every text cell made inert for spreadsheets. */
export function commendationListCsv(input: CommendationListInput, language: 'zh' | 'en' = 'zh'): string {
  const countyName = new Map(input.counties.map((c) => [c.id, c.name[language]]));
  const text = (v: string | null | undefined) => neutralizeFormula(v ?? '');
  const unitCells = (organizationId: string) => {
    const info = input.unitOf(organizationId);
    const county = info?.county ?? '';
    return [
      text(organizationId),
      text(info?.name ?? organizationId),
      text(info ? ORGANIZATION_TYPE_NAMES[info.type][language] : ''),
      text(info ? (countyName.get(county) ?? county) : ''),
    ];
  };
  const unitRow = (list: string, u: CommendationUnitEntry) => [
    text(list),
    String(u.rank),
    ...unitCells(u.organizationId),
    u.total.toFixed(2),
    text(u.tie?.explanation[language] ?? ''),
    '',
    '',
    '',
    '',
  ];
  const { units, byType, activities } = input.commendations;
  const rows: string[][] = [
    ...units.map((u) => unitRow(language === 'zh' ? '总排名' : 'overall', u)),
    ...byType.flatMap((t) =>
      t.units.map((u) =>
        unitRow(
          language === 'zh' ? `分类型：${ORGANIZATION_TYPE_NAMES[t.organizationType].zh}` : `by type: ${ORGANIZATION_TYPE_NAMES[t.organizationType].en}`,
          u,
        ),
      ),
    ),
    ...activities.map((a) => [
      text(language === 'zh' ? '特色活动' : 'distinctive activity'),
      String(a.rank),
      ...unitCells(a.organizationId),
      a.unitTotal.toFixed(2),
      text(a.tiedWith.length > 0 ? (language === 'zh' ? `与 ${a.tiedWith.join('、')} 并列` : `tied with ${a.tiedWith.join(', ')}`) : ''),
      text(a.activityId),
      text(a.title),
      String(a.marks),
      a.highlights === null ? '' : String(a.highlights),
    ]),
  ];
  return UTF8_BOM + [COMMENDATION_HEADER[language].map(neutralizeFormula), ...rows].map((r) => csvRecord(r)).join(CRLF) + CRLF;
}

/**
 * What an export writes of the scores: the rows of the `scores` table (one per unit, the
 * catalogue's columns), and two files for people under the snapshot prefix, beside the entity
 * folders (which stay tables only, for Glue and `npm run query`):
 *
 * - `commendations.csv` — the commendation list ready for upward recommendation (表扬推荐名单):
 *   the best units overall, per organization type, and the most distinctive activities; UTF-8
 *   with a BOM, Chinese header by default, CRLF, formulas neutralised (csv.ts);
 * - `chart.svg` — per-county and per-indicator bars (chart.ts).
 */
import { EXPORT_TABLES } from './columns';
import { CRLF, csvRecord, neutralizeFormula, UTF8_BOM } from './csv';
import { cellOf, type Row } from './rows';
import { ORGANIZATION_TYPE_NAMES } from '../domain/campaign';
import type { CommendedUnit, MissingItem } from '../domain/scoring';
import type { ScoreReport } from '../use-cases/scores';

const SCORE_COLUMNS = new Map(EXPORT_TABLES.scores.columns.map((c) => [c.name, c]));

/** `missing` as list items: `no-registered-activity`, `no-summary`, `reviewer-score:<indicator>`. */
const missingItems = (missing: readonly MissingItem[]): string[] =>
  missing.flatMap((m) => (m.code === 'reviewer-scores' ? m.indicators.map((i) => `reviewer-score:${i}`) : [m.code]));

/** The `scores` table's rows, best first (each cell of its column's type). */
export function scoreRows(report: ScoreReport): Row[] {
  return report.scores.units.map((u) => {
    const raw: Record<string, unknown> = {
      campaign_id: report.campaign.id,
      organization_id: u.organizationId,
      penalty: u.penalty.points,
      total: u.total,
      rank: u.rank,
      missing: missingItems(u.missing),
    };
    // Indicator `joint-actions` is column `joint_actions`.
    for (const i of u.indicators) raw[i.indicatorId.replaceAll('-', '_')] = i.score;
    return Object.fromEntries(
      Object.entries(raw)
        .filter(([name]) => SCORE_COLUMNS.has(name))
        .map(([name, value]) => [name, cellOf(SCORE_COLUMNS.get(name)!.type, value)]),
    );
  });
}

const TYPE_NAMES = ORGANIZATION_TYPE_NAMES;

const HEADER = {
  zh: ['名单', '名次', '单位编号', '单位名称', '单位类型', '县（市、区）', '总分', '并列说明', '活动编号', '活动名称', '评审标记次数', '效果亮点评审分'],
  en: ['List', 'Rank', 'Unit id', 'Unit name', 'Unit type', 'County', 'Total', 'Tie', 'Activity id', 'Activity title', 'Reviewer marks', 'Highlights (reviewer)'],
} as const;

/** `commendations.csv`: UTF-8 with a BOM, CRLF, RFC 4180, every text cell made inert for spreadsheets. */
export function commendationsCsv(report: ScoreReport, language: 'zh' | 'en' = 'zh'): string {
  const countyName = new Map(report.campaign.counties.map((c) => [c.id, c.name[language]]));
  const text = (v: string | null | undefined) => neutralizeFormula(v ?? '');
  const unitCells = (organizationId: string) => {
    const info = report.units.get(organizationId);
    return [
      text(organizationId),
      text(info?.name ?? organizationId),
      text(info ? TYPE_NAMES[info.type][language] : ''),
      text(info ? (countyName.get(info.county) ?? info.county) : ''),
    ];
  };
  const unitRow = (list: string, u: CommendedUnit) => [
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
  const rows: string[][] = [
    ...report.commendations.units.map((u) => unitRow(language === 'zh' ? '总排名' : 'overall', u)),
    ...report.commendations.byType.flatMap((t) =>
      t.units.map((u) => unitRow(language === 'zh' ? `分类型：${TYPE_NAMES[t.organizationType].zh}` : `by type: ${TYPE_NAMES[t.organizationType].en}`, u)),
    ),
    ...report.commendations.activities.map((a) => [
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
  return UTF8_BOM + [HEADER[language].map(neutralizeFormula), ...rows].map((r) => csvRecord(r)).join(CRLF) + CRLF;
}

/** The files for people an export writes beside its tables, by name. */
export const SCORE_ARTIFACTS = {
  'commendations.csv': 'text/csv; charset=utf-8',
  'chart.svg': 'image/svg+xml',
} as const;
export type ScoreArtifactName = keyof typeof SCORE_ARTIFACTS;

/**
 * What an export writes of the scores: the rows of the `scores` table (one per unit, the
 * catalogue's columns), and two files for people under the snapshot prefix, beside the entity
 * folders (which stay tables only, for Glue and `npm run query`):
 *
 * - `commendations.csv` — the commendation list ready for upward recommendation (表扬推荐名单):
 *   the best units overall, per organization type, and the most distinctive activities; UTF-8
 *   with a BOM, Chinese header by default, CRLF, formulas neutralised (commendation-list.ts, also
 *   what the web app's scores page downloads);
 * - `chart.svg` — per-county and per-indicator bars (chart.ts).
 */
import { EXPORT_TABLES } from './columns';
import { commendationListCsv } from './commendation-list';
import { cellOf, type Row } from './rows';
import type { MissingItem } from '../domain/scoring';
import type { ScoreReport } from '../domain/scoring-facts';

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

/** `commendations.csv`: UTF-8 with a BOM, CRLF, RFC 4180, every text cell made inert for spreadsheets (commendation-list.ts). */
export function commendationsCsv(report: ScoreReport, language: 'zh' | 'en' = 'zh'): string {
  return commendationListCsv({ counties: report.campaign.counties, unitOf: (id) => report.units.get(id), commendations: report.commendations }, language);
}

/** The files for people an export writes beside its tables, by name. */
export const SCORE_ARTIFACTS = {
  'commendations.csv': 'text/csv; charset=utf-8',
  'chart.svg': 'image/svg+xml',
} as const;
export type ScoreArtifactName = keyof typeof SCORE_ARTIFACTS;

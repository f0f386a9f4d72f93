/**
 * The commendation list (表扬推荐名单) downloaded from the scores page: the very file an export
 * writes as `commendations.csv` (shared/export/commendation-list.ts: the same columns, BOM,
 * CRLF, formulas neutralised), made from `GET …/scores` in the browser.
 */
import { commendationListCsv } from '../../../../shared/export/commendation-list';
import type { ScoresView } from './score-ranking';

export interface CountyName {
  readonly id: string;
  readonly name: { readonly zh: string; readonly en: string };
}

/** `commendations.csv` from the scores view and the campaign's counties. */
export function commendationCsvFromScores(scores: ScoresView, counties: readonly CountyName[], language: 'zh' | 'en' = 'zh'): string {
  const units = new Map(scores.units.map((u) => [u.organizationId, u]));
  const { activityTies, ...commendations } = scores.commendations;
  // The view names each tie of activities once (`activityTies`); the file says, per activity, with which others.
  const activities = commendations.activities.map((a) => ({
    ...a,
    tiedWith: a.tie ? (activityTies[a.tie.group]?.activityIds ?? []).filter((id) => id !== a.activityId) : [],
  }));
  return commendationListCsv({ counties, unitOf: (id) => units.get(id), commendations: { ...commendations, activities } }, language);
}

/** The file's name: `表扬推荐名单-2021-xinxiang.csv` / `commendations-2021-xinxiang.csv`. */
export const commendationFileName = (campaignId: string, language: 'zh' | 'en'): string =>
  `${language === 'zh' ? '表扬推荐名单' : 'commendations'}-${campaignId}.csv`;

/** Saves `text` as a file the browser downloads (no round trip: the page has the data). */
export function downloadText(fileName: string, text: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

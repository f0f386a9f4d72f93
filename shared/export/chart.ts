/**
 * The export's picture of the scores (`chart.svg`): a self-contained SVG a reviewer can open in
 * any browser — no script, no external font, image or style sheet; system fonts named by family
 * with a generic fallback; every label escaped.
 *
 * 1. 各县（市、区）单位平均总分: one bar per county of the campaign (in the definition's order,
 *    then any county only units added at run time name), the mean total of the county's listed
 *    units (units with nothing count 0: a county where one unit in ten did something is shown
 *    so), with how many of them registered an activity.
 * 2. 各指标平均得分: one bar per indicator, the mean score of the units with at least one
 *    registered activity, drawn against the indicator's weight (full marks).
 */
import type { ScoreReport } from '../domain/scoring-facts';

const WIDTH = 960;
const LABEL_WIDTH = 190;
const BAR_MAX = 560;
const ROW = 26;
const BAR = 16;
const FONT = "'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Source Han Sans SC', sans-serif";

/** Text as XML character data or an attribute value. */
export function xmlEscape(text: string): string {
  // Characters XML 1.0 cannot hold at all (C0 controls but tab, LF and CR; U+FFFE, U+FFFF) are dropped.
  const allowed = [...text].filter((ch) => {
    const c = ch.codePointAt(0) ?? 0;
    return (c >= 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) && c !== 0xfffe && c !== 0xffff;
  });
  return allowed
    .join('')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;');
}

const fixed = (n: number, digits = 2) => (Math.round(n * 10 ** digits) / 10 ** digits).toFixed(digits);
const mean = (xs: readonly number[]) => (xs.length === 0 ? 0 : xs.reduce((s, x) => s + x, 0) / xs.length);

export interface CountyBar {
  readonly countyId: string;
  readonly name: string;
  readonly units: number;
  readonly active: number;
  readonly meanTotal: number;
}

export interface IndicatorBar {
  readonly indicatorId: string;
  readonly name: string;
  readonly weight: number;
  readonly meanScore: number;
}

/** The figures the chart draws (also what its tests check). */
export function chartData(report: ScoreReport): { counties: CountyBar[]; indicators: IndicatorBar[]; activeUnits: number } {
  const { campaign, scores } = report;
  const byCounty = new Map<string, Array<{ total: number; active: boolean }>>(campaign.counties.map((c) => [c.id, []]));
  for (const u of scores.units) {
    const county = report.units.get(u.organizationId)?.county ?? '';
    const list = byCounty.get(county) ?? [];
    list.push({ total: u.total, active: u.figures['registered-activities'] > 0 });
    byCounty.set(county, list);
  }
  const names = new Map(campaign.counties.map((c) => [c.id, c.name.zh]));
  const counties = [...byCounty].map(([countyId, list]) => ({
    countyId,
    name: names.get(countyId) ?? (countyId || '未填县（市、区）'),
    units: list.length,
    active: list.filter((x) => x.active).length,
    meanTotal: mean(list.map((x) => x.total)),
  }));
  const active = scores.units.filter((u) => u.figures['registered-activities'] > 0);
  const indicators = campaign.indicators.map((ind) => ({
    indicatorId: ind.id,
    name: ind.name.zh,
    weight: ind.weight,
    meanScore: mean(active.map((u) => u.indicators.find((i) => i.indicatorId === ind.id)?.score ?? 0)),
  }));
  return { counties, indicators, activeUnits: active.length };
}

function bar(y: number, label: string, value: number, max: number, text: string, attrs: string, fill: string, track?: number): string {
  const w = max === 0 ? 0 : (BAR_MAX * Math.max(0, Math.min(value, max))) / max;
  const trackWidth = track === undefined || max === 0 ? 0 : (BAR_MAX * track) / max;
  return [
    `<text x="${LABEL_WIDTH - 8}" y="${y + BAR - 3}" text-anchor="end">${xmlEscape(label)}</text>`,
    trackWidth > 0 ? `<rect x="${LABEL_WIDTH}" y="${y}" width="${fixed(trackWidth, 1)}" height="${BAR}" fill="#e8edf3"/>` : '',
    `<rect ${attrs} x="${LABEL_WIDTH}" y="${y}" width="${fixed(w, 1)}" height="${BAR}" fill="${fill}"/>`,
    `<text x="${LABEL_WIDTH + Math.max(w, trackWidth) + 6}" y="${y + BAR - 3}" fill="#333">${xmlEscape(text)}</text>`,
  ]
    .filter(Boolean)
    .join('\n    ');
}

/** The chart as an SVG document (UTF-8 text). */
export function scoresChartSvg(report: ScoreReport): string {
  const { campaign } = report;
  const data = chartData(report);
  const top = 64;
  const countyTop = top + 28;
  const countyRows = data.counties.map((c, i) =>
    bar(
      countyTop + i * ROW,
      c.name,
      c.meanTotal,
      100,
      `${fixed(c.meanTotal)} 分（${c.active}/${c.units} 个单位有活动）`,
      `class="county-bar" data-county="${xmlEscape(c.countyId)}"`,
      '#2f6db5',
    ),
  );
  const indicatorTitleY = countyTop + data.counties.length * ROW + 36;
  const indicatorTop = indicatorTitleY + 28;
  const maxWeight = Math.max(1, ...data.indicators.map((i) => i.weight));
  const indicatorRows = data.indicators.map((ind, i) =>
    bar(
      indicatorTop + i * ROW,
      ind.name,
      ind.meanScore,
      maxWeight,
      `均分 ${fixed(ind.meanScore)} / 满分 ${ind.weight}`,
      `class="indicator-bar" data-indicator="${xmlEscape(ind.indicatorId)}"`,
      '#e07b24',
      ind.weight,
    ),
  );
  const height = indicatorTop + data.indicators.length * ROW + 40;
  const title = `${campaign.name.zh} · 评价得分概览`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-labelledby="chart-title chart-desc">
  <title id="chart-title">${xmlEscape(title)}</title>
  <desc id="chart-desc">${xmlEscape(
    `上：各县（市、区）所列单位的平均总分（满分 100，无活动的单位计 0 分）；下：${data.activeUnits} 个有已登记活动的单位在各指标上的平均得分，浅色为该指标满分。`,
  )}</desc>
  <rect width="${WIDTH}" height="${height}" fill="#ffffff"/>
  <g font-family="${xmlEscape(FONT)}" font-size="13" fill="#222">
    <text x="24" y="32" font-size="20" font-weight="bold">${xmlEscape(title)}</text>
    <text x="24" y="${top - 8}" fill="#666">${xmlEscape(`计算口径见 docs/scoring.md；${data.activeUnits} 个单位有已登记的活动。`)}</text>
    <text x="24" y="${countyTop - 10}" font-size="16" font-weight="bold">各县（市、区）单位平均总分（满分 100）</text>
    ${countyRows.join('\n    ')}
    <text x="24" y="${indicatorTitleY}" font-size="16" font-weight="bold">各指标平均得分（有活动的单位；浅色为满分）</text>
    ${indicatorRows.join('\n    ')}
  </g>
</svg>
`;
}

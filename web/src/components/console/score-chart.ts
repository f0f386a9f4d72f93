/**
 * Each unit's indicator mix as stacked horizontal bars (Apache ECharts, tree-shaken: the core,
 * the bar chart, grid and tooltip, the SVG renderer; the legend is the page's own HTML, real text). Imported lazily by the scores page
 * only, so no other page carries ECharts. The chart is a picture of the ranking table, which
 * stays the data: its container is an image with a label and a description (ScoreChart.vue).
 */
import { init, use, type ComposeOption, type ECharts } from 'echarts/core';
import { BarChart, type BarSeriesOption } from 'echarts/charts';
import { GridComponent, TooltipComponent, type GridComponentOption, type TooltipComponentOption } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import { INDICATOR_COLOURS } from './score-ranking';

use([BarChart, GridComponent, TooltipComponent, SVGRenderer]);

type Option = ComposeOption<BarSeriesOption | GridComponentOption | TooltipComponentOption>;

export interface MixData {
  /** The indicators in the campaign's order: name (current language) and weight. */
  readonly indicators: ReadonlyArray<{ readonly name: string; readonly weight: number }>;
  /** Units best first: name, points per indicator (same order), total. */
  readonly units: ReadonlyArray<{ readonly name: string; readonly points: readonly number[]; readonly total: number }>;
  /** Axis and tooltip words. */
  readonly words: { readonly points: string; readonly total: string };
}

/** Pixels of chart height for `n` units (one bar each). */
export const mixHeight = (n: number): number => 56 + Math.max(1, n) * 26;

function option(data: MixData, narrow: boolean): Option {
  // Best unit at the top: a category axis draws its first category at the bottom.
  const units = [...data.units].reverse();
  return {
    animation: false,
    color: [...INDICATOR_COLOURS],
    textStyle: { fontFamily: 'system-ui, -apple-system, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif', color: '#1f2937' },
    grid: { top: 16, left: 4, right: 24, bottom: 24, containLabel: true },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      valueFormatter: (v) => (typeof v === 'number' ? v.toFixed(2) : String(v)),
    },
    xAxis: { type: 'value', max: 100, name: data.words.points, nameLocation: 'end', nameGap: 4, axisLabel: { color: '#374151' } },
    yAxis: {
      type: 'category',
      data: units.map((u) => u.name),
      axisLabel: { color: '#1f2937', width: narrow ? 84 : 160, overflow: 'truncate' },
    },
    series: data.indicators.map((indicator, i) => ({
      type: 'bar',
      name: `${indicator.name} (${indicator.weight})`,
      stack: 'total',
      barMaxWidth: 18,
      itemStyle: { borderColor: '#ffffff', borderWidth: 1 },
      emphasis: { focus: 'series' },
      data: units.map((u) => u.points[i] ?? 0),
    })),
  };
}

export interface MixChart {
  update(data: MixData): void;
  dispose(): void;
}

/** Draws `data` into `el` (its width; height set from the number of units) and follows the element's size. */
export function drawIndicatorMix(el: HTMLElement, data: MixData): MixChart {
  const narrow = () => el.clientWidth < 560;
  el.style.height = `${mixHeight(data.units.length)}px`;
  const chart: ECharts = init(el, null, { renderer: 'svg' });
  let current = data;
  chart.setOption(option(current, narrow()));
  let wasNarrow = narrow();
  const observer = new ResizeObserver(() => {
    if (narrow() !== wasNarrow) {
      wasNarrow = narrow();
      chart.setOption(option(current, wasNarrow), { notMerge: true });
    }
    chart.resize();
  });
  observer.observe(el);
  return {
    update(next) {
      current = next;
      el.style.height = `${mixHeight(next.units.length)}px`;
      chart.setOption(option(next, narrow()), { notMerge: true });
      chart.resize();
    },
    dispose() {
      observer.disconnect();
      chart.dispose();
    },
  };
}

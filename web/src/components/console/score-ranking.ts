/**
 * The ranking as the console shows it (GET …/scores): units grouped by rank, so a tie is one
 * group with one rank number (competition ranking 1, 2, 2, 4: docs/scoring.md §4), and the words
 * for the figures the system computes.
 */
import type { Schemas } from '../../api/client';
import type { Bilingual } from '../../i18n';

export type ScoresView = Schemas['Scores'];
export type ScoreUnit = ScoresView['units'][number];
export type ScoreIndicator = ScoresView['indicators'][number];

export interface RankedUnit {
  readonly organizationId: string;
  readonly rank: number;
}

/** Units sharing one rank: `tied` when more than one. */
export interface RankGroup<U extends RankedUnit> {
  readonly rank: number;
  readonly tied: boolean;
  readonly units: readonly U[];
}

/**
 * The units by rank, best first, one group per rank: the API's order (rank, then organization id
 * within a tie) whatever order they come in, equal ranks together however far apart they came.
 */
export function groupByRank<U extends RankedUnit>(units: readonly U[]): RankGroup<U>[] {
  const sorted = [...units].sort((a, b) => a.rank - b.rank || (a.organizationId < b.organizationId ? -1 : a.organizationId > b.organizationId ? 1 : 0));
  const groups: Array<{ rank: number; tied: boolean; units: U[] }> = [];
  for (const u of sorted) {
    const last = groups[groups.length - 1];
    if (last && last.rank === u.rank) {
      last.units.push(u);
      last.tied = true;
    } else groups.push({ rank: u.rank, tied: false, units: [u] });
  }
  return groups;
}

/** One colour per indicator in the chart and its legend, each at least 4.5:1 on white. */
export const INDICATOR_COLOURS = ['#1d4ed8', '#b45309', '#15803d', '#7c3aed', '#be123c', '#0e7490', '#4b5563'] as const;

/** Whether a unit registered anything (units with nothing are tied at the bottom and never commended). */
export const hasRegisteredActivity = (u: Pick<ScoreUnit, 'missing'>): boolean => !u.missing.some((m) => m.code === 'no-registered-activity');

/** The figures each indicator is computed from (rules.ts `unitFigures`), Chinese first. */
export const METRIC_NAMES: Readonly<Record<string, Bilingual>> = {
  'registered-activities': { zh: '已登记活动', en: 'Registered activities' },
  participants: { zh: '参与人数', en: 'Participants' },
  'co-organizers': { zh: '合作单位', en: 'Co-organizers' },
  'counties-covered': { zh: '覆盖县（市、区）', en: 'Counties covered' },
  'on-time-rate': { zh: '准时登记率', en: 'On-time rate' },
  'news-links': { zh: '新闻报道链接', en: 'News links' },
  'accepted-media': { zh: '通过检查的照片视频', en: 'Accepted photos and videos' },
  volunteers: { zh: '科技志愿者', en: 'Volunteers' },
  'volunteer-hours': { zh: '志愿服务时长（小时）', en: 'Volunteer hours' },
  'joint-actions-covered': { zh: '参与的联合行动', en: 'Joint actions covered' },
  'online-activities-with-url': { zh: '有网址的网络活动', en: 'Online activities with a URL' },
};

/** A figure as people read it: the on-time rate as a percentage, counts as they are. */
export function formatFigure(metric: string, value: number | undefined): string {
  if (value === undefined) return '—';
  if (metric === 'on-time-rate') return formatPercent(value);
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}

/** 0..1 as a whole percentage (`0.5833` → `58%`). */
export const formatPercent = (share: number): string => `${Math.round(share * 100)}%`;

/** Points to the hundredth, as the API rounds them. */
export const formatPoints = (points: number): string => points.toFixed(2);

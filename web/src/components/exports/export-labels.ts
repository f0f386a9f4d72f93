// Words and helpers of the exports page: the tables' and files' names, a status in words, a
// problem+json answer in words (its title follows Accept-Language, i.e. the page's language).
import { ApiError, OfflineError, type Schemas } from '../../api/client';
import { t } from '../../i18n';

export type ExportItem = Schemas['ExportListItem'];
export type ExportDetail = Schemas['Export'];
export type ExportStatus = ExportItem['status'];

/** Short names of the exported tables (the data dictionary has their full meaning). */
export function entityName(entity: string): string {
  switch (entity) {
    case 'activities':
      return t('活动', 'Activities');
    case 'media':
      return t('图片视频与文档', 'Media');
    case 'summaries':
      return t('工作总结', 'Work summaries');
    case 'flags':
      return t('逾期与缺报标记', 'Flags');
    case 'organizations':
      return t('组织单位', 'Organizing units');
    case 'scores':
      return t('评分排名', 'Scores');
    default:
      return entity;
  }
}

/** Names of the files for people written beside the tables. */
export function artifactName(name: string): string {
  switch (name) {
    case 'commendations.csv':
      return t('推荐名单（CSV）', 'Commendation list (CSV)');
    case 'chart.svg':
      return t('得分图表（SVG）', 'Score chart (SVG)');
    default:
      return name;
  }
}

export function exportStatusName(status: ExportStatus): string {
  switch (status) {
    case 'queued':
      return t('排队中', 'Queued');
    case 'running':
      return t('导出中', 'Running');
    case 'succeeded':
      return t('已完成', 'Done');
    case 'failed':
      return t('失败', 'Failed');
  }
}

export const exportStatusType = (status: ExportStatus): 'info' | 'primary' | 'success' | 'danger' =>
  status === 'succeeded' ? 'success' : status === 'failed' ? 'danger' : status === 'running' ? 'primary' : 'info';

export const isPending = (status: ExportStatus): boolean => status === 'queued' || status === 'running';

/** `CSV · 中文表头` / `Parquet`. */
export const formatName = (e: Pick<ExportItem, 'format' | 'language'>): string =>
  e.format === 'csv' ? `CSV · ${e.language === 'en' ? t('英文表头', 'English header') : t('中文表头', 'Chinese header')}` : 'Parquet';

/** `12 秒` / `2 分 5 秒` for a whole number of seconds. */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const m = Math.floor(s / 60);
  return m > 0 ? t(`${m} 分 ${s % 60} 秒`, `${m} min ${s % 60} s`) : t(`${s} 秒`, `${s} s`);
}

/** What the server said (title, detail and field messages in the page's language), or why it could not be asked. */
export interface ShownError {
  readonly title: string;
  readonly detail?: string;
}

export function describeError(e: unknown): ShownError {
  if (e instanceof OfflineError) return { title: t('网络未连接，请检查网络后重试', 'You are offline: check the connection and try again') };
  if (e instanceof ApiError) {
    const fields = (e.problem.errors ?? []).map((f) => f.message);
    const detail = [e.problem.detail, ...fields].filter(Boolean).join(' ');
    return { title: e.problem.title ?? t(`请求失败（HTTP ${e.status}）`, `The request failed (HTTP ${e.status})`), ...(detail ? { detail } : {}) };
  }
  return { title: e instanceof Error ? e.message : String(e) };
}

/** The list's shape of an export as `GET /v1/exports/{id}` answers it (its URLs left out: they expire). */
export function listItemOf(d: ExportDetail): ExportItem {
  const { files, artifacts, manifest: _m, ...rest } = d;
  return { ...rest, files: files.map((f) => ({ entity: f.entity, rows: f.rows, bytes: f.bytes })), artifacts: artifacts.map((a) => ({ name: a.name, bytes: a.bytes })) };
}

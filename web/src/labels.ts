// Words for the API's machine values, Chinese first.
import type { ActivityFormat } from '../../shared/domain/activity';
import type { Audience } from '../../shared/schemas/activity.schema';
import type { Activity, Media } from './api/client';
import { t } from './i18n';

export function statusName(status: Activity['status']): string {
  switch (status) {
    case 'draft':
      return t('草稿', 'Draft');
    case 'registered':
      return t('已登记发布', 'Registered');
    case 'completed':
      return t('成果已完善', 'Completed');
    case 'withdrawn':
      return t('已撤回', 'Withdrawn');
  }
}

export function mediaStatusName(status: Media['status']): string {
  switch (status) {
    case 'pending':
      return t('检查中', 'Checking');
    case 'accepted':
      return t('已通过', 'Accepted');
    case 'rejected':
      return t('未通过', 'Rejected');
  }
}

/** An instant shown in the campaign's zone: `2021年9月24日 23:59` / `24 Sep 2021, 23:59`. */
export function formatWhen(iso: string | undefined, timeZone: string, lang: 'zh-CN' | 'en'): string {
  if (!iso) return '';
  return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'zh-CN', {
    timeZone,
    year: 'numeric',
    month: lang === 'en' ? 'short' : 'long',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(new Date(iso));
}

/** `还剩 3 天 4 小时` / `3 d 4 h left` for `seconds` until a deadline, `已截止` once it has passed. */
export function timeLeft(seconds: number): string {
  if (seconds <= 0) return t('已截止', 'Passed');
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  if (d > 0) return t(`还剩 ${d} 天 ${h} 小时`, `${d} d ${h} h left`);
  if (h > 0) return t(`还剩 ${h} 小时 ${m} 分`, `${h} h ${m} min left`);
  return t(`还剩 ${m} 分钟`, `${m} min left`);
}

/** How an activity is held, as the form offers it. */
export const FORMAT_NAMES: Record<ActivityFormat, [zh: string, en: string]> = {
  offline: ['线下', 'Offline'],
  online: ['线上', 'Online'],
  hybrid: ['线上线下结合', 'Hybrid'],
};
export const formatName = (format: ActivityFormat): string => t(...FORMAT_NAMES[format]);

/** Whom an activity is for. */
export const AUDIENCE_NAMES: Record<Audience, [zh: string, en: string]> = {
  rural: ['农村', 'Rural'],
  community: ['社区', 'Community'],
  enterprise: ['企业', 'Enterprise'],
  school: ['学校', 'School'],
  public: ['社会公众', 'General public'],
};
/** An audience's name; an id the app does not know is shown as it is. */
export const audienceName = (audience: string): string =>
  audience in AUDIENCE_NAMES ? t(...AUDIENCE_NAMES[audience as Audience]) : audience;

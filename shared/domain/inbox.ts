/**
 * Messages to an organizing unit (its inbox): reminders before a milestone naming exactly what
 * is still missing. Pure: the text is composed here, Chinese first with English.
 */
import type { Bilingual, Campaign, MilestoneId } from './campaign';
import { formatInstant } from './time';

/** What a unit still owes before a milestone. Zero counts are left out of the text. */
export interface ReminderGaps {
  /** Registration: the unit has no activity at all (neither draft nor registered). */
  readonly noActivity?: boolean;
  /** Registration: drafts not yet submitted (registered and published). */
  readonly drafts?: number;
  /** Completion: registered activities with neither an accepted photo/video nor a news link. */
  readonly withoutEvidence?: number;
  /** Completion: online or hybrid activities without the URL of the online event. */
  readonly withoutOnlineUrl?: number;
  /** Completion: the unit's work summary is not submitted. */
  readonly summaryMissing?: boolean;
}

export interface InboxMessage {
  readonly messageId: string;
  readonly campaignId: string;
  readonly organizationId: string;
  readonly kind: 'reminder';
  readonly milestone: MilestoneId;
  /** The schedule that sent it: one message per unit and schedule, ever. */
  readonly scheduleId: string;
  readonly title: Bilingual;
  readonly text: Bilingual;
  readonly gaps: ReminderGaps;
  /** The instant the message is about (the reminder's schedule time). */
  readonly at: string;
  readonly createdAt: string;
  /** Whether it was also sent to the unit's webhook. */
  readonly webhook?: 'queued' | 'sent' | 'refused' | 'failed';
}

/** Whether anything is missing at all (no reminder is sent to a unit that owes nothing). */
export const hasGaps = (g: ReminderGaps): boolean =>
  Boolean(g.noActivity || g.drafts || g.withoutEvidence || g.withoutOnlineUrl || g.summaryMissing);

/**
 * The reminder's title and text, e.g. 「3 项活动尚未上传成果照片或新闻链接；工作总结尚未提交」, with the
 * deadline in the campaign's zone.
 */
export function reminderText(campaign: Campaign, milestone: MilestoneId, gaps: ReminderGaps): { title: Bilingual; text: Bilingual } {
  const m = campaign.milestones[milestone];
  const deadline = formatInstant(m.deadline, campaign.timeZone).slice(0, 16).replace('T', ' ');
  const zh: string[] = [];
  const en: string[] = [];
  if (gaps.noActivity) {
    zh.push('尚未登记任何活动');
    en.push('no activity registered yet');
  }
  if (gaps.drafts) {
    zh.push(`${gaps.drafts} 项活动尚未提交登记`);
    en.push(`${gaps.drafts} ${gaps.drafts === 1 ? 'activity is' : 'activities are'} not yet submitted`);
  }
  if (gaps.withoutEvidence) {
    zh.push(`${gaps.withoutEvidence} 项活动尚未上传成果照片或新闻链接`);
    en.push(`${gaps.withoutEvidence} ${gaps.withoutEvidence === 1 ? 'activity has' : 'activities have'} no result photo, video or news link yet`);
  }
  if (gaps.withoutOnlineUrl) {
    zh.push(`${gaps.withoutOnlineUrl} 项线上活动尚未填写活动网址`);
    en.push(`${gaps.withoutOnlineUrl} online ${gaps.withoutOnlineUrl === 1 ? 'activity has' : 'activities have'} no URL yet`);
  }
  if (gaps.summaryMissing) {
    zh.push('工作总结尚未提交');
    en.push('the work summary is not submitted');
  }
  return {
    title: {
      zh: `【${campaign.name.zh}】${m.name.zh}提醒：截止 ${deadline}`,
      en: `[${campaign.name.en}] ${m.name.en} reminder: due ${deadline} (${campaign.timeZone})`,
    },
    text: { zh: `${zh.join('；')}。`, en: `${en.join('; ')}.`.replace(/^./, (c) => c.toUpperCase()) },
  };
}

/** The one text a robot webhook posts: the Chinese title and text, then the English. */
export const robotText = (msg: Pick<InboxMessage, 'title' | 'text'>): string =>
  `${msg.title.zh}\n${msg.text.zh}\n\n${msg.title.en}\n${msg.text.en}`;

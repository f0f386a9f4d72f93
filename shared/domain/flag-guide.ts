/**
 * What each flag means and what the unit can do about it, in the words a clerk at a county
 * science association reads on the home page (API.md "Flags", docs/domain.md R4–R10), Chinese
 * first with English. The one declaration of these texts: the unit status route answers them
 * with every flag and the web app imports this module into its browser bundle, so it imports
 * nothing but types. A new code in FLAG_CODES fails the type check here until it is explained.
 *
 * A flag is never taken back by the system: doing late what was missed may raise another
 * (`registration-late`, `results-late`, `summary-late`), and only an admin's waiver, with a
 * reason, marks one as dealt with (a waived flag costs no points, docs/scoring.md).
 *
 * @example
 * const { meaning, howToClear } = FLAG_GUIDE['results-missing'];
 * console.log(`${meaning.zh}\n${howToClear.zh}`);
 */
import type { Bilingual } from './campaign';
import type { FlagCode } from './flags';

/** What one flag code means and how a unit clears it. */
export interface FlagGuideEntry {
  /** A short name for a tag or a list heading. */
  readonly name: Bilingual;
  readonly meaning: Bilingual;
  readonly howToClear: Bilingual;
}

/** Per flag code, its meaning and how to clear it (zh-CN and en). */
export const FLAG_GUIDE = {
  'registration-late': {
    name: { zh: '登记逾期', en: 'Registered late' },
    meaning: {
      zh: '这项活动在登记截止时间之后才提交登记发布（批准过延期的，以延期后的时间为准）。',
      en: 'The activity was submitted (registered and published) after the registration deadline, or after the extended deadline if one was granted.',
    },
    howToClear: {
      zh: '提交时间已如实记录，无法撤销，修改活动信息也不会消除。如确有正当理由（如系统故障、事先已报备），请联系活动管理员说明情况，由管理员填写理由后豁免。',
      en: 'The submission time is on record: it cannot be undone, and editing the activity does not change it. If there was a good reason (a system failure, a delay agreed in advance), ask the campaign administrator, who can waive the flag with a written reason.',
    },
  },
  'not-published-in-advance': {
    name: { zh: '未提前发布', en: 'Not published in advance' },
    meaning: {
      zh: '这项活动在开始之后才提交登记，没有做到“提前向社会发布”。',
      en: 'The activity was registered only after it had started, so it was not published in advance as the notice requires.',
    },
    howToClear: {
      zh: '已发生的情况无法撤销，今后请在活动开始前完成登记发布。如系开始时间填写有误或另有正当理由，请联系活动管理员说明情况，由管理员填写理由后豁免。',
      en: 'What happened cannot be undone; register future activities before they start. If the start time was entered wrongly or there was another good reason, ask the campaign administrator, who can waive the flag with a written reason.',
    },
  },
  'registration-overdue': {
    name: { zh: '草稿未提交', en: 'Draft never submitted' },
    meaning: {
      zh: '登记截止时（含延期），这项活动仍是草稿，没有提交登记。',
      en: 'When the registration deadline (extensions included) passed, the activity was still a draft and had not been submitted.',
    },
    howToClear: {
      zh: '如活动照常举办，请补全信息后尽快提交登记（提交后会另记一条“登记逾期”）。如活动已取消或另有正当理由，请联系活动管理员说明情况，由管理员填写理由后豁免。',
      en: 'If the activity goes ahead, complete it and submit it now (this adds a registration-late flag). If it was cancelled, or there is another good reason, ask the campaign administrator, who can waive the flag with a written reason.',
    },
  },
  'results-missing': {
    name: { zh: '成果缺报', en: 'Results missing' },
    meaning: {
      zh: '成果填报截止时（含延期），这项已登记的活动仍未补齐成果：至少需要一张审核通过的照片或视频，或一条新闻报道链接；线上活动和线上线下结合的活动还须填写活动网址。',
      en: 'When the results deadline (extensions included) passed, this registered activity still lacked its results: at least one accepted photo or video, or one news link; online and hybrid activities also need the URL of the online event.',
    },
    howToClear: {
      zh: '请在活动成果中补充新闻报道链接，或上传活动照片、视频并等待审核通过；线上活动和线上线下结合的活动还须填写活动网址。补齐后活动变为“已完成”，同时另记一条“成果逾期”。本标记不会自动消除，补齐后请联系活动管理员说明情况，由管理员填写理由后豁免。',
      en: 'Add a news link to the results, or upload photos or videos and wait until one is accepted; online and hybrid activities also need their URL. The activity then becomes completed, with a results-late flag. This flag stays: once the results are in, ask the campaign administrator, who can waive it with a written reason.',
    },
  },
  'results-late': {
    name: { zh: '成果逾期', en: 'Results late' },
    meaning: {
      zh: '这项活动的成果在成果填报截止时间（含延期）之后才补齐。',
      en: 'The activity’s results were completed only after the results deadline (extensions included).',
    },
    howToClear: {
      zh: '补齐时间已如实记录，无法撤销。如确有正当理由（如照片视频审核耗时、事先已报备），请联系活动管理员说明情况，由管理员填写理由后豁免。',
      en: 'The time is on record and cannot be undone. If there was a good reason (photos or videos waiting to be checked, a delay agreed in advance), ask the campaign administrator, who can waive the flag with a written reason.',
    },
  },
  'summary-missing': {
    name: { zh: '工作总结缺报', en: 'Work summary missing' },
    meaning: {
      zh: '工作总结截止时（含延期），本单位已登记了活动，但还没有提交科普日活动工作总结。',
      en: 'When the work-summary deadline (extensions included) passed, the unit had registered activities but had not submitted its work summary.',
    },
    howToClear: {
      zh: '请尽快在“工作总结”中填写并提交（提交后会另记一条“总结逾期”）。本标记不会自动消除，提交后请联系活动管理员说明情况，由管理员填写理由后豁免。',
      en: 'Write and submit the work summary now (this adds a summary-late flag). This flag stays: once the summary is in, ask the campaign administrator, who can waive it with a written reason.',
    },
  },
  'summary-late': {
    name: { zh: '工作总结逾期', en: 'Work summary late' },
    meaning: {
      zh: '本单位的工作总结在截止时间（含延期）之后才首次提交。',
      en: 'The unit’s work summary was first submitted after its deadline (extensions included).',
    },
    howToClear: {
      zh: '首次提交时间已如实记录，无法撤销，之后修改总结也不会消除。如确有正当理由，请联系活动管理员说明情况，由管理员填写理由后豁免。',
      en: 'The time of the first submission is on record: it cannot be undone, and later edits do not change it. If there was a good reason, ask the campaign administrator, who can waive the flag with a written reason.',
    },
  },
  'organization-inactive': {
    name: { zh: '未登记任何活动', en: 'No activity registered' },
    meaning: {
      zh: '登记截止时（含延期），本单位没有一项按时登记的活动。',
      en: 'When the registration deadline (extensions included) passed, the unit had no activity registered in time.',
    },
    howToClear: {
      zh: '如本单位仍要开展活动，请尽快创建并提交登记（会记为“登记逾期”）。如本单位今年不单独开展活动（例如作为协办单位参与了其他单位的活动），请联系活动管理员说明情况，由管理员填写理由后豁免。',
      en: 'If the unit still runs an activity, create and submit it now (it will be flagged registration-late). If the unit runs none of its own this year (for example it co-organized another unit’s activity), tell the campaign administrator, who can waive the flag with a written reason.',
    },
  },
} as const satisfies Record<FlagCode, FlagGuideEntry>;

/**
 * The vocabulary of the personal-information inventory (PIPL, issue 21; ADR 0046): what kind of
 * personal information or secret a field holds, why it is kept and for how long. A field is
 * marked where it is declared, `z.meta(phone(), personal('phone', 'reach-contact'))`, and docs/privacy.md is
 * generated from the marks (shared/privacy/). Each word is a key of a bilingual table, so a tag
 * cannot be misspelt and every word has its text in both languages.
 */
import type { Bilingual } from './campaign';

/** What a field holds. */
export const PERSONAL_CATEGORIES = {
  'contact-name': { zh: '联系人姓名', en: 'A contact person’s name' },
  phone: { zh: '联系电话（手机或座机）', en: 'A phone number (mobile or landline)' },
  email: { zh: '电子邮箱地址', en: 'An e-mail address' },
  actor: {
    zh: '账号标识 sub（登录系统给出的假名编号，不含姓名）',
    en: 'An account id, `sub` (a pseudonymous id from the sign-in provider, no name in it)',
  },
  secret: { zh: '机密地址：webhook 网址含机器人令牌，知道即可发送', en: 'A secret: a webhook URL carries a robot token; knowing it is enough to post' },
  'change-copy': {
    zh: '修改记录中的旧值与新值（可含以上联系人信息）',
    en: 'Old and new values in a change record (may hold any of the contact details above)',
  },
  'file-name': { zh: '上传时的原文件名（可能含人名）', en: 'A file name as uploaded (may contain a person’s name)' },
  acknowledgement: { zh: '隐私告知的阅读确认（谁、何时、哪一版）', en: 'An acknowledgement of the privacy notice (who, when, which version)' },
  'ip-address': { zh: '访问者的 IP 地址', en: 'A caller’s IP address' },
} as const satisfies Record<string, Bilingual>;
export type PersonalCategory = keyof typeof PERSONAL_CATEGORIES;

/** Why it is kept. */
export const PERSONAL_PURPOSES = {
  'reach-contact': {
    zh: '活动季期间，市科协就单位报送的活动与总结联系报送人员核实情况',
    en: 'During the campaign, the association reaches the person who reported for a unit about its activities and summary',
  },
  accountability: {
    zh: '记录谁在何时修改了什么，用于核查与争议处理',
    en: 'Record who changed what and when, to check reports and settle disputes',
  },
  'notify-unit': { zh: '把截止提醒发到单位自己的群机器人', en: 'Send deadline reminders to the unit’s own group robot' },
  'exactly-once': { zh: '识别重复提交的同一请求（幂等键），只执行一次', en: 'Recognise a retried request (idempotency key) so it runs once' },
  'rate-limit': { zh: '统计每人导出次数，防止滥用', en: 'Count each person’s exports against a budget' },
  evidence: { zh: '活动成果材料的来源说明', en: 'Where a piece of activity evidence came from' },
  'notice-record': { zh: '证明本人已阅读当前版本的隐私告知', en: 'Show that the person saw the current privacy notice' },
  'erasure-request': {
    zh: '按本人请求查找并删除其联系方式，或查看本人数据',
    en: 'Find and erase a person’s contact details on request, or show a person their own data',
  },
  operate: { zh: '运行与安全：排查故障、发现滥用（如异常频繁的访问）', en: 'Run the service safely: trace failures and find abuse (callers far too frequent)' },
  'erasure-proof': { zh: '证明删除请求已按要求执行（只存假名，不存本人账号）', en: 'Show that an erasure was carried out (the pseudonym only, never the account id)' },
} as const satisfies Record<string, Bilingual>;
export type PersonalPurpose = keyof typeof PERSONAL_PURPOSES;

/** The campaign's retention period, as the erasure work (issue 21 items 3–5) defines it. */
const CAMPAIGN_RETENTION: Bilingual = {
  zh: '活动季的保存期限（活动季定义的 `retentionDays`），期满后删除或假名化（issue 21 第 3–5 项）',
  en: 'The campaign’s retention period (campaign `retentionDays`), then purged or pseudonymised (issue 21 items 3–5)',
};

/** How long it is kept. */
export const PERSONAL_RETENTIONS = {
  campaign: CAMPAIGN_RETENTION,
  'idempotency-window': { zh: '24 小时，到期由 DynamoDB TTL 自动删除', en: '24 hours, then removed by DynamoDB TTL' },
  message: {
    zh: '消息处理完即从队列删除；处理失败的留在死信队列，最长 14 天（SQS 的上限）',
    en: 'Deleted from its queue once handled; a failing one stays in the dead-letter queue, 14 days at most (SQS’s limit)',
  },
  'budget-window': { zh: '所计的时间窗结束即由 DynamoDB TTL 删除', en: 'Until its counting window ends, then removed by DynamoDB TTL' },
  'not-stored': { zh: '不保存：只在处理该请求时使用（存下的只有密钥散列值）', en: 'Not stored: used while the request is handled (only keyed hashes are kept)' },
  proof: { zh: '删除记录长期保存，作为已执行删除的证明', en: 'Kept as the proof that the erasure was carried out' },
  'access-log': { zh: '访问日志保存 30 天，期满由 CloudWatch Logs 自动删除', en: '30 days in the access log, then removed by CloudWatch Logs' },
  'while-held': { zh: '与所指的条目同存：条目被删除或擦除时一并删除', en: 'As long as the item it points to: removed with it, or at an erasure' },
  person: {
    zh: '账号使用期间；本人申请删除时（`POST /v1/people/{sub}/erasure`）一并删除',
    en: 'While the account is in use; erased with the person (`POST /v1/people/{sub}/erasure`)',
  },
} as const satisfies Record<string, Bilingual>;
export type PersonalRetention = keyof typeof PERSONAL_RETENTIONS;

/** The mark of a field holding personal information or a secret. */
export interface PersonalTag {
  readonly category: PersonalCategory;
  readonly purpose: PersonalPurpose;
  readonly retention: PersonalRetention;
}

declare module 'zod/v4/core' {
  interface GlobalMeta {
    /** The field holds personal information or a secret (shared/domain/privacy.ts). */
    personal?: PersonalTag;
  }
}

/**
 * The `z.meta(field, …)` data of a field holding personal information or a secret; kept for the campaign's
 * retention period unless said otherwise.
 *
 * @example
 * phone: z.meta(phone(), personal('phone', 'reach-contact')),
 */
export const personal = (category: PersonalCategory, purpose: PersonalPurpose, retention: PersonalRetention = 'campaign'): { personal: PersonalTag } => ({
  personal: { category, purpose, retention },
});

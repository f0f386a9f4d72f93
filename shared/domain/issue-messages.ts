/**
 * The messages of the field-level issue codes (issues.ts) in zh-CN (the default) and en;
 * messages interpolate `{param}` placeholders from the issue's `params`.
 *
 * Apart from the codes so that only what renders a message loads it (ADR 0050): the problem
 * answer (shared/http/problem.ts), the web app, tests and docs. Validation needs codes only.
 */
import { isIssueCode, type FieldIssue, type IssueCode } from './issues';

/** The languages messages exist in; zh-CN is the default. */
export type IssueLanguage = 'zh-CN' | 'en';

interface Message {
  readonly 'zh-CN': string;
  readonly en: string;
}

/**
 * Every issue code and its messages. `satisfies Record<IssueCode, Message>` is the check that
 * the keys are exactly the codes of issues.ts: a code without messages is a missing property,
 * a key that is no code an unknown one (both compile errors).
 */
export const ISSUE_MESSAGES = {
  // --- translated from zod's own issues -------------------------------------------
  required: { 'zh-CN': '此项为必填项', en: 'This field is required' },
  unrecognized_key: {
    'zh-CN': '不允许的字段：{key}（表单中没有此字段，或由服务器维护）',
    en: 'Unknown field: {key} (it is not part of the form, or the server sets it)',
  },
  invalid_type: { 'zh-CN': '类型不正确，应为{expected}', en: 'Wrong type: expected {expected}' },
  too_short: { 'zh-CN': '至少需要 {min} 个字符', en: 'Must be at least {min} characters long' },
  too_long: { 'zh-CN': '最多 {max} 个字符', en: 'Must be at most {max} characters long' },
  too_small: { 'zh-CN': '不能小于 {min}', en: 'Must be at least {min}' },
  too_big: { 'zh-CN': '不能大于 {max}', en: 'Must be at most {max}' },
  too_few: { 'zh-CN': '至少需要 {min} 项', en: 'Must have at least {min} items' },
  too_many: { 'zh-CN': '最多 {max} 项', en: 'Must have at most {max} items' },
  draft_limit_reached: {
    'zh-CN': '本单位已有 {max} 个未登记的草稿，已达本次活动季的上限：请先登记已有草稿，或继续编辑已有草稿',
    en: 'Your unit already holds {max} unregistered drafts, the campaign’s cap: register some, or keep editing the ones you have',
  },
  media_limit_reached: {
    'zh-CN': '每项活动最多上传 {max} 个此类文件',
    en: 'At most {max} files of this kind per activity',
  },
  media_attempts_exhausted: {
    'zh-CN': '此类文件本活动已上传 {max} 次（含未通过检查的），不能再上传：如需更换文件，请联系市科协',
    en: 'This activity has had {max} uploads of this kind (rejected ones included) and can take no more: ask the city association to replace a file',
  },
  not_integer: { 'zh-CN': '须为整数', en: 'Must be a whole number' },
  not_multiple_of: { 'zh-CN': '须为 {divisor} 的整数倍', en: 'Must be a multiple of {divisor}' },
  invalid_option: {
    'zh-CN': '不是可选的值，须为以下之一：{options}',
    en: 'Not one of the allowed values: {options}',
  },
  invalid_format: { 'zh-CN': '格式不正确', en: 'Invalid format' },
  invalid: { 'zh-CN': '此项的值无效', en: 'Invalid value' },
  // --- field formats (shared/schemas/text.ts) --------------------------------------
  invalid_phone: {
    'zh-CN': '请填写有效的大陆手机号（11位，以1开头）或固定电话（如 0373-5820656，分机号用“-”连接）',
    en: 'Enter a valid mainland mobile number (11 digits starting with 1) or landline (e.g. 0373-5820656, extension after a “-”)',
  },
  invalid_url: {
    'zh-CN': '请填写有效的网址，如 https://www.example.cn/news/1',
    en: 'Enter a valid web address, e.g. https://www.example.cn/news/1',
  },
  https_required: { 'zh-CN': '网址须以 https:// 开头', en: 'The address must start with https://' },
  webhook_address_not_allowed: {
    'zh-CN': '推送地址不能指向内网、本机、链路本地或其他保留地址，请填写群机器人提供的公网 https 地址',
    en: 'The webhook must not point to a private, loopback, link-local or other reserved address: use the public https address your group robot gives you',
  },
  invalid_email: { 'zh-CN': '请填写有效的电子邮箱地址', en: 'Enter a valid email address' },
  invalid_instant: {
    'zh-CN': '请填写带时区的 ISO 8601 时间，如 2021-09-24T23:59:59+08:00',
    en: 'Enter an ISO 8601 time with an offset, e.g. 2021-09-24T23:59:59+08:00',
  },
  invalid_id: {
    'zh-CN': '编号格式不正确（1–64 位字母、数字、“-”或“_”）',
    en: 'Invalid identifier (1–64 letters, digits, “-” or “_”)',
  },
  duplicate_item: { 'zh-CN': '与前面的项重复：{value}', en: 'Duplicates an earlier item: {value}' },
  hidden_character: {
    'zh-CN': '不能包含控制字符、双向文字控制符（如 U+202E）或零宽字符等不可见字符：{character}',
    en: 'Must not contain invisible characters such as controls, bidirectional overrides (e.g. U+202E) or zero-width characters: {character}',
  },
  line_break_not_allowed: { 'zh-CN': '此项须为单行文本，不能换行：{character}', en: 'Must be a single line, without line breaks: {character}' },
  // --- activities ------------------------------------------------------------------
  ends_before_starts: { 'zh-CN': '结束时间不能早于开始时间', en: 'The end must not be before the start' },
  outside_campaign_year: {
    'zh-CN': '时间须在 {year} 年内（以活动所在地时间计）',
    en: 'Must be within the year {year} (in the campaign’s local time)',
  },
  unknown_county: {
    'zh-CN': '不是本次活动的县（市、区）：{value}；可选：{options}',
    en: 'Not a county or district of this campaign: {value}. Allowed: {options}',
  },
  venue_required: {
    'zh-CN': '线下或线上线下结合的活动须填写活动场地（名称和地址）',
    en: 'Offline and hybrid activities need a venue (name and address)',
  },
  epidemic_plan_required: {
    'zh-CN': '线下或线上线下结合的活动须填写疫情防控方案（至少 {min} 个字符）',
    en: 'Offline and hybrid activities need an epidemic prevention plan (at least {min} characters)',
  },
  crowd_cap_required: {
    'zh-CN': '线下或线上线下结合的活动须填写现场人数上限',
    en: 'Offline and hybrid activities need an on-site crowd cap',
  },
  crowd_cap_exceeds_expected: {
    'zh-CN': '现场人数上限不能超过预计参与人数（{max}）',
    en: 'The on-site crowd cap must not exceed the expected participants ({max})',
  },
  joint_action_required: {
    'zh-CN': '系列联合行动类活动须选择所属的联合行动',
    en: 'A joint-action activity must name its joint action',
  },
  joint_action_not_allowed: {
    'zh-CN': '主场活动不能选择联合行动',
    en: 'A main-venue activity must not name a joint action',
  },
  branded_required: {
    'zh-CN': '提交前须确认活动标注“{brandZh}”并统一使用活动标识',
    en: 'Before submitting, confirm that the activity is labelled “{brandEn}” and uses the campaign logos',
  },
  // --- uploads ---------------------------------------------------------------------
  invalid_file_name: {
    'zh-CN': '文件名不能包含路径分隔符（/ \\）或控制字符，也不能是“.”或“..”',
    en: 'A file name must not contain path separators (/ \\) or control characters, nor be “.” or “..”',
  },
  content_type_not_allowed: {
    'zh-CN': '不支持此文件类型；允许：{allowed}',
    en: 'This file type is not allowed; allowed: {allowed}',
  },
  file_too_large: {
    'zh-CN': '文件过大，最大 {maxSize}（{maxBytes} 字节）',
    en: 'The file is too large: at most {maxSize} ({maxBytes} bytes)',
  },
  // --- work summary documents ---------------------------------------------------------
  unknown_document: {
    'zh-CN': '本单位的工作总结没有这份材料：{value}（须先通过“上传总结材料”上传）',
    en: 'No document {value} was uploaded for this unit’s work summary',
  },
  document_pending: {
    'zh-CN': '材料 {value} 仍在检查中，请稍后再保存',
    en: 'Document {value} is still being checked: save again in a moment',
  },
  document_rejected: {
    'zh-CN': '材料 {value} 未通过检查，不能列入工作总结，请移除后重新上传',
    en: 'Document {value} did not pass the check and cannot be listed: remove it and upload again',
  },
  // --- extensions ------------------------------------------------------------------
  until_not_after_deadline: {
    'zh-CN': '延期后的截止时间须晚于该节点原定截止时间（{deadline}）',
    en: 'The extended deadline must be after the milestone’s own deadline ({deadline})',
  },
  unknown_organization: {
    'zh-CN': '本次活动没有这个组织单位：{value}',
    en: 'No organizing unit {value} in this campaign',
  },
  unknown_activity: {
    'zh-CN': '该组织单位在本次活动中没有这项活动：{value}',
    en: 'The organizing unit has no activity {value} in this campaign',
  },
  // --- campaign definitions (shared/domain/campaign.ts) -------------------------------
  invalid_slug: {
    'zh-CN': '编号须为小写字母、数字和“-”（1–64 位，以字母或数字开头）',
    en: 'Must be lower-case letters, digits and “-” (1–64, starting with a letter or digit)',
  },
  invalid_date: { 'zh-CN': '日期格式须为 YYYY-MM-DD，如 2022-09-24', en: 'A date as YYYY-MM-DD, e.g. 2022-09-24' },
  invalid_time_of_day: { 'zh-CN': '时间格式须为 HH:mm，如 09:00', en: 'A time of day as HH:mm, e.g. 09:00' },
  unknown_time_zone: { 'zh-CN': '不是已知的 IANA 时区，如 Asia/Shanghai', en: 'Not a known IANA time zone, e.g. Asia/Shanghai' },
  date_outside_year: { 'zh-CN': '日期须在 {year} 年内', en: 'The date must be in {year}' },
  period_invalid: {
    'zh-CN': '集中开展期须是 {year} 年内的日期，且开始不晚于结束',
    en: 'The concentrated period must be dates of {year}, starting no later than it ends',
  },
  registration_after_completion: {
    'zh-CN': '登记截止日期不能晚于信息完善截止日期',
    en: 'Registration must be due no later than completion',
  },
  weights_not_100: { 'zh-CN': '各指标权重之和须为 100，现为 {total}', en: 'The indicators’ weights must add up to 100, not {total}' },
  metrics_required: { 'zh-CN': '有计算分值的指标须列出计算所用的数据项', en: 'An indicator with a computed share needs its metrics' },
  reviewer_asks_required: {
    'zh-CN': '有评审分值的指标须写明评审要看什么（reviewerAsks）',
    en: 'An indicator with a reviewer share needs reviewerAsks',
  },
  milestone_passed: {
    'zh-CN': '该节点已于 {deadline} 截止，截止日期不能再改',
    en: 'This milestone closed at {deadline}: its date can no longer change',
  },
  date_not_in_future: {
    'zh-CN': '新的截止日期须晚于现在（{now}）',
    en: 'The new due date must be after now ({now})',
  },
  weights_locked: {
    'zh-CN': '已有评审打分，指标权重不能再改',
    en: 'Reviews exist: the indicators’ weights can no longer change',
  },
  field_locked: {
    'zh-CN': '活动发布后不能修改此项',
    en: 'This cannot change once the campaign is published',
  },
  use_milestone_route: {
    'zh-CN': '已发布活动季的截止日期须通过 PUT …/milestones/{id} 修改（须说明原因）',
    en: 'A published campaign’s due dates change through PUT …/milestones/{id}, with a reason',
  },
  cannot_remove: {
    'zh-CN': '已发布的活动季不能删除已有项：{value}（可以新增或改名）',
    en: 'A published campaign cannot lose an item: {value} (add or rename instead)',
  },
  city_not_yours: {
    'zh-CN': '只能在本人所属城市（{city}）创建活动季',
    en: 'You can only create campaigns of your own city ({city})',
  },
  unknown_campaign: { 'zh-CN': '没有编号为 {value} 的活动季', en: 'No campaign with id {value}' },
  // --- privacy notice ----------------------------------------------------------------
  notice_version_not_current: {
    'zh-CN': '只能确认当前版本（{current}）的隐私告知，而不是 {value}：请重新阅读后再确认',
    en: 'Only the current privacy notice ({current}) can be acknowledged, not {value}: read it again, then acknowledge',
  },
  // --- flags -------------------------------------------------------------------------
  flag_already_waived: {
    'zh-CN': '该标记已被豁免，不能重复豁免：{value}',
    en: 'This flag is already waived: {value}',
  },
} as const satisfies Record<IssueCode, Message>;

/** Values of an `{expected}` param (zod's type names) in each language. */
const TYPE_NAMES: Readonly<Record<string, Message>> = {
  string: { 'zh-CN': '文本', en: 'a string' },
  number: { 'zh-CN': '数字', en: 'a number' },
  boolean: { 'zh-CN': '布尔值（true 或 false）', en: 'a boolean (true or false)' },
  object: { 'zh-CN': '对象', en: 'an object' },
  array: { 'zh-CN': '数组', en: 'an array' },
  null: { 'zh-CN': 'null', en: 'null' },
};

/**
 * The message of `code` in `lang` with `{param}` placeholders filled from `params`
 * (a placeholder without a value stays as it is). An unknown code answers the code itself.
 */
export function issueMessage(
  code: string,
  lang: IssueLanguage = 'zh-CN',
  params?: Readonly<Record<string, string | number>>,
): string {
  if (!isIssueCode(code)) return code;
  return ISSUE_MESSAGES[code][lang].replace(/\{(\w+)\}/g, (placeholder, name: string) => {
    const value = params?.[name];
    if (value === undefined) return placeholder;
    if (name === 'expected') return TYPE_NAMES[String(value)]?.[lang] ?? String(value);
    return String(value);
  });
}

/** A field issue with its message in one language: an entry of a problem answer's `errors`. */
export interface FieldError {
  readonly path: string;
  readonly code: string;
  readonly message: string;
}

/** `issue` as an entry of a problem answer's `errors`, its message in `lang`. */
export const fieldError = (issue: FieldIssue, lang: IssueLanguage): FieldError => ({
  path: issue.path,
  code: issue.code,
  message: issueMessage(issue.code, lang, issue.params),
});

/**
 * RFC 9457 problem details in zh-CN (default) and en, shared by the handlers and
 * the local gateway so an error reads the same whichever answered it.
 */
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import * as z from '../domain/zod';
import { fieldError, type FieldError } from '../domain/issue-messages';
import type { FieldIssue } from '../errors';

export type Language = 'zh-CN' | 'en';

interface Text {
  readonly 'zh-CN': string;
  readonly en: string;
}

/** Titles of the problem codes the API answers with. */
export const PROBLEM_TITLES = {
  not_found: { 'zh-CN': '未找到该资源', en: 'Resource not found' },
  unauthorized: { 'zh-CN': '未登录或登录凭证无效', en: 'Missing or invalid credentials' },
  forbidden: { 'zh-CN': '当前角色无权执行此操作', en: 'Your role may not do this' },
  route_not_found: { 'zh-CN': '没有这个接口', en: 'No such route' },
  method_not_allowed: { 'zh-CN': '该接口不支持此请求方法', en: 'Method not allowed on this route' },
  payload_too_large: { 'zh-CN': '请求体超过 256 KiB 上限', en: 'Request body exceeds the 256 KiB limit' },
  unsupported_media_type: {
    'zh-CN': '不支持该请求体类型',
    en: 'Unsupported request body type',
  },
  malformed_json: { 'zh-CN': '请求体不是合法的 JSON', en: 'Request body is not valid JSON' },
  bad_request: { 'zh-CN': '请求参数不正确', en: 'Bad request parameters' },
  stale_version: { 'zh-CN': '数据已被他人修改，请刷新后重试', en: 'Someone changed this first: reload and try again' },
  if_match_required: { 'zh-CN': '修改时须附带 If-Match 版本号', en: 'Send If-Match with the version you are changing' },
  idempotency_key_reused: {
    'zh-CN': '同一 Idempotency-Key 已用于内容不同的请求',
    en: 'This Idempotency-Key was used for a different request',
  },
  idempotency_in_progress: {
    'zh-CN': '同一 Idempotency-Key 的请求正在处理中，请稍后重试',
    en: 'A request with this Idempotency-Key is still in progress; retry shortly',
  },
  rate_limited: {
    'zh-CN': '请求过于频繁，请在 Retry-After 秒后重试',
    en: 'Too many requests: retry after the seconds Retry-After gives',
  },
  validation_failed: { 'zh-CN': '提交的数据未通过校验', en: 'The submitted data failed validation' },
  conflict: { 'zh-CN': '请求与当前状态冲突', en: 'The request conflicts with the current state' },
  campaign_closed: { 'zh-CN': '该活动季已结束，数据只能查看，不能修改', en: 'This campaign is closed: its data can be read, not changed' },
  dependency_unavailable: { 'zh-CN': '依赖的服务暂不可用', en: 'A dependency is unavailable' },
  internal: { 'zh-CN': '服务器内部错误，请稍后重试', en: 'Internal server error, please retry later' },
} as const satisfies Record<string, Text>;

export type ProblemCode = keyof typeof PROBLEM_TITLES;

/** Picks zh-CN unless the client prefers English (`Accept-Language: en…`). */
export function negotiateLanguage(acceptLanguage: string | undefined): Language {
  if (!acceptLanguage) return 'zh-CN';
  const ranked = acceptLanguage
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag: tag.toLowerCase(), q: q ? Number(q.slice(2)) || 0 : 1 };
    })
    .filter((l) => l.tag.startsWith('zh') || l.tag.startsWith('en'))
    .sort((a, b) => b.q - a.q);
  return ranked[0]?.tag.startsWith('en') ? 'en' : 'zh-CN';
}

/** The body of every problem answer ({@link problemResponse}). */
export const problemSchema = z.looseObject({
  type: z.url(),
  title: z.meta(z.string(), { description: 'Follows `Accept-Language` (zh-CN by default, or en).' }),
  status: z.meta(z.number().check(z.gte(400), z.lte(599)), { type: 'integer' }),
  detail: z.optional(z.string()),
  requestId: z.meta(z.optional(z.string()), { description: 'Correlates a 5xx with the logs.' }),
  errors: z.meta(
    z.optional(z.array(
      z.strictObject({
        path: z.meta(z.string(), { description: 'Dotted path of the failing field, e.g. `contact.phone`.', examples: ['contact.phone'] }),
        code: z.meta(z.string(), { description: 'Stable machine code.', examples: ['invalid_phone'] }),
        message: z.meta(z.string(), { description: 'Localized like `title`.' }),
      }),
    )),
    { description: 'Every failing field (422).' },
  ),
});
export type Problem = z.output<typeof problemSchema>;

export interface ProblemOptions {
  readonly detail?: string;
  readonly errors?: readonly FieldIssue[];
  readonly headers?: Record<string, string>;
  /** Correlates the answer with the logs (a 500 shows only this). */
  readonly requestId?: string;
}

/**
 * Builds an `application/problem+json` response for `code` in `lang`, each field issue of
 * `options.errors` with its message in `lang`.
 */
export function problemResponse(status: number, code: ProblemCode, lang: Language, options: ProblemOptions = {}): APIGatewayProxyStructuredResultV2 {
  const { errors, ...rest } = options;
  return problemAnswer(status, code, lang, { ...rest, ...(errors ? { errors: errors.map((e) => fieldError(e, lang)) } : {}) });
}

/**
 * {@link problemResponse} with `errors` already in `lang` (`AppError.fieldErrors`, shared/errors.ts): what
 * `httpProblems` answers with, so that the edge itself does not load the message catalogue
 * (ADR 0050).
 */
export function problemAnswer(
  status: number,
  code: ProblemCode,
  lang: Language,
  options: Omit<ProblemOptions, 'errors'> & { readonly errors?: readonly FieldError[] } = {},
): APIGatewayProxyStructuredResultV2 {
  const body = {
    type: `https://sciday.example/problems/${code}`,
    title: PROBLEM_TITLES[code][lang],
    status,
    ...(options.detail ? { detail: options.detail } : {}),
    ...(options.requestId ? { requestId: options.requestId } : {}),
    ...(options.errors ? { errors: options.errors.map((e) => ({ path: e.path, code: e.code, message: e.message })) } : {}),
  } satisfies Problem;
  return {
    statusCode: status,
    headers: {
      'content-type': 'application/problem+json; charset=utf-8',
      'content-language': lang,
      ...options.headers,
    },
    body: JSON.stringify(body),
  };
}

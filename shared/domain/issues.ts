/**
 * Field-level issue codes: the stable, machine-readable `code` of each entry in a 422's
 * `errors`. Their messages in zh-CN (the default) and en live apart, in issue-messages.ts:
 * only what renders a message (the problem answer, the web app) loads that catalogue, so the
 * bundles of functions that only validate stay small (ADR 0050).
 *
 * Schemas raise these codes in two ways: zod's own issues (missing field, wrong type,
 * length, enum...) are translated by {@link toFieldIssues}; every rule of ours is a zod
 * `custom` issue that names its code in `params.code` (build those with
 * {@link issueParams} / {@link customIssue}, which only accept known codes).
 */
import * as z from './zod';

/**
 * One failing field. The same shape as `FieldIssue` in shared/errors.ts (which
 * `InvalidInputError` carries): the domain imports nothing outside itself, so it is declared
 * here again, and the types are interchangeable.
 */
export interface FieldIssue {
  /** Dotted path of the failing field, e.g. `contact.phone` or `newsLinks.2`; `''` for the body. */
  readonly path: string;
  /** Stable code, one of {@link ISSUE_CODES}. */
  readonly code: string;
  /** Values interpolated into the message. */
  readonly params?: Readonly<Record<string, string | number>>;
}

/**
 * Every issue code, in catalogue order. A code is never renamed once published; a new one
 * needs its messages in issue-messages.ts (the compiler checks both lists match).
 */
export const ISSUE_CODES = [
  // --- translated from zod's own issues -------------------------------------------
  'required', 'unrecognized_key', 'invalid_type', 'too_short', 'too_long', 'too_small', 'too_big', 'too_few', 'too_many',
  'draft_limit_reached', 'media_limit_reached', 'media_attempts_exhausted', 'not_integer', 'not_multiple_of',
  'invalid_option', 'invalid_format', 'invalid',
  // --- field formats (shared/schemas/text.ts) --------------------------------------
  'invalid_phone', 'invalid_url', 'https_required', 'webhook_address_not_allowed', 'invalid_email', 'invalid_instant',
  'invalid_id', 'duplicate_item', 'hidden_character', 'line_break_not_allowed',
  // --- activities ------------------------------------------------------------------
  'ends_before_starts', 'outside_campaign_year', 'unknown_county', 'venue_required', 'epidemic_plan_required',
  'crowd_cap_required', 'crowd_cap_exceeds_expected', 'joint_action_required', 'joint_action_not_allowed', 'branded_required',
  // --- uploads ---------------------------------------------------------------------
  'invalid_file_name', 'content_type_not_allowed', 'file_too_large',
  // --- work summary documents ---------------------------------------------------------
  'unknown_document', 'document_pending', 'document_rejected',
  // --- extensions ------------------------------------------------------------------
  'until_not_after_deadline', 'unknown_organization', 'unknown_activity',
  // --- campaign definitions (shared/domain/campaign.ts) -------------------------------
  'invalid_slug', 'invalid_date', 'invalid_time_of_day', 'unknown_time_zone', 'date_outside_year', 'period_invalid',
  'registration_after_completion', 'weights_not_100', 'metrics_required', 'reviewer_asks_required', 'milestone_passed',
  'date_not_in_future', 'weights_locked', 'field_locked', 'use_milestone_route', 'cannot_remove', 'city_not_yours',
  'unknown_campaign',
  // --- privacy notice ----------------------------------------------------------------
  'notice_version_not_current',
  // --- flags -------------------------------------------------------------------------
  'flag_already_waived',
] as const;

/** A stable issue code. */
export type IssueCode = (typeof ISSUE_CODES)[number];

/**
 * Whether `code` is a known issue code. A scan of the list, not a `Set` built at load: esbuild keeps
 * a module-level `new Set(…)` (a call) in every bundle that imports this module at all.
 */
export const isIssueCode = (code: string): code is IssueCode => (ISSUE_CODES as readonly string[]).includes(code);

/** Params of a custom issue: its `code` plus values for the message. */
export type IssueParams = Readonly<Record<string, string | number>>;

/**
 * `{ params: { code, ...params } }` for `z.refine(fn, issueParams('invalid_phone'))`: a custom
 * issue that {@link toFieldIssues} turns into `code`.
 */
export const issueParams = (code: IssueCode, params: IssueParams = {}): { params: Record<string, string | number> } => ({
  params: { ...params, code },
});

/**
 * A custom issue for `ctx.addIssue(...)` in a `superRefine`: `path` is relative to the
 * refined schema.
 */
export const customIssue = (
  code: IssueCode,
  path: ReadonlyArray<string | number> = [],
  params: IssueParams = {},
): { code: 'custom'; path: (string | number)[]; params: Record<string, string | number> } => ({
  code: 'custom',
  path: [...path],
  params: { ...params, code },
});

/**
 * Params that echo what the client sent (`key`, `value`) are cut to this many code points:
 * an unknown key or a duplicate may be anything.
 */
const MAX_ECHO_LENGTH = 100;
const ECHO_PARAMS = new Set(['key', 'value']);

function paramValue(value: unknown, limit = Infinity): string | number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  const text = Array.isArray(value) ? value.map(String).join(', ') : String(value);
  if (text.length <= limit) return text;
  // Fewer than 2×max UTF-16 units may still be at most max code points.
  const points = [...text.slice(0, limit * 2 + 1)];
  return points.length > limit ? `${points.slice(0, limit).join('')}…` : text;
}

function paramsOf(values: Record<string, unknown>): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(values)) {
    if (value !== undefined) out[key] = paramValue(value, ECHO_PARAMS.has(key) ? MAX_ECHO_LENGTH : Infinity);
  }
  return out;
}

const dotted = (path: readonly PropertyKey[]): string => path.map((p) => String(p)).join('.');

/** The value at `path` inside `root`, or `undefined`. */
function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let node = root;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

/**
 * Whether an `invalid_type` or `invalid_value` issue is about a missing value. Exact when the
 * issue carries its input (parse with `{ reportInput: true }`, as {@link safeParseFields}
 * does) or when the parsed input is given. Without either (zod drops inputs by default), an
 * `invalid_type` is judged by zod's `nonoptional` marker or English default message
 * ("…received undefined"), and a missing enum value cannot be told from a wrong one.
 */
function isMissing(
  issue: z.core.$ZodIssueInvalidType | z.core.$ZodIssueInvalidValue,
  input: unknown,
  hasInput: boolean,
): boolean {
  if ('input' in issue) return issue.input === undefined;
  if (hasInput) return valueAt(input, issue.path) === undefined;
  if (issue.code === 'invalid_value') return false;
  return issue.expected === 'nonoptional' || / received undefined$/.test(issue.message);
}

function sizeCode(origin: string, kind: 'small' | 'big'): IssueCode {
  if (origin === 'string') return kind === 'small' ? 'too_short' : 'too_long';
  if (origin === 'array' || origin === 'set' || origin === 'map') return kind === 'small' ? 'too_few' : 'too_many';
  return kind === 'small' ? 'too_small' : 'too_big';
}

const FORMAT_CODES: Readonly<Record<string, IssueCode>> = {
  email: 'invalid_email',
  url: 'invalid_url',
  datetime: 'invalid_instant',
};

/**
 * Maps every zod issue to exactly one {@link FieldIssue} (an `unrecognized_keys` issue to one
 * `unrecognized_key` per key, with the key appended to the path). Paths are dotted, array
 * indexes as numbers (`newsLinks.2`); the root is `''`. Every code produced is one of
 * {@link ISSUE_CODES}.
 *
 * Prefer {@link safeParseFields}; when mapping a `safeParse` result yourself, pass the input
 * too (or parse with `{ reportInput: true }`), or a missing enum field reads `invalid_option`.
 *
 * @param error a `ZodError` (or anything with zod `issues`)
 * @param input the value that was parsed: makes "missing" (`required`) exact
 */
export function toFieldIssues(error: { readonly issues: readonly z.core.$ZodIssue[] }, ...input: [unknown?]): FieldIssue[] {
  const hasInput = input.length > 0;
  return error.issues.flatMap((issue): FieldIssue[] => {
    const path = dotted(issue.path);
    const one = (code: IssueCode, params: Record<string, unknown> = {}): FieldIssue[] => {
      const p = paramsOf(params);
      return [Object.keys(p).length > 0 ? { path, code, params: p } : { path, code }];
    };
    switch (issue.code) {
      case 'invalid_type':
        if (isMissing(issue, input[0], hasInput)) return one('required');
        if (issue.expected === 'int') return one('not_integer');
        return one('invalid_type', { expected: issue.expected });
      case 'too_small':
        return one(sizeCode(issue.origin, 'small'), { min: issue.minimum });
      case 'too_big':
        return one(sizeCode(issue.origin, 'big'), { max: issue.maximum });
      case 'invalid_format':
        return one(FORMAT_CODES[issue.format] ?? 'invalid_format', { format: issue.format });
      case 'not_multiple_of':
        return issue.divisor === 1 ? one('not_integer') : one('not_multiple_of', { divisor: issue.divisor });
      case 'unrecognized_keys':
        return issue.keys.map((key) => ({
          path: dotted([...issue.path, key]),
          code: 'unrecognized_key',
          params: { key: paramValue(key, MAX_ECHO_LENGTH) },
        }));
      case 'invalid_value':
        if (isMissing(issue, input[0], hasInput)) return one('required');
        return one('invalid_option', { options: issue.values.map(String) });
      case 'custom': {
        const { code, ...params } = (issue.params ?? {}) as Record<string, unknown>;
        return typeof code === 'string' && isIssueCode(code) ? one(code, params) : one('invalid');
      }
      default:
        // invalid_union, invalid_key, invalid_element: no schema of ours raises them.
        return one('invalid');
    }
  });
}

/** The result of {@link safeParseFields}. */
export type FieldParseResult<T> =
  | { readonly success: true; readonly data: T }
  | { readonly success: false; readonly issues: FieldIssue[] };

/** Parses `input` with `schema` and answers the data or every {@link FieldIssue} at once. */
export function safeParseFields<S extends z.core.$ZodType>(schema: S, input: unknown): FieldParseResult<z.output<S>> {
  const result = z.safeParse(schema, input, { reportInput: true });
  return result.success ? { success: true, data: result.data } : { success: false, issues: toFieldIssues(result.error, input) };
}

/**
 * Field errors for a form: the browser's own validation (the API's zod schemas, imported) and
 * the server's problem+json `errors`, both keyed by the form field they belong to.
 */
import type { FieldIssue } from '../../shared/domain/issues';

/** A field issue's message in the page's current language (i18n.ts `fieldMessage`). */
export type MessageOf = (code: string, params?: Readonly<Record<string, string | number>>) => string;

/**
 * One message per field: the server's finding wins over the browser's (worded in the current
 * language when the browser found the same), and the first issue of a field is the one shown.
 */
export function errorsByField<F extends string>(
  local: readonly FieldIssue[],
  server: ReadonlyArray<{ readonly path: string; readonly code: string; readonly message: string }>,
  fieldOf: (path: string) => F | undefined,
  messageOf: MessageOf,
  shown: (field: F) => boolean = () => true,
): Partial<Record<F, string>> {
  const out: Partial<Record<F, string>> = {};
  for (const issue of server) {
    const field = fieldOf(issue.path);
    if (!field || out[field] !== undefined) continue;
    // The same finding in the browser reads in the page's current language (the server's is in
    // the language of the request, which a switch since then has not changed).
    const same = local.find((l) => l.path === issue.path && l.code === issue.code);
    out[field] = same ? messageOf(same.code, same.params) : issue.message;
  }
  for (const issue of local) {
    const field = fieldOf(issue.path);
    if (field && out[field] === undefined && shown(field)) out[field] = messageOf(issue.code, issue.params);
  }
  return out;
}

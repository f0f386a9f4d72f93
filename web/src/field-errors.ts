/**
 * Field errors for a form: the browser's own validation (the API's zod schemas, imported) and
 * the server's problem+json `errors`, both keyed by the form field they belong to.
 */
import type { FieldIssue } from '../../shared/domain/issues';
import type { FieldProblem } from './api/client';
import { fieldMessage } from './i18n';

/**
 * One message per field: the server's (in the language it was asked in) wins over the
 * browser's, and the first issue of a field is the one shown.
 */
export function errorsByField<F extends string>(
  local: readonly FieldIssue[],
  server: readonly FieldProblem[],
  fieldOf: (path: string) => F | undefined,
  shown: (field: F) => boolean = () => true,
): Partial<Record<F, string>> {
  const out: Partial<Record<F, string>> = {};
  for (const issue of server) {
    const field = fieldOf(issue.path);
    if (field && out[field] === undefined) out[field] = issue.message;
  }
  for (const issue of local) {
    const field = fieldOf(issue.path);
    if (field && out[field] === undefined && shown(field)) out[field] = fieldMessage(issue.code, issue.params);
  }
  return out;
}

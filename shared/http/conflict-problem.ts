/**
 * A 409 problem that names its cause in `errors` (e.g. `flag_already_waived`). `httpProblems`
 * lists `errors` only for a 422, so a route answers such a conflict itself.
 *
 * @example
 * try { … } catch (error) {
 *   if (error instanceof FlagAlreadyWaivedError) return conflictProblem(event, error);
 *   throw error;
 * }
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import type { ConflictError, FieldIssue } from '../errors';
import { negotiateLanguage, problemResponse } from './problem';

export function conflictProblem(event: APIGatewayProxyEventV2, error: ConflictError & { readonly issues: readonly FieldIssue[] }): APIGatewayProxyResultV2 {
  return problemResponse(409, 'conflict', negotiateLanguage(event.headers?.['accept-language']), { detail: error.message, errors: error.issues });
}

import { StaleVersionError, VersionRequiredError } from '../errors';

/** The stored version a write's If-Match is checked against. */
export interface StoredVersion {
  /** The version stored now (0 when nothing is stored yet). */
  readonly version: number;
  /** Whether the request must name a version: always for a change, only once stored for a PUT that creates. */
  readonly required: boolean;
}

/**
 * What a write's If-Match precondition says: 428 when a version is required and none was sent,
 * 412 when it names another version than the stored one, `undefined` when it holds. For a caller
 * that answers a retry of a change already applied before the failure counts (RFC 9110 §13.1.1).
 *
 * @example
 * const failure = ifMatchFailure(input.ifMatch, { version: current?.version ?? 0, required: current !== undefined });
 */
export function ifMatchFailure(ifMatch: number | undefined, stored: StoredVersion): StaleVersionError | VersionRequiredError | undefined {
  if (ifMatch === undefined) return stored.required ? new VersionRequiredError() : undefined;
  return ifMatch === stored.version ? undefined : new StaleVersionError(stored.version);
}

/**
 * Throws what a failed If-Match precondition answers (428 or 412), see `ifMatchFailure`.
 *
 * @example
 * checkIfMatch(input.ifMatch, { version: activity.version, required: true });
 */
export function checkIfMatch(ifMatch: number | undefined, stored: StoredVersion): void {
  const failure = ifMatchFailure(ifMatch, stored);
  if (failure) throw failure;
}

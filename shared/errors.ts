/**
 * The application's error hierarchy. Use cases throw these; the HTTP edge maps them
 * to RFC 9457 problem details (see `shared/http/problem.ts`), batch handlers let them
 * fail the record. Branch on `instanceof`, never on `name`.
 */
import { fieldError, type FieldError, type IssueLanguage } from './domain/issue-messages';

export interface FieldIssue {
  /** Dotted path of the failing field, e.g. `contact.phone`. */
  readonly path: string;
  /** Stable machine code, e.g. `invalid_phone`. */
  readonly code: string;
  /** Optional values interpolated into the localized message. */
  readonly params?: Readonly<Record<string, string | number>>;
}

export class AppError extends Error {
  /** HTTP status this error maps to at the edge. */
  public readonly status: number = 500;
  /** Stable problem code, the key of the localized title. */
  public readonly code: string = 'internal';

  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'AppError';
  }

  /** The problem answer's `errors` in `lang`, for an error that has field issues ({@link InvalidInputError}). */
  public fieldErrors?(lang: IssueLanguage): FieldError[];
}

export class NotFoundError extends AppError {
  public override readonly status = 404;
  public override readonly code = 'not_found';
  public constructor(message = 'not found', options?: ErrorOptions) {
    super(message, options);
    this.name = 'NotFoundError';
  }
}

export class ConflictError extends AppError {
  public override readonly status = 409;
  public override readonly code = 'conflict';
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ConflictError';
  }
}

/** A change to a closed campaign (409): its data stays readable, nothing in it changes. */
export class CampaignClosedError extends AppError {
  public override readonly status = 409;
  public override readonly code = 'campaign_closed';
  public constructor(
    public readonly campaignId: string,
    options?: ErrorOptions,
  ) {
    super(`campaign ${campaignId} is closed: its data can be read, not changed`, options);
    this.name = 'CampaignClosedError';
  }
}

export class InvalidInputError extends AppError {
  public override readonly status = 422;
  public override readonly code = 'validation_failed';
  public constructor(
    message: string,
    public readonly issues: readonly FieldIssue[] = [],
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'InvalidInputError';
  }

  /**
   * Each issue with its message in `lang`. The error renders them, not the HTTP edge, so that the
   * message catalogue is bundled only with code that can throw this error: a function that never
   * validates input (get-openapi) leaves it out (ADR 0050).
   */
  public override fieldErrors(lang: IssueLanguage): FieldError[] {
    return this.issues.map((issue) => fieldError(issue, lang));
  }
}

export class DependencyError extends AppError {
  public override readonly status = 503;
  public override readonly code = 'dependency_unavailable';
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DependencyError';
  }
}

/** Another export older than this one is still copying to `latest/` after the wait: try again later. */
export class PromotionBusyError extends DependencyError {
  public constructor(campaignId: string, options?: ErrorOptions) {
    super(`another export of ${campaignId} is still being promoted to latest/`, options);
    this.name = 'PromotionBusyError';
  }
}

/** Configuration missing or invalid at cold start: the function cannot run (an operator's fix, never a retry). */
export class ConfigError extends AppError {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ConfigError';
  }
}

/** Narrows an unknown catch value to an Error, wrapping anything else. */
export function assertIsError(value: unknown): asserts value is Error {
  if (!(value instanceof Error)) {
    throw new Error(`Non-error thrown: ${String(value)}`, { cause: value });
  }
}

/** The AWS SDK's service-error name, if `error` is one (e.g. `ConditionalCheckFailedException`). */
export function awsErrorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}

export class UnauthorizedError extends AppError {
  public override readonly status = 401;
  public override readonly code = 'unauthorized';
  public constructor(message = 'missing or invalid credentials', options?: ErrorOptions) {
    super(message, options);
    this.name = 'UnauthorizedError';
  }
}

export class ForbiddenError extends AppError {
  public override readonly status = 403;
  public override readonly code = 'forbidden';
  public constructor(message = 'your role may not do this', options?: ErrorOptions) {
    super(message, options);
    this.name = 'ForbiddenError';
  }
}

/** The body is not JSON (400). */
export class MalformedBodyError extends AppError {
  public override readonly status = 400;
  public override readonly code = 'malformed_json';
  public constructor(message = 'the body is not valid JSON', options?: ErrorOptions) {
    super(message, options);
    this.name = 'MalformedBodyError';
  }
}

/** A query parameter or cursor that is not acceptable (400). */
export class BadRequestError extends AppError {
  public override readonly status = 400;
  public override readonly code = 'bad_request';
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'BadRequestError';
  }
}

export class UnsupportedMediaTypeError extends AppError {
  public override readonly status = 415;
  public override readonly code = 'unsupported_media_type';
  public constructor(message = 'the body must be application/json', options?: ErrorOptions) {
    super(message, options);
    this.name = 'UnsupportedMediaTypeError';
  }
}

/** If-Match names a version that is no longer current (412). */
export class StaleVersionError extends AppError {
  public override readonly status = 412;
  public override readonly code = 'stale_version';
  public constructor(
    public readonly currentVersion: number,
    options?: ErrorOptions,
  ) {
    super(`the resource is at version ${currentVersion}; reload it and apply your change again`, options);
    this.name = 'StaleVersionError';
  }
}

/** A change without If-Match (428). */
export class VersionRequiredError extends AppError {
  public override readonly status = 428;
  public override readonly code = 'if_match_required';
  public constructor(message = 'send If-Match with the version you are changing', options?: ErrorOptions) {
    super(message, options);
    this.name = 'VersionRequiredError';
  }
}

/** A body over the contract's 256 KiB (413); API Gateway's own limit is 10 MB. */
export class PayloadTooLargeError extends AppError {
  public override readonly status = 413;
  public override readonly code = 'payload_too_large';
  public constructor(message = 'the body exceeds 256 KiB', options?: ErrorOptions) {
    super(message, options);
    this.name = 'PayloadTooLargeError';
  }
}

/** The id a creating write wanted is taken: its conditional write failed (409 unless it was this request's own, ADR 0025). */
export class KeyTakenError extends ConflictError {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'KeyTakenError';
  }
}

/**
 * The caller's budget for this kind of request is spent (429, with `Retry-After`): e.g. new export
 * jobs per user and hour (ADR 0033).
 */
export class RateLimitedError extends AppError {
  public override readonly status = 429;
  public override readonly code = 'rate_limited';
  public constructor(
    /** Seconds until the budget renews. */
    public readonly retryAfterSeconds: number,
    message = 'your budget for this is spent for now',
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'RateLimitedError';
  }
}

/** The same Idempotency-Key with another body (422). */
export class IdempotencyKeyReusedError extends AppError {
  public override readonly status = 422;
  public override readonly code = 'idempotency_key_reused';
  public constructor(message = 'this Idempotency-Key was used for a different request', options?: ErrorOptions) {
    super(message, options);
    this.name = 'IdempotencyKeyReusedError';
  }
}

/** A request with this Idempotency-Key is still running (409, retry shortly). */
export class IdempotencyInProgressError extends AppError {
  public override readonly status = 409;
  public override readonly code = 'idempotency_in_progress';
  public constructor(message = 'a request with this Idempotency-Key is still in progress', options?: ErrorOptions) {
    super(message, options);
    this.name = 'IdempotencyInProgressError';
  }
}

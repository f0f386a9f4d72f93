/**
 * The application's error hierarchy. Use cases throw these; the HTTP edge maps them
 * to RFC 9457 problem details (see `shared/http/problem.ts`), batch handlers let them
 * fail the record. Branch on `instanceof`, never on `name`.
 */
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
}

export class DependencyError extends AppError {
  public override readonly status = 503;
  public override readonly code = 'dependency_unavailable';
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DependencyError';
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

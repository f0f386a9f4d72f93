/**
 * Reading an API Gateway (payload 2.0) request: identity, JSON body, If-Match, list
 * parameters. Each reader throws the AppError the contract answers with.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { principalFromClaims, hasRole, type ClaimNames, type Principal, type Role } from '../auth/principal';
import { loadClaimNames } from '../config';
import {
  BadRequestError,
  ForbiddenError,
  MalformedBodyError,
  PayloadTooLargeError,
  UnauthorizedError,
  UnsupportedMediaTypeError,
} from '../errors';
import { MAX_BODY_BYTES } from './limits';

export { MAX_BODY_BYTES } from './limits';

/** Read once per cold start: where the token carries the unit and the roles. */
const configuredClaimNames: ClaimNames = loadClaimNames();

type Event = APIGatewayProxyEventV2 & {
  requestContext: APIGatewayProxyEventV2['requestContext'] & { authorizer?: { jwt?: { claims?: Record<string, unknown> } } };
};

/** The verified caller (the authorizer checked the token); 401 when the claims do not name one. */
export function principalOf(event: APIGatewayProxyEventV2, names: ClaimNames = configuredClaimNames): Principal {
  const principal = principalFromClaims((event as Event).requestContext.authorizer?.jwt?.claims, names);
  if (!principal) throw new UnauthorizedError('the token does not name a user, a unit and a role');
  return principal;
}

/** 403 unless the caller has one of `roles`. */
export function requireRole(principal: Principal, ...roles: Role[]): void {
  if (!hasRole(principal, ...roles)) throw new ForbiddenError(`this needs one of the roles: ${roles.join(', ')}`);
}

const header = (event: APIGatewayProxyEventV2, name: string): string | undefined => event.headers?.[name.toLowerCase()];

/** The JSON body: 415 unless it is application/json, 400 when it does not parse. No body reads as `{}`. */
export function jsonBody(event: APIGatewayProxyEventV2): unknown {
  if (event.body === undefined || event.body === '') return {};
  const type = (header(event, 'content-type') ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json' && !type?.endsWith('+json')) throw new UnsupportedMediaTypeError();
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) throw new PayloadTooLargeError();
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new MalformedBodyError(`the body is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
}

/** A path parameter the route template guarantees. */
export function pathParam(event: APIGatewayProxyEventV2, name: string): string {
  const value = event.pathParameters?.[name];
  if (!value) throw new BadRequestError(`missing path parameter ${name}`);
  return value;
}

/** `ETag` of a version: `"3"`. */
export const etagOf = (version: number): string => `"${version}"`;

/** The version `If-Match` names (`"3"`, `W/"3"` or `3`), `undefined` when absent; 400 when it names none. */
export function ifMatchVersion(event: APIGatewayProxyEventV2): number | undefined {
  const raw = header(event, 'if-match');
  if (raw === undefined) return undefined;
  const m = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(raw);
  if (!m) throw new BadRequestError('If-Match must be the ETag of the version you read, e.g. "3"');
  return Number(m[1]);
}

/** `?limit=` (1..100, default 20) and the opaque `?cursor=`. */
export function listParams(event: APIGatewayProxyEventV2): { limit: number; cursor?: string } {
  const q = event.queryStringParameters ?? {};
  const limit = q.limit === undefined ? 20 : Number(q.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new BadRequestError('limit must be an integer from 1 to 100');
  return { limit, ...(q.cursor ? { cursor: q.cursor } : {}) };
}

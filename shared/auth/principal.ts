/**
 * Who is calling: the verified JWT's claims as a {@link Principal}. On AWS the HTTP API's
 * JWT authorizer verifies the token and hands its claims to the handler
 * (`requestContext.authorizer.jwt.claims`); on one machine the gateway verifies local
 * tokens and fills the same field, so handlers read identity one way in both places.
 */
import * as z from '../domain/zod';
import { SLUG_PATTERN } from '../domain/slug';

export const ROLES = ['organizer', 'reviewer', 'admin', 'analyst'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  readonly sub: string;
  /** The organizing unit the user acts for. */
  readonly orgId: string;
  readonly roles: ReadonlySet<Role>;
  /**
   * The city whose campaigns the roles apply to (ADR 0024): the token's city claim, or the
   * deployment's home city when the token has none.
   */
  readonly city: string;
}

/** Claim names are configuration (an OIDC provider may call them otherwise). */
export interface ClaimNames {
  readonly orgId: string;
  readonly roles: string;
  /** The claim naming the user's city (ADR 0024). */
  readonly city: string;
  /** The city of a token without a city claim (a one-city deployment's tokens need none). */
  readonly homeCity: string;
}

export const DEFAULT_CLAIM_NAMES: ClaimNames = { orgId: 'orgId', roles: 'roles', city: 'city', homeCity: 'xinxiang' };

/**
 * API Gateway flattens array claims to strings such as `[organizer reviewer]`; a local
 * token keeps the array. Both become a list of role names.
 */
function roleList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value !== 'string') return [];
  const text = value.trim();
  if (text.startsWith('[') && text.includes('"')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (Array.isArray(parsed)) return parsed.map(String);
    } catch {
      // fall through to the flattened form
    }
  }
  return text.replace(/^\[|\]$/g, '').split(/[\s,]+/).filter(Boolean);
}

const ClaimsSchema = z.catchall(z.object({ sub: z.string().check(z.minLength(1), z.maxLength(256)) }), z.unknown());

/** The principal of verified claims, or `undefined` when they do not name a user, a unit and a known role. */
export function principalFromClaims(claims: unknown, names: ClaimNames = DEFAULT_CLAIM_NAMES): Principal | undefined {
  const parsed = ClaimsSchema.safeParse(claims);
  if (!parsed.success) return undefined;
  const record = parsed.data as Record<string, unknown>;
  const orgId = record[names.orgId];
  const roles = roleList(record[names.roles]).filter((r): r is Role => (ROLES as readonly string[]).includes(r));
  if (typeof orgId !== 'string' || orgId.length === 0 || roles.length === 0) return undefined;
  const claimed = record[names.city];
  // A city claim that is present but not a city slug names no city: the token is refused.
  if (claimed !== undefined && (typeof claimed !== 'string' || !SLUG_PATTERN.test(claimed))) return undefined;
  return { sub: parsed.data.sub, orgId, roles: new Set(roles), city: claimed ?? names.homeCity };
}

export const hasRole = (p: Principal, ...roles: Role[]): boolean => roles.some((r) => p.roles.has(r));

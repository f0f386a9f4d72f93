/**
 * Who is signed in, and a valid token for the API. Two ways in, one interface (ADR 0019):
 * - local: the one-machine issuer (`POST /local/token`), clearly marked as a local sign-in;
 * - oidc: authorization code with PKCE against the configured issuer (oidc-client-ts, loaded
 *   only in that mode), with silent renewal and sign-out at the issuer.
 */
import { shallowRef, type ShallowRef } from 'vue';

export type Role = 'organizer' | 'reviewer' | 'admin' | 'analyst';

export interface SignedInUser {
  readonly sub: string;
  readonly orgId: string;
  readonly roles: readonly Role[];
  /** A display name when the issuer gives one (email or name). */
  readonly name?: string;
}

export interface Session {
  readonly user: ShallowRef<SignedInUser | undefined>;
  /** A token the API accepts now, renewed when close to expiry; undefined when signed out. */
  token(): Promise<string | undefined>;
  /** Starts signing in (local: with the chosen unit and roles; oidc: redirects to the issuer). */
  signIn(choice?: { sub: string; orgId: string; roles: readonly Role[] }): Promise<void>;
  /** Completes the redirect back from the issuer (oidc only); resolves with where to go next. */
  completeSignIn?(): Promise<string>;
  signOut(): Promise<void>;
}

/** The payload of a JWT (no verification: the API verifies; the page only reads claims). */
export function jwtPayload(token: string): Record<string, unknown> {
  const part = token.split('.')[1] ?? '';
  const json = atob(part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '='));
  return JSON.parse(new TextDecoder().decode(Uint8Array.from(json, (c) => c.charCodeAt(0)))) as Record<string, unknown>;
}

const ROLES: readonly Role[] = ['organizer', 'reviewer', 'admin', 'analyst'];

/** Roles from a claim: an array, or a string separated by spaces or commas (Cognito's custom attribute). */
export function rolesOf(claim: unknown): Role[] {
  const items = Array.isArray(claim) ? claim.map(String) : typeof claim === 'string' ? claim.split(/[\s,]+/) : [];
  return items.filter((r): r is Role => (ROLES as readonly string[]).includes(r));
}

export const sessionRef = (): ShallowRef<SignedInUser | undefined> => shallowRef<SignedInUser | undefined>(undefined);

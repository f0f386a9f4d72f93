/**
 * Local sign-in: the one-machine runtime's issuer mints a token for any unit and roles
 * (`POST /local/token`). The token is kept in local storage and minted again a few minutes
 * before it expires, so a page left open all evening keeps working. Token lifetimes run on the
 * wall clock, not the simulated one: moving the campaign's clock signs nobody out (ADR 0019).
 */
import { jwtPayload, rolesOf, sessionRef, type Role, type Session } from './session';

const STORAGE_KEY = 'sciday:local-session';
/** Renew this long before expiry. */
const RENEW_BEFORE_MS = 5 * 60_000;

interface Stored {
  readonly token: string;
  readonly sub: string;
  readonly orgId: string;
  readonly roles: readonly Role[];
}

async function mint(choice: Omit<Stored, 'token'>): Promise<Stored> {
  const res = await fetch('/local/token', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sub: choice.sub, orgId: choice.orgId, roles: choice.roles }),
  });
  if (!res.ok) throw new Error(`/local/token: HTTP ${res.status}`);
  const { token } = (await res.json()) as { token: string };
  return { ...choice, token };
}

export function localSession(): Session {
  const user = sessionRef();
  let stored: Stored | undefined;
  const set = (next: Stored | undefined) => {
    stored = next;
    if (next) localStorage.setItem(STORAGE_KEY, JSON.stringify(next));
    else localStorage.removeItem(STORAGE_KEY);
    user.value = next ? { sub: next.sub, orgId: next.orgId, roles: next.roles, name: next.sub } : undefined;
  };
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    if (raw) {
      const s = JSON.parse(raw) as Stored;
      set({ ...s, roles: rolesOf(s.roles) });
    }
  } catch {
    set(undefined);
  }
  let renewing: Promise<Stored> | undefined;
  return {
    user,
    async token() {
      if (!stored) return undefined;
      const exp = Number(jwtPayload(stored.token).exp ?? 0) * 1000;
      if (exp - Date.now() < RENEW_BEFORE_MS) {
        renewing ??= mint(stored).finally(() => (renewing = undefined));
        set(await renewing);
      }
      return stored?.token;
    },
    async signIn(choice) {
      if (!choice) throw new Error('local sign-in needs a unit and roles');
      set(await mint(choice));
    },
    async signOut() {
      set(undefined);
    },
  };
}

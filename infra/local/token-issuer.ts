/**
 * The local OIDC stand-in: an ES256 key pair kept under the data dir signs tokens
 * (`POST /local/token`) and the gateway verifies them as the HTTP API's JWT authorizer
 * does on AWS (signature, issuer, audience, expiry; `alg: none` and other algorithms
 * refused).
 *
 * Token lifetimes are wall-clock time, never the simulated clock (ADR 0019): a sign-in lasts
 * an hour of the person's real time however far `POST /local/clock` moves the campaign's
 * clock, just as a Cognito token on AWS knows nothing of business time. Moving the clock to
 * test the 24 September deadline therefore never signs anyone out.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT, type JWK, type JWTPayload } from 'jose';

export const LOCAL_ISSUER = 'https://sciday.local/issuer';
export const LOCAL_AUDIENCE = 'sciday-api';
const ALG = 'ES256';

/** Verified tokens remembered (a few per person signed in; the oldest is forgotten first). */
const VERIFIED_TOKENS = 4096;

export interface TokenIssuer {
  sign(claims: { sub: string; orgId: string; roles: readonly string[]; city?: string }, ttlSeconds?: number): Promise<string>;
  /** The verified claims, or a reason why the token is refused. */
  verify(token: string): Promise<{ ok: true; claims: JWTPayload } | { ok: false; reason: string }>;
}

/**
 * Loads the key pair from `<dataDir>/local-issuer.jwk.json`, creating it on first start.
 * `now` is the wall clock (tests inject one); pass the runtime's simulated clock never.
 */
export async function localTokenIssuer(dataDir: string, now: () => Date = () => new Date()): Promise<TokenIssuer> {
  const file = join(dataDir, 'local-issuer.jwk.json');
  let jwk: JWK;
  if (existsSync(file)) {
    jwk = JSON.parse(readFileSync(file, 'utf8')) as JWK;
  } else {
    const { privateKey } = await generateKeyPair(ALG, { extractable: true });
    jwk = { ...(await exportJWK(privateKey)), alg: ALG, kid: `local-${Date.now().toString(36)}` };
    writeFileSync(file, JSON.stringify(jwk), { mode: 0o600 });
  }
  const privateKey = await importJWK(jwk, ALG);
  const { d: _d, ...publicJwk } = jwk;
  const publicKey = await importJWK(publicJwk, ALG);
  const seconds = () => Math.floor(now().getTime() / 1000);
  /**
   * Tokens verified already, by their exact text: a signature is checked once per token, not once
   * per request (ES256 through WebCrypto was about a tenth of the gateway's CPU on a list under
   * load). A hit is still checked against the clock, as `jwtVerify` would: `exp` and `nbf`.
   */
  const verified = new Map<string, JWTPayload>();

  return {
    sign: (claims, ttlSeconds = 3600) =>
      new SignJWT({ orgId: claims.orgId, roles: [...claims.roles], ...(claims.city ? { city: claims.city } : {}) })
        .setProtectedHeader({ alg: ALG, kid: jwk.kid ?? 'local', typ: 'JWT' })
        .setSubject(claims.sub)
        .setIssuer(LOCAL_ISSUER)
        .setAudience(LOCAL_AUDIENCE)
        .setIssuedAt(seconds())
        .setExpirationTime(seconds() + ttlSeconds)
        .sign(privateKey),
    verify: async (token) => {
      const known = verified.get(token);
      if (known) {
        if (known.exp !== undefined && known.exp <= seconds()) {
          verified.delete(token);
          return { ok: false, reason: 'ERR_JWT_EXPIRED' };
        }
        if (known.nbf !== undefined && known.nbf > seconds()) return { ok: false, reason: 'ERR_JWT_CLAIM_VALIDATION_FAILED' };
        return { ok: true, claims: { ...known } };
      }
      try {
        const { payload } = await jwtVerify(token, publicKey, {
          issuer: LOCAL_ISSUER,
          audience: LOCAL_AUDIENCE,
          algorithms: [ALG],
          currentDate: now(),
        });
        if (verified.size >= VERIFIED_TOKENS) verified.delete(verified.keys().next().value as string); // the oldest
        verified.set(token, payload);
        return { ok: true, claims: { ...payload } };
      } catch (error) {
        return { ok: false, reason: (error as { code?: string }).code ?? 'invalid_token' };
      }
    },
  };
}

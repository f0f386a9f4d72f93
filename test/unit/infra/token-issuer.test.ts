import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localTokenIssuer } from '../../../infra/local/token-issuer';

describe('Function: localTokenIssuer', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'sciday-issuer-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('measures expiry on the clock it is given (the wall clock in the runtime), one hour by default', async () => {
    // Prepare
    let now = new Date('2026-12-02T10:00:00Z');
    const issuer = await localTokenIssuer(dir, () => now);
    const token = await issuer.sign({ sub: 'u1', orgId: 'hongqi-kx', roles: ['organizer'] });
    // Act + Assess
    now = new Date('2026-12-02T10:59:00Z');
    expect(await issuer.verify(token)).toMatchObject({ ok: true });
    now = new Date('2026-12-02T11:01:00Z');
    expect(await issuer.verify(token)).toEqual({ ok: false, reason: 'ERR_JWT_EXPIRED' });
  });

  it('defaults to the wall clock, so a token minted now is valid now', async () => {
    const issuer = await localTokenIssuer(dir);
    const token = await issuer.sign({ sub: 'u1', orgId: 'hongqi-kx', roles: ['organizer'] });
    expect(await issuer.verify(token)).toMatchObject({ ok: true, claims: { sub: 'u1', orgId: 'hongqi-kx' } });
  });

  it('verifies a signature once per token, and still refuses what was never verified: another key, one character changed, expired', async () => {
    // Prepare: two issuers with keys of their own, the same claims.
    let now = new Date('2026-12-02T10:00:00Z');
    const issuer = await localTokenIssuer(dir, () => now);
    const other = mkdtempSync(join(tmpdir(), 'sciday-issuer-'));
    const foreign = await (await localTokenIssuer(other, () => now)).sign({ sub: 'u1', orgId: 'hongqi-kx', roles: ['admin'] });
    rmSync(other, { recursive: true, force: true });
    const token = await issuer.sign({ sub: 'u1', orgId: 'hongqi-kx', roles: ['organizer'] }, 60);
    // Act + Assess: remembered after the first check, and a copy each time (a handler's edit stays its own).
    const first = await issuer.verify(token);
    expect(first).toMatchObject({ ok: true, claims: { roles: ['organizer'] } });
    if (first.ok) first.claims.sub = 'mallory';
    expect(await issuer.verify(token)).toMatchObject({ ok: true, claims: { sub: 'u1' } });
    expect(await issuer.verify(foreign)).toEqual({ ok: false, reason: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' });
    const [h, p, sig] = token.split('.') as [string, string, string];
    const flipped = `${h}.${p}.${sig.slice(0, -2)}${sig.at(-2) === 'A' ? 'B' : 'A'}${sig.at(-1)}`;
    expect(await issuer.verify(flipped)).toMatchObject({ ok: false });
    now = new Date('2026-12-02T10:01:00Z');
    expect(await issuer.verify(token)).toEqual({ ok: false, reason: 'ERR_JWT_EXPIRED' });
    now = new Date('2026-12-02T10:00:30Z');
    expect(await issuer.verify(token)).toMatchObject({ ok: true }); // checked again in full: the clock is the test's
  });
});

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
});

import { DEFAULT_CLAIM_NAMES, principalFromClaims } from '../../../shared/auth/principal';

describe('Function: principalFromClaims', () => {
  it('reads a local token’s array of roles and API Gateway’s flattened form', () => {
    expect(principalFromClaims({ sub: 'u', orgId: 'hongqi-kx', roles: ['organizer'] })).toEqual({ sub: 'u', orgId: 'hongqi-kx', roles: new Set(['organizer']), city: 'xinxiang' });
    expect(principalFromClaims({ sub: 'u', orgId: 'o', roles: '[organizer reviewer]' })?.roles).toEqual(new Set(['organizer', 'reviewer']));
    expect(principalFromClaims({ sub: 'u', orgId: 'o', roles: '["admin","analyst"]' })?.roles).toEqual(new Set(['admin', 'analyst']));
  });

  it('reads Cognito’s custom attributes when told their names', () => {
    const names = { orgId: 'custom:orgId', roles: 'custom:roles', city: 'custom:city', homeCity: 'xinxiang' };
    const p = principalFromClaims({ sub: 'u', 'custom:orgId': 'weibin-kx', 'custom:roles': 'reviewer', 'custom:city': 'anyang' }, names);
    expect(p).toEqual({ sub: 'u', orgId: 'weibin-kx', roles: new Set(['reviewer']), city: 'anyang' });
  });

  it('names nobody without a subject, a unit or a known role', () => {
    expect(principalFromClaims(undefined)).toBeUndefined();
    expect(principalFromClaims({ orgId: 'o', roles: ['organizer'] })).toBeUndefined();
    expect(principalFromClaims({ sub: 'u', roles: ['organizer'] })).toBeUndefined();
    expect(principalFromClaims({ sub: 'u', orgId: 'o', roles: ['superuser'] })).toBeUndefined();
  });
});

describe('Function: principalFromClaims — the city (ADR 0024)', () => {
  const claims = { sub: 'u', orgId: 'hongqi-kx', roles: ['admin'] };

  it('takes the city claim when the token has one', () => {
    expect(principalFromClaims({ ...claims, city: 'anyang' })?.city).toBe('anyang');
  });

  it('gives a token without a city claim the deployment’s home city', () => {
    expect(principalFromClaims(claims)?.city).toBe(DEFAULT_CLAIM_NAMES.homeCity);
    expect(principalFromClaims(claims, { ...DEFAULT_CLAIM_NAMES, homeCity: 'zhengzhou' })?.city).toBe('zhengzhou');
  });

  it('reads the city under the configured claim name, not under another', () => {
    const names = { ...DEFAULT_CLAIM_NAMES, city: 'custom:city' };
    expect(principalFromClaims({ ...claims, 'custom:city': 'anyang' }, names)?.city).toBe('anyang');
    expect(principalFromClaims({ ...claims, city: 'anyang' }, names)?.city).toBe('xinxiang');
  });

  it.each([
    ['upper case', 'Xinxiang'],
    ['a space', 'xin xiang'],
    ['empty', ''],
    ['a leading hyphen', '-xinxiang'],
    ['too long', 'a'.repeat(65)],
    ['a number', 42],
    ['a list', ['xinxiang']],
    ['null', null],
  ])('names nobody when the city claim is present but not a city slug (%s)', (_what, city) => {
    expect(principalFromClaims({ ...claims, city })).toBeUndefined();
  });
});

import { principalFromClaims } from '../../../shared/auth/principal';

describe('Function: principalFromClaims', () => {
  it('reads a local token’s array of roles and API Gateway’s flattened form', () => {
    expect(principalFromClaims({ sub: 'u', orgId: 'hongqi-kx', roles: ['organizer'] })).toEqual({ sub: 'u', orgId: 'hongqi-kx', roles: new Set(['organizer']) });
    expect(principalFromClaims({ sub: 'u', orgId: 'o', roles: '[organizer reviewer]' })?.roles).toEqual(new Set(['organizer', 'reviewer']));
    expect(principalFromClaims({ sub: 'u', orgId: 'o', roles: '["admin","analyst"]' })?.roles).toEqual(new Set(['admin', 'analyst']));
  });

  it('reads Cognito’s custom attributes when told their names', () => {
    const p = principalFromClaims({ sub: 'u', 'custom:orgId': 'weibin-kx', 'custom:roles': 'reviewer' }, { orgId: 'custom:orgId', roles: 'custom:roles' });
    expect(p).toEqual({ sub: 'u', orgId: 'weibin-kx', roles: new Set(['reviewer']) });
  });

  it('names nobody without a subject, a unit or a known role', () => {
    expect(principalFromClaims(undefined)).toBeUndefined();
    expect(principalFromClaims({ orgId: 'o', roles: ['organizer'] })).toBeUndefined();
    expect(principalFromClaims({ sub: 'u', roles: ['organizer'] })).toBeUndefined();
    expect(principalFromClaims({ sub: 'u', orgId: 'o', roles: ['superuser'] })).toBeUndefined();
  });
});

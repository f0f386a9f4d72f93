/**
 * Sign-in on AWS: OpenID Connect authorization code with PKCE (oidc-client-ts) against the
 * issuer the API's JWT authorizer trusts. The ID token is the API's bearer (Cognito puts the
 * unit and roles in it, and its audience is the app client). Tokens renew silently with the
 * refresh token; sign-out ends the session at the issuer.
 */
import { UserManager, WebStorageStateStore, type User } from 'oidc-client-ts';
import type { WebConfig } from '../config';
import { lang } from '../i18n';
import { rolesOf, sessionRef, type Session } from './session';

type OidcConfig = Extract<WebConfig, { mode: 'oidc' }>['oidc'];

export function oidcSession(oidc: OidcConfig): Session {
  const origin = window.location.origin;
  const manager = new UserManager({
    authority: oidc.authority,
    client_id: oidc.clientId,
    redirect_uri: `${origin}/auth/callback`,
    post_logout_redirect_uri: `${origin}/`,
    response_type: 'code',
    scope: oidc.scope,
    automaticSilentRenew: true,
    userStore: new WebStorageStateStore({ store: window.localStorage }),
  });
  const user = sessionRef();
  const show = (u: User | null) => {
    if (!u || u.expired) {
      user.value = undefined;
      return;
    }
    const claims = u.profile as Record<string, unknown>;
    user.value = {
      sub: u.profile.sub,
      orgId: String(claims[oidc.claimNames.orgId] ?? ''),
      roles: rolesOf(claims[oidc.claimNames.roles]),
      name: String(claims.name ?? claims.email ?? u.profile.sub),
    };
  };
  manager.events.addUserLoaded(show);
  manager.events.addUserUnloaded(() => show(null));
  manager.events.addSilentRenewError(() => undefined); // the next API call asks to sign in again
  const ready = manager.getUser().then(show);

  return {
    user,
    async token() {
      await ready;
      let u = await manager.getUser();
      if (u && (u.expires_in ?? 0) < 60) u = await manager.signinSilent().catch(() => null);
      show(u);
      return u && !u.expired ? u.id_token : undefined;
    },
    async signIn() {
      // The issuer's own pages in the page's language: `ui_locales` is OIDC's; `lang` is Cognito managed login's.
      const locale = lang.value === 'en' ? 'en' : 'zh-CN';
      await manager.signinRedirect({
        state: window.location.pathname + window.location.search,
        extraQueryParams: { ui_locales: locale, lang: locale === 'en' ? 'en' : 'zh-CN' },
      });
    },
    async completeSignIn() {
      const u = await manager.signinRedirectCallback();
      show(u);
      return typeof u.state === 'string' && u.state.startsWith('/') ? u.state : '/';
    },
    async signOut() {
      const u = await manager.getUser();
      await manager.removeUser();
      show(null);
      if (oidc.logoutUrl) {
        const url = new URL(oidc.logoutUrl);
        url.searchParams.set('client_id', oidc.clientId);
        url.searchParams.set('logout_uri', `${origin}/`);
        window.location.assign(url.toString());
      } else {
        await manager.signoutRedirect(u?.id_token ? { id_token_hint: u.id_token } : undefined);
      }
    },
  };
}

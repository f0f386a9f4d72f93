/**
 * What the web app reads at start-up from `/config.json` on its own origin, so that one build
 * serves every deployment:
 *
 * - on one machine, the local gateway answers it: `{ mode: 'local' }` (the API is the same
 *   origin, sign-in goes through `POST /local/token`);
 * - on AWS, CDK writes it beside the static files: the API's URL and the OIDC issuer the
 *   API's JWT authorizer trusts (Cognito by default, any OIDC issuer by configuration).
 */
import * as z from '../domain/zod';

/** OpenID Connect settings of the web app (authorization code with PKCE, a public client). */
export const WebOidcConfigSchema = z.strictObject({
  /** The issuer URL, exactly the tokens' `iss` (its `/.well-known/openid-configuration` is read). */
  authority: z.url({ protocol: /^https$/ }),
  /** The app client id (an audience the API accepts). */
  clientId: z.string().check(z.minLength(1), z.maxLength(256)),
  /** Scopes asked for; `openid` is required. */
  scope: z._default(z.string().check(z.regex(/(^|\s)openid(\s|$)/, 'must include openid')), 'openid profile email'),
  /**
   * Where to send the browser to end the session at the issuer, when the issuer's discovery
   * document has no `end_session_endpoint` (Cognito's `/logout`). The app adds `client_id` and
   * `logout_uri`.
   */
  logoutUrl: z.optional(z.url({ protocol: /^https$/ })),
  /**
   * The ID token claims that name the user's unit and roles, as the API's authorizer reads them
   * (Cognito: `custom:orgId`, `custom:roles`). Shown on the page; the API decides access.
   */
  claimNames: z._default(z.strictObject({ orgId: z.string().check(z.minLength(1)), roles: z.string().check(z.minLength(1)) }), { orgId: 'orgId', roles: 'roles' }),
});

export const WebConfigSchema = z.discriminatedUnion('mode', [
  z.strictObject({
    mode: z.literal('local'),
    /**
     * The campaign the app opens with. None: after sign-in, the newest published campaign of the
     * user's city (`GET /v1/campaigns`), so next year's campaign needs no configuration (ADR 0023).
     */
    campaignId: z.optional(z.string().check(z.minLength(1))),
  }),
  z.strictObject({
    mode: z.literal('oidc'),
    campaignId: z.optional(z.string().check(z.minLength(1))),
    /** The API's base URL (no trailing slash), e.g. `https://abc.execute-api.cn-north-1.amazonaws.com.cn`. */
    apiUrl: z.pipe(z.url({ protocol: /^https?$/ }), z.transform((u) => u.replace(/\/+$/, ''))),
    oidc: WebOidcConfigSchema,
  }),
]);

/** The web app's run-time configuration (`/config.json`). */
export type WebConfig = z.output<typeof WebConfigSchema>;
/** What a deployment writes to `/config.json` (defaults may be left out). */
export type WebConfigInput = z.input<typeof WebConfigSchema>;

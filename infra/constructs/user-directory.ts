import { Aws, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import {
  AccountRecovery,
  CfnManagedLoginBranding,
  ClientAttributes,
  FeaturePlan,
  ManagedLoginVersion,
  Mfa,
  OAuthScope,
  StringAttribute,
  UserPool,
  UserPoolClient,
  UserPoolClientIdentityProvider,
  UserPoolDomain,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';

/** The custom attributes that carry SciDay's identity facts; tokens name them `custom:<name>`. */
export const USER_ATTRIBUTES = { orgId: 'orgId', roles: 'roles' } as const;

/** The claims of a Cognito ID token that hold the user's unit and roles. */
export const COGNITO_CLAIM_NAMES = {
  orgId: `custom:${USER_ATTRIBUTES.orgId}`,
  roles: `custom:${USER_ATTRIBUTES.roles}`,
} as const;

/** Where the web app receives the authorization code (oidc-client-ts's redirect URI), below its origin. */
export const WEB_CALLBACK_PATH = '/auth/callback';

/** The scopes the web app asks for; the app client allows exactly these. */
export const WEB_OIDC_SCOPES = ['openid', 'profile', 'email'] as const;

const COGNITO_SCOPES: Record<(typeof WEB_OIDC_SCOPES)[number], OAuthScope> = {
  openid: OAuthScope.OPENID,
  profile: OAuthScope.PROFILE,
  email: OAuthScope.EMAIL,
};

/**
 * The origin of a Cognito prefix domain, which hosts the managed login pages and the OAuth 2.0
 * endpoints (authorize, token, revoke, logout). The one formula for it: the web stack's
 * Content-Security-Policy lists it before the user pool exists, and config.json takes its logout URL.
 */
export const cognitoDomainOrigin = (prefix: string, region: string): string => `https://${prefix}.auth.${region}.amazoncognito.com`;

/** The default Cognito domain prefix of a stage: unique per account and region, as Cognito requires. */
export const defaultCognitoDomainPrefix = (stage: string): string => `sciday-${stage}-${Aws.ACCOUNT_ID}`;

const DOMAIN_PREFIX = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** Why `prefix` cannot be a Cognito domain prefix, or undefined when it can (or is a token). */
export function cognitoDomainPrefixProblem(prefix: string): string | undefined {
  if (Token.isUnresolved(prefix)) return undefined;
  if (!DOMAIN_PREFIX.test(prefix)) return `"${prefix}" is not 1-63 lowercase letters, digits and hyphens`;
  const reserved = ['aws', 'amazon', 'cognito'].find((word) => prefix.includes(word));
  return reserved ? `"${prefix}" contains the reserved word "${reserved}"` : undefined;
}

export interface UserDirectoryProps {
  readonly stage: string;
  /** RETAIN keeps the pool (with deletion protection) when it leaves the stack. */
  readonly removalPolicy: RemovalPolicy;
  /**
   * Origins (`https://host`, tokens allowed) of web apps that sign in with the authorization code
   * grant and PKCE through the managed login pages: each may redirect to `<origin>/auth/callback`
   * and, after logout, to `<origin>/`. With none, the client keeps OAuth off (SRP only) and no
   * Cognito domain is created.
   * @default none
   */
  readonly webOrigins?: readonly string[];
  /**
   * Prefix of the Cognito domain, `https://<prefix>.auth.<region>.amazoncognito.com`.
   * @default sciday-<stage>-<account id>
   */
  readonly domainPrefix?: string;
}

/**
 * SciDay's default OIDC issuer: a Cognito user pool (sign-in by email, admin-created users, a
 * strong password policy, optional TOTP MFA) and the front end's app client. The unit and
 * roles of a user are custom attributes that only administrators set: the app client may read
 * them but not write them, so nobody can grant themselves a role.
 *
 * The HTTP API's JWT authorizer trusts {@link issuer} for tokens whose audience is
 * {@link audience}: Cognito ID tokens carry `aud` = the client id and the custom attributes as
 * `custom:orgId` / `custom:roles` claims ({@link COGNITO_CLAIM_NAMES}).
 *
 * With `webOrigins`, the web app signs in through a Cognito domain (managed login): authorization
 * code grant with PKCE for a public client (no secret), refresh tokens for silent renew, the
 * callback and logout URLs of each origin, and only the scopes the app asks for.
 */
export class UserDirectory extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;
  /** `https://cognito-idp.<region>.amazonaws.com/<user pool id>`, the `iss` of the pool's tokens. */
  readonly issuer: string;
  /** The app client id: `aud` of ID tokens, `client_id` of access tokens. */
  readonly audience: string;
  /** The Cognito domain of the managed login pages, when there are web origins. */
  readonly domain?: UserPoolDomain;
  /** `https://<prefix>.auth.<region>.amazoncognito.com`, the origin of {@link domain}. */
  readonly domainOrigin?: string;
  /** `https://<prefix>.auth.<region>.amazoncognito.com/logout` (the app adds client_id and logout_uri), with {@link domain}. */
  readonly logoutUrl?: string;

  constructor(scope: Construct, id: string, props: UserDirectoryProps) {
    super(scope, id);
    const retained = props.removalPolicy === RemovalPolicy.RETAIN;

    this.userPool = new UserPool(this, 'UserPool', {
      userPoolName: `sciday-${props.stage}`,
      // Essentials: threat protection (and so AwsSolutions-COG8) needs the paid Plus plan.
      featurePlan: FeaturePlan.ESSENTIALS,
      // Administrators invite users: a unit and roles must be assigned before anyone signs in.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      keepOriginal: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      customAttributes: {
        [USER_ATTRIBUTES.orgId]: new StringAttribute({ minLen: 1, maxLen: 64, mutable: true }),
        [USER_ATTRIBUTES.roles]: new StringAttribute({ minLen: 1, maxLen: 256, mutable: true }),
      },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
        passwordHistorySize: 5,
      },
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { sms: false, otp: true, email: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      deletionProtection: retained,
      removalPolicy: props.removalPolicy,
    });

    const webOrigins = [...(props.webOrigins ?? [])];
    this.client = this.userPool.addClient('WebClient', {
      userPoolClientName: `sciday-${props.stage}-web`,
      // A browser app cannot keep a secret: a public client, which proves itself with PKCE.
      generateSecret: false,
      authFlows: { userSrp: true },
      ...(webOrigins.length === 0
        ? { disableOAuth: true }
        : {
            oAuth: {
              flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
              scopes: WEB_OIDC_SCOPES.map((scope) => COGNITO_SCOPES[scope]),
              callbackUrls: webOrigins.map((origin) => `${origin}${WEB_CALLBACK_PATH}`),
              logoutUrls: webOrigins.map((origin) => `${origin}/`),
            },
            supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
          }),
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      // The app renews its tokens silently with the refresh token (no iframe, no third-party cookie).
      refreshTokenValidity: Duration.days(30),
      // Users may change their own email (verified before it replaces the old one), never their unit or roles.
      writeAttributes: new ClientAttributes().withStandardAttributes({ email: true, fullname: true }),
    });

    if (webOrigins.length > 0) {
      const domainPrefix = props.domainPrefix ?? defaultCognitoDomainPrefix(props.stage);
      const problem = cognitoDomainPrefixProblem(domainPrefix);
      if (problem) throw new Error(`Cognito domain prefix ${problem} (context cognitoDomainPrefix)`);
      // Managed login (the newer, localized pages) with Cognito's own look; the
      // authorize, token, revoke and logout endpoints live on this domain.
      this.domain = this.userPool.addDomain('Domain', {
        cognitoDomain: { domainPrefix },
        managedLoginVersion: ManagedLoginVersion.NEWER_MANAGED_LOGIN,
      });
      const branding = new CfnManagedLoginBranding(this, 'LoginBranding', {
        userPoolId: this.userPool.userPoolId,
        clientId: this.client.userPoolClientId,
        useCognitoProvidedValues: true,
      });
      branding.node.addDependency(this.domain);
      this.domainOrigin = cognitoDomainOrigin(domainPrefix, Stack.of(this).region);
      this.logoutUrl = `${this.domainOrigin}/logout`;
    }

    // The issuer Cognito writes into `iss` (as CDK's HttpUserPoolAuthorizer builds it). Cognito
    // user pools exist only in the aws partition, whose URL suffix is amazonaws.com.
    this.issuer = `https://cognito-idp.${Stack.of(this).region}.amazonaws.com/${this.userPool.userPoolId}`;
    this.audience = this.client.userPoolClientId;
  }
}

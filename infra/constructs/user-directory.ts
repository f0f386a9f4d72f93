import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  AccountRecovery,
  ClientAttributes,
  FeaturePlan,
  Mfa,
  StringAttribute,
  UserPool,
  UserPoolClient,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';

/** The custom attributes that carry SciDay's identity facts; tokens name them `custom:<name>`. */
export const USER_ATTRIBUTES = { orgId: 'orgId', roles: 'roles' } as const;

/** The claims of a Cognito ID token that hold the user's unit and roles. */
export const COGNITO_CLAIM_NAMES = {
  orgId: `custom:${USER_ATTRIBUTES.orgId}`,
  roles: `custom:${USER_ATTRIBUTES.roles}`,
} as const;

export interface UserDirectoryProps {
  readonly stage: string;
  /** RETAIN keeps the pool (with deletion protection) when it leaves the stack. */
  readonly removalPolicy: RemovalPolicy;
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
 */
export class UserDirectory extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;
  /** `https://cognito-idp.<region>.amazonaws.com/<user pool id>`, the `iss` of the pool's tokens. */
  readonly issuer: string;
  /** The app client id: `aud` of ID tokens, `client_id` of access tokens. */
  readonly audience: string;

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

    this.client = this.userPool.addClient('WebClient', {
      userPoolClientName: `sciday-${props.stage}-web`,
      // A browser app cannot keep a secret.
      generateSecret: false,
      authFlows: { userSrp: true },
      disableOAuth: true,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
      // Users may change their own email (verified before it replaces the old one), never their unit or roles.
      writeAttributes: new ClientAttributes().withStandardAttributes({ email: true, fullname: true }),
    });

    // The issuer Cognito writes into `iss` (as CDK's HttpUserPoolAuthorizer builds it). Cognito
    // user pools exist only in the aws partition, whose URL suffix is amazonaws.com.
    this.issuer = `https://cognito-idp.${Stack.of(this).region}.amazonaws.com/${this.userPool.userPoolId}`;
    this.audience = this.client.userPoolClientId;
  }
}

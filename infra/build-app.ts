import { App, Validations, type Environment } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { StatefulStack } from './stacks/stateful-stack';
import { COGNITO_CLAIM_NAMES } from './constructs/user-directory';
import { StatelessStack, type ApiAuth } from './stacks/stateless-stack';
import { DEFAULT_CLAIM_NAMES } from '../shared/auth/principal';
import { topology as sciDayTopology, validateTopology, type Topology } from './topology';

/**
 * Feature flags the stacks rely on, set here so that `cdk synth` and the tests' in-memory apps
 * build the same templates (cdk.json's context is only read by the CLI).
 */
export const FEATURE_FLAGS: Readonly<Record<string, unknown>> = {
  // Server access logs are delivered through a bucket policy, not the LogDeliveryWrite ACL that
  // BucketOwnerEnforced buckets refuse.
  '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
  '@aws-cdk/aws-iam:minimizePolicies': true,
  // Fn::ImportValue between the two stacks: the stateful stack cannot be deleted while the
  // stateless one still uses it. (nag-acknowledgements.ts prints references in this form.)
  '@aws-cdk/core:defaultCrossStackReferences': 'strong',
  '@aws-cdk/core:checkSecretUsage': true,
};

export interface BuildAppProps {
  /**
   * Context for the App, e.g. `stage`, `frontEndOrigins`, `aws:cdk:bundling-stacks`, and the
   * token issuer: `jwtIssuer`, `jwtAudience`, `jwtClaimOrgId`, `jwtClaimRoles`, `partition`
   * (see {@link resolveAuth}).
   */
  readonly context?: Readonly<Record<string, unknown>>;
  /** @default the SciDay topology */
  readonly topology?: Topology;
  /** Account and region of both stacks. @default environment-agnostic */
  readonly env?: Environment;
  /** Directory the topology's entry paths are relative to. @default process.cwd() */
  readonly projectRoot?: string;
  /**
   * Register cdk-nag's AwsSolutions pack as a validation plugin (synth fails on findings).
   * @default true
   */
  readonly nag?: boolean;
}

export interface SciDayApp {
  readonly app: App;
  readonly stage: string;
  readonly frontEndOrigins: readonly string[];
  /** Issuer, audience and claim names of the API's JWT authorizer. */
  readonly auth: ApiAuth;
  /** True when SciDay hosts its own Cognito user pool as the issuer (no `jwtIssuer` given). */
  readonly cognito: boolean;
  readonly stateful: StatefulStack;
  readonly stateless: StatelessStack;
}

const STAGE = /^[a-z][a-z0-9-]{0,19}$/;

/** Builds SciDay's CDK app, `SciDay-<stage>-Stateful` and `SciDay-<stage>-Stateless`, from a topology. */
export function buildApp(props: BuildAppProps = {}): SciDayApp {
  const topology = props.topology ?? sciDayTopology;
  const problems = validateTopology(topology);
  if (problems.length > 0) throw new Error(`invalid topology:\n- ${problems.join('\n- ')}`);

  const app = new App({ context: { ...FEATURE_FLAGS, ...props.context } });
  const stage = String(app.node.tryGetContext('stage') ?? 'dev');
  if (!STAGE.test(stage)) throw new Error(`context stage must match ${STAGE}, got "${stage}"`);
  const frontEndOrigins = String(app.node.tryGetContext('frontEndOrigins') ?? 'http://localhost:3000')
    .split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin.length > 0);
  if (frontEndOrigins.length === 0) throw new Error('context frontEndOrigins lists no origin');

  const external = externalIssuer(app, props.env);
  const cognito = external === undefined;

  const stateful = new StatefulStack(app, `SciDay-${stage}-Stateful`, {
    env: props.env,
    description: cognito ? `SciDay ${stage}: tables, queues, buckets and users` : `SciDay ${stage}: tables, queues and buckets`,
    topology,
    stage,
    frontEndOrigins,
    userDirectory: cognito,
  });
  const directory = stateful.userDirectory;
  const issuer = external ?? (directory && { issuer: directory.issuer, audience: [directory.audience] });
  if (!issuer) throw new Error('no JWT issuer: neither context jwtIssuer nor a Cognito user pool');
  const auth: ApiAuth = {
    ...issuer,
    claimNames: {
      orgId: contextString(app, 'jwtClaimOrgId') ?? (cognito ? COGNITO_CLAIM_NAMES.orgId : DEFAULT_CLAIM_NAMES.orgId),
      roles: contextString(app, 'jwtClaimRoles') ?? (cognito ? COGNITO_CLAIM_NAMES.roles : DEFAULT_CLAIM_NAMES.roles),
    },
  };
  const stateless = new StatelessStack(app, `SciDay-${stage}-Stateless`, {
    env: props.env,
    description: `SciDay ${stage}: functions, HTTP API and triggers`,
    topology,
    stage,
    frontEndOrigins,
    tables: stateful.tables,
    queues: stateful.queues,
    buckets: stateful.buckets,
    auth,
    projectRoot: props.projectRoot,
  });

  if (props.nag ?? true) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stage, frontEndOrigins, auth, cognito, stateful, stateless };
}

/** A non-empty, trimmed string from the context, or undefined. */
function contextString(app: App, key: string): string | undefined {
  const value: unknown = app.node.tryGetContext(key);
  if (value === undefined || value === null) return undefined;
  const text = String(value).trim();
  return text.length > 0 ? text : undefined;
}

/** A comma-separated (or array) context value as a list of non-empty strings. */
function contextList(app: App, key: string): string[] {
  const value: unknown = app.node.tryGetContext(key);
  if (value === undefined || value === null) return [];
  const items = Array.isArray(value) ? value.map(String) : String(value).split(',');
  return items.map((item) => item.trim()).filter((item) => item.length > 0);
}

/** True when the stacks go to AWS China: a `cn-*` region in `env`, or context `partition=aws-cn`. */
function targetsChina(app: App, env: Environment | undefined): boolean {
  const region = env?.region;
  return contextString(app, 'partition') === 'aws-cn' || (typeof region === 'string' && region.startsWith('cn-'));
}

/**
 * The external OIDC issuer from context `jwtIssuer` (an https URL, exactly the tokens' `iss`) and
 * `jwtAudience` (comma-separated), or undefined when SciDay is to create its own Cognito user
 * pool. AWS China offers no Cognito user pools, so there `jwtIssuer` is required.
 */
function externalIssuer(app: App, env: Environment | undefined): { issuer: string; audience: string[] } | undefined {
  const issuer = contextString(app, 'jwtIssuer');
  const audience = contextList(app, 'jwtAudience');
  if (issuer === undefined) {
    if (targetsChina(app, env)) {
      throw new Error(
        'context jwtIssuer is required in AWS China (aws-cn): Cognito user pools are not offered there, so the ' +
          'API needs an external OIDC issuer, e.g. -c jwtIssuer=https://idp.example.cn/realms/sciday -c jwtAudience=sciday-web',
      );
    }
    if (audience.length > 0) throw new Error('context jwtAudience is given without jwtIssuer');
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    throw new Error(`context jwtIssuer must be an https URL, got "${issuer}"`);
  }
  if (url.protocol !== 'https:') throw new Error(`context jwtIssuer must be an https URL, got "${issuer}"`);
  if (audience.length === 0) throw new Error('context jwtAudience (comma-separated client ids or audiences) is required with jwtIssuer');
  return { issuer, audience };
}

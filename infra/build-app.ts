import * as fs from 'node:fs';
import * as path from 'node:path';
import { Annotations, App, Token, Validations, type Environment } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { resolveStage, type ResolvedStage } from './stage-config';
import { ApiFirewallStack } from './stacks/api-firewall-stack';
import { StatefulStack } from './stacks/stateful-stack';
import {
  COGNITO_CLAIM_NAMES,
  WEB_OIDC_SCOPES,
  cognitoDomainPrefixProblem,
  defaultCognitoDomainPrefix,
} from './constructs/user-directory';
import type { WebDomain } from './constructs/web-site';
import { StatelessStack, type ApiAuth } from './stacks/stateless-stack';
import { OperationsStack } from './stacks/operations-stack';
import { WebContentStack } from './stacks/web-content-stack';
import { WebStack } from './stacks/web-stack';
import { DEFAULT_CLAIM_NAMES } from '../shared/auth/principal';
import type { WebConfigInput } from '../shared/schemas/web-config.schema';
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
   * Context for the App, e.g. `stage`, `frontEndOrigins`, `aws:cdk:bundling-stacks`, the token
   * issuer (`jwtIssuer`, `jwtAudience`, `jwtClaimOrgId`, `jwtClaimRoles`, `partition`, see
   * {@link externalIssuer}) and the web app (`web`, `webAssets`, `webDomain`, `webCertificateArn`,
   * `webIamCertificateId`, `webClientId`, `webLogoutUrl`, `webConnectOrigins`, `webWafAclArn`, `webCampaignId`,
   * `cognitoDomainPrefix`, see {@link webSettings}).
   */
  readonly context?: Readonly<Record<string, unknown>>;
  /** @default the SciDay topology */
  readonly topology?: Topology;
  /** Account and region of both stacks. @default environment-agnostic */
  readonly env?: Environment;
  /** Directory the topology's entry paths (and context `webAssets`) are relative to. @default process.cwd() */
  readonly projectRoot?: string;
  /**
   * Register cdk-nag's AwsSolutions pack as a validation plugin (synth fails on findings).
   * @default true
   */
  readonly nag?: boolean;
  /**
   * aws-cdk-lib's built-in CloudFormation validation of every template at synth (a WASM rule
   * engine: about 6 s to start, then about 1 s a synth). Infra tests turn it off; `cdk synth` keeps it.
   * @default true
   */
  readonly cfnValidation?: boolean;
  /**
   * The stage file's content (`infra/stages/<stage>.json`, see infra/stage-config.ts): validated,
   * it sets the stacks' env and the context below, over `context` (the file wins).
   */
  readonly stageConfig?: unknown;
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
  /** `SciDay-<stage>-Operations`: the alarms and the dashboard of the functions and the API. */
  readonly operations: OperationsStack;
  /** `SciDay-<stage>-ApiFirewall` (us-east-1): the web ACL of the API's edge, when it has one (ADR 0033). */
  readonly apiFirewall?: ApiFirewallStack;
  /** `SciDay-<stage>-Web`: the site bucket and CloudFront distribution (absent with context `web=false`). */
  readonly web?: WebStack;
  /** `SciDay-<stage>-WebContent`: the web app build and its `/config.json` (absent with `web=false`). */
  readonly webContent?: WebContentStack;
  /** The web app's origin (`https://<webDomain>`, or the distribution's domain name: a deploy-time value). */
  readonly webOrigin?: string;
  /** The validated stage file, when the app was built from one. */
  readonly stageFile?: ResolvedStage;
  /** X-Ray active tracing of the functions (never in AWS China). */
  readonly tracing: boolean;
}

const STAGE = /^[a-z][a-z0-9-]{0,19}$/;

/**
 * Builds SciDay's CDK app from a topology: `SciDay-<stage>-Web` (site bucket and CloudFront),
 * `SciDay-<stage>-Stateful`, `SciDay-<stage>-Stateless` and `SciDay-<stage>-WebContent` (the
 * web app's files and config.json), deployed in that order (docs/adr/0020-web-hosting.md).
 */
export function buildApp(props: BuildAppProps = {}): SciDayApp {
  const topology = props.topology ?? sciDayTopology;
  const problems = validateTopology(topology);
  if (problems.length > 0) throw new Error(`invalid topology:\n- ${problems.join('\n- ')}`);

  const stageFile = props.stageConfig === undefined ? undefined : resolveStage(props.stageConfig, topology);
  const app = new App({
    context: { ...FEATURE_FLAGS, ...props.context, ...stageFile?.context },
    builtinCloudFormationValidation: props.cfnValidation ?? true,
  });
  props = stageFile ? { ...props, env: { ...stageFile.env } } : props;
  const stage = String(app.node.tryGetContext('stage') ?? 'dev');
  if (!STAGE.test(stage)) throw new Error(`context stage must match ${STAGE}, got "${stage}"`);
  const external = externalIssuer(app, props.env);
  const cognito = external === undefined;
  const web = webSettings(app, props.env, props.projectRoot ?? process.cwd(), external);
  const frontEndOrigins = frontEndOriginsOf(app, stage, web !== undefined);
  const edge = apiEdgeSettings(app, props.env);
  const china = targetsChina(app, props.env);
  const ops = operationsSettings(app, stage, china);
  // Known at synth, so the web stack's CSP can name the Cognito domain before the pool exists.
  const cognitoDomainPrefix = contextString(app, 'cognitoDomainPrefix') ?? defaultCognitoDomainPrefix(stage);

  // First the site: the other stacks take its origin (CORS, Cognito callback URLs).
  const webStack =
    web &&
    new WebStack(app, `SciDay-${stage}-Web`, {
      env: props.env,
      description: `SciDay ${stage}: web app hosting (S3 + CloudFront)`,
      stage,
      china: web.china,
      domain: web.domain,
      webAclArn: web.webAclArn,
      apiEdge: edge.region !== undefined,
      signIn: external
        ? { kind: 'external', origins: [new URL(external.issuer).origin, ...web.connectOrigins] }
        : { kind: 'cognito', domainPrefix: cognitoDomainPrefix },
    });
  const webOrigin = webStack?.site.origin;
  const corsOrigins = unique([...frontEndOrigins, ...(webOrigin ? [webOrigin] : [])]);

  const stateful = new StatefulStack(app, `SciDay-${stage}-Stateful`, {
    env: props.env,
    description: cognito ? `SciDay ${stage}: tables, queues, buckets and users` : `SciDay ${stage}: tables, queues and buckets`,
    topology,
    stage,
    frontEndOrigins: corsOrigins,
    userDirectory: cognito,
    // The hosted site and any https front end sign in through the user pool's managed login.
    signInOrigins: unique([...(webOrigin ? [webOrigin] : []), ...frontEndOrigins.filter((o) => o.startsWith('https://'))]),
    cognitoDomainPrefix,
    alarmEmails: ops.alarmEmails,
    backups: ops.backups,
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
  // The API edge's web ACL lives in us-east-1, as CloudFront's must (ADR 0033).
  const firewall =
    edge.region === undefined
      ? undefined
      : new ApiFirewallStack(app, `SciDay-${stage}-ApiFirewall`, {
          env: { ...(props.env?.account ? { account: props.env.account } : {}), region: EDGE_WAF_REGION },
          description: `SciDay ${stage}: per-client limits of the API's CloudFront edge (WAF, us-east-1)`,
          topology,
          stage,
          crossRegionReferences: edge.region !== EDGE_WAF_REGION,
        });
  const stateless = new StatelessStack(app, `SciDay-${stage}-Stateless`, {
    env: props.env,
    ...(firewall ? { edge: { webAclArn: firewall.webAcl.attrArn }, crossRegionReferences: edge.region !== EDGE_WAF_REGION } : {}),
    description: `SciDay ${stage}: functions, HTTP API and triggers`,
    topology,
    stage,
    frontEndOrigins: corsOrigins,
    ...(webOrigin ? { webOrigin } : {}),
    tables: stateful.tables,
    queues: stateful.queues,
    buckets: stateful.buckets,
    auth,
    athenaExports: stateful.analytics?.exportTarget,
    pseudonymKey: stateful.pseudonymKey,
    projectRoot: props.projectRoot,
    tracing: ops.tracing,
    reserveConcurrency: ops.reserveConcurrency,
    publicRoutes: ops.publicRoutes,
    apiDomain: ops.apiDomain,
  });
  // The functions' and the API's alarms and the dashboard: a stack of their own (500 resources a stack).
  const operations = new OperationsStack(app, `SciDay-${stage}-Operations`, {
    env: props.env,
    description: `SciDay ${stage}: alarms and dashboard of the functions and the API`,
    topology,
    stage,
    functions: stateless.functions,
    api: stateless.api,
    alarmTopic: stateful.alarmTopic,
  });

  // Last the web app's files and config.json, which name the API and the sign-in client.
  // The app reads the unit and roles from its ID token under the claim names the API uses.
  const common = { scope: WEB_OIDC_SCOPES.join(' '), claimNames: { ...auth.claimNames } };
  const signIn = directory
    ? { authority: directory.issuer, clientId: directory.audience, logoutUrl: directory.logoutUrl }
    : web?.external;
  const oidc: Extract<WebConfigInput, { mode: 'oidc' }>['oidc'] | undefined = signIn && {
    authority: signIn.authority,
    clientId: signIn.clientId,
    ...common,
    ...(signIn.logoutUrl ? { logoutUrl: signIn.logoutUrl } : {}),
  };
  const webContent =
    webStack && web && oidc
      ? new WebContentStack(app, `SciDay-${stage}-WebContent`, {
          env: props.env,
          description: `SciDay ${stage}: web app files and config.json`,
          stage,
          bucket: webStack.site.bucket,
          assetsDir: web.assetsDir,
          config: { mode: 'oidc', ...(web.campaignId ? { campaignId: web.campaignId } : {}), apiUrl: stateless.clientUrl, oidc },
        })
      : undefined;

  if (edge.reason) Annotations.of(stateless).addWarningV2('sciday:api-edge', edge.reason);
  if (ops.apiDomain && edge.region !== undefined) {
    throw new Error(
      `the API's custom domain (${ops.apiDomain.name}) and its CloudFront edge exclude each other for now: clients of the ` +
        'domain would skip the edge\'s per-client limits. Turn the edge off (api.edge false, or -c apiEdge=false) to use the domain.',
    );
  }
  if (china && ops.publicRoutes === 'open' && !ops.apiDomain) {
    Annotations.of(stateless).addWarningV2(
      'sciday:china-public-routes',
      'AWS China: API Gateway answers unauthenticated requests only on an ICP-registered custom domain. Configure the API ' +
        "domain (apiDomain, apiCertificateArn) or put the public routes behind the authorizer (publicRoutes=authorized); see docs/deploy.md.",
    );
  }
  if (props.nag ?? true) Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
  return {
    app,
    stage,
    frontEndOrigins,
    auth,
    cognito,
    stateful,
    stateless,
    operations,
    apiFirewall: firewall,
    web: webStack,
    webContent,
    webOrigin,
    stageFile,
    tracing: ops.tracing,
  };
}

/** What the stage operates with: tracing, alarms, backups, concurrency, the API's domain and open routes. */
interface OperationsSettings {
  readonly tracing: boolean;
  readonly alarmEmails: readonly string[];
  readonly backups: boolean;
  readonly reserveConcurrency: boolean;
  readonly publicRoutes: 'open' | 'authorized';
  readonly apiDomain?: { readonly name: string; readonly certificateArn: string };
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Context `tracing` (default true; always false in AWS China, where Lambda has no X-Ray),
 * `alarmEmails` (comma-separated), `backups` (default true outside dev and test),
 * `reserveConcurrency` (default false: a new account's limit leaves no room, infra/stage-config.ts),
 * `publicRoutes` (`open` or `authorized`), `apiDomain` with `apiCertificateArn`.
 */
function operationsSettings(app: App, stage: string, china: boolean): OperationsSettings {
  const alarmEmails = contextList(app, 'alarmEmails');
  for (const email of alarmEmails) if (!EMAIL.test(email)) throw new Error(`context alarmEmails: "${email}" is not an e-mail address`);
  const publicRoutes = contextString(app, 'publicRoutes') ?? 'open';
  if (publicRoutes !== 'open' && publicRoutes !== 'authorized') throw new Error(`context publicRoutes must be open or authorized, got "${publicRoutes}"`);
  const domain = contextString(app, 'apiDomain')?.toLowerCase();
  const certificateArn = contextString(app, 'apiCertificateArn');
  if (domain !== undefined && !HOSTNAME.test(domain)) throw new Error(`context apiDomain must be a host name such as api.kepu.example.cn, got "${domain}"`);
  if ((domain === undefined) !== (certificateArn === undefined)) throw new Error('context apiDomain and apiCertificateArn go together (a regional ACM certificate of the domain)');
  return {
    tracing: !china && contextBoolean(app, 'tracing', true),
    alarmEmails,
    backups: contextBoolean(app, 'backups', !DEVELOPMENT_STAGES.has(stage)),
    reserveConcurrency: contextBoolean(app, 'reserveConcurrency', false),
    publicRoutes,
    ...(domain && certificateArn ? { apiDomain: { name: domain, certificateArn } } : {}),
  };
}

function contextBoolean(app: App, key: string, fallback: boolean): boolean {
  const value: unknown = app.node.tryGetContext(key);
  if (value === undefined || value === null) return fallback;
  const text = String(value).trim().toLowerCase();
  if (text !== 'true' && text !== 'false') throw new Error(`context ${key} must be true or false, got "${String(value)}"`);
  return text === 'true';
}

/** Where CloudFront's web ACLs live. */
const EDGE_WAF_REGION = 'us-east-1';

/** Stages run by developers: their API may trust `http://localhost:3000` by default. */
export const DEVELOPMENT_STAGES: ReadonlySet<string> = new Set(['dev', 'test']);

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/**
 * The origins the API's CORS (and the media bucket's) trusts besides the hosted web app's, from
 * context `frontEndOrigins` (comma-separated). A development stage defaults to
 * `http://localhost:3000`. Any other stage has no default (ADR 0033): it trusts the hosted web
 * app's origin and the origins given, each an https origin that is not this machine's; with
 * neither, synth fails and says what to pass.
 */
function frontEndOriginsOf(app: App, stage: string, webHosted: boolean): string[] {
  const development = DEVELOPMENT_STAGES.has(stage);
  const given = contextList(app, 'frontEndOrigins');
  if (given.length === 0 && app.node.tryGetContext('frontEndOrigins') !== undefined) throw new Error('context frontEndOrigins lists no origin');
  if (development) return given.length > 0 ? given : ['http://localhost:3000'];
  for (const origin of given) {
    const url = parseUrl(origin);
    if (!url || url.origin !== origin.replace(/\/$/, '') || url.protocol !== 'https:' || LOOPBACK.test(url.hostname)) {
      throw new Error(
        `context frontEndOrigins: stage ${stage} trusts only https origins of the front end's own host (https://host[:port]), ` +
          `got "${origin}". A development stage (${[...DEVELOPMENT_STAGES].join(', ')}) may use http://localhost.`,
      );
    }
  }
  if (given.length === 0 && !webHosted) {
    throw new Error(
      `context frontEndOrigins is required for stage ${stage}: the API and the media bucket allow only the origins of the ` +
        'front ends that call them, and outside a development stage there is no default (never http://localhost:3000). ' +
        'Pass -c frontEndOrigins=https://kepu.example.cn (comma-separated for several), or host the web app with the ' +
        'stack (drop -c web=false), whose origin is then the one trusted.',
    );
  }
  return given.map((origin) => origin.replace(/\/$/, ''));
}

/** Whether the API gets its CloudFront edge with per-client limits (ADR 0033), and if not, why. */
interface ApiEdgeSettings {
  /** The API's region, when the edge is built. */
  readonly region?: string;
  /** Why there is no edge, when one was not turned off on purpose (a synth warning). */
  readonly reason?: string;
}

/**
 * The API's edge is built in the `aws` partition when the stacks' region is known at synth (env, or
 * the CLI's `CDK_DEFAULT_REGION`, infra/app.ts): its web ACL must be made in us-east-1 and handed
 * to the API's region, which needs both regions by name. Context `apiEdge=false` leaves it out.
 * AWS China offers no WAF for CloudFront: there the routes' own throttles are the limits.
 */
function apiEdgeSettings(app: App, env: Environment | undefined): ApiEdgeSettings {
  const setting: unknown = app.node.tryGetContext('apiEdge');
  if (setting === false || String(setting).trim().toLowerCase() === 'false') return {};
  if (targetsChina(app, env)) return {};
  const region = env?.region;
  if (typeof region !== 'string' || Token.isUnresolved(region)) {
    return {
      reason:
        'No per-client limits in front of the API: the region is not known at synth, and the edge\'s web ACL must be ' +
        'made in us-east-1 and handed to it. Synthesize with an AWS profile (CDK_DEFAULT_REGION) or an env region; ' +
        '-c apiEdge=false leaves the edge out on purpose (the routes\' throttles still hold).',
    };
  }
  return { region };
}

const unique = (items: readonly string[]): string[] => [...new Set(items)];

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

/** How the web app is hosted and whom it signs in with, from the context. */
interface WebSettings {
  /** Absolute directory of the built web app (has an index.html). */
  readonly assetsDir: string;
  readonly china: boolean;
  readonly domain?: WebDomain;
  readonly webAclArn?: string;
  /** Further origins the app may connect to (an external issuer's token endpoint elsewhere). */
  readonly connectOrigins: readonly string[];
  /** config.json's `campaignId`: the campaign the app opens with and `/public` shows (ADR 0045). */
  readonly campaignId?: string;
  /** config.json's OIDC settings with an external issuer. */
  readonly external?: { readonly authority: string; readonly clientId: string; readonly logoutUrl?: string };
}

const HOSTNAME = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;
const ACM_US_EAST_1 = /^arn:aws:acm:us-east-1:\d{12}:certificate\/[0-9a-f-]+$/;

/** Why the web app cannot be served in AWS China as configured, in Chinese and English. */
const chinaWebProblem = (missing: string): string =>
  `AWS 中国区域的 CloudFront 不能用默认域名 *.cloudfront.cn 提供网站：必须使用已完成 ICP 备案的自定义域名（CNAME 指向分配的域名），` +
  `HTTPS 证书须由第三方 CA 签发并上传到 IAM（中国区域的 CloudFront 不支持 ACM）。缺少：${missing}。` +
  `请加 -c webDomain=kepu.example.cn -c webIamCertificateId=<IAM 服务器证书 ID>；若暂时只部署后端，请加 -c web=false。\n` +
  `CloudFront in AWS China cannot serve the web app on its default *.cloudfront.cn domain: it needs an ICP-registered ` +
  `custom domain (a CNAME to the distribution) and a certificate from a third-party CA uploaded to IAM (CloudFront in ` +
  `China does not support ACM). Missing: ${missing}. Add -c webDomain=kepu.example.cn -c webIamCertificateId=<IAM server ` +
  `certificate id>; to deploy the backend only for now, add -c web=false. See docs/deploy-web.md.`;

/**
 * The web app's settings from the context, or undefined with `web=false`. Fails synth on a
 * missing build (`webAssets`, default `web/dist`: run `npm run build:web`), on a custom domain
 * without its certificate, and in AWS China without an ICP-registered domain and an IAM
 * certificate (docs/adr/0020-web-hosting.md says why this fails rather than skips).
 */
function webSettings(
  app: App,
  env: Environment | undefined,
  projectRoot: string,
  external: { issuer: string; audience: string[] } | undefined,
): WebSettings | undefined {
  const enabled: unknown = app.node.tryGetContext('web');
  if (enabled === false || String(enabled).trim().toLowerCase() === 'false') return undefined;
  const china = targetsChina(app, env);

  const name = contextString(app, 'webDomain')?.toLowerCase();
  const acmCertificateArn = contextString(app, 'webCertificateArn');
  const iamCertificateId = contextString(app, 'webIamCertificateId');
  if (china && (!name || !iamCertificateId)) {
    throw new Error(chinaWebProblem([!name && 'webDomain', !iamCertificateId && 'webIamCertificateId'].filter(Boolean).join(', ')));
  }
  if (china && acmCertificateArn) throw new Error(chinaWebProblem('webIamCertificateId instead of webCertificateArn (ACM)'));
  if (name !== undefined && !HOSTNAME.test(name)) throw new Error(`context webDomain must be a host name such as kepu.example.cn, got "${name}"`);
  if (name === undefined && (acmCertificateArn || iamCertificateId)) {
    throw new Error('context webCertificateArn / webIamCertificateId is given without webDomain');
  }
  if (acmCertificateArn && iamCertificateId) throw new Error('give either webCertificateArn (ACM) or webIamCertificateId (IAM), not both');
  if (name !== undefined && !acmCertificateArn && !iamCertificateId) {
    throw new Error(
      `context webDomain=${name} needs a certificate: webCertificateArn (ACM, in us-east-1, as CloudFront requires) ` +
        'or webIamCertificateId (an IAM server certificate)',
    );
  }
  if (acmCertificateArn && !Token.isUnresolved(acmCertificateArn) && !ACM_US_EAST_1.test(acmCertificateArn)) {
    throw new Error(`context webCertificateArn must be an ACM certificate in us-east-1 (CloudFront reads only those), got "${acmCertificateArn}"`);
  }
  const domain: WebDomain | undefined =
    name === undefined
      ? undefined
      : { name, certificate: acmCertificateArn ? { acmCertificateArn } : { iamCertificateId: iamCertificateId ?? '' } };

  const webAclArn = contextString(app, 'webWafAclArn');
  if (china && webAclArn) throw new Error('context webWafAclArn: AWS WAF cannot be attached to CloudFront in AWS China');

  const connectOrigins = contextList(app, 'webConnectOrigins').map((origin) => {
    const url = parseUrl(origin);
    if (!url || url.protocol !== 'https:' || url.origin !== origin.replace(/\/$/, '')) {
      throw new Error(`context webConnectOrigins must list https origins (https://host[:port]), got "${origin}"`);
    }
    return url.origin;
  });

  const assetsDir = path.resolve(projectRoot, contextString(app, 'webAssets') ?? path.join('web', 'dist'));
  if (!fs.existsSync(path.join(assetsDir, 'index.html'))) {
    throw new Error(
      `the web app is not built: ${assetsDir} has no index.html. Run \`npm run build:web\` (it writes web/dist), ` +
        'or point -c webAssets=<folder> at a build; -c web=false synthesizes the backend without the web app.',
    );
  }

  let externalConfig: WebSettings['external'];
  if (external) {
    const clientId = contextString(app, 'webClientId') ?? external.audience[0] ?? '';
    // The app sends its ID token (aud = its client id) to the API, whose authorizer checks aud.
    if (!external.audience.includes(clientId)) {
      throw new Error(`context webClientId "${clientId}" is not among jwtAudience (${external.audience.join(', ')}): the API would refuse the web app's tokens`);
    }
    externalConfig = { authority: external.issuer, clientId, logoutUrl: contextString(app, 'webLogoutUrl') };
  } else {
    for (const key of ['webClientId', 'webLogoutUrl']) {
      if (contextString(app, key) !== undefined) throw new Error(`context ${key} applies to an external issuer (jwtIssuer) only`);
    }
    const prefix = contextString(app, 'cognitoDomainPrefix');
    const problem = prefix && cognitoDomainPrefixProblem(prefix);
    if (problem) throw new Error(`context cognitoDomainPrefix: ${problem}`);
  }

  const campaignId = contextString(app, 'webCampaignId');
  return { assetsDir, china, domain, webAclArn, connectOrigins, campaignId, external: externalConfig };
}

function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

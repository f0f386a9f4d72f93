/**
 * One stage's deployment, in one typed file: `infra/stages/<stage>.json`, validated at synth
 * (issue 18, ADR 0035). `npx cdk synth -c stage=<stage>` (and `npm run deploy -- --stage <stage>`)
 * read it; a stage without a file keeps the older `-c key=value` context (docs/deploy-web.md).
 *
 * The partition follows from the region: a China region (`cn-north-1`, `cn-northwest-1`) takes the
 * China path whatever else the file or the flags say: no Cognito (an external issuer is
 * required), no X-Ray, no CloudFront edge for the API, and public routes only on an
 * ICP-registered API domain (or behind the authorizer).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import type { Topology } from './topology';

/** Lambda's floor of unreserved concurrency: reservations must leave this many to the other functions. */
export const LAMBDA_UNRESERVED_MINIMUM = 100;

const STAGE_NAME = /^[a-z][a-z0-9-]{0,19}$/;
const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;
const HOST = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;

const httpsUrl = z.string().refine((v) => /^https:\/\/[^\s/]+/.test(v), { message: 'must be an https URL' });

const CognitoIdentity = z
  .object({
    kind: z.literal('cognito'),
    /** Prefix of the Cognito domain of the managed login pages (globally unique). */
    domainPrefix: z.string().optional(),
  })
  .strict();

const OidcIdentity = z
  .object({
    kind: z.literal('oidc'),
    /** The issuer URL, exactly the tokens' `iss` (OIDC discovery must answer under it). */
    issuer: httpsUrl,
    /** Accepted audiences (`aud`, or `client_id` in access tokens without `aud`). */
    audience: z.array(z.string().min(1)).min(1, 'lists no audience'),
    /** The web app's client id. @default audience[0] */
    webClientId: z.string().min(1).optional(),
    /** Where the web app signs out, when the issuer's discovery has no `end_session_endpoint`. */
    logoutUrl: httpsUrl.optional(),
    /** The claims that hold the user's unit and roles. @default orgId and roles */
    claims: z.object({ orgId: z.string().min(1), roles: z.string().min(1) }).strict().optional(),
    /** Further https origins the web app must reach (a token endpoint on another host). */
    connectOrigins: z.array(httpsUrl).optional(),
  })
  .strict();

const CustomDomain = z
  .object({
    /** The host name, ICP-registered in AWS China. */
    name: z.string().regex(HOST, 'must be a host name such as kepu.example.cn'),
    /** An ACM certificate (for the web app: in us-east-1, aws partition only). */
    certificateArn: z.string().optional(),
    /** An IAM server certificate id (the web app in AWS China). */
    iamCertificateId: z.string().optional(),
  })
  .strict();

export const StageConfigSchema = z
  .object({
    /** The stage's name: it names the stacks (`SciDay-<name>-…`) and must match the file name. */
    name: z.string().regex(STAGE_NAME, 'must be lower case letters, digits and dashes, starting with a letter, at most 20'),
    /** The 12-digit AWS account id the stage deploys to. */
    account: z.string().regex(/^\d{12}$/, 'must be the 12-digit AWS account id'),
    /** The region (`cn-*` is AWS China). */
    region: z.string().regex(REGION, 'must be a region such as cn-northwest-1 or ap-east-1'),
    identity: z.discriminatedUnion('kind', [CognitoIdentity, OidcIdentity]),
    /** Origins of other front ends the API and media bucket trust besides the hosted web app. */
    frontEndOrigins: z.array(z.string()).optional(),
    /** Who receives every alarm (SNS e-mail subscriptions; each confirms once by e-mail). */
    alarmEmails: z.array(z.email('must be an e-mail address')).min(1, 'lists nobody: every alarm would go unheard'),
    /** The web app: false to deploy the backend only. */
    web: z
      .union([
        z.literal(false),
        z
          .object({
            domain: CustomDomain.optional(),
            wafAclArn: z.string().optional(),
            /**
             * The campaign the app opens with, and the calendar `/public` shows (config.json's
             * `campaignId`). None: signed in, the newest of the user's city; `/public` asks for a
             * link that names a campaign (ADR 0045).
             */
            campaignId: z.string().min(1).max(64).optional(),
          })
          .strict(),
      ])
      .optional(),
    api: z
      .object({
        /** A custom domain of the API (regional, certificate in ACM in the stage's region). */
        domain: CustomDomain.optional(),
        /** `authorized`: the contract's public routes also need a token (AWS China without an ICP-registered API domain). */
        publicRoutes: z.enum(['open', 'authorized']).optional(),
        /** CloudFront and WAF in front of the API (aws partition, ADR 0033). @default true */
        edge: z.boolean().optional(),
      })
      .strict()
      .optional(),
    /** X-Ray active tracing of the functions. Always off in AWS China. @default true elsewhere */
    tracing: z.boolean().optional(),
    /**
     * The account's Lambda concurrency limit (Service Quotas, "Concurrent executions"). Declared,
     * the topology's reserved concurrency is applied if it leaves 100 unreserved; not declared,
     * no function reserves any (a new account may have a limit of 10).
     */
    lambdaConcurrencyLimit: z.number().int().min(10).optional(),
    /** AWS Backup of the tables (daily, kept 7 days; monthly, kept a year). @default true outside dev and test */
    backups: z.boolean().optional(),
  })
  .strict();

export type StageConfig = z.input<typeof StageConfigSchema>;

/** The partition of a region. */
export const partitionOf = (region: string): 'aws' | 'aws-cn' | 'aws-us-gov' =>
  region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';

/** A validated stage: its env, partition, and the context keys build-app.ts reads. */
export interface ResolvedStage {
  readonly name: string;
  readonly env: { readonly account: string; readonly region: string };
  readonly partition: 'aws' | 'aws-cn' | 'aws-us-gov';
  readonly china: boolean;
  readonly context: Readonly<Record<string, unknown>>;
}

/** The sum of the topology's reserved concurrency. */
export const reservedConcurrencyOf = (topology: Topology): number =>
  Object.values(topology.functions).reduce((sum, fn) => sum + (fn.reservedConcurrency ?? 0), 0);

/**
 * Validates `input` (the parsed stage file) against the schema and the rules across fields, and
 * maps it to the context keys of build-app.ts. Throws one error that lists every problem, each
 * naming its field.
 */
export function resolveStage(input: unknown, topology: Topology): ResolvedStage {
  const parsed = StageConfigSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`);
    throw new Error(`invalid stage configuration:\n- ${problems.join('\n- ')}`);
  }
  const c = parsed.data;
  const partition = partitionOf(c.region);
  const china = partition === 'aws-cn';
  const problems: string[] = [];
  const where = china ? `in AWS China (${c.region})` : '';

  if (china && c.identity.kind === 'cognito') {
    problems.push(`identity: Cognito user pools are not offered ${where}; configure an external OIDC issuer (identity.kind "oidc", docs/deploy.md)`);
  }
  if (china && c.tracing === true) problems.push(`tracing: Lambda has no X-Ray integration ${where}; remove it (it is off there)`);
  if (china && c.api?.edge === true) problems.push(`api.edge: AWS China has no WAF for CloudFront; remove it`);
  const idp = c.identity.kind === 'oidc' ? c.identity : undefined;
  if (idp?.webClientId && !idp.audience.includes(idp.webClientId)) {
    problems.push(`identity.webClientId: "${idp.webClientId}" is not among identity.audience: the API would refuse the web app's tokens`);
  }

  const web = c.web === false ? undefined : (c.web ?? {});
  const webDomain = web?.domain;
  if (webDomain) {
    if (webDomain.certificateArn && webDomain.iamCertificateId) problems.push('web.domain: give certificateArn or iamCertificateId, not both');
    if (!webDomain.certificateArn && !webDomain.iamCertificateId) problems.push('web.domain: needs certificateArn (ACM, us-east-1) or iamCertificateId');
    if (china && webDomain.certificateArn) problems.push(`web.domain.certificateArn: CloudFront ${where} takes IAM certificates only; use iamCertificateId`);
  } else if (china && web) {
    problems.push(`web.domain: CloudFront ${where} serves the web app only on an ICP-registered domain with an IAM certificate; add web.domain or set web: false`);
  }
  if (china && web?.wafAclArn) problems.push(`web.wafAclArn: AWS WAF cannot be attached to CloudFront ${where}`);

  const apiDomain = c.api?.domain;
  if (apiDomain) {
    if (!apiDomain.certificateArn) problems.push(`api.domain.certificateArn: the API's domain needs an ACM certificate in ${c.region}`);
    else if (!apiDomain.certificateArn.startsWith(`arn:${partition}:acm:${c.region}:`)) {
      problems.push(`api.domain.certificateArn: must be an ACM certificate in the stage's region (arn:${partition}:acm:${c.region}:…), got "${apiDomain.certificateArn}"`);
    }
    if (apiDomain.iamCertificateId) problems.push('api.domain.iamCertificateId: a regional API domain takes an ACM certificate (certificateArn)');
  }
  const publicRoutes = c.api?.publicRoutes ?? 'open';
  if (china && publicRoutes === 'open' && !apiDomain) {
    problems.push(
      `api: API Gateway ${where} answers unauthenticated requests only on an ICP-registered custom domain: ` +
        'set api.domain (name and certificateArn), or api.publicRoutes "authorized" to put the public routes behind the authorizer',
    );
  }

  const reserved = reservedConcurrencyOf(topology);
  const limit = c.lambdaConcurrencyLimit;
  if (limit !== undefined && reserved > 0 && limit - reserved < LAMBDA_UNRESERVED_MINIMUM) {
    problems.push(
      `lambdaConcurrencyLimit: the topology reserves ${reserved} concurrent executions, which would leave ${limit - reserved} of ${limit} ` +
        `unreserved, and Lambda requires ${LAMBDA_UNRESERVED_MINIMUM}. Ask for a higher limit (docs/deploy.md, "Lambda concurrency") or leave the field out (no reservations)`,
    );
  }
  if (problems.length > 0) throw new Error(`invalid stage configuration "${c.name}":\n- ${problems.join('\n- ')}`);

  const context: Record<string, unknown> = {
    stage: c.name,
    partition,
    alarmEmails: c.alarmEmails.join(','),
    tracing: china ? false : (c.tracing ?? true),
    reserveConcurrency: limit !== undefined && reserved > 0,
    publicRoutes,
    ...(c.backups !== undefined ? { backups: c.backups } : {}),
    ...(c.frontEndOrigins?.length ? { frontEndOrigins: c.frontEndOrigins.join(',') } : {}),
    ...(c.api?.edge === false || china ? { apiEdge: false } : {}),
    ...(apiDomain ? { apiDomain: apiDomain.name, apiCertificateArn: apiDomain.certificateArn } : {}),
    ...(web
      ? {
          ...(webDomain ? { webDomain: webDomain.name } : {}),
          ...(webDomain?.certificateArn ? { webCertificateArn: webDomain.certificateArn } : {}),
          ...(webDomain?.iamCertificateId ? { webIamCertificateId: webDomain.iamCertificateId } : {}),
          ...(web.wafAclArn ? { webWafAclArn: web.wafAclArn } : {}),
          ...(web.campaignId ? { webCampaignId: web.campaignId } : {}),
        }
      : { web: false }),
    ...(c.identity.kind === 'cognito'
      ? c.identity.domainPrefix
        ? { cognitoDomainPrefix: c.identity.domainPrefix }
        : {}
      : {
          jwtIssuer: c.identity.issuer,
          jwtAudience: c.identity.audience.join(','),
          ...(c.identity.claims ? { jwtClaimOrgId: c.identity.claims.orgId, jwtClaimRoles: c.identity.claims.roles } : {}),
          ...(web && c.identity.webClientId ? { webClientId: c.identity.webClientId } : {}),
          ...(web && c.identity.logoutUrl ? { webLogoutUrl: c.identity.logoutUrl } : {}),
          ...(web && c.identity.connectOrigins?.length ? { webConnectOrigins: c.identity.connectOrigins.join(',') } : {}),
        }),
  };
  return { name: c.name, env: { account: c.account, region: c.region }, partition, china, context };
}

/** Where stage files live. */
export const STAGES_DIR = path.join('infra', 'stages');

/** The stage file of `stage` under `projectRoot`, parsed, or undefined when there is none. */
export function readStageFile(projectRoot: string, stage: string): unknown {
  const file = path.join(projectRoot, STAGES_DIR, `${stage}.json`);
  if (!fs.existsSync(file)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  const name = (parsed as { name?: unknown } | null)?.name;
  if (name !== stage) throw new Error(`${file}: "name" must be "${stage}" (the file's name), got ${JSON.stringify(name)}`);
  return parsed;
}

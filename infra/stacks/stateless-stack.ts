import { CfnOutput, Duration, RemovalPolicy, Stack, TimeZone, type StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { ApiMapping, CfnStage, CorsHttpMethod, DomainName, HttpApi, HttpMethod, HttpRoute, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Schedule, ScheduleExpression, ScheduleGroup, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Secret, type ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type { AthenaExportTarget } from '../constructs/analytics';
import { ApiEdge } from '../constructs/api-edge';
import { AppFunction } from '../constructs/app-function';
import {
  REASONS,
  acknowledgeFunctionFindings,
  acknowledgePublicRoute,
  acknowledgeCursorKeyRotation,
  acknowledgeWebhookKeyRotation,
  acknowledgeResourceWildcards,
  scheduleGroupsReason,
} from '../nag-acknowledgements';
import { STAGE_THROTTLE, httpRoutes, type FunctionSpec, type Topology, type Trigger } from '../topology';
import { campaignScheduleTargets, expandSchedules, scheduleManager, type ExpandedSchedule } from '../schedules';
import {
  SCHEDULE_ENV,
  scheduleGroupPrefix,
  scheduleTargetArnEnv,
  scheduleTargetDlqEnv,
} from '../../shared/repositories/schedule-gateway';
import { dataRemovalPolicy } from './stateful-stack';

/** Who issues the API's tokens and where handlers find identity in them. */
export interface ApiAuth {
  /** OIDC issuer URL (`iss` of the tokens); API Gateway fetches its JWKS through OIDC discovery. */
  readonly issuer: string;
  /** Accepted audiences: `aud` (or, in access tokens without `aud`, `client_id`). */
  readonly audience: readonly string[];
  /** The claims that hold the user's unit and roles, given to HTTP handlers as JWT_CLAIM_ORG_ID / JWT_CLAIM_ROLES. */
  readonly claimNames: { readonly orgId: string; readonly roles: string };
}

/** Environment variables through which HTTP handlers learn the claim names of the issuer. */
export const CLAIM_ENV = { orgId: 'JWT_CLAIM_ORG_ID', roles: 'JWT_CLAIM_ROLES' } as const;
/** The web app's origin for share links (shared/config.ts `loadWebOrigin`). */
export const WEB_ORIGIN_ENV = 'SCIDAY_WEB_ORIGIN';

export interface StatelessStackProps extends StackProps {
  readonly topology: Topology;
  readonly stage: string;
  /** Origins of the front end, allowed by the API's CORS preflight. */
  readonly frontEndOrigins: readonly string[];
  /** The hosted web app's origin, for functions that link to its pages (`webOrigin`). @default none (no web stacks) */
  readonly webOrigin?: string;
  /** The stateful stack's tables, queues and buckets, by topology id. */
  readonly tables: Readonly<Record<string, ITable>>;
  readonly queues: Readonly<Record<string, { readonly queue: IQueue }>>;
  readonly buckets: Readonly<Record<string, IBucket>>;
  /** The JWT authorizer's issuer and audience, required by every non-public route. */
  readonly auth: ApiAuth;
  /** The pseudonym key (stateful stack, ADR 0047), for functions with `pseudonyms`. */
  readonly pseudonymKey?: ISecret;
  /** The export workgroup and Glue database of the analytics (stateful stack), for functions with `athenaExports`. */
  readonly athenaExports?: AthenaExportTarget;
  /**
   * Directory the topology's entry paths are relative to.
   * @default process.cwd()
   */
  readonly projectRoot?: string;
  /**
   * Steady-state requests per second across the API's default stage.
   * @default STAGE_THROTTLE.rateLimit (100)
   */
  readonly throttleRateLimit?: number;
  /**
   * Burst of requests across the API's default stage.
   * @default STAGE_THROTTLE.burstLimit (200)
   */
  readonly throttleBurstLimit?: number;
  /**
   * A CloudFront distribution in front of the API with per-client limits (ADR 0033): the WAF web
   * ACL's ARN (scope CLOUDFRONT, us-east-1), given by {@link ApiFirewallStack}. None: the API is
   * reached at its own endpoint, limited by the stage's and the routes' throttles only (AWS China,
   * or a region not known at synth).
   */
  readonly edge?: { readonly webAclArn: string };
  /** X-Ray active tracing (off in AWS China). @default true */
  readonly tracing?: boolean;
  /** Apply the topology's reserved concurrency (the stage's account limit leaves room). @default false */
  readonly reserveConcurrency?: boolean;
  /**
   * `authorized`: the contract's public routes need a token too (AWS China without an
   * ICP-registered API domain). @default 'open'
   */
  readonly publicRoutes?: 'open' | 'authorized';
  /** The API's own domain (regional, ACM certificate in the stack's region; ICP-registered in China). */
  readonly apiDomain?: { readonly name: string; readonly certificateArn: string };
}

/** Every `$context` field worth searching for, one JSON object per request. */
const ACCESS_LOG_FORMAT = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    requestTime: '$context.requestTime',
    ip: '$context.identity.sourceIp',
    httpMethod: '$context.httpMethod',
    path: '$context.path',
    routeKey: '$context.routeKey',
    status: '$context.status',
    protocol: '$context.protocol',
    responseLength: '$context.responseLength',
    responseLatency: '$context.responseLatency',
    integrationError: '$context.integrationErrorMessage',
    authorizerError: '$context.authorizer.error',
  }),
);

const lookUp = <T>(map: Readonly<Record<string, T>>, kind: string, id: string, fnId: string): T => {
  const found = map[id];
  if (found === undefined) throw new Error(`function ${fnId}: unknown ${kind} ${id}`);
  return found;
};

const seconds = (n: number): Duration | undefined => (n > 0 ? Duration.seconds(n) : undefined);

/**
 * Everything that computes, generated from the topology: one AppFunction per function with its
 * bindings, and each trigger wired to its source (HTTP API route, SQS queue, DynamoDB stream,
 * EventBridge Scheduler schedule). The campaigns' one-time schedules are not in the template:
 * the function that manages them makes them at run time, and Scheduler invokes their targets
 * with the one role made here ({@link StatelessStack.campaignSchedulerRole}).
 */
export class StatelessStack extends Stack {
  /** Functions by topology id. */
  readonly functions: Readonly<Record<string, AppFunction>>;
  readonly api: HttpApi;
  readonly apiStage: HttpStage;
  /** CloudFront with per-client limits in front of the API (ADR 0033), when the stack has one. */
  readonly edge?: ApiEdge;
  /** Verifies the bearer token of every non-public route. */
  readonly authorizer: HttpJwtAuthorizer;
  /**
   * The role EventBridge Scheduler assumes for the campaigns' schedules: it may invoke exactly the
   * functions their triggers name and send to their failures queues (absent when none is declared).
   */
  readonly campaignSchedulerRole?: Role;
  /**
   * The key that signs list cursors (ADR 0031), generated by Secrets Manager at the first deploy and
   * kept: only the functions that declare `cursors` may read it (absent when none does).
   */
  readonly cursorKey?: Secret;
  /**
   * The key that seals webhook URLs at rest (ADR 0048): a secret generated at the first deploy,
   * encrypted with a KMS key of the stack's own; only the functions that declare `webhookKey`
   * may read it (absent when none does).
   */
  readonly webhookKey?: { readonly secret: Secret; readonly kmsKey: Key };
  /** The API's custom domain, when the stage has one. */
  readonly domain?: DomainName;
  /** The API's custom domain name, when the stage has one. */
  readonly domainName?: string;
  /** Alarms and the dashboard, when the stage has an alarm topic. */

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { topology, stage } = props;
    const removalPolicy = dataRemovalPolicy(stage);

    // The front end calls the API from its own origin(s), with the methods the topology routes use.
    const methods = [...new Set(httpRoutes(topology).map((route) => CorsHttpMethod[route.method]))];
    this.api = new HttpApi(this, 'HttpApi', {
      apiName: `sciday-${stage}`,
      description: `SciDay ${stage} API`,
      createDefaultStage: false,
      corsPreflight:
        methods.length === 0
          ? undefined
          : {
              allowOrigins: [...props.frontEndOrigins],
              allowMethods: methods,
              allowHeaders: ['authorization', 'content-type', 'idempotency-key'],
              maxAge: Duration.hours(1),
            },
    });
    // One authorizer for every non-public route. API Gateway answers 401 to a missing, expired or
    // foreign token before any function runs, and hands the verified claims to the handler.
    this.authorizer = new HttpJwtAuthorizer('JwtAuthorizer', props.auth.issuer, {
      authorizerName: 'jwt',
      identitySource: ['$request.header.Authorization'],
      jwtAudience: [...props.auth.audience],
    });
    const accessLogs = new LogGroup(this, 'HttpApiAccessLogs', {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy,
    });
    this.apiStage = new HttpStage(this, 'HttpApiDefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.throttleRateLimit ?? STAGE_THROTTLE.rateLimit, burstLimit: props.throttleBurstLimit ?? STAGE_THROTTLE.burstLimit },
      accessLogSettings: { destination: new LogGroupLogDestination(accessLogs), format: ACCESS_LOG_FORMAT },
    });

    const schedules = expandSchedules(topology);
    const scheduleGroup = schedules.length
      ? new ScheduleGroup(this, 'Schedules', { scheduleGroupName: `sciday-${stage}`, removalPolicy })
      : undefined;
    this.cursorKey = Object.values(topology.functions).some((f) => f.cursors) ? this.newCursorKey(stage, removalPolicy) : undefined;
    this.webhookKey = Object.values(topology.functions).some((f) => f.webhookKey) ? this.newWebhookKey(stage) : undefined;
    const functionsScope = new Construct(this, 'Functions');
    const functions: Record<string, AppFunction> = {};
    for (const [fnId, spec] of Object.entries(topology.functions)) {
      const fn = new AppFunction(functionsScope, fnId, {
        spec,
        stage,
        projectRoot: props.projectRoot,
        logRemovalPolicy: removalPolicy,
        tracing: props.tracing ?? true,
        reserveConcurrency: props.reserveConcurrency ?? false,
      });
      this.bind(fnId, fn, spec, props);
      if (spec.triggers.some((t) => t.kind === 'http')) {
        fn.addEnvironment(CLAIM_ENV.orgId, props.auth.claimNames.orgId);
        fn.addEnvironment(CLAIM_ENV.roles, props.auth.claimNames.roles);
      }
      if (spec.webOrigin && props.webOrigin) fn.addEnvironment(WEB_ORIGIN_ENV, props.webOrigin);
      spec.triggers.forEach((trigger, index) => this.wire(fnId, fn, trigger, index, props));
      const own = schedules.filter((s) => s.functionId === fnId);
      if (own.length > 0 && scheduleGroup) this.schedule(fnId, fn, own, scheduleGroup, props);
      acknowledgeFunctionFindings(fn, spec, { tracing: props.tracing ?? true });
      functions[fnId] = fn;
    }
    this.functions = functions;
    this.campaignSchedulerRole = this.campaignSchedules(props);
    this.throttleRoutes(topology);
    this.edge = props.edge ? new ApiEdge(this, 'Edge', { api: this.api, stage, webAclArn: props.edge.webAclArn, removalPolicy }) : undefined;

    if (props.apiDomain) {
      this.domainName = props.apiDomain.name;
      this.domain = new DomainName(this, 'ApiDomain', {
        domainName: props.apiDomain.name,
        certificate: Certificate.fromCertificateArn(this, 'ApiCertificate', props.apiDomain.certificateArn),
      });
      new ApiMapping(this, 'ApiDomainMapping', { api: this.api, domainName: this.domain, stage: this.apiStage });
      new CfnOutput(this, 'ApiDomainTarget', {
        value: this.domain.regionalDomainName,
        description: `Point a CNAME of ${props.apiDomain.name} at this name`,
      });
    }
    new CfnOutput(this, 'ApiUrl', { value: this.apiStage.url, description: 'Base URL of the SciDay HTTP API' });
    if (this.edge) new CfnOutput(this, 'ApiEdgeUrl', { value: this.edge.url, description: 'The API behind CloudFront and its per-client limits (what clients use)' });
  }

  /** Where clients reach the API: through the edge when there is one, else its own endpoint (no trailing slash). */
  get clientUrl(): string {
    if (this.domainName) return `https://${this.domainName}`;
    return this.edge?.url ?? this.api.apiEndpoint;
  }

  /**
   * Each route that declares a `throttle` gets it as its route settings (API Gateway applies them
   * across all clients, below the stage's default). The stage must wait for those routes: route
   * settings naming a route that does not exist yet fail the deployment.
   */
  private throttleRoutes(topology: Topology): void {
    const throttled = httpRoutes(topology).filter((r) => r.throttle);
    if (throttled.length === 0) return;
    const stage = this.apiStage.node.defaultChild as CfnStage;
    // RouteSettings is a JSON map in CloudFormation (route key → settings): CDK passes it as written.
    stage.routeSettings = Object.fromEntries(
      throttled.map((r) => [`${r.method} ${r.path}`, { ThrottlingRateLimit: r.throttle?.rateLimit, ThrottlingBurstLimit: r.throttle?.burstLimit }]),
    );
    for (const route of this.api.node.findAll().filter((c): c is HttpRoute => c instanceof HttpRoute)) stage.node.addDependency(route);
  }

  private bind(fnId: string, fn: AppFunction, spec: FunctionSpec, props: StatelessStackProps): void {
    for (const [id, access] of Object.entries(spec.tables ?? {})) {
      fn.bindTable(id, lookUp(props.tables, 'table', id, fnId), access, { hasIndexes: (props.topology.tables[id]?.globalIndexes?.length ?? 0) > 0 });
    }
    for (const [id, access] of Object.entries(spec.queues ?? {})) {
      fn.bindQueue(id, lookUp(props.queues, 'queue', id, fnId).queue, access);
    }
    for (const [id, binding] of Object.entries(spec.buckets ?? {})) {
      fn.bindBucket(id, lookUp(props.buckets, 'bucket', id, fnId), binding.access, binding.prefixes, binding.list);
    }
    if (spec.tableCopies) {
      const { table, bucket, prefix } = spec.tableCopies;
      const binding = spec.buckets?.[bucket];
      if (binding?.access !== 'readwrite' || !(binding.prefixes ?? ['']).some((p) => prefix.startsWith(p))) {
        throw new Error(`${fnId}: its table copies go to ${bucket}/${prefix}, which its bucket binding does not cover (readwrite)`);
      }
      fn.bindTableCopies(lookUp(props.tables, 'table', table, fnId), lookUp(props.buckets, 'bucket', bucket, fnId), prefix);
    }
    if (spec.cursors) {
      if (!this.cursorKey) throw new Error(`${fnId}: pages with cursors, but the stack has no cursor key`);
      fn.bindCursorKey(this.cursorKey);
    }
    if (spec.pseudonyms) {
      if (!props.pseudonymKey) throw new Error(`${fnId}: hashes personal data, but the stack was given no pseudonym key`);
      fn.bindPseudonymKey(props.pseudonymKey);
    }
    if (spec.webhookKey) {
      if (!this.webhookKey) throw new Error(`${fnId}: seals webhook URLs, but the stack has no webhook key`);
      fn.bindWebhookKey(this.webhookKey.secret, this.webhookKey.kmsKey);
    }
    if (spec.athenaExports) {
      if (!props.athenaExports) throw new Error(`${fnId}: athenaExports needs the analytics' export workgroup (no exports bucket?)`);
      fn.bindAthenaExports(props.athenaExports);
    }
  }

  /**
   * 64 random characters (about 380 bits) from Secrets Manager's generator: the HMAC key of the
   * list cursors. Never in the template, the environment or a log; a function reads it at its cold
   * start. Not rotated on a schedule (cdk-nag SMG4 acknowledged): a cursor lives for one listing,
   * and a new value only makes the cursors in hand answer 400 once, after which the client starts
   * again from the first page; to rotate, put a new value (or replace the secret) and redeploy.
   */
  private newCursorKey(stage: string, removalPolicy: ReturnType<typeof dataRemovalPolicy>): Secret {
    const secret = new Secret(this, 'CursorKey', {
      description: `SciDay ${stage}: the key that signs list cursors (ADR 0031)`,
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
      removalPolicy,
    });
    acknowledgeCursorKeyRotation(secret);
    return secret;
  }

  /**
   * The key material that seals webhook URLs (ADR 0048): 64 random characters from Secrets
   * Manager's generator, encrypted at rest with a KMS key this stack creates (rotated yearly by
   * KMS; its policy is the account's default, every use granted by IAM to the two functions that
   * declare `webhookKey`). Always retained: a lost key makes every stored webhook URL unreadable.
   * Not rotated on a schedule (SMG4 acknowledged): a new value needs the stored URLs sealed again.
   */
  private newWebhookKey(stage: string): { secret: Secret; kmsKey: Key } {
    const kmsKey = new Key(this, 'WebhookKeyEncryption', {
      description: `SciDay ${stage}: encrypts the key that seals webhook URLs (ADR 0048)`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const secret = new Secret(this, 'WebhookKey', {
      description: `SciDay ${stage}: the key that seals units' webhook URLs at rest (ADR 0048)`,
      encryptionKey: kmsKey,
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledgeWebhookKeyRotation(secret);
    new CfnOutput(this, 'WebhookKeySecretArn', { value: secret.secretArn, description: 'For `npm run migrate -- --webhook-key-secret` (ADR 0048)' });
    return { secret, kmsKey };
  }

  /**
   * The function's recurring schedules (its schedule triggers with an expression), each with a
   * retry policy and the trigger's failures queue. One role for them all, which may invoke only
   * this function and is assumable only by Scheduler from this account.
   */
  private schedule(fnId: string, fn: AppFunction, schedules: readonly ExpandedSchedule[], group: ScheduleGroup, props: StatelessStackProps): void {
    const role = new Role(this, `${fnId}-schedules-role`, {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    });
    const scope = new Construct(this, `${fnId}-schedules`);
    for (const s of schedules) {
      const deadLetterQueue = s.onFailureQueue ? lookUp(props.queues, 'queue', s.onFailureQueue, fnId).queue : undefined;
      new Schedule(scope, s.id.replace(/[^A-Za-z0-9-]/g, '-'), {
        scheduleGroup: group,
        description: `${s.id} (${s.timeZone})`,
        schedule: ScheduleExpression.expression(s.expression, TimeZone.of(s.timeZone)),
        target: new LambdaInvoke(fn, {
          role,
          input: ScheduleTargetInput.fromObject(s.input),
          retryAttempts: 10,
          maxEventAge: Duration.hours(6),
          ...(deadLetterQueue ? { deadLetterQueue } : {}),
        }),
      });
    }
    acknowledgeResourceWildcards(role, [`${fn.functionArn}:*`], REASONS.schedulerInvokeVersions);
  }

  /**
   * What the campaigns' one-time schedules need, made at run time by the function that declares
   * `manageSchedules`:
   * - one role, assumable only by Scheduler on behalf of this account, that may invoke exactly the
   *   functions the `campaignSchedules` triggers name (unqualified ARNs) and send to their
   *   failures queues;
   * - for the managing function: the Scheduler actions on the stage's groups and their schedules
   *   (`sciday-<stage>.*`) only, listing (which supports no resource), `iam:PassRole` on that one
   *   role and only to Scheduler, and as environment the role, the group prefix, each target's
   *   ARN and failures queue ARN.
   */
  private campaignSchedules(props: StatelessStackProps): Role | undefined {
    const targets = Object.values(campaignScheduleTargets(props.topology));
    const managerId = scheduleManager(props.topology);
    if (targets.length === 0 || !managerId) return undefined;
    const manager = lookUp(this.functions, 'function', managerId, managerId);
    const stack = Stack.of(this);

    const role = new Role(this, 'CampaignSchedulerRole', {
      description: `EventBridge Scheduler: invokes ${targets.map((t) => t.functionId).join(' and ')} for the campaigns' schedules`,
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    });
    for (const target of targets) {
      const fn = lookUp(this.functions, 'function', target.functionId, managerId);
      role.addToPolicy(new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [fn.functionArn] }));
      manager.addEnvironment(scheduleTargetArnEnv(target.functionId), fn.functionArn);
      if (target.onFailureQueue) {
        const queue = lookUp(props.queues, 'queue', target.onFailureQueue, target.functionId).queue;
        queue.grantSendMessages(role);
        manager.addEnvironment(scheduleTargetDlqEnv(target.functionId), queue.queueArn);
      }
    }

    const prefix = scheduleGroupPrefix(props.stage);
    const groups = stack.formatArn({ service: 'scheduler', resource: 'schedule-group', resourceName: `${prefix}*` });
    const schedules = stack.formatArn({ service: 'scheduler', resource: 'schedule', resourceName: `${prefix}*/*` });
    manager.addToRolePolicy(
      new PolicyStatement({
        actions: ['scheduler:CreateSchedule', 'scheduler:UpdateSchedule', 'scheduler:DeleteSchedule', 'scheduler:GetSchedule'],
        resources: [schedules],
      }),
    );
    manager.addToRolePolicy(
      new PolicyStatement({
        actions: ['scheduler:CreateScheduleGroup', 'scheduler:DeleteScheduleGroup', 'scheduler:GetScheduleGroup'],
        resources: [groups],
      }),
    );
    // Neither list action supports resource-level permissions; the gateway filters by the stage's prefix.
    manager.addToRolePolicy(new PolicyStatement({ actions: ['scheduler:ListScheduleGroups', 'scheduler:ListSchedules'], resources: ['*'] }));
    manager.addToRolePolicy(
      new PolicyStatement({
        actions: ['iam:PassRole'],
        resources: [role.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      }),
    );
    manager.addEnvironment(SCHEDULE_ENV.roleArn, role.roleArn);
    manager.addEnvironment(SCHEDULE_ENV.groupPrefix, prefix);
    if (manager.role) acknowledgeResourceWildcards(manager.role, [groups, schedules], scheduleGroupsReason(managerId, prefix));
    return role;
  }

  private wire(fnId: string, fn: AppFunction, trigger: Trigger, index: number, props: StatelessStackProps): void {
    switch (trigger.kind) {
      case 'http': {
        const open = trigger.public && (props.publicRoutes ?? 'open') === 'open';
        const routes = this.api.addRoutes({
          path: trigger.path,
          methods: [HttpMethod[trigger.method]],
          integration: new HttpLambdaIntegration(`${fnId}-integration-${index}`, fn),
          // Public routes carry no authorizer (AuthorizationType NONE) unless the stage puts them
          // behind it (AWS China without an ICP-registered domain); every other one needs a token.
          authorizer: open ? undefined : this.authorizer,
        });
        if (open) routes.forEach((route) => acknowledgePublicRoute(route, trigger.method, trigger.path));
        return;
      }
      case 'sqs':
        fn.addEventSource(
          new SqsEventSource(lookUp(props.queues, 'queue', trigger.queue, fnId).queue, {
            batchSize: trigger.batchSize,
            maxBatchingWindow: seconds(trigger.maxBatchingWindowSeconds),
            reportBatchItemFailures: true,
            ...(trigger.maxConcurrency ? { maxConcurrency: trigger.maxConcurrency } : {}),
          }),
        );
        return;
      case 'stream':
        fn.addEventSource(
          new DynamoEventSource(lookUp(props.tables, 'table', trigger.table, fnId), {
            startingPosition: StartingPosition.TRIM_HORIZON,
            batchSize: trigger.batchSize,
            maxBatchingWindow: seconds(trigger.maxBatchingWindowSeconds),
            retryAttempts: trigger.retryAttempts,
            bisectBatchOnError: true,
            reportBatchItemFailures: true,
            onFailure: new SqsDlq(lookUp(props.queues, 'queue', trigger.onFailureQueue, fnId).queue),
            ...(trigger.partitionKeys
              ? { filters: [FilterCriteria.filter({ dynamodb: { Keys: { pk: { S: trigger.partitionKeys.map((pk) => FilterRule.isEqual(pk)).flat() } } } })] }
              : {}),
          }),
        );
        return;
      case 'schedule':
        return; // recurring: schedule(); campaign schedules are made at run time (campaignSchedules())
      default:
        throw new Error(`function ${fnId}: unknown trigger ${JSON.stringify(trigger satisfies never)}`);
    }
  }
}

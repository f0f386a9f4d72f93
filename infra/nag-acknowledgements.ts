/**
 * Every cdk-nag finding (AwsSolutions and Serverless packs) SciDay accepts, each with the reason it is accepted.
 * The stacks and constructs call these helpers next to the construct that raises the finding,
 * so an acknowledgement exists only where its finding does; findings that can be fixed are
 * fixed instead (e.g. function roles carry no AWS managed policy, only their own log group).
 *
 * cdk-nag 3 reads acknowledgements recorded with `Validations.of(construct).acknowledge()` on
 * the finding's resource or any of its ancestors, matched by exact id (`AwsSolutions-IAM5[…]`).
 */
import { CfnResource, Stack, Stage, Validations, type IResolvable } from 'aws-cdk-lib';
import type { HttpRoute } from 'aws-cdk-lib/aws-apigatewayv2';
import { Policy, type Grant, type IRole } from 'aws-cdk-lib/aws-iam';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
// The function cdk-nag itself uses to print intrinsics in finding ids (`<Logical.Arn>/index/*`).
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import type { IConstruct } from 'constructs';
import type { FunctionSpec } from './topology';

/** The fixed reasons; the ones that name a resource are built by the helpers below. */
export const REASONS = {
  failuresQueueWithoutDlq:
    'A failures queue is itself the dead end: it is the on-failure destination of a DynamoDB stream mapping, ' +
    'keeps records 14 days, and its own alarm fires on the first message; a DLQ behind it would only hide them.',
  notificationsHandlerManagedPolicy:
    "CDK's BucketNotificationsHandler (the custom resource behind bucket.addEventNotification) attaches " +
    'AWSLambdaBasicExecutionRole to its role, even to one passed as notificationsHandlerRole; it only runs during ' +
    'deployments to set the bucket notification configuration.',
  lambdaRuntimePinned:
    'nodejs22.x is pinned by docs/adr/0007-toolchain.md: the one-machine runtime runs these same handlers on Node 22 ' +
    '(npm node@22), so Lambda matches it; moving to nodejs24.x is a deliberate upgrade of both runtimes together.',
  listStreamsWildcard:
    'dynamodb:ListStreams, which the DynamoDB event source grants, supports no resource-level permissions ' +
    '(Resource "*" is the only valid value).',
  listStreamsAndListSchedulesWildcard:
    'Resource "*" is required by dynamodb:ListStreams (the DynamoDB event source) and by scheduler:ListScheduleGroups ' +
    "and scheduler:ListSchedules, which the campaign schedules' manager uses to find its stage's groups and their " +
    "schedules (names only; it filters by the stage's prefix); none of them supports resource-level permissions.",
  listSchedulesWildcard:
    "scheduler:ListScheduleGroups and scheduler:ListSchedules, which the campaign schedules' manager uses to find its " +
    "stage's groups and their schedules (names only; it filters by the stage's prefix), support no resource-level permissions.",
  noTracingInChina:
    'AWS China: Lambda has no X-Ray integration in the China regions (X-Ray is not offered to Lambda there), so the ' +
    'functions run without active tracing; logs carry the request id, and the alarms and dashboard cover the rest.',
  lambdaNoDlqSynchronousOrPolled:
    'Lambda Destinations/DLQs apply to asynchronous invocations only. This function is invoked synchronously (API ' +
    'Gateway), by an event source mapping (SQS, with its own dead-letter queue; DynamoDB streams, with an on-failure ' +
    'queue) or by EventBridge Scheduler, whose target dead-letter queue and retry policy hold what fails.',
  lambdaScheduledNoDlq:
    'Invoked by EventBridge Scheduler, whose schedules retry (10 attempts within 6 hours) and send what they cannot ' +
    "deliver to the trigger's failures queue, which alarms; the handler's work is idempotent and is repaired by the " +
    'daily reconciliation (ADR 0012), so a lost run is redone rather than parked in a second queue.',
  sqsEventSourceFailures:
    "An SQS event source mapping has no on-failure destination (Lambda supports those for streams and Kafka only): the " +
    "queue's redrive policy moves a message that failed maxReceiveCount times to its dead-letter queue, which alarms.",
  deadEndQueue:
    'This queue is where failures end (a dead-letter queue, or the on-failure destination of a stream or schedule): ' +
    'it keeps messages 14 days and alarms on the first one; a redrive policy behind it would only move them out of sight.',
  alarmEmailNoDlq:
    'An e-mail subscription of the alarm topic: SNS retries e-mail delivery by its own policy, and an alarm that no ' +
    'mail reached stays in ALARM in CloudWatch (console, dashboard); a dead-letter queue would be one more queue nobody reads.',
  backupServiceRole:
    "AWS Backup's role for the plan's selection carries AWSBackupServiceRolePolicyForBackup, the policy AWS maintains " +
    'for that service role as Backup adds resource types; Backup only assumes it to back up the tables selected.',
  webDeploymentNoDlqNoTracing:
    "CDK's BucketDeployment function runs only when CloudFormation deploys the web app's files (a custom resource " +
    'invoked synchronously, which reports failure to CloudFormation); it needs neither a DLQ nor tracing.',
  xrayWriteWildcard:
    'Tracing.ACTIVE needs xray:PutTraceSegments and xray:PutTelemetryRecords, which support no resource-level ' +
    'permissions (Resource "*" is the only valid value).',
  xrayAndListStreamsWildcard:
    'Resource "*" is required by xray:PutTraceSegments/PutTelemetryRecords (Tracing.ACTIVE) and by ' +
    'dynamodb:ListStreams, which the DynamoDB event source grants; none of them supports resource-level permissions.',
  xrayListStreamsAndListSchedulesWildcard:
    'Resource "*" is required by xray:PutTraceSegments/PutTelemetryRecords (Tracing.ACTIVE), by dynamodb:ListStreams ' +
    '(the DynamoDB event source) and by scheduler:ListScheduleGroups and scheduler:ListSchedules, which the campaign ' +
    'schedules\' manager uses to find its stage\'s groups and their schedules (names only; it filters by the stage\'s ' +
    'prefix); none of them supports resource-level permissions.',
  userPoolMfaOptional:
    'MFA is optional (TOTP only, no SMS): the users are staff of many organizing units who cannot all be made ' +
    'to enrol an authenticator before their first campaign; any user can turn TOTP on, and the issuer is ' +
    'configuration (jwtIssuer) for deployments that need an IdP which enforces MFA.',
  userPoolEssentialsPlan:
    'The user pool stays on the Essentials feature plan: threat protection (compromised credentials, adaptive ' +
    'authentication) exists only on the Plus plan, which is billed per monthly active user; the strong ' +
    'password policy, password history and optional TOTP apply instead.',
  schedulerInvokeVersions:
    "LambdaInvoke grants lambda:InvokeFunction on the function and its versions and aliases (<function ARN>:*); " +
    'the wildcard is limited to that one function.',
  webNoGeoRestriction:
    'Geo restriction is not wanted: organizing units, reviewers and the public use the web app from wherever ' +
    'they are (travel abroad included); sign-in and the API decide who may do what.',
  webWafOptional:
    'AWS WAF is optional (context webWafAclArn attaches a CLOUDFRONT-scope web ACL from us-east-1; AWS China ' +
    'has no WAF for CloudFront): the distribution serves static files only, and the API it talks to is ' +
    'throttled and authorizes every call itself.',
  webDefaultCertificate:
    "Without a custom domain the distribution uses CloudFront's default *.cloudfront.net certificate, whose " +
    'security policy CloudFront fixes at TLSv1; a custom domain (context webDomain with webCertificateArn or ' +
    'webIamCertificateId) gets TLSv1.2_2021.',
  webOriginAccessIdentity:
    "CloudFront in AWS China offers no origin access control (CloudFormation has no AWS::CloudFront::" +
    'OriginAccessControl in cn-north-1 or cn-northwest-1); the bucket is private and only this ' +
    "distribution's origin access identity may read it.",
  webDeploymentGrants:
    "CDK's BucketDeployment lets its function read the web app build in the CDK assets bucket (s3:GetObject*, " +
    's3:GetBucket*, s3:List* on that bucket and its objects) and replace the files of the one site bucket ' +
    '(also s3:DeleteObject* and s3:Abort* on its objects); the function runs only during deployments.',
  webDeploymentRuntime:
    "The BucketDeployment function's Python runtime is chosen by aws-cdk-lib and moves with its upgrades; " +
    'the function runs only during deployments, never on a user request.',
} as const;

/** SMG4 on the cursor key (ADR 0031): why it has no rotation schedule. */
export function acknowledgeCursorKeyRotation(secret: IConstruct): void {
  acknowledge(
    secret,
    'AwsSolutions-SMG4',
    'The secret is the HMAC key of list cursors, which live for one listing: a new value only makes the cursors in ' +
      'hand answer 400 once (the client starts again from the first page). It is rotated by putting a new value, ' +
      'without a rotation function that would need network access and a role of its own.',
  );
}

/** SMG4 on the pseudonym key (ADR 0047): why it must not rotate. */
export function acknowledgePseudonymKeyRotation(secret: IConstruct): void {
  acknowledge(
    secret,
    'AwsSolutions-SMG4',
    'The secret is the HMAC key of pseudonyms and of the contact ledger: a new value gives an erased person a new ' +
      'pseudonym and makes every contact ledger entry unreachable, so it is kept, never rotated.',
  );
}

/** SMG4 on the key that seals webhook URLs (ADR 0048). */
export function acknowledgeWebhookKeyRotation(secret: IConstruct): void {
  acknowledge(
    secret,
    'AwsSolutions-SMG4',
    'The secret is the key that seals units\' webhook URLs at rest: a new value must come with every stored URL sealed ' +
      'again (the seal-webhook-urls migration with the old and the new key), which no rotation function can do alone. ' +
      'Its encryption key (a KMS key of the stack) is rotated by KMS every year.',
  );
}

/**
 * CFR1 and CFR4 on the API's CloudFront edge (ADR 0033): no geo restriction (as the web app's),
 * and CloudFront's default certificate until the API has a domain of its own.
 */
export function acknowledgeApiEdge(distribution: IConstruct, logsBucket: IConstruct): void {
  acknowledge(distribution, 'AwsSolutions-CFR1', REASONS.webNoGeoRestriction);
  acknowledge(
    distribution,
    'AwsSolutions-CFR4',
    "The API's edge has no custom domain yet, so viewers meet CloudFront's default *.cloudfront.net certificate, " +
      'whose security policy CloudFront fixes; the connection to the API itself is TLS 1.2 only.',
  );
  acknowledge(
    logsBucket,
    'AwsSolutions-S1',
    "This bucket receives the API edge's CloudFront standard logs; logging its own accesses would need another " +
      'bucket whose accesses are again not logged. Only CloudFront writes here, and the objects are kept 365 days.',
  );
}

/** The reason of an APIG4 acknowledgement on a route the HTTP contract declares open. */
export const publicRouteReason = (method: string, path: string): string =>
  `public by the HTTP contract (${method} ${path} is open to anyone)`;

/** The reason of the IAM5 acknowledgements of a table grant that covers the table's indexes. */
export const tableIndexesReason = (fnId: string, tableId: string, access: string): string =>
  `${fnId} has ${access} access to table ${tableId}, which has global secondary indexes; CDK's table grant ` +
  'adds <table ARN>/index/* so queries on them work, and the wildcard covers only this table\'s indexes.';

/** The reason of the IAM5 acknowledgements of the campaign schedules' groups and schedules (ADR 0012). */
export const scheduleGroupsReason = (fnId: string, prefix: string): string =>
  `${fnId} creates, moves and deletes the campaigns' one-time schedules at run time, one schedule group per ` +
  `campaign, named ${prefix}<campaign id>: the group ids are data, so the grant names the stage's groups by that ` +
  'prefix (which no other stage\'s groups share) and the schedules in them.';

/** The reason of the IAM5 acknowledgement of DescribeExport on a table's exports (ADR 0017). */
export const tableExportsReason = (fnId: string): string =>
  `${fnId} polls the point-in-time exports it starts of one table: DescribeExport takes the export's ARN, ` +
  '<table ARN>/export/<id>, whose id DynamoDB assigns, so the grant covers only this table\'s exports.';

/** The reason of the IAM5 acknowledgement of the object ACL write of a table copy (ADR 0017). */
export const tableCopyObjectsReason = (fnId: string, prefix: string): string =>
  `DynamoDB's point-in-time export writes its objects as ${fnId} and sets their ACL (bucket owner); ` +
  `s3:PutObjectAcl is granted only on the objects under ${prefix} of the one bucket.`;

/** The reason of the IAM5 acknowledgement of the Glue tables an export's Athena statements make and drop (ADR 0029). */
export const athenaWorkTablesReason = (fnId: string, database: string): string =>
  `${fnId} has Athena make a temporary table per export (the copy, then one CTAS per table), named per run, and drop it; ` +
  `table/${database}/* covers only the Glue database of those temporary tables, which nothing else uses.`;

/** The reason of the IAM5 acknowledgement of the export workgroup's results (ADR 0029). */
export const athenaResultsReason = (fnId: string, prefix: string): string =>
  `Athena writes each statement's results and data manifest under a key it generates (${prefix}<query id>…) with ` +
  `${fnId}'s credentials, and ${fnId} reads the data manifests back: object actions on that prefix of the results bucket only.`;

/** The reason of the IAM5 acknowledgements of a bucket grant. */
export const bucketGrantReason = (fnId: string, bucketId: string, access: string, pattern: string | undefined): string =>
  `${fnId} has ${access} access to the objects of bucket ${bucketId} ` +
  (pattern ? `whose keys match ${pattern}` : '(all keys: the topology declares no prefix)') +
  "; CDK's bucket grant names action families (read: s3:GetObject*, s3:GetBucket*, s3:List*; write: s3:Abort*; " +
  'readwrite also s3:DeleteObject*), each on this one bucket or its matching objects.';

const acknowledge = (scope: IConstruct, id: string, reason: string): void =>
  Validations.of(scope).acknowledge({ id, reason });

/** SQS3 on a `failures` queue, which is a dead end by design. */
export function acknowledgeFailuresQueue(queue: IQueue): void {
  acknowledge(queue, 'AwsSolutions-SQS3', REASONS.failuresQueueWithoutDlq);
}

/** IAM4 on the role of CDK's BucketNotificationsHandler custom resource, if the stack has one. */
export function acknowledgeBucketNotificationsHandler(stack: Stack): void {
  const handlers = stack.node.children.filter((c) => c.node.id.startsWith('BucketNotificationsHandler'));
  for (const handler of handlers) {
    const role = handler.node.tryFindChild('Role')?.node.defaultChild;
    if (!(role instanceof CfnResource)) continue;
    const arns = stack.resolve((role as unknown as { managedPolicyArns?: unknown[] }).managedPolicyArns) as unknown[];
    for (const arn of arns ?? []) {
      const flat = flattenCfnReference(arn);
      if (flat.endsWith(':iam::aws:policy/service-role/AWSLambdaBasicExecutionRole')) {
        acknowledge(role, `AwsSolutions-IAM4[Policy::${flat}]`, REASONS.notificationsHandlerManagedPolicy);
      }
    }
  }
}

/** COG2 (MFA optional) and COG8 (not the Plus plan) on SciDay's default Cognito user pool. */
export function acknowledgeUserPool(userPool: IConstruct): void {
  acknowledge(userPool, 'AwsSolutions-COG2', REASONS.userPoolMfaOptional);
  acknowledge(userPool, 'AwsSolutions-COG8', REASONS.userPoolEssentialsPlan);
}

/** CFR1, CFR2 (without a web ACL), CFR4 (default certificate) and CFR7 (AWS China) on the web app's distribution. */
export function acknowledgeWebDistribution(
  distribution: IConstruct,
  options: { readonly china: boolean; readonly customCertificate: boolean; readonly webAcl: boolean },
): void {
  acknowledge(distribution, 'AwsSolutions-CFR1', REASONS.webNoGeoRestriction);
  if (!options.webAcl) acknowledge(distribution, 'AwsSolutions-CFR2', REASONS.webWafOptional);
  if (!options.customCertificate) acknowledge(distribution, 'AwsSolutions-CFR4', REASONS.webDefaultCertificate);
  if (options.china) acknowledge(distribution, 'AwsSolutions-CFR7', REASONS.webOriginAccessIdentity);
}

/**
 * IAM5 for the wildcards CDK's BucketDeployment grants the deployment role of the web app (read
 * the build, replace the site's files), and L1 on the deployment function of `scope`'s stack.
 */
export function acknowledgeWebDeployment(scope: IConstruct, role: IRole): void {
  const policy = role.node.tryFindChild('DefaultPolicy');
  if (policy instanceof Policy) {
    const statements = (policy.document.toJSON() as { Statement?: Array<{ Action: string | string[]; Resource: unknown }> }).Statement ?? [];
    const actions = new Set(statements.flatMap((s) => [s.Action].flat()).filter((a) => a.includes('*')));
    for (const action of actions) acknowledge(role, `AwsSolutions-IAM5[Action::${action}]`, REASONS.webDeploymentGrants);
    acknowledgeResourceWildcards(role, statements.flatMap((s) => [s.Resource].flat() as string[]), REASONS.webDeploymentGrants);
  }
  const stack = Stack.of(scope);
  for (const fn of stack.node.children.filter((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'))) {
    acknowledge(fn, 'AwsSolutions-L1', REASONS.webDeploymentRuntime);
    acknowledge(fn, 'Serverless-LambdaLatestVersion', REASONS.webDeploymentRuntime);
    acknowledge(fn, 'Serverless-LambdaDLQ', REASONS.webDeploymentNoDlqNoTracing);
    acknowledge(fn, 'Serverless-LambdaTracing', REASONS.webDeploymentNoDlqNoTracing);
  }
}

/** APIG4 on a route that the topology marks public. */
export function acknowledgePublicRoute(route: HttpRoute, method: string, path: string): void {
  acknowledge(route, 'AwsSolutions-APIG4', publicRouteReason(method, path));
}

/**
 * L1 and the unavoidable Resource "*" (X-Ray, and ListStreams for stream consumers, and the
 * schedules' listing) of an AppFunction; without tracing (AWS China), Serverless-LambdaTracing.
 */
export function acknowledgeFunctionFindings(fn: { role?: IRole } & IConstruct, spec: FunctionSpec, options: { readonly tracing: boolean } = { tracing: true }): void {
  acknowledge(fn, 'AwsSolutions-L1', REASONS.lambdaRuntimePinned);
  acknowledge(fn, 'Serverless-LambdaLatestVersion', REASONS.lambdaRuntimePinned);
  const scheduled = spec.triggers.some((t) => t.kind === 'schedule');
  acknowledge(fn, 'Serverless-LambdaDLQ', scheduled ? REASONS.lambdaScheduledNoDlq : REASONS.lambdaNoDlqSynchronousOrPolled);
  if (spec.triggers.some((t) => t.kind === 'sqs')) acknowledge(fn, 'Serverless-LambdaEventSourceMappingDestination', REASONS.sqsEventSourceFailures);
  if (!options.tracing) acknowledge(fn, 'Serverless-LambdaTracing', REASONS.noTracingInChina);
  if (!fn.role) return;
  const consumesStream = spec.triggers.some((t) => t.kind === 'stream');
  const reason = options.tracing
    ? spec.manageSchedules
      ? REASONS.xrayListStreamsAndListSchedulesWildcard
      : consumesStream
        ? REASONS.xrayAndListStreamsWildcard
        : REASONS.xrayWriteWildcard
    : spec.manageSchedules
      ? consumesStream
        ? REASONS.listStreamsAndListSchedulesWildcard
        : REASONS.listSchedulesWildcard
      : consumesStream
        ? REASONS.listStreamsWildcard
        : undefined;
  if (reason) acknowledge(fn.role, 'AwsSolutions-IAM5[Resource::*]', reason);
}

/** SNSRedrivePolicy on the alarm topic's e-mail subscriptions, if it has any. */
export function acknowledgeAlarmTopic(topic: IConstruct, options: { readonly subscriptions: boolean }): void {
  if (options.subscriptions) acknowledge(topic, 'Serverless-SNSRedrivePolicy', REASONS.alarmEmailNoDlq);
}

/** SQSRedrivePolicy on a queue where failures end. */
export function acknowledgeDeadEndQueue(queue: IConstruct): void {
  acknowledge(queue, 'Serverless-SQSRedrivePolicy', REASONS.deadEndQueue);
}

/** IAM4 on the role of the tables' backup selection. */
export function acknowledgeBackupRole(role: IConstruct): void {
  acknowledge(role, `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup]`, REASONS.backupServiceRole);
}

/**
 * IAM5 for exactly the wildcard actions and resources that one grant put in `role`'s policy.
 * Use it only on grants whose breadth is intended (the reason says why).
 */
export function acknowledgeGrantWildcards(role: IRole, grant: Grant, reason: string): void {
  const actions = new Set(grant.principalStatements.flatMap((s) => s.actions).filter((a) => a.includes('*')));
  for (const action of actions) acknowledge(role, `AwsSolutions-IAM5[Action::${action}]`, reason);
  acknowledgeResourceWildcards(role, [...new Set(grant.principalStatements.flatMap((s) => s.resources))], reason);
}

/** IAM5 for each of `resources` (ARN strings, tokens allowed) that contains a wildcard. */
export function acknowledgeResourceWildcards(role: IRole, resources: readonly string[], reason: string): void {
  const wildcards = new Set(resources.map((resource) => nagForm(role, resource)).filter((flat) => flat.includes('*')));
  for (const flat of wildcards) acknowledge(role, `AwsSolutions-IAM5[Resource::${flat}]`, reason);
}

/**
 * How cdk-nag prints `value` in a finding id of a resource in `scope`'s stack. cdk-nag runs after
 * CDK has turned cross-stack references into `Fn::ImportValue`s, so a reference to another stack
 * is printed as its export name, which `Stack.exportValue` returns (the same name CDK's automatic
 * cross-stack export uses).
 */
export function nagForm(scope: IConstruct, value: unknown): string {
  const consumer = Stack.of(scope);
  return flattenCfnReference(importForeignReferences(consumer, consumer.resolve(value)));
}

function importForeignReferences(consumer: Stack, node: unknown): unknown {
  if (Array.isArray(node)) return node.map((n) => importForeignReferences(consumer, n));
  if (node === null || typeof node !== 'object') return node;
  const record = node as Record<string, unknown>;
  const getAtt = record['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string' && typeof getAtt[1] === 'string') {
    return importOf(consumer, getAtt[0], (el) => el.getAtt(getAtt[1])) ?? node;
  }
  if (typeof record.Ref === 'string') return importOf(consumer, record.Ref, (el) => el.ref) ?? node;
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, importForeignReferences(consumer, v)]));
}

function importOf(consumer: Stack, logicalId: string, pick: (el: CfnResource) => IResolvable | string): unknown {
  const stacks = (Stage.of(consumer)?.node.children ?? []).filter((c): c is Stack => Stack.isStack(c));
  const owner = (stack: Stack) =>
    stack.node
      .findAll()
      .find((c): c is CfnResource => c instanceof CfnResource && stack.resolve(c.logicalId) === logicalId);
  // A reference to the consumer's own resource stays as it is.
  if (owner(consumer)) return undefined;
  for (const producer of stacks.filter((s) => s !== consumer)) {
    const element = owner(producer);
    if (element) return consumer.resolve(producer.exportValue(pick(element)));
  }
  return undefined;
}

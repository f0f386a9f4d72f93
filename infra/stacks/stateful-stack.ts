import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { AttributeType, BillingMode, StreamViewType, Table, TableEncryption, type Attribute } from 'aws-cdk-lib/aws-dynamodb';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  EventType,
  HttpMethods,
  ObjectOwnership,
  type BucketProps,
} from 'aws-cdk-lib/aws-s3';
import { SqsDestination } from 'aws-cdk-lib/aws-s3-notifications';
import { BackupPlan, BackupPlanRule, BackupResource, BackupVault } from 'aws-cdk-lib/aws-backup';
import { Schedule } from 'aws-cdk-lib/aws-events';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Construct } from 'constructs';
import { CHECKED_PREFIX, ORIGINALS_PREFIX, UPLOADS_PREFIX } from '../../shared/domain/media';
import { Analytics, EXPORTS_BUCKET_ID } from '../constructs/analytics';
import { QueueWithDlq } from '../constructs/queue-with-dlq';
import { UserDirectory } from '../constructs/user-directory';
import { acknowledgeAlarmTopic, acknowledgePseudonymKeyRotation, acknowledgeBackupRole, acknowledgeBucketNotificationsHandler, acknowledgeDeadEndQueue, acknowledgeFailuresQueue, acknowledgeUserPool } from '../nag-acknowledgements';
import { queueVisibilityTimeoutSeconds, type BucketNotificationSpec, type KeyAttribute, type Topology } from '../topology';

export interface StatefulStackProps extends StackProps {
  readonly topology: Topology;
  readonly stage: string;
  /** Origins whose browsers may POST presigned forms to `browserUploads` buckets (the web site's included). */
  readonly frontEndOrigins: readonly string[];
  /**
   * Create SciDay's own Cognito user pool as the JWT issuer (the default when no external OIDC
   * issuer is configured). Must be false in AWS China, which offers no Cognito user pools.
   * @default false
   */
  readonly userDirectory?: boolean;
  /**
   * Origins of web apps that sign in through the user pool's managed login pages (authorization
   * code grant with PKCE): the web site's, and any https front-end origin. Only with `userDirectory`.
   * @default none (the app client keeps OAuth off)
   */
  readonly signInOrigins?: readonly string[];
  /**
   * Prefix of the user pool's Cognito domain, with `signInOrigins`.
   * @default sciday-<stage>-<account id>
   */
  readonly cognitoDomainPrefix?: string;
  /** Who receives the alarms: e-mail subscriptions of {@link StatefulStack.alarmTopic}. @default none */
  readonly alarmEmails?: readonly string[];
  /** AWS Backup of every table (daily for 35 days, monthly for a year). @default false */
  readonly backups?: boolean;
}

/** Buckets whose objects are kept in every version: what users uploaded (issue 18). */
const VERSIONED_BUCKETS: ReadonlySet<string> = new Set(['media']);
/** How long an overwritten or deleted version of a checked file (what is served) stays recoverable. */
const NONCURRENT_VERSION_DAYS = 90;
/**
 * Noncurrent versions elsewhere (the raw upload the check deletes once it has its checked copy,
 * quarantined files that expire) go after a day: keeping them would double the media storage.
 */
const noncurrentVersionRules = [
  { prefix: CHECKED_PREFIX, noncurrentVersionExpiration: Duration.days(NONCURRENT_VERSION_DAYS) },
  { prefix: UPLOADS_PREFIX, noncurrentVersionExpiration: Duration.days(1), expiredObjectDeleteMarker: true },
  // A photo's original: deleted once its stripped copy is stored (ADR 0048); no version kept longer.
  { prefix: ORIGINALS_PREFIX, noncurrentVersionExpiration: Duration.days(1), expiredObjectDeleteMarker: true },
  { prefix: 'quarantine/', noncurrentVersionExpiration: Duration.days(1), expiredObjectDeleteMarker: true },
];

/** Stages whose data may be thrown away with the stack. */
const EPHEMERAL_STAGES: ReadonlySet<string> = new Set(['dev', 'test']);

/** The removal policy of data in `stage`: DESTROY in dev and test, RETAIN everywhere else. */
export const dataRemovalPolicy = (stage: string): RemovalPolicy =>
  EPHEMERAL_STAGES.has(stage) ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;

const S3_EVENTS: Record<BucketNotificationSpec['event'], EventType> = {
  ObjectCreated: EventType.OBJECT_CREATED,
};

const attribute = (key: KeyAttribute): Attribute => ({
  name: key.name,
  type: key.type === 'S' ? AttributeType.STRING : AttributeType.NUMBER,
});

/**
 * Everything that holds data, generated from the topology: every table, queue and bucket, plus
 * the one bucket that receives the others' server access logs. The stateless stack receives the
 * maps below as props.
 */
export class StatefulStack extends Stack {
  /** Tables by topology id. */
  readonly tables: Readonly<Record<string, Table>>;
  /** Queues (with their DLQ and alarm) by topology id. */
  readonly queues: Readonly<Record<string, QueueWithDlq>>;
  /** Buckets by topology id. */
  readonly buckets: Readonly<Record<string, Bucket>>;
  /** Receives the server access logs of every bucket above; there is none without buckets. */
  readonly accessLogsBucket?: Bucket;
  /** Glue tables, Athena workgroup and analyst policy over the exports bucket, when the topology has one. */
  readonly analytics?: Analytics;
  /** The Cognito user pool and web client that issue the API's tokens, when SciDay hosts its own issuer. */
  readonly userDirectory?: UserDirectory;
  /** The action of every alarm of the stage: e-mail to the stage's `alarmEmails`. */
  readonly alarmTopic: Topic;
  /** The tables' AWS Backup plan, outside dev and test (stage `backups`). */
  readonly backupPlan?: BackupPlan;
  /**
   * The key of the pseudonyms and contact hashes (ADR 0047), when a function declares `pseudonyms`:
   * kept with the data, since a new key makes new pseudonyms and orphans the contact ledger.
   */
  readonly pseudonymKey?: Secret;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    const { topology, stage } = props;
    const removalPolicy = dataRemovalPolicy(stage);
    if (Object.values(topology.functions).some((f) => f.pseudonyms)) {
      this.pseudonymKey = new Secret(this, 'PseudonymKey', {
        description: `SciDay ${stage}: the key of pseudonyms and contact hashes (ADR 0047)`,
        generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
        removalPolicy,
      });
      acknowledgePseudonymKeyRotation(this.pseudonymKey);
    }
    const retained = removalPolicy === RemovalPolicy.RETAIN;

    // Every alarm of the stage (here and in the stateless stack) notifies this topic.
    this.alarmTopic = new Topic(this, 'Alarms', { displayName: `SciDay ${stage} alarms`, enforceSSL: true });
    for (const email of props.alarmEmails ?? []) this.alarmTopic.addSubscription(new EmailSubscription(email));
    acknowledgeAlarmTopic(this.alarmTopic, { subscriptions: (props.alarmEmails ?? []).length > 0 });
    const alarmAction = new SnsAction(this.alarmTopic);

    const tablesScope = new Construct(this, 'Tables');
    const tables: Record<string, Table> = {};
    for (const [tableId, spec] of Object.entries(topology.tables)) {
      const table = new Table(tablesScope, tableId, {
        partitionKey: attribute(spec.partitionKey),
        sortKey: spec.sortKey && attribute(spec.sortKey),
        billingMode: BillingMode.PAY_PER_REQUEST,
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        encryption: TableEncryption.AWS_MANAGED,
        timeToLiveAttribute: spec.ttlAttribute,
        stream: spec.stream && StreamViewType[spec.stream],
        deletionProtection: retained,
        removalPolicy,
      });
      for (const index of spec.globalIndexes ?? []) {
        table.addGlobalSecondaryIndex({
          indexName: index.name,
          partitionKey: attribute(index.partitionKey),
          sortKey: index.sortKey && attribute(index.sortKey),
        });
      }
      tables[tableId] = table;
    }
    this.tables = tables;

    const queuesScope = new Construct(this, 'Queues');
    const queues: Record<string, QueueWithDlq> = {};
    for (const [queueId, spec] of Object.entries(topology.queues)) {
      const queue = new QueueWithDlq(queuesScope, queueId, {
        spec,
        visibilityTimeout: Duration.seconds(queueVisibilityTimeoutSeconds(topology, queueId)),
        removalPolicy,
        alarmAction,
      });
      if (spec.kind === 'failures') acknowledgeFailuresQueue(queue.queue);
      acknowledgeDeadEndQueue(queue.deadLetterQueue ?? queue.queue);
      queues[queueId] = queue;
    }
    this.queues = queues;

    const bucketsScope = new Construct(this, 'Buckets');
    const secure: Pick<BucketProps, 'blockPublicAccess' | 'enforceSSL' | 'encryption' | 'objectOwnership' | 'removalPolicy'> = {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: BucketEncryption.S3_MANAGED,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy,
    };
    const abortUploads = { abortIncompleteMultipartUploadAfter: Duration.days(1) };

    // Created only when there is something to log: an empty log bucket would itself be unlogged (S1).
    const hasBuckets = Object.keys(topology.buckets).length > 0;
    const accessLogsBucket = hasBuckets
      ? new Bucket(bucketsScope, 'access-logs', {
          ...secure,
          lifecycleRules: [{ ...abortUploads, expiration: Duration.days(365) }],
        })
      : undefined;
    this.accessLogsBucket = accessLogsBucket;

    const buckets: Record<string, Bucket> = {};
    for (const [bucketId, spec] of Object.entries(topology.buckets)) {
      const bucket = new Bucket(bucketsScope, bucketId, {
        ...secure,
        serverAccessLogsBucket: accessLogsBucket,
        serverAccessLogsPrefix: `${bucketId}/`,
        versioned: VERSIONED_BUCKETS.has(bucketId),
        lifecycleRules: [
          abortUploads,
          ...(VERSIONED_BUCKETS.has(bucketId) ? noncurrentVersionRules : []),
          ...(spec.expire ?? []).map((e) => ({ prefix: e.prefix, expiration: Duration.days(e.days) })),
        ],
        cors: spec.browserUploads
          ? [
              {
                allowedMethods: [HttpMethods.POST, HttpMethods.PUT, HttpMethods.GET, HttpMethods.HEAD],
                allowedOrigins: [...props.frontEndOrigins],
                allowedHeaders: ['*'],
                maxAge: 3000,
              },
            ]
          : undefined,
      });
      for (const notification of spec.notifications ?? []) {
        const target = queues[notification.queue];
        if (!target) throw new Error(`bucket ${bucketId}: notification to unknown queue ${notification.queue}`);
        const filters = notification.prefix ? [{ prefix: notification.prefix }] : [];
        bucket.addEventNotification(S3_EVENTS[notification.event], new SqsDestination(target.queue), ...filters);
      }
      buckets[bucketId] = bucket;
    }
    this.buckets = buckets;

    const exportsBucket = buckets[EXPORTS_BUCKET_ID];
    if (exportsBucket) this.analytics = new Analytics(this, 'Analytics', { stage, exportsBucket, accessLogsBucket, removalPolicy });

    acknowledgeBucketNotificationsHandler(this);

    if (props.backups) this.backupPlan = this.backUp(stage, Object.values(tables), removalPolicy);

    // Users are state: the pool holds their accounts, units and roles.
    if (props.userDirectory) {
      const directory = new UserDirectory(this, 'Users', {
        stage,
        removalPolicy,
        webOrigins: props.signInOrigins,
        domainPrefix: props.cognitoDomainPrefix,
      });
      acknowledgeUserPool(directory.userPool);
      new CfnOutput(this, 'UserPoolId', { value: directory.userPool.userPoolId, description: 'Cognito user pool of SciDay users' });
      new CfnOutput(this, 'UserPoolClientId', {
        value: directory.client.userPoolClientId,
        description: 'App client of the front end (the audience of the API tokens)',
      });
      if (directory.domainOrigin) {
        new CfnOutput(this, 'SignInDomainUrl', {
          value: directory.domainOrigin,
          description: 'Cognito domain of the managed login pages (authorize, token and logout endpoints)',
        });
      }
      this.userDirectory = directory;
    }
  }

  /**
   * AWS Backup of the tables, besides their point-in-time recovery (any second of the last 35
   * days): a daily backup kept 7 days and a monthly one kept a year (DynamoDB backups are full
   * copies: 19 kept), in a vault of the stage that outlives the stack.
   */
  private backUp(stage: string, tables: readonly Table[], removalPolicy: RemovalPolicy): BackupPlan {
    const vault = new BackupVault(this, 'BackupVault', { backupVaultName: `sciday-${stage}`, removalPolicy });
    const plan = new BackupPlan(this, 'BackupPlan', {
      backupPlanName: `sciday-${stage}-tables`,
      backupVault: vault,
      backupPlanRules: [
        new BackupPlanRule({ ruleName: 'Daily', scheduleExpression: Schedule.cron({ hour: '18', minute: '0' }), deleteAfter: Duration.days(7) }),
        new BackupPlanRule({ ruleName: 'Monthly', scheduleExpression: Schedule.cron({ day: '1', hour: '18', minute: '0' }), deleteAfter: Duration.days(365) }),
      ],
    });
    const selection = plan.addSelection('Tables', { resources: tables.map((table) => BackupResource.fromDynamoDbTable(table)) });
    const role = selection.node.tryFindChild('Role');
    if (role) acknowledgeBackupRole(role);
    return plan;
  }
}

/**
 * The one declaration of SciDay's wiring: every function with its entry file and
 * triggers, every table, queue and bucket, and which function may touch which.
 *
 * Both runtimes are generated from this module and nothing about wiring is written
 * anywhere else:
 * - the CDK app (`infra/stacks/*`) turns it into CloudFormation;
 * - the one-machine runtime (`infra/local/*`) turns it into DynamoDB Local tables,
 *   fauxqs queues and buckets, an HTTP gateway, queue and stream pollers and S3
 *   notifications.
 *
 * It is plain data (no CDK or SDK imports) so the local runtime loads it in
 * milliseconds and tests can build other topologies of the same shape.
 */
import { HTTP_ROUTES, type HttpRoute } from '../shared/http/routes';
import { RUN_EXPORT_TIMEOUT_SECONDS, TABLE_COPY_PREFIX, VISIBILITY_TIMEOUT_FACTOR, WORK_QUEUE_MAX_RECEIVE_COUNT } from '../shared/topology-facts';

/** What a function may do with a table. `describe` is metadata only (health). */
export type TableAccess = 'describe' | 'read' | 'write' | 'readwrite';
/** What a function may do with a queue. */
export type QueueAccess = 'describe' | 'send';
/** What a function may do with a bucket, optionally narrowed to key prefixes. */
export type BucketAccess = 'describe' | 'read' | 'write' | 'readwrite';

/**
 * What a function may do with a bucket. `read` is `s3:GetObject` only (enough to read an object or
 * sign a GET URL for it); `write` puts objects; `readwrite` both and deletes. With `prefixes`, only
 * objects under them. Listing is never implied: `list` asks for it (ADR 0033).
 */
export interface BucketBinding {
  readonly access: BucketAccess;
  readonly prefixes?: readonly string[];
  /**
   * `prefixes`: `s3:ListBucket` conditioned on `s3:prefix` under the binding's prefixes (the
   * function lists its own folders). `bucket`: `s3:ListBucket` on the whole bucket, for a function
   * that must tell a missing object from a refused one: without it S3 answers 403 for a missing
   * key, never 404, and it cannot be conditioned on a prefix (a HEAD carries none). None: no listing.
   */
  readonly list?: 'prefixes' | 'bucket';
}

export interface KeyAttribute {
  readonly name: string;
  readonly type: 'S' | 'N';
}

export interface IndexSpec {
  readonly name: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
}

export interface TableSpec {
  readonly description: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
  readonly globalIndexes?: readonly IndexSpec[];
  /** Attribute holding an epoch-seconds expiry, if items expire. */
  readonly ttlAttribute?: string;
  /** Stream view; a table with a stream can trigger `stream` functions. */
  readonly stream?: 'NEW_AND_OLD_IMAGES' | 'NEW_IMAGE';
}

/**
 * A work queue: every one gets a dead-letter queue (`<id>-dlq`) that takes a message
 * after `maxReceiveCount` receives. Its visibility timeout is derived from its
 * consumer (see {@link queueVisibilityTimeoutSeconds}).
 */
export interface WorkQueueSpec {
  readonly kind: 'work';
  readonly description: string;
  /** Receives before a message moves to the DLQ (>= 5, so a throttled batch survives). */
  readonly maxReceiveCount: number;
  /**
   * The queue is an outlet: systems outside this topology consume it, no function here does. Its
   * messages are kept `retentionDays` (1..14, set explicitly, not SQS's default of 4), and an alarm
   * fires once the oldest has waited `oldestMessageAlarmHours` (less than the retention), so nothing
   * expires unnoticed. A work queue that no function consumes must declare it (ADR 0034).
   */
  readonly outlet?: { readonly retentionDays: number; readonly oldestMessageAlarmHours: number };
}

/** A queue that only ever holds failures (e.g. a stream's on-failure destination). */
export interface FailureQueueSpec {
  readonly kind: 'failures';
  readonly description: string;
}

export type QueueSpec = WorkQueueSpec | FailureQueueSpec;

export interface BucketNotificationSpec {
  /** Only `s3:ObjectCreated:*` is used by SciDay. */
  readonly event: 'ObjectCreated';
  readonly queue: string;
  readonly prefix?: string;
}

export interface BucketSpec {
  readonly description: string;
  /** Browsers POST presigned forms straight to it: CORS for the front-end origins. */
  readonly browserUploads?: boolean;
  readonly notifications?: readonly BucketNotificationSpec[];
  /** Objects under a prefix that expire (e.g. the quarantine). */
  readonly expire?: ReadonlyArray<{ readonly prefix: string; readonly days: number }>;
}

/**
 * A route's own throttle (API Gateway route settings, requests per second across all clients),
 * below the stage's: a route anyone may call, or one that starts expensive work, cannot use up
 * the capacity every other route shares. On AWS with an edge (ADR 0033) each client has its own
 * limits in front of these too.
 */
export interface RouteThrottle {
  readonly rateLimit: number;
  readonly burstLimit: number;
}

/** A route of the contract (shared/http/routes.ts `HTTP_ROUTES`). A public one must declare its `throttle`. */
export interface HttpTrigger extends HttpRoute {
  readonly kind: 'http';
  /** The route's own throttle; none: the stage's ({@link STAGE_THROTTLE}). */
  readonly throttle?: RouteThrottle;
}

export interface SqsTrigger {
  readonly kind: 'sqs';
  readonly queue: string;
  /** 1..10 as with Lambda's SQS event source without a batching window over 10. */
  readonly batchSize: number;
  /** Lambda's MaximumBatchingWindowInSeconds. */
  readonly maxBatchingWindowSeconds: number;
  /**
   * At most this many invocations at once from the queue (the event source's MaximumConcurrency,
   * 2..1000); no more than the function's `reservedConcurrency`. The one-machine runtime runs one
   * batch per queue at a time anyway (ADR 0030).
   */
  readonly maxConcurrency?: number;
}

export interface StreamTrigger {
  readonly kind: 'stream';
  readonly table: string;
  readonly batchSize: number;
  readonly maxBatchingWindowSeconds: number;
  /** Retries of a failing batch before its records go to `onFailureQueue`. */
  readonly retryAttempts: number;
  /** A `failures` queue that receives the metadata of records given up on. */
  readonly onFailureQueue: string;
  /**
   * Only records of items whose `pk` is one of these reach the function (Lambda event filtering on
   * AWS, the same filter in the local poller): a consumer of a few items is not invoked for every write.
   */
  readonly partitionKeys?: readonly string[];
}

interface ScheduleTriggerBase {
  readonly kind: 'schedule';
  /** A `failures` queue that takes an invocation after the scheduler's last retry. */
  readonly onFailureQueue?: string;
}

/** A recurring schedule: an EventBridge Scheduler expression in a time zone, with a fixed input. */
export interface RecurringScheduleTrigger extends ScheduleTriggerBase {
  /** EventBridge Scheduler expression, e.g. `cron(0 3 * * ? *)`, in `timeZone`. */
  readonly expression: string;
  readonly timeZone: string;
  /** The event the function receives (JSON). */
  readonly input?: Readonly<Record<string, unknown>>;
}

/**
 * Declares which function the one-time schedules of every published campaign invoke: one per
 * milestone (`milestones`), or one per reminder before each milestone (`reminders`), derived from
 * the stored campaign (shared/domain/schedules.ts); nobody writes their instants by hand.
 *
 * They are not expanded at synth: campaigns are data (ADR 0023). The function that declares
 * `manageSchedules` creates, moves and removes them at run time (one EventBridge Scheduler group
 * per campaign on AWS, a file the local scheduler reads on one machine) when a campaign is
 * published, a date moves or it closes, and a daily reconciliation repairs any drift. Each kind
 * has exactly one target function; `onFailureQueue` is the schedules' dead-letter queue.
 */
export interface CampaignScheduleTrigger extends ScheduleTriggerBase {
  readonly campaignSchedules: 'milestones' | 'reminders';
}

export type ScheduleTrigger = RecurringScheduleTrigger | CampaignScheduleTrigger;

export type Trigger = HttpTrigger | SqsTrigger | StreamTrigger | ScheduleTrigger;

export interface FunctionSpec {
  readonly description: string;
  /** Path of the handler module from the project root; it exports `handler`. */
  readonly entry: string;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  /**
   * Lambda reserved concurrency: at most this many instances at once, and that many kept for the
   * function out of the account's pool. For a function whose every run is expensive (an export's
   * 2 GB and 15 minutes), so that however many jobs are asked for, the account's concurrency stays
   * with the API and the other consumers. The one-machine runtime ignores it.
   */
  readonly reservedConcurrency?: number;
  /** Lambda's /tmp size (512 MB when absent). */
  readonly ephemeralStorageMb?: number;
  readonly triggers: readonly Trigger[];
  readonly tables?: Readonly<Record<string, TableAccess>>;
  readonly queues?: Readonly<Record<string, QueueAccess>>;
  readonly buckets?: Readonly<Record<string, BucketBinding>>;
  /**
   * Dependencies with native code (e.g. `@duckdb/node-api`) that esbuild cannot bundle: on AWS
   * they stay external and npm installs them into the asset for Lambda's linux-arm64, at the
   * versions package-lock.json pins (infra/constructs/app-function.ts). The local runtime
   * ignores this: it loads the handler with the host's own node_modules.
   */
  readonly nativeModules?: readonly string[];
  /**
   * A cap on V8's old space (`--max-old-space-size`, MB) for a function whose memory is shared
   * with native code (DuckDB's own limit): without it V8 lets garbage grow towards its default
   * limit and the function's RSS grows with the data. Leave room for the native side.
   */
  readonly maxHeapMb?: number;
  /**
   * The function copies a table as of an instant into a bucket under `prefix` (ADR 0017): on AWS
   * DynamoDB's point-in-time export (the CDK grants ExportTableToPointInTime and DescribeExport on
   * that table and sets `TABLE_COPY_MODE=point-in-time`, `TABLE_COPY_TABLE_ARN`); on one machine a
   * Scan (`TABLE_COPY_MODE=scan`). The bucket binding must cover `prefix`.
   */
  readonly tableCopies?: { readonly table: string; readonly bucket: string; readonly prefix: string };
  /**
   * The function has Athena make a large campaign's export tables from its table copies (ADR 0029):
   * on AWS the CDK lets it run statements in the export workgroup only, make and drop tables in the
   * Glue database of temporary tables only, and read the data manifests in that workgroup's results
   * prefix; it sets `ATHENA_EXPORT_WORKGROUP` and `ATHENA_EXPORT_DATABASE`. The CTAS read and write
   * under the table copies' prefix, which `tableCopies` already grants. One machine has no Athena:
   * the function reads every copy itself. Needs `tableCopies`.
   */
  readonly athenaExports?: boolean;
  /**
   * The function manages the campaigns' one-time schedules (the `campaignSchedules` triggers of
   * the other functions) at run time: on AWS the CDK gives it EventBridge Scheduler rights on the
   * stage's schedule groups only, `iam:PassRole` on the one role Scheduler invokes the targets
   * with, and the targets' ARNs as environment; on one machine the runtime gives it the file the
   * local scheduler reads (`LOCAL_SCHEDULES_FILE`). At most one function declares it.
   */
  readonly manageSchedules?: boolean;
  /**
   * The function pages lists with signed cursors (shared/repositories/page.ts, ADR 0031): on AWS the CDK
   * lets it read the one secret holding the cursor key (secretsmanager:GetSecretValue on that
   * secret, nothing else) and sets `CURSOR_KEY_SECRET_ARN`; on one machine the runtime gives every
   * handler the data dir's key. A function that issues or reads a cursor without it fails at the
   * first page that has a next one.
   */
  readonly cursors?: boolean;
  /**
   * The function links to the web app's pages (share links, ADR 0045): on AWS the CDK sets
   * `SCIDAY_WEB_ORIGIN` to the hosted site's origin when the stage has one; on one machine it is
   * unset, the web app being the API's own origin.
   */
  readonly webOrigin?: boolean;
  /**
   * The function hashes personal data with the stack's pseudonym key (shared/clients/pseudonyms.ts,
   * ADR 0047): on AWS the CDK lets it read that one secret (kept by the stateful stack: a new key
   * would make new pseudonyms) and sets `PSEUDONYM_KEY_SECRET_ARN`; on one machine the runtime gives
   * every handler the data dir's key.
   */
  readonly pseudonyms?: boolean;
  /**
   * The function seals or opens units' webhook URLs (shared/clients/secret-sealer.ts, ADR 0048): on
   * AWS the CDK lets it read the one secret holding the sealing key (secretsmanager:GetSecretValue
   * on that secret, kms:Decrypt on the stack's KMS key that encrypts it, through Secrets Manager
   * only) and sets `WEBHOOK_KEY_SECRET_ARN`; on one machine the runtime gives every handler the
   * data dir's key. Everything else passes the URL on sealed.
   */
  readonly webhookKey?: boolean;
}

export interface Topology {
  readonly tables: Readonly<Record<string, TableSpec>>;
  readonly queues: Readonly<Record<string, QueueSpec>>;
  readonly buckets: Readonly<Record<string, BucketSpec>>;
  readonly functions: Readonly<Record<string, FunctionSpec>>;
}

const S = (name: string): KeyAttribute => ({ name, type: 'S' });

// Table copies hold every attribute, contacts included: they expire after a day and no analyst grant
// covers them (the exports bucket's `expire` below).
export { TABLE_COPY_PREFIX, VISIBILITY_TIMEOUT_FACTOR } from '../shared/topology-facts';

/**
 * The API's throttle across every client and route (the HTTP API stage's default route settings).
 * Routes that declare a `throttle` get their own, lower one.
 */
export const STAGE_THROTTLE = { rateLimit: 100, burstLimit: 200 } as const satisfies RouteThrottle;

/**
 * How both readers of the main table's stream read it. DynamoDB Streams serves at most two readers
 * of a shard at once (more are throttled, and their iterator age grows), so a table has at most two
 * stream triggers ({@link MAX_STREAM_READERS}); new work on the stream joins one of them (ADR 0034).
 */
const MAIN_TABLE_STREAM = {
  kind: 'stream',
  table: 'main',
  batchSize: 100,
  maxBatchingWindowSeconds: 1,
  retryAttempts: 5,
  onFailureQueue: 'stream-failures',
} as const satisfies StreamTrigger;

/** SciDay's topology. */
export const topology = {
  tables: {
    main: {
      description: 'Single table: campaigns, organizations, activities, media, summaries, flags',
      partitionKey: S('pk'),
      sortKey: S('sk'),
      globalIndexes: [
        { name: 'gsi1', partitionKey: S('gsi1pk'), sortKey: S('gsi1sk') },
        { name: 'gsi2', partitionKey: S('gsi2pk'), sortKey: S('gsi2sk') },
        // Sparse: only what can still become late (the due index of the milestone sweeps).
        { name: 'gsi3', partitionKey: S('gsi3pk'), sortKey: S('gsi3sk') },
      ],
      ttlAttribute: 'expiresAt',
      stream: 'NEW_AND_OLD_IMAGES',
    },
    audit: {
      description: 'Field-level audit trail, written only from the main table stream',
      partitionKey: S('pk'),
      sortKey: S('sk'),
    },
    idempotency: {
      description: 'Powertools idempotency records for Idempotency-Key (24 h)',
      partitionKey: S('id'),
      ttlAttribute: 'expiration',
    },
    // No stream: read-model writes never re-enter the audit trail or the domain events (ADR 0021).
    progress: {
      description: 'Progress read model: per unit its counters and each subject’s contribution, kept from the main table stream',
      partitionKey: S('pk'),
      sortKey: S('sk'),
    },
  },
  queues: {
    'media-uploads': {
      kind: 'work',
      description: 'S3 ObjectCreated events for uploaded media, consumed by check-media',
      maxReceiveCount: WORK_QUEUE_MAX_RECEIVE_COUNT,
    },
    'domain-events': {
      kind: 'work',
      description: 'Domain events (activity.submitted, results.updated …) for systems outside SciDay: its integration point',
      maxReceiveCount: WORK_QUEUE_MAX_RECEIVE_COUNT,
      // No consumer here (ADR 0034): the longest retention SQS has, and an alarm 2 days in, 12 before expiry.
      outlet: { retentionDays: 14, oldestMessageAlarmHours: 48 },
    },
    'stream-failures': {
      kind: 'failures',
      description: 'Metadata of main-table stream records that failed every retry',
    },
    sweeps: {
      kind: 'work',
      description: 'One message per organizing unit of a milestone run or a reminder, consumed by sweep-unit',
      maxReceiveCount: WORK_QUEUE_MAX_RECEIVE_COUNT,
    },
    notifications: {
      kind: 'work',
      description: 'Webhook deliveries of inbox messages (WeCom/DingTalk robot JSON), consumed by deliver-webhook',
      maxReceiveCount: WORK_QUEUE_MAX_RECEIVE_COUNT,
    },
    exports: {
      kind: 'work',
      description: 'Export jobs (requested through the API or by a milestone), consumed by run-export',
      maxReceiveCount: WORK_QUEUE_MAX_RECEIVE_COUNT,
    },
    'schedule-failures': {
      kind: 'failures',
      description: 'Scheduler invocations that failed every retry (milestones, reminders, reconciliation)',
    },
  },
  buckets: {
    media: {
      description: 'Photos, videos and documents uploaded by browsers with presigned POST',
      browserUploads: true,
      notifications: [{ event: 'ObjectCreated', queue: 'media-uploads', prefix: 'uploads/' }],
      // Refused and unknown uploads are kept 30 days for inspection, then deleted. A photo's
      // original (originals/) lives only while its check runs; a failed check's goes after a day (ADR 0048).
      expire: [
        { prefix: 'quarantine/', days: 30 },
        { prefix: 'originals/', days: 1 },
      ],
    },
    exports: {
      description: 'Parquet and CSV exports and milestone snapshots for analysts',
      // Milestone snapshots' table copies (every attribute of every item): a day, then gone.
      expire: [{ prefix: TABLE_COPY_PREFIX, days: 1 }],
    },
  },
  functions: {
    'get-liveness': {
      description: 'GET /health/live: the API answers (no AWS call; for load balancers and uptime probes)',
      entry: 'functions/get-liveness/handler.ts',
      timeoutSeconds: 3,
      memoryMb: 128,
      triggers: [{ kind: 'http', ...HTTP_ROUTES['get-liveness'], throttle: { rateLimit: 20, burstLimit: 40 } }],
      // Nothing: its role may call no AWS API at all.
    },
    'get-health': {
      description: 'GET /health: reports whether each table, queue and bucket answers (one check per instance every 10 s)',
      entry: 'functions/get-health/handler.ts',
      timeoutSeconds: 10,
      memoryMb: 256,
      // Deep: 13 metadata calls per check. Few requests per second suffice for monitoring.
      triggers: [{ kind: 'http', ...HTTP_ROUTES['get-health'], throttle: { rateLimit: 2, burstLimit: 5 } }],
      tables: { main: 'describe', audit: 'describe', idempotency: 'describe', progress: 'describe' },
      queues: {
        'media-uploads': 'describe',
        'domain-events': 'describe',
        'stream-failures': 'describe',
        sweeps: 'describe',
        notifications: 'describe',
        'schedule-failures': 'describe',
        exports: 'describe',
      },
      buckets: { media: { access: 'describe' }, exports: { access: 'describe' } },
    },
    'get-campaign': {
      description: 'GET a campaign: everything a registration form needs',
      entry: 'functions/get-campaign/handler.ts',
      timeoutSeconds: 10,
      memoryMb: 512,
      // Every form loads it once: the busiest public route.
      triggers: [{ kind: 'http', ...HTTP_ROUTES['get-campaign'], throttle: { rateLimit: 50, burstLimit: 100 } }],
      tables: { main: 'read' },
    },
    'list-organizations': {
      description: 'GET the organizing units of a campaign',
      entry: 'functions/list-organizations/handler.ts',
      timeoutSeconds: 10,
      memoryMb: 512,
      triggers: [{ kind: 'http', ...HTTP_ROUTES['list-organizations'] }],
      tables: { main: 'read' },
      cursors: true,
    },
    'create-activity': {
      description: 'POST a draft activity (Idempotency-Key)',
      entry: 'functions/create-activity/handler.ts',
      timeoutSeconds: 10,
      memoryMb: 512,
      triggers: [{ kind: 'http', ...HTTP_ROUTES['create-activity'] }],
      tables: { main: 'readwrite' },
    },
    'list-activities': {
      description: 'GET a campaign’s activities, filtered and paged',
      entry: 'functions/list-activities/handler.ts',
      timeoutSeconds: 10,
      memoryMb: 512,
      triggers: [{ kind: 'http', ...HTTP_ROUTES['list-activities'] }],
      tables: { main: 'read' },
      cursors: true,
    },
    'get-activity': {
      description: 'GET one activity with its flags',
      entry: 'functions/get-activity/handler.ts',
      timeoutSeconds: 10,
      memoryMb: 512,
      triggers: [{ kind: 'http', ...HTTP_ROUTES['get-activity'] }],
      tables: { main: 'read' },
    },
    'update-activity': {
      description: 'PATCH an activity (If-Match)',
      entry: 'functions/update-activity/handler.ts',
      timeoutSeconds: 10,
      memoryMb: 512,
      triggers: [{ kind: 'http', ...HTTP_ROUTES['update-activity'] }],
      tables: { main: 'readwrite' },
    },
    'submit-activity': {
      description: 'POST submit: register and publish, lateness flags at once',
      entry: 'functions/submit-activity/handler.ts',
      timeoutSeconds: 10,
      memoryMb: 512,
      triggers: [{ kind: 'http', ...HTTP_ROUTES['submit-activity'] }],
      tables: { main: 'readwrite', idempotency: 'readwrite' },
    },
    'get-activity-history': {
      description: 'GET the audit trail of an activity',
      entry: 'functions/get-activity-history/handler.ts',
      timeoutSeconds: 10,
      memoryMb: 512,
      triggers: [{ kind: 'http', ...HTTP_ROUTES['get-activity-history'] }],
      tables: { main: 'read', audit: 'read' },
      cursors: true,
    },
    'withdraw-activity': {
      description: 'POST withdraw: a registered activity leaves the public calendar and the counts (If-Match, ADR 0044)',
      entry: 'functions/withdraw-activity/handler.ts',
      timeoutSeconds: 10,
      memoryMb: 512,
      triggers: [{ kind: 'http', ...HTTP_ROUTES['withdraw-activity'] }],
      tables: { main: 'readwrite', idempotency: 'readwrite' },
    },
    // The citizens' calendar (ADR 0044): anyone, no token; answers a CDN keeps minutes, so the throttles are the origin's.
    'list-public-activities': {
      description: 'GET a campaign’s published activities, for anyone: filtered, paged, from the public calendar read model',
      entry: 'functions/list-public-activities/handler.ts',
      timeoutSeconds: 10,
      memoryMb: 512,
      triggers: [{ kind: 'http', ...HTTP_ROUTES['list-public-activities'], throttle: { rateLimit: 50, burstLimit: 100 } }],
      // progress: the public calendar (PUB#); main: the campaign and its units.
      tables: { main: 'read', progress: 'read' },
      cursors: true,
    },
    'get-public-activity': {
      description: 'GET one published activity and its results, for anyone',
      entry: 'functions/get-public-activity/handler.ts',
      timeoutSeconds: 10,
      memoryMb: 512,
      triggers: [{ kind: 'http', ...HTTP_ROUTES['get-public-activity'], throttle: { rateLimit: 50, burstLimit: 100 } }],
      tables: { main: 'read' },
      buckets: { media: { access: 'read', prefixes: ['checked/'] } },
    },
    // A share link: crawlers of WeChat, DingTalk… read the activity's preview; browsers go on to its page.
    'get-share-preview': {
      description: 'GET a share link of a published activity: its title and description for chat previews, then its page in the web app',
      entry: 'functions/get-share-preview/handler.ts',
      timeoutSeconds: 10,
      memoryMb: 256,
      triggers: [{ kind: 'http', ...HTTP_ROUTES['get-share-preview'], throttle: { rateLimit: 50, burstLimit: 100 } }],
      tables: { main: 'read' },
      webOrigin: true,
    },
    'get-public-calendar': {
      description: 'GET a campaign’s published activities as an iCalendar feed, for anyone',
      entry: 'functions/get-public-calendar/handler.ts',
      timeoutSeconds: 20,
      memoryMb: 512,
      triggers: [{ kind: 'http', ...HTTP_ROUTES['get-public-calendar'], throttle: { rateLimit: 10, burstLimit: 20 } }],
      tables: { main: 'read', progress: 'read' },
      cursors: true,
    },
    'add-organizations': {
      description: 'POST units to a campaign: JSON, or text/csv imported all or nothing (admin)',
      entry: 'functions/add-organizations/handler.ts',
      timeoutSeconds: 30,
      memoryMb: 512,
      triggers: [{ kind: 'http', ...HTTP_ROUTES['add-organizations'] }],
      tables: { main: 'readwrite', idempotency: 'readwrite' },
    },
    'update-organization': {
      description: 'PATCH a unit’s contact and notification settings (admin, that unit’s organizer)',
      entry: 'functions/update-organization/handler.ts',
      timeoutSeconds: 10,
      memoryMb: 512,
      triggers: [{ kind: 'http', ...HTTP_ROUTES['update-organization'] }],
      tables: { main: 'readwrite' },
      // Seals the webhook URL it stores, opens it for the unit's editors (ADR 0048).
      webhookKey: true,
    },
    'put-results': {
      description: 'PUT an activity’s results; the completion rule may complete it',
      entry: 'functions/put-results/handler.ts',
      timeoutSeconds: 10,
      memoryMb: 512,
      triggers: [{ kind: 'http', ...HTTP_ROUTES['put-results'] }],
      tables: { main: 'readwrite' },
    },
    'get-summary': {
      description: 'GET a unit’s work summary',
      entry: 'functions/get-summary/handler.ts',
      timeoutSeconds: 10,
      memoryMb: 512,
      triggers: [{ kind: 'http', ...HTTP_ROUTES['get-summary'] }],
      tables: { main: 'read' },
    },
    'put-summary': {
      description: 'PUT a unit’s work summary (If-Match once it exists)',
      entry: 'functions/put-summary/handler.ts',
      timeoutSeconds: 10,
      memoryMb: 512,
      triggers: [{ kind: 'http', ...HTTP_ROUTES['put-summary'] }],
      tables: { main: 'readwrite' },
    },
    'create-upload': {
      description: 'POST a presigned upload for a photo, video or document of an activity',
      entry: 'functions/create-upload/handler.ts',
      timeoutSeconds: 10,
      memoryMb: 512,
      triggers: [{ kind: 'http', ...HTTP_ROUTES['create-upload'] }],
      tables: { main: 'readwrite' },
      buckets: { media: { access: 'write', prefixes: ['uploads/'] } },
    },
    'create-summary-upload': {
      description: 'POST a presigned upload for a work summary document',
      entry: 'functions/create-summary-upload/handler.ts',
      timeoutSeconds: 10,
      memoryMb: 512,
      triggers: [
        { kind: 'http', ...HTTP_ROUTES['create-summary-upload'] },
      ],
      tables: { main: 'readwrite' },
      buckets: { media: { access: 'write', prefixes: ['uploads/'] } },
    },
    'list-media': {
      description: 'GET an activity’s media with status, accepted ones with a short-lived URL',
      entry: 'functions/list-media/handler.ts',
      timeoutSeconds: 10,
      memoryMb: 512,
      triggers: [{ kind: 'http', ...HTTP_ROUTES['list-media'] }],
      tables: { main: 'read' },
      // Signs view URLs of the copies the media check accepted, never of uploads/ (ADR 0032).
      buckets: { media: { access: 'read', prefixes: ['checked/'] } },
    },
    'get-openapi': {
      description: 'GET the OpenAPI 3.1 document generated from the zod schemas',
      entry: 'functions/get-openapi/handler.ts',
      timeoutSeconds: 10,
      memoryMb: 256,
      triggers: [{ kind: 'http', ...HTTP_ROUTES['get-openapi'], throttle: { rateLimit: 5, burstLimit: 10 } }],
      tables: { main: 'read' },
    },
    // The main table's stream has two readers, no more (DynamoDB Streams: at most two processes per
    // shard; validateTopology). Each composes use cases that once were functions of their own (ADR 0034).
    'record-changes': {
      description: 'Main-table stream → what each change means once: its audit entry, then its domain events and the export it requests',
      entry: 'functions/record-changes/handler.ts',
      timeoutSeconds: 30,
      memoryMb: 512,
      triggers: [MAIN_TABLE_STREAM],
      // audit: the trail (conditional puts), the person and contact ledgers, and a scrub's rewrite of
      // a trail (read by Query: ADR 0047); domain-events and exports: the messages it forwards.
      tables: { audit: 'readwrite' },
      pseudonyms: true,
      queues: { 'domain-events': 'send', exports: 'send' },
    },
    'check-media': {
      description: 'S3 ObjectCreated (via SQS) → size and identity of each stored object, once',
      entry: 'functions/check-media/handler.ts',
      timeoutSeconds: 30,
      // A batch of 10 checked in parallel holds up to 10 photos (20 MB each) and their stripped copies (ADR 0048).
      memoryMb: 1024,
      triggers: [{ kind: 'sqs', queue: 'media-uploads', batchSize: 10, maxBatchingWindowSeconds: 1 }],
      tables: { main: 'readwrite' },
      // Copies each upload to checked/ and judges the copy, the only writer there (ADR 0032); a
      // photo is copied to originals/ (read by no one else) and stored stripped in checked/ (ADR
      // 0048); moves refused ones and late writes to quarantine/ (copy, then delete the original).
      // Lists: a notification of an object already moved away must find it missing (404), not refused (403).
      buckets: { media: { access: 'readwrite', prefixes: ['uploads/', 'originals/', 'checked/', 'quarantine/'], list: 'bucket' } },
    },
    'start-milestone': {
      description: 'A milestone passed (or the daily reconciliation): one sweep message per organizing unit',
      entry: 'functions/start-milestone/handler.ts',
      timeoutSeconds: 120,
      memoryMb: 512,
      triggers: [
        // One per milestone of each published campaign, made at run time by project-changes.
        { kind: 'schedule', campaignSchedules: 'milestones', onFailureQueue: 'schedule-failures' },
        // Re-runs every milestone already passed (published campaigns): a missed or failed run, extended deadlines.
        {
          kind: 'schedule',
          expression: 'cron(30 0 * * ? *)',
          timeZone: 'Asia/Shanghai',
          input: { type: 'reconcile' },
          onFailureQueue: 'schedule-failures',
        },
      ],
      // Reads the units; writes the milestone's snapshot export request.
      tables: { main: 'readwrite' },
      queues: { sweeps: 'send' },
    },
    'start-reminders': {
      description: 'Days before a milestone: one reminder message per organizing unit',
      entry: 'functions/start-reminders/handler.ts',
      timeoutSeconds: 120,
      memoryMb: 512,
      // One per reminder of each published campaign, made at run time by project-changes.
      triggers: [{ kind: 'schedule', campaignSchedules: 'reminders', onFailureQueue: 'schedule-failures' }],
      tables: { main: 'read' },
      queues: { sweeps: 'send' },
    },
    'project-changes': {
      description: 'Main-table stream → what can be recomputed from the table: the progress read model, and the campaigns’ schedules (also daily)',
      entry: 'functions/project-changes/handler.ts',
      // A campaign's schedules take a few Scheduler calls each; a batch's progress one transaction per 100 actions.
      timeoutSeconds: 60,
      memoryMb: 512,
      triggers: [
        MAIN_TABLE_STREAM,
        // Repairs drift between the stored campaigns and the schedules (a failed sync, a hand edit).
        {
          kind: 'schedule',
          expression: 'cron(15 0 * * ? *)',
          timeZone: 'Asia/Shanghai',
          input: { type: 'reconcile-schedules' },
          onFailureQueue: 'schedule-failures',
        },
      ],
      // progress: the read model; main: the campaigns, read strongly consistent (never written).
      tables: { main: 'read', progress: 'readwrite' },
      manageSchedules: true,
    },
    'purge-expired-data': {
      description: 'Daily: closed campaigns past their retention lose their contacts, their actors are pseudonymised (PIPL; audited)',
      entry: 'functions/purge-expired-data/handler.ts',
      // A campaign's partitions are walked by Query, a page at a time; a run cut short is resumed the next day.
      timeoutSeconds: 900,
      memoryMb: 1024,
      triggers: [
        { kind: 'schedule', expression: 'cron(0 3 * * ? *)', timeZone: 'Asia/Shanghai', input: { type: 'purge' }, onFailureQueue: 'schedule-failures' },
      ],
      tables: { main: 'readwrite' },
      pseudonyms: true,
    },
    'sweep-unit': {
      description: 'One unit: raise the flags its passed milestones earn, or write its reminder to the inbox',
      entry: 'functions/sweep-unit/handler.ts',
      timeoutSeconds: 60,
      memoryMb: 512,
      triggers: [{ kind: 'sqs', queue: 'sweeps', batchSize: 10, maxBatchingWindowSeconds: 1 }],
      tables: { main: 'readwrite' },
      queues: { notifications: 'send' },
    },
    'deliver-webhook': {
      description: 'POST an inbox message to the unit’s webhook (robot JSON), once per delivery',
      entry: 'functions/deliver-webhook/handler.ts',
      timeoutSeconds: 30,
      memoryMb: 256,
      triggers: [{ kind: 'sqs', queue: 'notifications', batchSize: 5, maxBatchingWindowSeconds: 1 }],
      tables: { main: 'readwrite', idempotency: 'readwrite' },
      // Opens the sealed webhook URL each notification carries (ADR 0048).
      webhookKey: true,
    },
    'list-flags': {
      description: 'GET a campaign’s flags, filtered by code, unit, milestone, waived (reviewer, admin)',
      entry: 'functions/list-flags/handler.ts',
      timeoutSeconds: 10,
      memoryMb: 512,
      triggers: [{ kind: 'http', ...HTTP_ROUTES['list-flags'] }],
      tables: { main: 'read' },
      cursors: true,
    },
    'waive-flag': {
      description: 'POST a waiver: the flag stays, marked waived with the reason (admin)',
      entry: 'functions/waive-flag/handler.ts',
      timeoutSeconds: 10,
      memoryMb: 512,
      triggers: [{ kind: 'http', ...HTTP_ROUTES['waive-flag'] }],
      tables: { main: 'readwrite' },
    },
    'grant-extension': {
      description: 'POST an extension of one unit’s (or activity’s) milestone deadline (admin, audited)',
      entry: 'functions/grant-extension/handler.ts',
      timeoutSeconds: 10,
      memoryMb: 512,
      triggers: [{ kind: 'http', ...HTTP_ROUTES['grant-extension'] }],
      tables: { main: 'readwrite', idempotency: 'readwrite' },
    },
    'list-extensions': {
      description: 'GET a campaign’s extensions, optionally one unit’s: who granted which deadline, when and why (reviewer, admin)',
      entry: 'functions/list-extensions/handler.ts',
      timeoutSeconds: 10,
      memoryMb: 512,
      triggers: [{ kind: 'http', ...HTTP_ROUTES['list-extensions'] }],
      // Queries only: the unit's extension partition, or the campaign's on gsi2.
      tables: { main: 'read' },
      cursors: true,
    },
    'create-export': {
      description: 'POST an export of a campaign (Parquet or CSV): 202, the job runs from the queue (admin, analyst)',
      entry: 'functions/create-export/handler.ts',
      timeoutSeconds: 10,
      memoryMb: 512,
      // Each new job is 2 GB for up to 15 minutes: one at a time per campaign and format, a budget per user (ADR 0033).
      triggers: [{ kind: 'http', ...HTTP_ROUTES['create-export'], throttle: { rateLimit: 1, burstLimit: 5 } }],
      tables: { main: 'readwrite', idempotency: 'readwrite' },
    },
    'get-export': {
      description: 'GET an export: status, row counts, short-lived URLs of its files (admin, analyst)',
      entry: 'functions/get-export/handler.ts',
      timeoutSeconds: 10,
      memoryMb: 512,
      triggers: [{ kind: 'http', ...HTTP_ROUTES['get-export'] }],
      tables: { main: 'read' },
      buckets: { exports: { access: 'read', prefixes: ['campaign='] } },
    },
    'list-exports': {
      description: 'GET a campaign’s exports and milestone snapshots, newest first, without file URLs (admin, analyst)',
      entry: 'functions/list-exports/handler.ts',
      timeoutSeconds: 10,
      memoryMb: 512,
      triggers: [{ kind: 'http', ...HTTP_ROUTES['list-exports'] }],
      // Queries only: gsi1 `CAMP#<c>#EXPORT`. No bucket: the URLs are signed by get-export when asked for.
      tables: { main: 'read' },
      cursors: true,
    },
    'run-export': {
      description: 'Export one campaign: every entity to Parquet or CSV under the exports bucket, with a manifest',
      entry: 'functions/run-export/handler.ts',
      // DuckDB's native binding is installed for linux-arm64 into the asset, not bundled.
      nativeModules: ['@duckdb/node-api'],
      // The DuckDB staging file and the exported files live in /tmp while the job runs.
      ephemeralStorageMb: 4096,
      timeoutSeconds: RUN_EXPORT_TIMEOUT_SECONDS,
      // 2 GB: at most 768 MB of JS heap, DuckDB's 512 MB memory limit (it spills to /tmp beyond), the rest buffers.
      memoryMb: 2048,
      maxHeapMb: 768,
      // However many jobs are queued, at most 3 run at once (6 GB): the account's concurrency stays with the rest.
      reservedConcurrency: 3,
      triggers: [{ kind: 'sqs', queue: 'exports', batchSize: 1, maxBatchingWindowSeconds: 0, maxConcurrency: 3 }],
      // progress: the board's activity counts decide whether Athena reads a large campaign's copy (ADR 0029).
      tables: { main: 'readwrite', progress: 'read' },
      // While a milestone snapshot's table copy is being made, the job sends itself again, delayed.
      queues: { exports: 'send' },
      // Lists its own folders: Athena reads a table copy's folder and run-export the CTAS output in it.
      buckets: { exports: { access: 'readwrite', prefixes: ['campaign=', TABLE_COPY_PREFIX], list: 'prefixes' } },
      tableCopies: { table: 'main', bucket: 'exports', prefix: TABLE_COPY_PREFIX },
      // Beyond ~150k activities or 1.5M items, Athena makes the tables from the copy (ADR 0029).
      athenaExports: true,
    },
    'get-inbox': {
      description: 'GET the reminders and notices sent to a unit, newest first',
      entry: 'functions/get-inbox/handler.ts',
      timeoutSeconds: 10,
      memoryMb: 512,
      triggers: [{ kind: 'http', ...HTTP_ROUTES['get-inbox'] }],
      tables: { main: 'read' },
      cursors: true,
    },
    'get-unit-status': {
      description: 'GET a unit’s status: deadlines with its extensions, what the reminders say it still owes, its flags explained, activity counts',
      entry: 'functions/get-unit-status/handler.ts',
      timeoutSeconds: 10,
      memoryMb: 512,
      triggers: [{ kind: 'http', ...HTTP_ROUTES['get-unit-status'] }],
      // Queries only: the unit's extensions, due index (gsi3) and activities (gsi1), the campaign's flags (gsi1).
      tables: { main: 'read' },
      cursors: true,
    },
    'put-review': {
      description: 'PUT a reviewer’s review of a unit: reviewer scores, comment, distinctive activities (If-Match once it exists; audited)',
      entry: 'functions/put-review/handler.ts',
      timeoutSeconds: 10,
      memoryMb: 512,
      triggers: [{ kind: 'http', ...HTTP_ROUTES['put-review'] }],
      tables: { main: 'readwrite' },
    },
    'get-review': {
      description: 'GET a unit’s review with its version (reviewers not of that unit, admins)',
      entry: 'functions/get-review/handler.ts',
      timeoutSeconds: 10,
      memoryMb: 512,
      triggers: [{ kind: 'http', ...HTTP_ROUTES['get-review'] }],
      tables: { main: 'read' },
    },
    'get-progress': {
      description: 'GET every unit’s progress counts from the read model, filtered and paged (reviewer, admin)',
      entry: 'functions/get-progress/handler.ts',
      timeoutSeconds: 10,
      memoryMb: 512,
      triggers: [{ kind: 'http', ...HTTP_ROUTES['get-progress'] }],
      // One Query of the campaign's totals partition: the units added at run time are listed there too.
      tables: { main: 'read', progress: 'read' },
      cursors: true,
    },
    'get-scores': {
      description: 'GET a campaign’s scores, ranks and commendation list, from the read model (reviewer, admin)',
      entry: 'functions/get-scores/handler.ts',
      // Reads the units' totals of the progress read model, the reviews and the extensions (ADR 0038).
      timeoutSeconds: 29,
      memoryMb: 1024,
      triggers: [{ kind: 'http', ...HTTP_ROUTES['get-scores'], throttle: { rateLimit: 5, burstLimit: 10 } }],
      // progress: the units' totals and late activities; main: reviews, extensions, marked activities.
      tables: { main: 'read', progress: 'read' },
    },
    // --- campaigns at run time (ADR 0023): the association's admins, their own city only (ADR 0024)
    'list-campaigns': {
      description: 'GET the campaigns of the caller’s city (drafts to its admins only)',
      entry: 'functions/list-campaigns/handler.ts',
      timeoutSeconds: 10,
      memoryMb: 512,
      triggers: [{ kind: 'http', ...HTTP_ROUTES['list-campaigns'] }],
      tables: { main: 'read' },
    },
    'create-campaign': {
      description: 'POST a draft campaign from a definition, or copied from a past campaign a year on (admin; audited)',
      entry: 'functions/create-campaign/handler.ts',
      timeoutSeconds: 10,
      memoryMb: 512,
      triggers: [{ kind: 'http', ...HTTP_ROUTES['create-campaign'] }],
      // Reads the template's run-time units; writes the campaign item.
      tables: { main: 'readwrite', idempotency: 'readwrite' },
    },
    'get-campaign-definition': {
      description: 'GET a campaign’s stored definition, status and version (admin)',
      entry: 'functions/get-campaign-definition/handler.ts',
      timeoutSeconds: 10,
      memoryMb: 512,
      triggers: [{ kind: 'http', ...HTTP_ROUTES['get-campaign-definition'] }],
      tables: { main: 'read' },
    },
    'update-campaign': {
      description: 'PATCH a campaign’s definition (JSON merge patch, If-Match; admin; audited)',
      entry: 'functions/update-campaign/handler.ts',
      timeoutSeconds: 10,
      memoryMb: 512,
      triggers: [{ kind: 'http', ...HTTP_ROUTES['update-campaign'] }],
      // Reads whether reviews exist (weights lock); writes the campaign item.
      tables: { main: 'readwrite' },
    },
    'publish-campaign': {
      description: 'POST to publish a draft campaign: its units see it and its schedules are made (admin; audited)',
      entry: 'functions/publish-campaign/handler.ts',
      timeoutSeconds: 10,
      memoryMb: 512,
      triggers: [{ kind: 'http', ...HTTP_ROUTES['publish-campaign'] }],
      tables: { main: 'readwrite' },
    },
    'close-campaign': {
      description: 'POST to close a campaign: read-only from then on, its schedules removed (admin; audited)',
      entry: 'functions/close-campaign/handler.ts',
      timeoutSeconds: 10,
      memoryMb: 512,
      triggers: [{ kind: 'http', ...HTTP_ROUTES['close-campaign'] }],
      tables: { main: 'readwrite' },
    },
    'move-milestone': {
      description: 'PUT a new due date of a milestone that has not passed, with a reason (admin; audited; its schedules follow)',
      entry: 'functions/move-milestone/handler.ts',
      timeoutSeconds: 10,
      memoryMb: 512,
      triggers: [{ kind: 'http', ...HTTP_ROUTES['move-milestone'] }],
      tables: { main: 'readwrite' },
    },
    'get-privacy-notice': {
      description: 'GET the privacy notice and whether the caller acknowledged its current version',
      entry: 'functions/get-privacy-notice/handler.ts',
      timeoutSeconds: 10,
      memoryMb: 256,
      triggers: [{ kind: 'http', ...HTTP_ROUTES['get-privacy-notice'] }],
      tables: { main: 'read' },
    },
    'acknowledge-privacy-notice': {
      description: 'PUT the caller’s acknowledgement of the current privacy notice (PERSON#<sub> / NOTICE#<version>)',
      entry: 'functions/acknowledge-privacy-notice/handler.ts',
      timeoutSeconds: 10,
      memoryMb: 256,
      triggers: [{ kind: 'http', ...HTTP_ROUTES['acknowledge-privacy-notice'] }],
      tables: { main: 'readwrite' },
    },
    'get-my-data': {
      description: 'GET everything held about the caller, as a JSON download (PIPL access; the person ledger, no Scan)',
      entry: 'functions/get-my-data/handler.ts',
      timeoutSeconds: 30,
      memoryMb: 512,
      triggers: [{ kind: 'http', ...HTTP_ROUTES['get-my-data'] }],
      tables: { main: 'read', audit: 'read' },
    },
    'erase-person': {
      description: 'POST an erasure of a person’s personal information (admin; scrubs the items the ledgers name; audited)',
      entry: 'functions/erase-person/handler.ts',
      timeoutSeconds: 60,
      memoryMb: 512,
      triggers: [{ kind: 'http', ...HTTP_ROUTES['erase-person'] }],
      // main: the items scrubbed, the erasure; audit: the ledgers, read (the audit writer rewrites the trails).
      tables: { main: 'readwrite', audit: 'read', idempotency: 'readwrite' },
      pseudonyms: true,
    },
  },
} as const satisfies Topology;

export type SciDayTopology = typeof topology;
export type TableId = keyof SciDayTopology['tables'];
export type QueueId = keyof SciDayTopology['queues'];
export type BucketId = keyof SciDayTopology['buckets'];
export type FunctionId = keyof SciDayTopology['functions'];

/** The visibility timeout of a queue: 6 × the longest timeout among its consumers (30 s if none). */
export function queueVisibilityTimeoutSeconds(t: Topology, queueId: string): number {
  const consumers = Object.values(t.functions).filter((fn) =>
    fn.triggers.some((tr) => tr.kind === 'sqs' && tr.queue === queueId),
  );
  const longest = Math.max(0, ...consumers.map((fn) => fn.timeoutSeconds));
  return longest === 0 ? 30 : longest * VISIBILITY_TIMEOUT_FACTOR;
}

/** Name of the dead-letter queue of a work queue. */
export const dlqId = (queueId: string): string => `${queueId}-dlq`;

/** Physical names used by the one-machine runtime (AWS lets CloudFormation name them). */
export const localName = (stage: string, id: string): string => `sciday-${stage}-${id}`;

/** DynamoDB Streams: no more than two processes should read one shard at once (ADR 0034). */
export const MAX_STREAM_READERS = 2;

/** Every problem with a topology's internal references and limits; empty when sound. */
export function validateTopology(t: Topology): string[] {
  const problems: string[] = [];
  const routes = new Set<string>();
  const campaignTargets = new Map<string, string>();
  for (const [fnId, fn] of Object.entries(t.functions)) {
    if (fn.triggers.length === 0) problems.push(`${fnId}: has no trigger`);
    for (const tr of fn.triggers) {
      if (tr.kind === 'http') {
        const key = `${tr.method} ${tr.path}`;
        if (routes.has(key)) problems.push(`${fnId}: route ${key} is declared twice`);
        routes.add(key);
      } else if (tr.kind === 'sqs') {
        const q = t.queues[tr.queue];
        if (q?.kind !== 'work') problems.push(`${fnId}: sqs trigger on unknown work queue ${tr.queue}`);
        if (tr.batchSize < 1 || tr.batchSize > 10) problems.push(`${fnId}: batchSize must be 1..10`);
      } else if (tr.kind === 'schedule') {
        if (tr.onFailureQueue !== undefined && t.queues[tr.onFailureQueue]?.kind !== 'failures') {
          problems.push(`${fnId}: schedule onFailureQueue ${tr.onFailureQueue} is not a failures queue`);
        }
        if ('campaignSchedules' in tr) {
          const kind = tr.campaignSchedules;
          if (campaignTargets.has(kind)) problems.push(`${fnId}: campaign ${kind} schedules already target ${campaignTargets.get(kind)}`);
          campaignTargets.set(kind, fnId);
        }
      } else if (tr.kind === 'stream') {
        if (!t.tables[tr.table]?.stream) problems.push(`${fnId}: stream trigger on table ${tr.table} without a stream`);
        if (t.queues[tr.onFailureQueue]?.kind !== 'failures') {
          problems.push(`${fnId}: onFailureQueue ${tr.onFailureQueue} is not a failures queue`);
        }
      }
    }
    for (const id of Object.keys(fn.tables ?? {})) if (!t.tables[id]) problems.push(`${fnId}: unknown table ${id}`);
    for (const id of Object.keys(fn.queues ?? {})) if (!t.queues[id]) problems.push(`${fnId}: unknown queue ${id}`);
    for (const id of Object.keys(fn.buckets ?? {})) if (!t.buckets[id]) problems.push(`${fnId}: unknown bucket ${id}`);
    if (fn.athenaExports && !fn.tableCopies) problems.push(`${fnId}: athenaExports reads table copies, but the function makes none (tableCopies)`);
    problems.push(...limitProblems(fnId, fn));
  }
  // Campaign schedules exist only if one function makes them (and only one may).
  const managers = Object.entries(t.functions).filter(([, fn]) => fn.manageSchedules);
  if (managers.length > 1) problems.push(`${managers.map(([id]) => id).join(', ')}: only one function may manage the campaign schedules`);
  if (campaignTargets.size > 0 && managers.length === 0) {
    problems.push(`${[...campaignTargets.values()].join(', ')}: campaign schedules target them, but no function manages them (manageSchedules)`);
  }
  problems.push(...streamReaderProblems(t));
  for (const [qId, q] of Object.entries(t.queues)) {
    if (q.kind === 'work' && q.maxReceiveCount < 5) problems.push(`${qId}: maxReceiveCount must be >= 5`);
    if (q.kind === 'work') problems.push(...outletProblems(t, qId, q));
  }
  for (const [bId, b] of Object.entries(t.buckets)) {
    for (const n of b.notifications ?? []) {
      if (t.queues[n.queue]?.kind !== 'work') problems.push(`${bId}: notification to unknown work queue ${n.queue}`);
    }
  }
  return problems;
}

/**
 * Tables read by more than {@link MAX_STREAM_READERS} stream triggers: every trigger is its own
 * event source mapping, and so its own reader of every shard (a function with two triggers on one
 * table counts twice).
 */
function streamReaderProblems(t: Topology): string[] {
  const readers = new Map<string, string[]>();
  for (const [fnId, fn] of Object.entries(t.functions)) {
    for (const tr of fn.triggers) if (tr.kind === 'stream') readers.set(tr.table, [...(readers.get(tr.table) ?? []), fnId]);
  }
  return [...readers]
    .filter(([, fns]) => fns.length > MAX_STREAM_READERS)
    .map(([table, fns]) => `${table}: ${fns.length} stream readers (${fns.join(', ')}); DynamoDB Streams serves at most ${MAX_STREAM_READERS} per shard`);
}

/** A work queue nobody here consumes must be a declared outlet, with a retention and an age alarm that fit SQS. */
function outletProblems(t: Topology, qId: string, q: WorkQueueSpec): string[] {
  const consumers = Object.entries(t.functions).filter(([, fn]) => fn.triggers.some((tr) => tr.kind === 'sqs' && tr.queue === qId));
  if (!q.outlet) return consumers.length === 0 ? [`${qId}: no function consumes it; declare it an outlet (retention and an age alarm) or give it a consumer`] : [];
  const { retentionDays, oldestMessageAlarmHours } = q.outlet;
  const problems: string[] = [];
  if (consumers.length > 0) problems.push(`${qId}: an outlet, but consumed by ${consumers.map(([id]) => id).join(', ')}`);
  if (!Number.isInteger(retentionDays) || retentionDays < 1 || retentionDays > 14) problems.push(`${qId}: outlet retentionDays must be 1..14 (SQS)`);
  if (!(oldestMessageAlarmHours > 0) || oldestMessageAlarmHours >= retentionDays * 24) problems.push(`${qId}: outlet alarm must fire before its messages expire`);
  return problems;
}

/** What is wrong with a function's throttles and concurrency limits (ADR 0033). */
function limitProblems(fnId: string, fn: FunctionSpec): string[] {
  const problems: string[] = [];
  const reserved = fn.reservedConcurrency;
  if (reserved !== undefined && (!Number.isInteger(reserved) || reserved < 1)) problems.push(`${fnId}: reservedConcurrency must be a positive integer`);
  for (const tr of fn.triggers) {
    if (tr.kind === 'http') {
      const route = `${tr.method} ${tr.path}`;
      if (tr.public && !tr.throttle) problems.push(`${fnId}: public route ${route} must declare its own throttle, below the stage's`);
      if (tr.throttle) {
        const { rateLimit, burstLimit } = tr.throttle;
        if (!(rateLimit > 0) || !Number.isInteger(burstLimit) || burstLimit < 1) problems.push(`${fnId}: ${route} throttle must be positive`);
        if (rateLimit > STAGE_THROTTLE.rateLimit || burstLimit > STAGE_THROTTLE.burstLimit) problems.push(`${fnId}: ${route} throttle exceeds the stage's`);
      }
    } else if (tr.kind === 'sqs' && tr.maxConcurrency !== undefined) {
      if (!Number.isInteger(tr.maxConcurrency) || tr.maxConcurrency < 2 || tr.maxConcurrency > 1000) problems.push(`${fnId}: maxConcurrency must be 2..1000`);
      if (reserved !== undefined && tr.maxConcurrency > reserved) problems.push(`${fnId}: maxConcurrency ${tr.maxConcurrency} exceeds its reservedConcurrency ${reserved}`);
    }
  }
  return problems;
}

/** The HTTP routes of a topology, each with the function that serves it. */
export function httpRoutes(t: Topology): Array<HttpTrigger & { functionId: string }> {
  return Object.entries(t.functions).flatMap(([functionId, fn]) =>
    fn.triggers.filter((tr): tr is HttpTrigger => tr.kind === 'http').map((tr) => ({ ...tr, functionId })),
  );
}

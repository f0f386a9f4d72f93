import * as path from 'node:path';
import { Duration, RemovalPolicy, Size, Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Grant, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import {
  acknowledgeGrantWildcards,
  acknowledgeResourceWildcards,
  athenaResultsReason,
  athenaWorkTablesReason,
  bucketGrantReason,
  tableCopyObjectsReason,
  tableExportsReason,
  tableIndexesReason,
} from '../nag-acknowledgements';
import type { AthenaExportTarget } from './analytics';
import { NODEJS_BUNDLING, bundledCode, nodeOptionsOf } from '../bundling';
import { CURSOR_KEY_ENV, PSEUDONYM_KEY_ENV, WEBHOOK_KEY_ENV } from '../../shared/config';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { BucketAccess, FunctionSpec, QueueAccess, TableAccess } from '../topology';
import { envName } from '../../shared/env-names';

export interface AppFunctionProps {
  /** The function's declaration in the topology: entry, timeout, memory, description. */
  readonly spec: FunctionSpec;
  /** Deployment stage, given to the handler as `SCIDAY_STAGE`. */
  readonly stage: string;
  /**
   * Directory that the topology's `entry` paths are relative to; holds `package-lock.json`.
   * @default process.cwd()
   */
  readonly projectRoot?: string;
  /**
   * Retention of the function's log group.
   * @default RetentionDays.ONE_MONTH
   */
  readonly logRetention?: RetentionDays;
  /**
   * What happens to the log group when it leaves the stack.
   * @default RemovalPolicy.RETAIN
   */
  readonly logRemovalPolicy?: RemovalPolicy;
  /**
   * X-Ray active tracing. Off in AWS China, where Lambda has no X-Ray integration (issue 18).
   * @default true
   */
  readonly tracing?: boolean;
  /**
   * Apply the topology's `reservedConcurrency` (a stage turns it on only when its account's
   * concurrency limit leaves room for it, see infra/stage-config.ts).
   * @default false
   */
  readonly reserveConcurrency?: boolean;
}

/**
 * The DynamoDB actions of each table access (ADR 0033): the item operations SciDay's handlers call
 * (Get, BatchGet, Query; Put, Update, Delete, BatchWrite and a transaction's ConditionCheck). No
 * Scan (only the migrations scan, with the deployer's credentials, and the one-machine table copy)
 * and no stream reads (a stream consumer's event source grants those on the stream).
 */
export const TABLE_ACTIONS = {
  read: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'],
  write: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'dynamodb:ConditionCheckItem'],
} as const;

/**
 * The S3 object actions of each bucket access (ADR 0033), on objects only. `read` is GetObject
 * alone: reading an object, or signing a GET URL for one. `write` puts (multipart included);
 * `readwrite` also reads, tags (a copy keeps its tags) and deletes.
 */
export const BUCKET_ACTIONS = {
  read: ['s3:GetObject'],
  write: ['s3:PutObject', 's3:AbortMultipartUpload'],
  readwrite: ['s3:GetObject', 's3:GetObjectTagging', 's3:PutObject', 's3:PutObjectTagging', 's3:AbortMultipartUpload', 's3:DeleteObject'],
} as const satisfies Record<Exclude<BucketAccess, 'describe'>, readonly string[]>;


/** Every SciDay function runs on Graviton. */
const ARCHITECTURE = Architecture.ARM_64;

/**
 * The platform npm installs a function's `nativeModules` for: Lambda's, not the machine that
 * bundles. NodejsFunction bundles locally (no Docker) and runs `npm ci` in the asset with this
 * environment; npm then picks optional dependencies by these `os`/`cpu`/`libc` values, e.g.
 * `@duckdb/node-bindings-linux-arm64` rather than the host's `-linux-x64` (npm >= 10; the older
 * `npm_config_arch`/`npm_config_platform` only steer node-gyp builds, which DuckDB does not use).
 * Lambda's nodejs22.x runs on Amazon Linux 2023: glibc, not musl.
 */
export const LAMBDA_NPM_TARGET: Readonly<Record<string, string>> = {
  npm_config_os: 'linux',
  npm_config_cpu: ARCHITECTURE === Architecture.ARM_64 ? 'arm64' : 'x64',
  npm_config_libc: 'glibc',
};

/**
 * A SciDay Lambda function: Node.js 22 on arm64, X-Ray tracing, its own log group, an ESM
 * bundle with source maps, and Powertools settings. The execution role starts with nothing but
 * writing to that log group; `bind*` methods add each resource's env var and its grant together.
 *
 * @example
 * const fn = new AppFunction(this, 'get-health', { spec: topology.functions['get-health'], stage });
 * fn.bindTable('main', tables.main, 'describe'); // MAIN_TABLE_NAME + dynamodb:DescribeTable
 */
export class AppFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: AppFunctionProps) {
    const projectRoot = props.projectRoot ?? process.cwd();
    const logGroup = new LogGroup(scope, `${id}-logs`, {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.RETAIN,
    });
    // Our own role instead of the default one: AWSLambdaBasicExecutionRole would let the function
    // create and write any log group in the account; this role may only write its own.
    const role = new Role(scope, `${id}-role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of the ${id} function`,
    });
    logGroup.grantWrite(role);

    const entry = path.resolve(projectRoot, props.spec.entry);
    const nativeModules = props.spec.nativeModules ?? [];
    super(scope, id, {
      description: props.spec.description.slice(0, 256),
      runtime: Runtime.NODEJS_22_X,
      architecture: ARCHITECTURE,
      tracing: props.tracing === false ? Tracing.DISABLED : Tracing.ACTIVE,
      timeout: Duration.seconds(props.spec.timeoutSeconds),
      memorySize: props.spec.memoryMb,
      ...(props.spec.ephemeralStorageMb ? { ephemeralStorageSize: Size.mebibytes(props.spec.ephemeralStorageMb) } : {}),
      ...(props.reserveConcurrency && props.spec.reservedConcurrency ? { reservedConcurrentExecutions: props.spec.reservedConcurrency } : {}),
      logGroup,
      role,
      environment: {
        POWERTOOLS_SERVICE_NAME: 'sciday',
        POWERTOOLS_METRICS_NAMESPACE: 'SciDay',
        POWERTOOLS_LOG_LEVEL: 'INFO',
        ...(nodeOptionsOf(props.spec) ? { NODE_OPTIONS: nodeOptionsOf(props.spec) } : {}),
        SCIDAY_STAGE: props.stage,
      },
      ...(nativeModules.length === 0
        ? // The same esbuild build as NodejsFunction's, done for all functions at once (infra/bundling.ts).
          { code: bundledCode(projectRoot, props.spec.entry), handler: 'index.handler' }
        : {
            // Native dependencies stay out of the bundle; npm installs them into the asset, pinned
            // by package-lock.json, for Lambda's platform.
            entry,
            handler: 'handler',
            projectRoot,
            depsLockFilePath: path.join(projectRoot, 'package-lock.json'),
            bundling: {
              ...NODEJS_BUNDLING,
              nodeModules: [...nativeModules],
              environment: { ...LAMBDA_NPM_TARGET },
            },
          }),
    });
  }

  /**
   * Tells the function the table's name (`<ID>_TABLE_NAME`) and grants exactly `access`
   * ({@link TABLE_ACTIONS}: the item operations the handlers call, never Scan or the stream
   * reads that CDK's `grant*Data` add). Reads may use the table's indexes when it has some.
   */
  bindTable(id: string, table: ITable, access: TableAccess, options: { readonly hasIndexes?: boolean } = {}): void {
    this.addEnvironment(envName.table(id), table.tableName);
    if (access === 'describe') {
      // Not table.grant(): that would add the table's index ARNs, which DescribeTable never needs.
      this.addToRolePolicy(new PolicyStatement({ actions: ['dynamodb:DescribeTable'], resources: [table.tableArn] }));
      return;
    }
    const reads = access === 'write' ? [] : [...TABLE_ACTIONS.read];
    const writes = access === 'read' ? [] : [...TABLE_ACTIONS.write];
    if (reads.length > 0) {
      const indexes = `${table.tableArn}/index/*`;
      const grant = Grant.addToPrincipal({ grantee: this, actions: reads, resourceArns: [table.tableArn, ...(options.hasIndexes ? [indexes] : [])] });
      if (this.role) acknowledgeGrantWildcards(this.role, grant, tableIndexesReason(this.node.id, id, access));
    }
    // Writes name an item of the table; an index is never written to.
    if (writes.length > 0) Grant.addToPrincipal({ grantee: this, actions: writes, resourceArns: [table.tableArn] });
  }

  /**
   * Lets the function read the key that signs list cursors (ADR 0031): `secretsmanager:GetSecretValue`
   * on that one secret (not `secret.grantRead`, which adds DescribeSecret the function never calls),
   * and `CURSOR_KEY_SECRET_ARN`. The secret uses Secrets Manager's own KMS key, which needs no grant.
   */
  bindCursorKey(secret: ISecret): void {
    this.addEnvironment(CURSOR_KEY_ENV.secretArn, secret.secretArn);
    this.addToRolePolicy(new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secret.secretArn] }));
  }

  /**
   * Lets the function read the pseudonym key (ADR 0047): `secretsmanager:GetSecretValue` on that one
   * secret, and `PSEUDONYM_KEY_SECRET_ARN`.
   */
  bindPseudonymKey(secret: ISecret): void {
    this.addEnvironment(PSEUDONYM_KEY_ENV.secretArn, secret.secretArn);
    this.addToRolePolicy(new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secret.secretArn] }));
  }

  /**
   * Lets the function read the key that seals webhook URLs (ADR 0048): `secretsmanager:GetSecretValue`
   * on that one secret, and `kms:Decrypt` on the stack's KMS key that encrypts it, only when
   * Secrets Manager asks for that secret (`kms:ViaService`, the secret's ARN as encryption context);
   * and `WEBHOOK_KEY_SECRET_ARN`.
   */
  bindWebhookKey(secret: ISecret, kmsKey: IKey): void {
    this.addEnvironment(WEBHOOK_KEY_ENV.secretArn, secret.secretArn);
    this.addToRolePolicy(new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secret.secretArn] }));
    this.addToRolePolicy(
      new PolicyStatement({
        actions: ['kms:Decrypt'],
        resources: [kmsKey.keyArn],
        conditions: {
          StringEquals: { 'kms:ViaService': `secretsmanager.${Stack.of(this).region}.${Stack.of(this).urlSuffix}`, 'kms:EncryptionContext:SecretARN': secret.secretArn },
        },
      }),
    );
  }

  /** Tells the function the queue's URL (`<ID>_QUEUE_URL`) and grants exactly `access`. */
  bindQueue(id: string, queue: IQueue, access: QueueAccess): void {
    this.addEnvironment(envName.queueUrl(id), queue.queueUrl);
    switch (access) {
      case 'describe':
        queue.grant(this, 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl');
        return;
      case 'send':
        queue.grantSendMessages(this);
        return;
      default:
        return unreachable(access);
    }
  }

  /**
   * Lets the function copy `table` as of an instant into `bucket` under `prefix` with DynamoDB's
   * point-in-time export (ADR 0017): ExportTableToPointInTime on the table, DescribeExport on its
   * exports, and the object ACL write DynamoDB's export does as the caller (the objects themselves
   * are covered by the bucket binding). Sets `TABLE_COPY_MODE` and `TABLE_COPY_TABLE_ARN`.
   */
  bindTableCopies(table: ITable, bucket: IBucket, prefix: string): void {
    this.addEnvironment('TABLE_COPY_MODE', 'point-in-time');
    this.addEnvironment('TABLE_COPY_TABLE_ARN', table.tableArn);
    this.addToRolePolicy(new PolicyStatement({ actions: ['dynamodb:ExportTableToPointInTime'], resources: [table.tableArn] }));
    const exportsOfTable = `${table.tableArn}/export/*`;
    const copyObjects = bucket.arnForObjects(`${prefix}*`);
    this.addToRolePolicy(new PolicyStatement({ actions: ['dynamodb:DescribeExport'], resources: [exportsOfTable] }));
    this.addToRolePolicy(new PolicyStatement({ actions: ['s3:PutObjectAcl'], resources: [copyObjects] }));
    if (this.role) {
      acknowledgeResourceWildcards(this.role, [exportsOfTable], tableExportsReason(this.node.id));
      acknowledgeResourceWildcards(this.role, [copyObjects], tableCopyObjectsReason(this.node.id, prefix));
    }
  }

  /**
   * Lets the function have Athena make export tables from its table copies (ADR 0029), and nothing
   * else of Athena or Glue: statements in the export workgroup only; the Glue database of temporary
   * tables only (get it; get, create and drop its tables); the data manifests under the
   * workgroup's results prefix only. Athena reads the copy and writes the CTAS files as the
   * function, under the copies' prefix its bucket binding already covers. Sets
   * `ATHENA_EXPORT_WORKGROUP` and `ATHENA_EXPORT_DATABASE`.
   */
  bindAthenaExports(target: AthenaExportTarget): void {
    const stack = Stack.of(this);
    this.addEnvironment('ATHENA_EXPORT_WORKGROUP', target.workGroupName);
    this.addEnvironment('ATHENA_EXPORT_DATABASE', target.databaseName);
    const arn = (service: string, resource: string, resourceName?: string) => stack.formatArn({ service, resource, resourceName });
    const workGroup = arn('athena', 'workgroup', target.workGroupName);
    const catalog = arn('glue', 'catalog');
    const database = arn('glue', 'database', target.databaseName);
    const tables = arn('glue', 'table', `${target.databaseName}/*`);
    const results = target.resultsBucket.arnForObjects(`${target.resultsPrefix}*`);
    this.addToRolePolicy(new PolicyStatement({ actions: ['athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:StopQueryExecution'], resources: [workGroup] }));
    this.addToRolePolicy(new PolicyStatement({ actions: ['glue:GetDatabase'], resources: [catalog, database] }));
    this.addToRolePolicy(new PolicyStatement({ actions: ['glue:GetTable', 'glue:CreateTable', 'glue:DeleteTable', 'glue:GetPartitions'], resources: [catalog, database, tables] }));
    // Athena writes the results (the data manifests) as the function; the function reads them back.
    this.addToRolePolicy(new PolicyStatement({ actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'], resources: [results] }));
    this.addToRolePolicy(new PolicyStatement({ actions: ['s3:GetBucketLocation'], resources: [target.resultsBucket.bucketArn] }));
    this.addToRolePolicy(
      new PolicyStatement({ actions: ['s3:ListBucket'], resources: [target.resultsBucket.bucketArn], conditions: { StringLike: { 's3:prefix': [`${target.resultsPrefix}*`] } } }),
    );
    if (this.role) {
      acknowledgeResourceWildcards(this.role, [tables], athenaWorkTablesReason(this.node.id, target.databaseName));
      acknowledgeResourceWildcards(this.role, [results], athenaResultsReason(this.node.id, target.resultsPrefix));
    }
  }

  /**
   * Tells the function the bucket's name (`<ID>_BUCKET_NAME`) and grants exactly `access`
   * ({@link BUCKET_ACTIONS}) on the objects under `prefixes` (all objects when none), and nothing on
   * the bucket itself: no listing unless `list` asks for it (ADR 0033). `prefixes` lists
   * `s3:ListBucket` conditioned on `s3:prefix`; `bucket` lists the whole bucket.
   */
  bindBucket(id: string, bucket: IBucket, access: BucketAccess, prefixes?: readonly string[], list?: 'prefixes' | 'bucket'): void {
    this.addEnvironment(envName.bucket(id), bucket.bucketName);
    if (access === 'describe') {
      // HeadBucket needs s3:ListBucket; on the bucket ARN it lists keys but reads no object.
      this.addToRolePolicy(new PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }));
      return;
    }
    const patterns = prefixes && prefixes.length > 0 ? prefixes.map((p) => `${p}*`) : ['*'];
    const objects = patterns.map((pattern) => bucket.arnForObjects(pattern));
    const grant = Grant.addToPrincipal({ grantee: this, actions: [...BUCKET_ACTIONS[access]], resourceArns: objects });
    if (this.role) acknowledgeGrantWildcards(this.role, grant, bucketGrantReason(this.node.id, id, access, patterns.join(', ')));
    if (list === 'prefixes') {
      this.addToRolePolicy(
        new PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn], conditions: { StringLike: { 's3:prefix': patterns } } }),
      );
    } else if (list === 'bucket') {
      this.addToRolePolicy(new PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }));
    }
  }
}

function unreachable(value: never): never {
  throw new Error(`unhandled access ${String(value)}`);
}

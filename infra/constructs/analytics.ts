import { Aws, CfnOutput, Duration, RemovalPolicy, Size, Stack, Validations } from 'aws-cdk-lib';
import { CfnWorkGroup } from 'aws-cdk-lib/aws-athena';
import { CfnDatabase, CfnTable } from 'aws-cdk-lib/aws-glue';
import { Effect, ManagedPolicy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership, type IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { EXPORT_SCHEMA_VERSION, EXPORT_TABLES } from '../../shared/export/columns';
import { analyticsTables, glueColumns, locationTemplate, PARTITION, type AnalyticsTable } from '../analytics-catalog';
import { nagForm } from '../nag-acknowledgements';

/** The topology bucket whose exports the analytics tables read. */
export const EXPORTS_BUCKET_ID = 'exports';

/** Where in the results bucket Athena writes query results. */
export const RESULTS_PREFIX = 'athena/';

/**
 * Each analyst's own results folder (ADR 0033): the IAM policy variable `aws:userid` (a role
 * session's `<role id>:<session name>`, e.g. an SSO user's `AROA…:zhang@example.org`; an IAM
 * user's id) makes one prefix per person, and the analyst policy lets each write and read only
 * their own. `aws sts get-caller-identity` prints it as `UserId`.
 */
export const ANALYST_RESULTS_PREFIX = `${RESULTS_PREFIX}\${aws:userid}/`;

/** Where in the results bucket the export workgroup writes (the CTAS' data manifests, ADR 0029). */
export const EXPORT_RESULTS_PREFIX = 'export-queries/';

/** Athena engine of the workgroup: Trino-based v3 reads Parquet timestamps in microseconds. */
export const ATHENA_ENGINE_VERSION = 'Athena engine version 3';

/** Why the analyst policy's wildcards are accepted (cdk-nag AwsSolutions-IAM5). */
export const ANALYTICS_REASONS = {
  exportsObjects:
    'Analysts read the export files, whose keys are campaign=<id>/snapshot=<snapshot>/entity=<entity>/part-N: ' +
    's3:GetObject only, on this one exports bucket, under the campaign= prefix that holds nothing but exports.',
  resultsObjects:
    'Athena writes each query result under a key it generates (athena/<user id>/<query id>.csv) with the caller\u2019s ' +
    'own credentials, and the caller reads it back: object actions on the caller\u2019s own folder of the results ' +
    'prefix (the policy variable aws:userid), in the workgroup\u2019s own bucket.',
  glueTables:
    'glue:GetTables (SHOW TABLES, the Athena console\u2019s table list) is authorized on table/<database>/*; the ' +
    'wildcard covers only the SciDay analytics database, whose tables this construct alone creates.',
} as const;

/** What run-export needs to have Athena make a large campaign's export tables (ADR 0029, AppFunction.bindAthenaExports). */
export interface AthenaExportTarget {
  /** The workgroup only run-export runs statements in. */
  readonly workGroupName: string;
  /** The Glue database of the temporary tables (each lives while one export runs). */
  readonly databaseName: string;
  /** Where the workgroup writes its results: the CTAS' data manifests, which run-export reads. */
  readonly resultsBucket: IBucket;
  readonly resultsPrefix: string;
}

export interface AnalyticsProps {
  readonly stage: string;
  /** The bucket run-export writes (`campaign=<c>/snapshot=<s>/entity=<e>/part-0.parquet`). */
  readonly exportsBucket: IBucket;
  /** Receives the server access logs of the query results bucket. */
  readonly accessLogsBucket?: IBucket;
  readonly removalPolicy: RemovalPolicy;
  /**
   * A query that would scan more is cancelled (the workgroup's per-query data usage control).
   * @default 10 GiB
   */
  readonly bytesScannedCutoffPerQuery?: Size;
  /**
   * How long query results are kept.
   * @default 30 days
   */
  readonly resultsExpiration?: Duration;
  /**
   * A statement of the export workgroup that would scan more is cancelled. A national table copy
   * is about 6 GB of gzipped JSON, and the activities' CTAS reads it for four relations.
   * @default 100 GiB
   */
  readonly exportBytesScannedCutoffPerQuery?: Size;
}

/**
 * What analysts query on AWS: a Glue database with one table per exported entity over the
 * exports bucket (partition projection, no crawler and no MSCK REPAIR), an Athena workgroup that
 * enforces where results go, their encryption and how much one query may scan, and a customer
 * managed policy to attach to the analysts' role (SSO permission set, IAM role or group).
 *
 * Tables (infra/analytics-catalog.ts): `<entity>` reads `campaign=<c>/snapshot=latest/entity=<entity>/`
 * with the partition column `campaign`; `<entity>_snapshots` reads every snapshot with
 * `campaign` and `snapshot`. Both partitions are injected projections: campaigns are data created
 * at run time (ADR 0023), so no list of them exists at synth, and a query names the campaign
 * (`WHERE campaign = '2021-xinxiang'`) and, for history, the snapshot
 * (`AND snapshot = 'registration'`); Athena refuses a query on these tables that does not.
 * Columns and types come from EXPORT_TABLES.
 */
export class Analytics extends Construct {
  readonly databaseName: string;
  readonly database: CfnDatabase;
  /** Glue tables by name (`activities`, `activities_snapshots`, …). */
  readonly tables: Readonly<Record<string, CfnTable>>;
  readonly workGroupName: string;
  readonly workGroup: CfnWorkGroup;
  readonly resultsBucket: Bucket;
  /** Attach to the analysts' role: Athena in this workgroup, Glue reads of these tables, S3 reads of the exports. */
  readonly analystPolicy: ManagedPolicy;
  /** The workgroup and Glue database in which run-export has Athena make a large campaign's tables (ADR 0029). */
  readonly exportWorkGroup: CfnWorkGroup;
  readonly exportDatabase: CfnDatabase;
  readonly exportTarget: AthenaExportTarget;

  constructor(scope: Construct, id: string, props: AnalyticsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const { exportsBucket } = props;

    // Glue and Athena name databases in lower case with underscores.
    this.databaseName = `sciday_${props.stage.replaceAll('-', '_')}`;
    this.database = new CfnDatabase(this, 'Database', {
      catalogId: Aws.ACCOUNT_ID,
      databaseInput: {
        name: this.databaseName,
        description: `SciDay ${props.stage}: exported campaign data (Parquet) for Athena, schema version ${EXPORT_SCHEMA_VERSION}`,
      },
    });

    const tables: Record<string, CfnTable> = {};
    for (const table of analyticsTables()) {
      const glueTable = new CfnTable(this, `Table-${table.name}`, {
        catalogId: Aws.ACCOUNT_ID,
        databaseName: this.databaseName,
        tableInput: glueTableInput(table, exportsBucket.bucketName),
      });
      glueTable.node.addDependency(this.database);
      tables[table.name] = glueTable;
    }
    this.tables = tables;

    this.resultsBucket = new Bucket(this, 'QueryResults', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: BucketEncryption.S3_MANAGED,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: props.removalPolicy,
      serverAccessLogsBucket: props.accessLogsBucket,
      serverAccessLogsPrefix: props.accessLogsBucket ? 'athena-results/' : undefined,
      lifecycleRules: [
        {
          abortIncompleteMultipartUploadAfter: Duration.days(1),
          expiration: props.resultsExpiration ?? Duration.days(30),
        },
      ],
    });

    this.workGroupName = `sciday-${props.stage}`;
    this.workGroup = new CfnWorkGroup(this, 'WorkGroup', {
      name: this.workGroupName,
      description: `SciDay ${props.stage}: analysts' queries over the exports (database ${this.databaseName})`,
      state: 'ENABLED',
      // Saved queries go with a dev/test workgroup; elsewhere their existence stops the deletion.
      recursiveDeleteOption: props.removalPolicy === RemovalPolicy.DESTROY,
      workGroupConfiguration: {
        // Each analyst names their own results folder, athena/<user id>/ (ADR 0033): an enforced
        // location would put everyone's results in one folder that every analyst can read. The
        // policy lets each write only their own folder, so a query without it (the default below,
        // which nobody may write) fails; the scan limit holds whatever the client sets, and the
        // bucket encrypts every object (SSE-S3).
        enforceWorkGroupConfiguration: false,
        publishCloudWatchMetricsEnabled: true,
        requesterPaysEnabled: false,
        bytesScannedCutoffPerQuery: (props.bytesScannedCutoffPerQuery ?? Size.gibibytes(10)).toBytes(),
        engineVersion: { selectedEngineVersion: ATHENA_ENGINE_VERSION },
        resultConfiguration: {
          outputLocation: `s3://${this.resultsBucket.bucketName}/${RESULTS_PREFIX}`,
          encryptionConfiguration: { encryptionOption: 'SSE_S3' },
          expectedBucketOwner: Aws.ACCOUNT_ID,
        },
      },
    });

    // The catalog (database, tables, workgroup with its saved queries) is kept with the data
    // outside dev and test: deleting the stack must not drop what analysts query (issue 18).
    for (const metadata of [this.database, ...Object.values(tables), this.workGroup]) metadata.applyRemovalPolicy(props.removalPolicy);

    this.analystPolicy = this.createAnalystPolicy(stack, exportsBucket, Object.keys(tables));
    [this.exportDatabase, this.exportWorkGroup, this.exportTarget] = this.createExportQueries(props);

    new CfnOutput(this, 'GlueDatabase', { value: this.databaseName, description: 'Glue database of the analytics tables (Athena: the query\u2019s database)' });
    new CfnOutput(this, 'AthenaWorkGroup', { value: this.workGroupName, description: 'Athena workgroup for analysts' });
    new CfnOutput(this, 'AnalystPolicyArn', {
      value: this.analystPolicy.managedPolicyArn,
      description: 'Customer managed policy to attach to the analysts\u2019 role',
    });
  }

  /**
   * Where run-export has Athena make a large campaign's export tables from its table copy (ADR
   * 0029): a Glue database of its own for the temporary tables (never in the analysts' database, so
   * they never show in its table list), and a workgroup of its own. That workgroup does not enforce
   * its settings: each CTAS names its own `external_location` (under the copy's folder), which a
   * workgroup overriding client-side settings would not honour. Its result location and encryption
   * are still set, and its own scan limit; only run-export may use it (AppFunction.bindAthenaExports).
   */
  private createExportQueries(props: AnalyticsProps): [CfnDatabase, CfnWorkGroup, AthenaExportTarget] {
    const databaseName = `${this.databaseName}_export_work`;
    const database = new CfnDatabase(this, 'ExportWorkDatabase', {
      catalogId: Aws.ACCOUNT_ID,
      databaseInput: {
        name: databaseName,
        description: `SciDay ${props.stage}: run-export's temporary tables (a table copy and its CTAS, ADR 0029), each dropped when its export ends`,
      },
    });
    const workGroupName = `sciday-${props.stage}-exports`;
    const workGroup = new CfnWorkGroup(this, 'ExportWorkGroup', {
      name: workGroupName,
      description: `SciDay ${props.stage}: run-export's CTAS over table copies (database ${databaseName})`,
      state: 'ENABLED',
      recursiveDeleteOption: props.removalPolicy === RemovalPolicy.DESTROY,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: false,
        publishCloudWatchMetricsEnabled: true,
        requesterPaysEnabled: false,
        bytesScannedCutoffPerQuery: (props.exportBytesScannedCutoffPerQuery ?? Size.gibibytes(100)).toBytes(),
        engineVersion: { selectedEngineVersion: ATHENA_ENGINE_VERSION },
        resultConfiguration: {
          outputLocation: `s3://${this.resultsBucket.bucketName}/${EXPORT_RESULTS_PREFIX}`,
          encryptionConfiguration: { encryptionOption: 'SSE_S3' },
          expectedBucketOwner: Aws.ACCOUNT_ID,
        },
      },
    });
    database.applyRemovalPolicy(props.removalPolicy);
    workGroup.applyRemovalPolicy(props.removalPolicy);
    return [database, workGroup, { workGroupName, databaseName, resultsBucket: this.resultsBucket, resultsPrefix: EXPORT_RESULTS_PREFIX }];
  }

  private createAnalystPolicy(stack: Stack, exportsBucket: IBucket, tableNames: readonly string[]): ManagedPolicy {
    const arn = (service: string, resource: string, resourceName?: string) =>
      stack.formatArn({ service, resource, resourceName });
    const workGroupArn = arn('athena', 'workgroup', this.workGroupName);
    const dataCatalogArn = arn('athena', 'datacatalog', 'AwsDataCatalog');
    const catalogArn = arn('glue', 'catalog');
    const databaseArn = arn('glue', 'database', this.databaseName);
    const tableArns = tableNames.map((name) => arn('glue', 'table', `${this.databaseName}/${name}`));
    const allTablesArn = arn('glue', 'table', `${this.databaseName}/*`);
    const exportsObjects = exportsBucket.arnForObjects('campaign=*');
    const resultsObjects = this.resultsBucket.arnForObjects(`${ANALYST_RESULTS_PREFIX}*`);

    const policy = new ManagedPolicy(this, 'AnalystPolicy', {
      description: `SciDay analysts: Athena queries in workgroup ${this.workGroupName} over the exports (read only)`,
      statements: [
        new PolicyStatement({
          sid: 'AthenaQueriesInTheWorkGroup',
          effect: Effect.ALLOW,
          actions: [
            'athena:StartQueryExecution',
            'athena:StopQueryExecution',
            'athena:GetQueryExecution',
            'athena:BatchGetQueryExecution',
            'athena:ListQueryExecutions',
            'athena:GetQueryResults',
            'athena:GetQueryResultsStream',
            'athena:GetQueryRuntimeStatistics',
            'athena:GetWorkGroup',
          ],
          resources: [workGroupArn],
        }),
        new PolicyStatement({
          sid: 'AthenaMetadataOfTheGlueCatalog',
          effect: Effect.ALLOW,
          actions: ['athena:GetDataCatalog', 'athena:GetDatabase', 'athena:GetTableMetadata', 'athena:ListTableMetadata'],
          resources: [dataCatalogArn],
        }),
        new PolicyStatement({
          sid: 'GlueReadTheAnalyticsTables',
          effect: Effect.ALLOW,
          actions: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetPartition', 'glue:GetPartitions', 'glue:BatchGetPartition'],
          resources: [catalogArn, databaseArn, ...tableArns],
        }),
        new PolicyStatement({
          sid: 'GlueListTheAnalyticsTables',
          effect: Effect.ALLOW,
          actions: ['glue:GetTables'],
          resources: [catalogArn, databaseArn, allTablesArn],
        }),
        new PolicyStatement({
          sid: 'ReadTheExports',
          effect: Effect.ALLOW,
          actions: ['s3:GetObject'],
          resources: [exportsObjects],
        }),
        new PolicyStatement({
          sid: 'ListTheExports',
          effect: Effect.ALLOW,
          actions: ['s3:ListBucket'],
          resources: [exportsBucket.bucketArn],
          conditions: { StringLike: { 's3:prefix': ['campaign=*'] } },
        }),
        new PolicyStatement({
          sid: 'LocateTheBuckets',
          effect: Effect.ALLOW,
          actions: ['s3:GetBucketLocation'],
          resources: [exportsBucket.bucketArn, this.resultsBucket.bucketArn],
        }),
        new PolicyStatement({
          sid: 'ListYourQueryResults',
          effect: Effect.ALLOW,
          actions: ['s3:ListBucket'],
          resources: [this.resultsBucket.bucketArn],
          conditions: { StringLike: { 's3:prefix': [`${ANALYST_RESULTS_PREFIX}*`, ANALYST_RESULTS_PREFIX.replace(/\/$/, '')] } },
        }),
        new PolicyStatement({
          // Athena's multipart writes list the bucket's uploads in progress: keys only, never their content.
          sid: 'ListUploadsInProgress',
          effect: Effect.ALLOW,
          actions: ['s3:ListBucketMultipartUploads'],
          resources: [this.resultsBucket.bucketArn],
        }),
        new PolicyStatement({
          sid: 'WriteAndReadYourQueryResults',
          effect: Effect.ALLOW,
          actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
          resources: [resultsObjects],
        }),
      ],
    });

    // cdk-nag AwsSolutions-IAM5: each wildcard resource, with why it is as narrow as it can be.
    const acknowledge = (resource: string, reason: string) =>
      Validations.of(policy).acknowledge({ id: `AwsSolutions-IAM5[Resource::${nagForm(policy, resource)}]`, reason });
    acknowledge(exportsObjects, ANALYTICS_REASONS.exportsObjects);
    acknowledge(resultsObjects, ANALYTICS_REASONS.resultsObjects);
    acknowledge(allTablesArn, ANALYTICS_REASONS.glueTables);
    return policy;
  }
}

const PARQUET = {
  inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
  outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
  serdeInfo: {
    serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
    parameters: { 'serialization.format': '1' },
  },
} as const;

/** Glue comments hold at most 255 characters. */
const comment = (text: string): string => (text.length <= 255 ? text : `${text.slice(0, 254)}\u2026`);

/**
 * The Glue TableInput of one analytics table: Parquet columns, partition keys and their projection
 * (every partition injected: the query names its values).
 */
export function glueTableInput(table: AnalyticsTable, bucketName: string): CfnTable.TableInputProperty {
  const spec = EXPORT_TABLES[table.entity];
  const parameters: Record<string, string> = {
    classification: 'parquet',
    EXTERNAL: 'TRUE',
    'sciday.export.schemaVersion': String(EXPORT_SCHEMA_VERSION),
    'projection.enabled': 'true',
    [`projection.${PARTITION.campaign}.type`]: 'injected',
    ...(table.history ? { [`projection.${PARTITION.snapshot}.type`]: 'injected' } : {}),
    'storage.location.template': `s3://${bucketName}/${locationTemplate(table)}`,
  };
  return {
    name: table.name,
    description: comment(
      `${spec.meaning.zh} / ${spec.meaning.en}` +
        (table.history
          ? ' \u2014 every snapshot (WHERE campaign = \u2026 AND snapshot = \u2026)'
          : ' \u2014 the newest export of a campaign (WHERE campaign = \u2026)'),
    ),
    tableType: 'EXTERNAL_TABLE',
    parameters,
    partitionKeys: table.partitions.map((name) => ({
      name,
      type: 'string',
      comment: name === PARTITION.campaign ? '活动季编号 / Campaign id (from the key)' : '快照 / Snapshot: latest, a milestone or an export id',
    })),
    storageDescriptor: {
      ...PARQUET,
      location: `s3://${bucketName}/`,
      compressed: false,
      storedAsSubDirectories: false,
      columns: glueColumns(table.entity).map((c, i) => ({
        ...c,
        comment: comment(`${spec.columns[i]!.meaning.zh} / ${spec.columns[i]!.meaning.en}`),
      })),
    },
  };
}

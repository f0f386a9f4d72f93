/**
 * Analytics on AWS: Glue tables over the Parquet exports, the Athena workgroup and the analysts'
 * policy (infra/constructs/analytics.ts), built in the stateful stack. These tests build that
 * stack alone, so they do not depend on the functions' entry files.
 */
import { App, RemovalPolicy, type Environment } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { FEATURE_FLAGS } from '../../infra/build-app';
import { ANALYTICS_REASONS, Analytics } from '../../infra/constructs/analytics';
import { StatefulStack } from '../../infra/stacks/stateful-stack';
import { topology } from '../../infra/topology';
import { EXPORT_ENTITIES, EXPORT_TABLES, type ColumnType } from '../../shared/export/columns';
import { acknowledgementsUnder, logicalIdOf } from '../helpers/infra-app';

/**
 * The Glue (Hive) type of each logical type, written out here rather than imported: the
 * export engine's test checks the Parquet files against EXPORT_TABLES, this one the Glue tables.
 */
const HIVE: Record<ColumnType, string> = {
  string: 'string',
  int64: 'bigint',
  double: 'double',
  boolean: 'boolean',
  timestamptz: 'timestamp',
  'list<string>': 'array<string>',
};

interface Built {
  readonly app: App;
  readonly stack: StatefulStack;
  readonly analytics: Analytics;
  readonly template: Template;
}

function buildStateful(props: { env?: Environment; stage?: string } = {}): Built {
  const app = new App({ context: { ...FEATURE_FLAGS } });
  const stage = props.stage ?? 'dev';
  const stack = new StatefulStack(app, `SciDay-${stage}-Stateful`, {
    env: props.env,
    topology,
    stage,
    frontEndOrigins: ['http://localhost:3000'],
  });
  if (!stack.analytics) throw new Error('the stateful stack created no analytics');
  return { app, stack, analytics: stack.analytics, template: Template.fromStack(stack) };
}

/** A CloudFormation string (Fn::Join of literals, Refs and pseudo parameters) as text: `${LogicalId}`, `${AWS::Partition}`. */
function render(value: unknown): string {
  if (typeof value === 'string') return value;
  const node = value as { Ref?: string; 'Fn::Join'?: [string, unknown[]]; 'Fn::GetAtt'?: [string, string] };
  if (node.Ref) return `\${${node.Ref}}`;
  if (node['Fn::GetAtt']) return `\${${node['Fn::GetAtt'].join('.')}}`;
  if (node['Fn::Join']) return node['Fn::Join'][1].map(render).join(node['Fn::Join'][0]);
  throw new Error(`cannot render ${JSON.stringify(value)}`);
}

interface GlueTableResource {
  Properties: {
    DatabaseName: string;
    TableInput: {
      Name: string;
      TableType: string;
      Parameters: Record<string, unknown>;
      PartitionKeys: Array<{ Name: string; Type: string }>;
      StorageDescriptor: {
        Columns: Array<{ Name: string; Type: string; Comment?: string }>;
        InputFormat: string;
        OutputFormat: string;
        SerdeInfo: { SerializationLibrary: string };
      };
    };
  };
}

function glueTable(built: Built, name: string): GlueTableResource['Properties']['TableInput'] {
  const tables = Object.values(built.template.findResources('AWS::Glue::Table')) as GlueTableResource[];
  const found = tables.filter((t) => t.Properties.TableInput.Name === name);
  expect(found).toHaveLength(1);
  return found[0]!.Properties.TableInput;
}

interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}

function analystStatements(built: Built): Statement[] {
  const policy = built.template.toJSON().Resources[logicalIdOf(built.analytics.analystPolicy)];
  expect(policy.Type).toBe('AWS::IAM::ManagedPolicy');
  return policy.Properties.PolicyDocument.Statement as Statement[];
}

const list = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);


describe('Construct: Analytics', () => {
  let built: Built;
  beforeAll(() => {
    built = buildStateful();
  });

  describe('Glue', () => {
    it('creates one database named after the stage (and run-export its own, athena-exports.test.ts)', () => {
      built.template.resourceCountIs('AWS::Glue::Database', 2);
      built.template.hasResourceProperties('AWS::Glue::Database', {
        CatalogId: { Ref: 'AWS::AccountId' },
        DatabaseInput: { Name: 'sciday_dev' },
      });
      expect(buildStateful({ stage: 'qa-2' }).analytics.databaseName).toBe('sciday_qa_2');
    });

    it('creates a latest and a snapshots table per exported entity, and nothing else', () => {
      const names = (Object.values(built.template.findResources('AWS::Glue::Table')) as GlueTableResource[])
        .map((t) => t.Properties.TableInput.Name)
        .sort();
      expect(names).toEqual(EXPORT_ENTITIES.flatMap((e) => [e, `${e}_snapshots`]).sort());
      for (const table of Object.values(built.template.findResources('AWS::Glue::Table')) as GlueTableResource[]) {
        expect(table.Properties.DatabaseName).toBe('sciday_dev');
      }
    });

    // The "Glue table columns equal the Parquet schema" test: run-export's own test checks the
    // Parquet files against EXPORT_TABLES; here every Glue table is checked against it.
    it.each(EXPORT_ENTITIES.flatMap((e) => [[e, e] as const, [`${e}_snapshots`, e] as const]))(
      'gives table %s the columns of EXPORT_TABLES.%s, in order, with their Glue types',
      (name, entity) => {
        const input = glueTable(built, name);
        expect(input.StorageDescriptor.Columns.map((c) => ({ name: c.Name, type: c.Type }))).toEqual(
          EXPORT_TABLES[entity].columns.map((c) => ({ name: c.name, type: HIVE[c.type] })),
        );
        const partitions = name.endsWith('_snapshots') ? ['campaign', 'snapshot'] : ['campaign'];
        expect(input.PartitionKeys.map((p) => ({ name: p.Name, type: p.Type }))).toEqual(partitions.map((p) => ({ name: p, type: 'string' })));
        // A data column named like a partition column would be ambiguous in Athena.
        expect(input.StorageDescriptor.Columns.map((c) => c.Name)).not.toEqual(expect.arrayContaining(['campaign']));
        expect(input.StorageDescriptor.Columns.map((c) => c.Name)).not.toEqual(expect.arrayContaining(['snapshot']));
      },
    );

    it('reads Parquet with the Hive Parquet SerDe as an external table', () => {
      for (const entity of EXPORT_ENTITIES) {
        const input = glueTable(built, entity);
        expect(input.TableType).toBe('EXTERNAL_TABLE');
        expect(input.Parameters).toMatchObject({ classification: 'parquet', EXTERNAL: 'TRUE' });
        expect(input.StorageDescriptor).toMatchObject({
          InputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
          OutputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
          SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
        });
        expect(input.StorageDescriptor.Columns.every((c) => (c.Comment ?? '').length > 0 && (c.Comment ?? '').length <= 255)).toBe(true);
      }
    });

    it.each(EXPORT_ENTITIES)('projects %s over the latest export of each campaign, the campaign injected by the query', (entity) => {
      const bucket = logicalIdOf(built.stack.buckets.exports!);
      const parameters = glueTable(built, entity).Parameters;
      expect(parameters).toMatchObject({
        'projection.enabled': 'true',
        'projection.campaign.type': 'injected',
      });
      // Campaigns are data (ADR 0023): no list of them is compiled into the template.
      expect(parameters['projection.campaign.values']).toBeUndefined();
      expect(parameters['projection.snapshot.type']).toBeUndefined();
      expect(render(parameters['storage.location.template'])).toBe(
        `s3://\${${bucket}}/campaign=\${campaign}/snapshot=latest/entity=${entity}/`,
      );
    });

    it.each(EXPORT_ENTITIES)('projects %s_snapshots over every snapshot, the campaign and snapshot injected by the query', (entity) => {
      const bucket = logicalIdOf(built.stack.buckets.exports!);
      const parameters = glueTable(built, `${entity}_snapshots`).Parameters;
      expect(parameters).toMatchObject({
        'projection.enabled': 'true',
        'projection.campaign.type': 'injected',
        'projection.snapshot.type': 'injected',
      });
      expect(parameters['projection.campaign.values']).toBeUndefined();
      expect(render(parameters['storage.location.template'])).toBe(
        `s3://\${${bucket}}/campaign=\${campaign}/snapshot=\${snapshot}/entity=${entity}/`,
      );
    });

    it('needs no campaign at synth: another stage\'s analytics project the same injected partitions', () => {
      const app = new App({ context: { ...FEATURE_FLAGS } });
      const stack = new StatefulStack(app, 'Other', { topology, stage: 'dev', frontEndOrigins: ['http://localhost:3000'] });
      const other = new Analytics(stack, 'More', { stage: 'more', exportsBucket: stack.buckets.exports!, removalPolicy: RemovalPolicy.DESTROY });
      expect(stack.resolve(other.tables.flags!.tableInput)).toMatchObject({
        parameters: { 'projection.campaign.type': 'injected' },
      });
      expect(stack.resolve(other.tables.flags_snapshots!.tableInput)).toMatchObject({
        parameters: { 'projection.campaign.type': 'injected', 'projection.snapshot.type': 'injected' },
      });
    });
  });

  describe('Athena', () => {
    it('sets the workgroup configuration: default results location and encryption, scan limit, engine v3; each analyst names their own folder (ADR 0033)', () => {
      const results = logicalIdOf(built.analytics.resultsBucket);
      // The analysts' workgroup; run-export's is in athena-exports.test.ts.
      const workGroups = Object.values(built.template.findResources('AWS::Athena::WorkGroup')).filter((w) => w.Properties.Name === 'sciday-dev');
      expect(workGroups).toHaveLength(1);
      const props = workGroups[0]!.Properties;
      expect(props).toMatchObject({
        Name: 'sciday-dev',
        State: 'ENABLED',
        WorkGroupConfiguration: {
          // Not enforced: an enforced location is one folder for every analyst's results.
          EnforceWorkGroupConfiguration: false,
          PublishCloudWatchMetricsEnabled: true,
          RequesterPaysEnabled: false,
          BytesScannedCutoffPerQuery: 10 * 1024 ** 3,
          EngineVersion: { SelectedEngineVersion: 'Athena engine version 3' },
          ResultConfiguration: {
            EncryptionConfiguration: { EncryptionOption: 'SSE_S3' },
            ExpectedBucketOwner: { Ref: 'AWS::AccountId' },
          },
        },
      });
      expect(render(props.WorkGroupConfiguration.ResultConfiguration.OutputLocation)).toBe(`s3://\${${results}}/athena/`);
    });

    it('keeps query results in their own private, encrypted, TLS-only bucket for 30 days', () => {
      const results = logicalIdOf(built.analytics.resultsBucket);
      const bucket = built.template.toJSON().Resources[results];
      expect(bucket.Properties).toMatchObject({
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        LoggingConfiguration: { DestinationBucketName: { Ref: logicalIdOf(built.stack.accessLogsBucket!) }, LogFilePrefix: 'athena-results/' },
      });
      expect(bucket.Properties.LifecycleConfiguration.Rules).toContainEqual(
        expect.objectContaining({ ExpirationInDays: 30, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 }, Status: 'Enabled' }),
      );
      built.template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: results },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    });

    it('lets dev query results go with the stack and retains them elsewhere', () => {
      const results = (b: Built) => b.template.toJSON().Resources[logicalIdOf(b.analytics.resultsBucket)];
      expect(results(built).DeletionPolicy).toBe('Delete');
      expect(results(buildStateful({ stage: 'prod' }))).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    });
  });

  describe('the analyst policy', () => {
    it('is a customer managed policy, output for attaching to the analysts’ role', () => {
      built.template.resourceCountIs('AWS::IAM::ManagedPolicy', 1);
      const outputs = Object.values(built.template.toJSON().Outputs) as Array<{ Value: unknown }>;
      expect(outputs).toContainEqual(expect.objectContaining({ Value: { Ref: logicalIdOf(built.analytics.analystPolicy) } }));
    });

    it('grants exactly these actions on exactly these resources', () => {
      const exportsBucket = logicalIdOf(built.stack.buckets.exports!);
      const results = logicalIdOf(built.analytics.resultsBucket);
      const region = '${AWS::Partition}:athena:${AWS::Region}:${AWS::AccountId}';
      const glue = '${AWS::Partition}:glue:${AWS::Region}:${AWS::AccountId}';
      const tables = EXPORT_ENTITIES.flatMap((e) => [e, `${e}_snapshots`]).map((t) => `arn:${glue}:table/sciday_dev/${t}`);
      const granted = analystStatements(built).map((s) => ({
        sid: s.Sid,
        effect: s.Effect,
        actions: list(s.Action).sort(),
        resources: list(s.Resource).map(render).sort(),
        condition: s.Condition,
      }));
      expect(granted).toEqual(
        [
          {
            sid: 'AthenaQueriesInTheWorkGroup',
            actions: [
              'athena:BatchGetQueryExecution',
              'athena:GetQueryExecution',
              'athena:GetQueryResults',
              'athena:GetQueryResultsStream',
              'athena:GetQueryRuntimeStatistics',
              'athena:GetWorkGroup',
              'athena:ListQueryExecutions',
              'athena:StartQueryExecution',
              'athena:StopQueryExecution',
            ],
            resources: [`arn:${region}:workgroup/sciday-dev`],
          },
          {
            sid: 'AthenaMetadataOfTheGlueCatalog',
            actions: ['athena:GetDataCatalog', 'athena:GetDatabase', 'athena:GetTableMetadata', 'athena:ListTableMetadata'],
            resources: [`arn:${region}:datacatalog/AwsDataCatalog`],
          },
          {
            sid: 'GlueReadTheAnalyticsTables',
            actions: ['glue:BatchGetPartition', 'glue:GetDatabase', 'glue:GetPartition', 'glue:GetPartitions', 'glue:GetTable'],
            resources: [`arn:${glue}:catalog`, `arn:${glue}:database/sciday_dev`, ...tables].sort(),
          },
          {
            sid: 'GlueListTheAnalyticsTables',
            actions: ['glue:GetTables'],
            resources: [`arn:${glue}:catalog`, `arn:${glue}:database/sciday_dev`, `arn:${glue}:table/sciday_dev/*`].sort(),
          },
          { sid: 'ReadTheExports', actions: ['s3:GetObject'], resources: [`\${${exportsBucket}.Arn}/campaign=*`] },
          {
            sid: 'ListTheExports',
            actions: ['s3:ListBucket'],
            resources: [`\${${exportsBucket}.Arn}`],
            condition: { StringLike: { 's3:prefix': ['campaign=*'] } },
          },
          { sid: 'LocateTheBuckets', actions: ['s3:GetBucketLocation'], resources: [`\${${exportsBucket}.Arn}`, `\${${results}.Arn}`].sort() },
          {
            sid: 'ListYourQueryResults',
            actions: ['s3:ListBucket'],
            resources: [`\${${results}.Arn}`],
            condition: { StringLike: { 's3:prefix': ['athena/${aws:userid}/*', 'athena/${aws:userid}'] } },
          },
          { sid: 'ListUploadsInProgress', actions: ['s3:ListBucketMultipartUploads'], resources: [`\${${results}.Arn}`] },
          {
            sid: 'WriteAndReadYourQueryResults',
            actions: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:PutObject'],
            resources: [`\${${results}.Arn}/athena/\${aws:userid}/*`],
          },
        ].map((s) => ({ effect: 'Allow', condition: undefined, ...s })),
      );
    });

    it('has no wildcard action, no Resource "*", and only the acknowledged wildcard resources', () => {
      const statements = analystStatements(built);
      expect(statements.flatMap((s) => list(s.Action)).filter((a) => a.includes('*'))).toEqual([]);
      const resources = statements.flatMap((s) => list(s.Resource).map(render));
      expect(resources).not.toContain('*');
      const exportsBucket = logicalIdOf(built.stack.buckets.exports!);
      const results = logicalIdOf(built.analytics.resultsBucket);
      expect([...new Set(resources.filter((r) => r.includes('*')))].sort()).toEqual(
        [
          `\${${exportsBucket}.Arn}/campaign=*`,
          `\${${results}.Arn}/athena/\${aws:userid}/*`,
          'arn:${AWS::Partition}:glue:${AWS::Region}:${AWS::AccountId}:table/sciday_dev/*',
        ].sort(),
      );
    });

    it('keeps each analyst’s query results to themselves: no object, listing or path of another’s folder (issue 17, item 13)', () => {
      // Attack: analyst B reads analyst A's result (athena/<A's user id>/<query id>.csv) or lists the
      // folder of everyone's results. Every grant on the results bucket's keys names the caller's
      // own folder by the policy variable, which IAM fills with the caller's id and nobody else's.
      const results = logicalIdOf(built.analytics.resultsBucket);
      const onResults = analystStatements(built).filter((s) => list(s.Resource).map(render).some((r) => r.startsWith(`\${${results}.Arn}`)));
      const own = 'athena/${aws:userid}/';
      for (const s of onResults) {
        const actions = list(s.Action);
        const resources = list(s.Resource).map(render);
        if (actions.some((a) => ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'].includes(a))) {
          expect(resources).toEqual([`\${${results}.Arn}/${own}*`]);
        }
        if (actions.includes('s3:ListBucket')) {
          const prefixes = (s.Condition as { StringLike?: Record<string, string[]> } | undefined)?.StringLike?.['s3:prefix'] ?? [];
          expect(prefixes.length).toBeGreaterThan(0);
          for (const p of prefixes) expect(p.startsWith(own.replace(/\/$/, ''))).toBe(true);
        }
      }
      // Nothing names the shared folder itself.
      expect(onResults.flatMap((s) => list(s.Resource).map(render))).not.toContain(`\${${results}.Arn}/athena/*`);
    });

    it('never lets analysts write the exports or change the catalogue', () => {
      const statements = analystStatements(built);
      const exportsBucket = logicalIdOf(built.stack.buckets.exports!);
      const onExports = statements.filter((s) => list(s.Resource).map(render).some((r) => r.startsWith(`\${${exportsBucket}.Arn}`)));
      expect(onExports.flatMap((s) => list(s.Action)).sort()).toEqual(['s3:GetBucketLocation', 's3:GetObject', 's3:ListBucket']);
      const writes = statements.flatMap((s) => list(s.Action)).filter((a) => /^glue:(Create|Update|Delete|Batch(Create|Delete|Update))/.test(a));
      expect(writes).toEqual([]);
    });
  });

  describe('partitions and cdk-nag', () => {
    it.each([
      ['aws-cn', { account: '123456789012', region: 'cn-north-1' }],
      ['aws', { account: '123456789012', region: 'us-east-1' }],
      ['an unknown partition', undefined],
    ])('synthesizes for %s without a literal arn:aws: string', (_partition, env) => {
      const { template } = buildStateful({ env });
      const text = JSON.stringify(template.toJSON());
      expect(text).not.toContain('arn:aws:');
      expect(text).not.toContain('arn:aws-cn:');
    });

    it('raises no cdk-nag finding that is not acknowledged, in aws and aws-cn', () => {
      for (const env of [undefined, { account: '123456789012', region: 'cn-north-1' }]) {
        const { app } = buildStateful({ env });
        const report = new AwsSolutionsChecks().validateScope(app);
        expect(report.violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} at ${r.constructPath}`))).toEqual([]);
      }
    });

    it('acknowledges only the analyst policy’s three wildcard resources, each with its reason, each raised', () => {
      const acks = acknowledgementsUnder(built.analytics);
      expect(acks.map((a) => a.reason).sort()).toEqual(Object.values(ANALYTICS_REASONS).sort());
      expect(acks.every((a) => a.id.startsWith('AwsSolutions-IAM5[Resource::') && a.path === built.analytics.analystPolicy.node.path)).toBe(true);
      // The same pack, blind to acknowledgements (cdk-nag 3.0.2 looks them up in the private
      // isAcknowledged; an own property shadows it on this one instance).
      const blind = new AwsSolutionsChecks();
      Object.defineProperty(blind, 'isAcknowledged', { value: () => false });
      const raised = blind
        .validateScope(built.app)
        .violations.flatMap((v) => v.violatingResources.filter((r) => r.constructPath?.startsWith(built.analytics.node.path)).map(() => v.ruleName));
      for (const ack of acks) expect(raised).toContain(ack.id);
    });
  });
});

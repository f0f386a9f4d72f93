import { Match } from 'aws-cdk-lib/assertions';
import { topology } from '../../infra/topology';
import { buildTestApp, logicalIdOf, type BuiltApp } from '../helpers/infra-app';

const workQueues = Object.entries(topology.queues).filter(([, q]) => q.kind === 'work');
const failureQueues = Object.entries(topology.queues).filter(([, q]) => q.kind === 'failures');
const FOURTEEN_DAYS = 14 * 24 * 3600;

describe('Stack: Stateful', () => {
  let built: BuiltApp;
  beforeAll(() => {
    built = buildTestApp({ context: { frontEndOrigins: 'https://a.example.org, https://b.example.org' } });
  });

  describe('tables', () => {
    it('creates exactly one table per topology table', () => {
      built.statefulTemplate.resourceCountIs('AWS::DynamoDB::Table', Object.keys(topology.tables).length);
    });

    it.each(Object.entries(topology.tables))('gives table %s on-demand billing, PITR, SSE and its keys', (id, spec) => {
      // Prepare
      const resource = built.statefulTemplate.toJSON().Resources[logicalIdOf(built.stateful.tables[id]!)];
      // Assess
      expect(resource.Properties).toMatchObject({
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
        KeySchema: [
          { AttributeName: spec.partitionKey.name, KeyType: 'HASH' },
          ...('sortKey' in spec ? [{ AttributeName: spec.sortKey.name, KeyType: 'RANGE' }] : []),
        ],
      });
      const ttl = 'ttlAttribute' in spec ? { AttributeName: spec.ttlAttribute, Enabled: true } : undefined;
      expect(resource.Properties.TimeToLiveSpecification).toEqual(ttl);
      const stream = 'stream' in spec ? { StreamViewType: spec.stream } : undefined;
      expect(resource.Properties.StreamSpecification).toEqual(stream);
      const indexes = ('globalIndexes' in spec ? spec.globalIndexes : []).map((i) => i.name);
      expect((resource.Properties.GlobalSecondaryIndexes ?? []).map((i: { IndexName: string }) => i.IndexName)).toEqual(indexes);
    });

    it('turns point-in-time recovery on for every table', () => {
      const tables = Object.values(built.statefulTemplate.findResources('AWS::DynamoDB::Table'));
      expect(tables.length).toBeGreaterThan(0);
      for (const table of tables) {
        expect(table.Properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
      }
    });
  });

  describe('queues', () => {
    it('gives every work queue a DLQ with maxReceiveCount >= 5', () => {
      // Prepare
      const queues = built.statefulTemplate.findResources('AWS::SQS::Queue');
      const withRedrive = Object.values(queues).filter((q) => q.Properties.RedrivePolicy);
      // Assess
      expect(withRedrive).toHaveLength(workQueues.length);
      for (const [id, spec] of workQueues) {
        const queue = queues[logicalIdOf(built.stateful.queues[id]!.queue)]!;
        const dlq = built.stateful.queues[id]!.deadLetterQueue!;
        expect(queue.Properties.RedrivePolicy).toEqual({
          deadLetterTargetArn: { 'Fn::GetAtt': [logicalIdOf(dlq), 'Arn'] },
          maxReceiveCount: spec.kind === 'work' ? spec.maxReceiveCount : NaN,
        });
        expect(queue.Properties.RedrivePolicy.maxReceiveCount).toBeGreaterThanOrEqual(5);
        expect(queues[logicalIdOf(dlq)]!.Properties.MessageRetentionPeriod).toBe(FOURTEEN_DAYS);
      }
    });

    it('keeps failures queues 14 days without a DLQ of their own', () => {
      for (const [id] of failureQueues) {
        const q = built.stateful.queues[id]!;
        expect(q.deadLetterQueue).toBeUndefined();
        const resource = built.statefulTemplate.toJSON().Resources[logicalIdOf(q.queue)];
        expect(resource.Properties.MessageRetentionPeriod).toBe(FOURTEEN_DAYS);
        expect(resource.Properties.RedrivePolicy).toBeUndefined();
      }
    });

    it('encrypts every queue and denies it to requests without TLS', () => {
      const queues = built.statefulTemplate.findResources('AWS::SQS::Queue');
      const policies = Object.values(built.statefulTemplate.findResources('AWS::SQS::QueuePolicy'));
      expect(Object.keys(queues)).toHaveLength(workQueues.length * 2 + failureQueues.length);
      for (const [logicalId, queue] of Object.entries(queues)) {
        expect(queue.Properties.SqsManagedSseEnabled).toBe(true);
        const denies = policies
          .filter((p) => JSON.stringify(p.Properties.Queues) === JSON.stringify([{ Ref: logicalId }]))
          .flatMap((p) => p.Properties.PolicyDocument.Statement)
          .filter((s) => s.Effect === 'Deny' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false');
        expect(denies).toHaveLength(1);
      }
    });

    it('alarms on the first message in every DLQ and failures queue', () => {
      // Prepare
      const watched = [
        ...workQueues.map(([id]) => built.stateful.queues[id]!.deadLetterQueue!),
        ...failureQueues.map(([id]) => built.stateful.queues[id]!.queue),
      ];
      // Assess
      built.statefulTemplate.resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { MetricName: 'ApproximateNumberOfMessagesVisible' }, watched.length);
      for (const queue of watched) {
        built.statefulTemplate.hasResourceProperties('AWS::CloudWatch::Alarm', {
          Namespace: 'AWS/SQS',
          MetricName: 'ApproximateNumberOfMessagesVisible',
          ComparisonOperator: 'GreaterThanThreshold',
          Threshold: 0,
          Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalIdOf(queue), 'QueueName'] } }],
        });
      }
    });
  });

  describe('outlets (ADR 0034)', () => {
    it('keeps the domain-events outlet 14 days and alarms when its oldest message has waited 2 days', () => {
      // Prepare
      const queue = built.stateful.queues['domain-events']!;
      const resource = built.statefulTemplate.toJSON().Resources[logicalIdOf(queue.queue)];
      // Assess
      expect(resource.Properties.MessageRetentionPeriod).toBe(FOURTEEN_DAYS);
      built.statefulTemplate.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateAgeOfOldestMessage',
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 48 * 3600,
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalIdOf(queue.queue), 'QueueName'] } }],
      });
    });
  });

  describe('buckets', () => {
    it('creates one bucket per topology bucket plus the access-logs and Athena query results buckets', () => {
      // Plus the access-logs bucket and the Athena query results bucket.
      built.statefulTemplate.resourceCountIs('AWS::S3::Bucket', Object.keys(topology.buckets).length + 2);
    });

    it('blocks public access, encrypts, and denies non-TLS requests on every bucket', () => {
      // Prepare
      const buckets = built.statefulTemplate.findResources('AWS::S3::Bucket');
      const policies = Object.values(built.statefulTemplate.findResources('AWS::S3::BucketPolicy'));
      // Assess
      for (const [logicalId, bucket] of Object.entries(buckets)) {
        expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        });
        expect(bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration).toEqual([
          { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
        ]);
        const denies = policies
          .filter((p) => JSON.stringify(p.Properties.Bucket) === JSON.stringify({ Ref: logicalId }))
          .flatMap((p) => p.Properties.PolicyDocument.Statement)
          .filter(
            (s) => s.Effect === 'Deny' && s.Action === 's3:*' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false',
          );
        expect(denies).toHaveLength(1);
      }
    });

    it.each(Object.keys(topology.buckets))('sends server access logs of bucket %s to the access-logs bucket', (id) => {
      const resource = built.statefulTemplate.toJSON().Resources[logicalIdOf(built.stateful.buckets[id]!)];
      expect(resource.Properties.LoggingConfiguration).toEqual({
        DestinationBucketName: { Ref: logicalIdOf(built.stateful.accessLogsBucket!) },
        LogFilePrefix: `${id}/`,
      });
      expect(resource.Properties.LifecycleConfiguration.Rules).toContainEqual(
        expect.objectContaining({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }),
      );
    });

    it('allows browser uploads from the front-end origins and the web site only where the topology says so', () => {
      for (const [id, spec] of Object.entries(topology.buckets)) {
        const resource = built.statefulTemplate.toJSON().Resources[logicalIdOf(built.stateful.buckets[id]!)];
        if ('browserUploads' in spec && spec.browserUploads) {
          expect(resource.Properties.CorsConfiguration.CorsRules).toEqual([
            {
              AllowedMethods: ['POST', 'PUT', 'GET', 'HEAD'],
              AllowedOrigins: [
                'https://a.example.org',
                'https://b.example.org',
                { 'Fn::Join': ['', ['https://', { 'Fn::ImportValue': expect.stringMatching(/^SciDay-dev-Web:/) }]] },
              ],
              AllowedHeaders: ['*'],
              MaxAge: 3000,
            },
          ]);
        } else {
          expect(resource.Properties.CorsConfiguration).toBeUndefined();
        }
      }
    });

    it('notifies the topology queue of ObjectCreated under the declared prefix', () => {
      for (const [id, spec] of Object.entries(topology.buckets)) {
        for (const n of 'notifications' in spec ? spec.notifications : []) {
          built.statefulTemplate.hasResourceProperties('Custom::S3BucketNotifications', {
            BucketName: { Ref: logicalIdOf(built.stateful.buckets[id]!) },
            NotificationConfiguration: {
              QueueConfigurations: Match.arrayWith([
                {
                  Events: ['s3:ObjectCreated:*'],
                  Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: n.prefix }] } },
                  QueueArn: { 'Fn::GetAtt': [logicalIdOf(built.stateful.queues[n.queue]!.queue), 'Arn'] },
                },
              ]),
            },
          });
        }
      }
    });
  });

  describe('users (Cognito, the default issuer)', () => {
    const userPool = () => {
      const pools = built.statefulTemplate.findResources('AWS::Cognito::UserPool');
      expect(Object.keys(pools)).toHaveLength(1);
      return Object.values(pools)[0]!;
    };

    it('creates one user pool, signed in to by email, whose users only administrators create', () => {
      expect(built.stateful.userDirectory).toBeDefined();
      expect(userPool().Properties).toMatchObject({
        UsernameAttributes: ['email'],
        AutoVerifiedAttributes: ['email'],
        UsernameConfiguration: { CaseSensitive: false },
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
        AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] },
      });
    });

    it('requires a strong password and offers TOTP as optional MFA (no SMS)', () => {
      expect(userPool().Properties).toMatchObject({
        Policies: {
          PasswordPolicy: {
            MinimumLength: 12,
            RequireLowercase: true,
            RequireUppercase: true,
            RequireNumbers: true,
            RequireSymbols: true,
          },
        },
        MfaConfiguration: 'OPTIONAL',
        EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      });
    });

    it('holds each user’s unit and roles in custom attributes', () => {
      const schema = userPool().Properties.Schema as Array<{ Name: string; AttributeDataType?: string; Mutable?: boolean }>;
      for (const name of ['orgId', 'roles']) {
        expect(schema).toContainEqual(expect.objectContaining({ Name: name, AttributeDataType: 'String', Mutable: true }));
      }
    });

    it('gives the front end a public client (SRP, no secret) that cannot write the unit or roles', () => {
      // Prepare
      const clients = Object.values(built.statefulTemplate.findResources('AWS::Cognito::UserPoolClient'));
      // Assess
      expect(clients).toHaveLength(1);
      const client = clients[0]!.Properties;
      expect(client).toMatchObject({
        UserPoolId: { Ref: logicalIdOf(built.stateful.userDirectory!.userPool) },
        GenerateSecret: false,
        ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        PreventUserExistenceErrors: 'ENABLED',
      });
      expect(client.WriteAttributes).toBeDefined();
      expect((client.WriteAttributes as string[]).filter((a) => a.startsWith('custom:'))).toEqual([]);
    });

    it('outputs the user pool and client ids for the front end', () => {
      built.statefulTemplate.hasOutput('UserPoolId', { Value: { Ref: logicalIdOf(built.stateful.userDirectory!.userPool) } });
      built.statefulTemplate.hasOutput('UserPoolClientId', { Value: { Ref: logicalIdOf(built.stateful.userDirectory!.client) } });
    });

    it('lets the dev user pool go with the stack', () => {
      expect(userPool()).toMatchObject({ DeletionPolicy: 'Delete', Properties: { DeletionProtection: 'INACTIVE' } });
    });
  });

  describe('removal policies', () => {
    it('lets dev data go with the stack', () => {
      for (const type of ['AWS::DynamoDB::Table', 'AWS::S3::Bucket']) {
        for (const resource of Object.values(built.statefulTemplate.findResources(type))) {
          expect(resource.DeletionPolicy).toBe('Delete');
        }
      }
    });

    it('retains tables, buckets, queues and the user pool outside dev and test', () => {
      // Act
      const prod = buildTestApp({ context: { stage: 'prod' } });
      // Assess
      for (const type of ['AWS::DynamoDB::Table', 'AWS::S3::Bucket', 'AWS::SQS::Queue']) {
        for (const resource of Object.values(prod.statefulTemplate.findResources(type))) {
          expect(resource.DeletionPolicy).toBe('Retain');
          expect(resource.UpdateReplacePolicy).toBe('Retain');
        }
      }
      prod.statefulTemplate.allResourcesProperties('AWS::DynamoDB::Table', { DeletionProtectionEnabled: true });
      const pools = Object.values(prod.statefulTemplate.findResources('AWS::Cognito::UserPool'));
      expect(pools).toHaveLength(1);
      expect(pools[0]).toMatchObject({
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: { DeletionProtection: 'ACTIVE' },
      });
    });
  });
});

describe('Stack: Stateful, media quarantine', () => {
  it('expires quarantined objects after 30 days and aborts incomplete multipart uploads after 1', () => {
    buildTestApp().statefulTemplate.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }),
          Match.objectLike({ Prefix: 'quarantine/', ExpirationInDays: 30, Status: 'Enabled' }),
        ]),
      },
    });
  });
  it('expires a photo\'s original a day after a check that failed left it (ADR 0048)', () => {
    buildTestApp().statefulTemplate.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ Prefix: 'originals/', ExpirationInDays: 1, Status: 'Enabled' })]) },
    });
  });
});

describe('Stack: Stateful, table copies', () => {
  it('expires the table copies of milestone snapshots (every attribute, contacts included) after 1 day', () => {
    const built = buildTestApp();
    const exportsBucket = built.statefulTemplate.toJSON().Resources[logicalIdOf(built.stateful.buckets.exports!)];
    expect(exportsBucket.Properties.LifecycleConfiguration.Rules).toEqual(
      expect.arrayContaining([expect.objectContaining({ Prefix: 'table-copies/', ExpirationInDays: 1, Status: 'Enabled' })]),
    );
  });
});

import { Match } from 'aws-cdk-lib/assertions';
import { envName, httpRoutes, topology, VISIBILITY_TIMEOUT_FACTOR } from '../../infra/topology';
import {
  actionsOf,
  allowStatementsOfRole,
  buildTestApp,
  importedLogicalId,
  logicalIdOf,
  type BuiltApp,
} from '../helpers/infra-app';

const functionIds = Object.keys(topology.functions) as Array<keyof typeof topology.functions>;
const triggersOfKind = (kind: string) =>
  Object.values(topology.functions).flatMap((fn) => fn.triggers.filter((t) => t.kind === kind));

describe('Stack: Stateless', () => {
  let built: BuiltApp;
  beforeAll(() => {
    built = buildTestApp();
  });
  const fnResource = (id: string) =>
    built.statelessTemplate.toJSON().Resources[logicalIdOf(built.stateless.functions[id]!)];
  const roleOf = (id: string) => logicalIdOf(built.stateless.functions[id]!.role!);

  describe('functions', () => {
    it('creates one Lambda function per topology function', () => {
      built.statelessTemplate.resourceCountIs('AWS::Lambda::Function', functionIds.length);
      expect(Object.keys(built.stateless.functions).sort()).toEqual([...functionIds].sort());
    });

    it('runs every function on nodejs22.x, arm64, with active tracing', () => {
      built.statelessTemplate.allResourcesProperties('AWS::Lambda::Function', {
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        Handler: 'index.handler',
      });
    });

    it.each(functionIds)('gives %s the timeout, memory and environment of its topology entry', (id) => {
      // Prepare
      const spec = topology.functions[id];
      const bound = [
        ...Object.keys('tables' in spec ? spec.tables : {}).map(envName.table),
        ...Object.keys('queues' in spec ? spec.queues : {}).map(envName.queueUrl),
        ...Object.keys('buckets' in spec ? spec.buckets : {}).map(envName.bucket),
      ];
      // Act
      const props = fnResource(id).Properties;
      // Assess
      expect(props.Timeout).toBe(spec.timeoutSeconds);
      expect(props.MemorySize).toBe(spec.memoryMb);
      expect(Object.keys(props.Environment.Variables).sort()).toEqual(
        [
          'POWERTOOLS_SERVICE_NAME',
          'POWERTOOLS_METRICS_NAMESPACE',
          'POWERTOOLS_LOG_LEVEL',
          'NODE_OPTIONS',
          'SCIDAY_STAGE',
          ...bound,
        ].sort(),
      );
      expect(props.Environment.Variables).toMatchObject({
        POWERTOOLS_SERVICE_NAME: 'sciday',
        POWERTOOLS_METRICS_NAMESPACE: 'SciDay',
        POWERTOOLS_LOG_LEVEL: 'INFO',
        NODE_OPTIONS: '--enable-source-maps',
        SCIDAY_STAGE: 'dev',
      });
    });

    it.each(functionIds)('logs %s to its own log group kept one month', (id) => {
      const logGroup = fnResource(id).Properties.LoggingConfig.LogGroup as { Ref: string };
      const resource = built.statelessTemplate.toJSON().Resources[logGroup.Ref];
      expect(resource).toMatchObject({ Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 30 } });
    });

    it('attaches no AWS managed policy to any function role', () => {
      for (const id of functionIds) {
        const role = built.statelessTemplate.toJSON().Resources[roleOf(id)];
        expect(role.Properties.ManagedPolicyArns).toBeUndefined();
      }
    });
  });

  describe('IAM', () => {
    it('lets get-health describe its resources and nothing more', () => {
      // Act
      const actions = actionsOf(allowStatementsOfRole(built.statelessTemplate, roleOf('get-health')));
      // Assess
      expect(actions).toEqual([
        'dynamodb:DescribeTable',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        's3:ListBucket',
        'sqs:GetQueueAttributes',
        'sqs:GetQueueUrl',
        'xray:PutTelemetryRecords',
        'xray:PutTraceSegments',
      ]);
      for (const forbidden of ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan', 's3:GetObject', 's3:PutObject', 'sqs:SendMessage', 'sqs:ReceiveMessage']) {
        expect(actions).not.toContain(forbidden);
      }
    });

    it('grants DescribeTable and ListBucket on the resources themselves, not their indexes or objects', () => {
      const statements = allowStatementsOfRole(built.statelessTemplate, roleOf('get-health'));
      for (const s of statements.filter((st) => /^(dynamodb|s3):/.test([st.Action].flat()[0]!))) {
        expect(JSON.stringify(s.Resource)).not.toMatch(/\/index\/|\/\*/);
      }
    });

    it('lets check-media read media objects under uploads/ only', () => {
      // Prepare
      const statements = allowStatementsOfRole(built.statelessTemplate, roleOf('check-media'));
      const s3 = statements.filter((s) => [s.Action].flat().some((a) => a.startsWith('s3:')));
      // Assess
      expect(actionsOf(s3)).toEqual(['s3:GetBucket*', 's3:GetObject*', 's3:List*']);
      const objectResources = s3.flatMap((s) => [s.Resource].flat()).filter((r) => JSON.stringify(r).includes('/'));
      expect(objectResources).toHaveLength(1);
      expect(JSON.stringify(objectResources[0])).toContain('"/uploads/*"');
      expect(actionsOf(statements).filter((a) => a.startsWith('s3:Put') || a.startsWith('s3:Delete'))).toEqual([]);
    });

    it('lets record-audit write the audit table and send failures, but not write the main table', () => {
      const statements = allowStatementsOfRole(built.statelessTemplate, roleOf('record-audit'));
      const writes = statements.filter((s) => [s.Action].flat().includes('dynamodb:PutItem'));
      expect(writes).toHaveLength(1);
      const target = importedLogicalId(built.statefulTemplate, writes[0]!.Resource);
      expect(target).toBe(logicalIdOf(built.stateful.tables.audit!));
      expect(actionsOf(statements)).toContain('sqs:SendMessage');
    });
  });

  describe('triggers', () => {
    it('routes every http trigger of the topology through the HTTP API', () => {
      // Prepare
      const routes = httpRoutes(topology);
      // Assess
      built.statelessTemplate.resourceCountIs('AWS::ApiGatewayV2::Route', routes.length);
      for (const route of routes) {
        built.statelessTemplate.hasResourceProperties('AWS::ApiGatewayV2::Route', {
          RouteKey: `${route.method} ${route.path}`,
          ...(route.public ? { AuthorizationType: 'NONE' } : {}),
        });
      }
    });

    it('reports batch item failures from every SQS and stream event source mapping', () => {
      const mappings = Object.values(built.statelessTemplate.findResources('AWS::Lambda::EventSourceMapping'));
      expect(mappings).toHaveLength(triggersOfKind('sqs').length + triggersOfKind('stream').length);
      for (const mapping of mappings) {
        expect(mapping.Properties.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
      }
    });

    it('gives every queue a visibility timeout of at least 6 × its consumer function timeout', () => {
      // Prepare
      const queues = built.statefulTemplate.findResources('AWS::SQS::Queue');
      const sqsMappings = Object.values(built.statelessTemplate.findResources('AWS::Lambda::EventSourceMapping')).filter(
        (m) => queues[importedLogicalId(built.statefulTemplate, m.Properties.EventSourceArn)],
      );
      // Assess
      expect(sqsMappings).toHaveLength(triggersOfKind('sqs').length);
      for (const mapping of sqsMappings) {
        const queue = queues[importedLogicalId(built.statefulTemplate, mapping.Properties.EventSourceArn)]!;
        const fn = built.statelessTemplate.toJSON().Resources[mapping.Properties.FunctionName.Ref];
        expect(queue.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(VISIBILITY_TIMEOUT_FACTOR * fn.Properties.Timeout);
      }
    });

    it('wires each sqs trigger with its batch size and batching window', () => {
      for (const [id, spec] of Object.entries(topology.functions)) {
        for (const t of spec.triggers) {
          if (t.kind !== 'sqs') continue;
          built.statelessTemplate.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
            FunctionName: { Ref: logicalIdOf(built.stateless.functions[id]!) },
            BatchSize: t.batchSize,
            MaximumBatchingWindowInSeconds: t.maxBatchingWindowSeconds,
            FunctionResponseTypes: ['ReportBatchItemFailures'],
          });
        }
      }
    });

    it('sends records of a failing stream batch to the failures queue after bisecting and retrying', () => {
      for (const [id, spec] of Object.entries(topology.functions)) {
        for (const t of spec.triggers) {
          if (t.kind !== 'stream') continue;
          // Prepare
          const mapping = Object.values(built.statelessTemplate.findResources('AWS::Lambda::EventSourceMapping')).find(
            (m) => m.Properties.FunctionName.Ref === logicalIdOf(built.stateless.functions[id]!) && m.Properties.StartingPosition,
          )!;
          // Assess
          expect(mapping.Properties).toMatchObject({
            StartingPosition: 'TRIM_HORIZON',
            BatchSize: t.batchSize,
            MaximumBatchingWindowInSeconds: t.maxBatchingWindowSeconds,
            MaximumRetryAttempts: t.retryAttempts,
            BisectBatchOnFunctionError: true,
            FunctionResponseTypes: ['ReportBatchItemFailures'],
            DestinationConfig: { OnFailure: { Destination: expect.anything() } },
          });
          const destination = importedLogicalId(built.statefulTemplate, mapping.Properties.DestinationConfig.OnFailure.Destination);
          expect(destination).toBe(logicalIdOf(built.stateful.queues[t.onFailureQueue]!.queue));
          const source = importedLogicalId(built.statefulTemplate, mapping.Properties.EventSourceArn);
          expect(source).toBe(logicalIdOf(built.stateful.tables[t.table]!));
        }
      }
    });
  });

  describe('HTTP API', () => {
    it('auto-deploys a throttled $default stage that logs JSON access records', () => {
      // Prepare
      const stages = Object.values(built.statelessTemplate.findResources('AWS::ApiGatewayV2::Stage'));
      // Assess
      expect(stages).toHaveLength(1);
      const stage = stages[0]!.Properties;
      expect(stage).toMatchObject({
        StageName: '$default',
        AutoDeploy: true,
        DefaultRouteSettings: { ThrottlingRateLimit: expect.any(Number), ThrottlingBurstLimit: expect.any(Number) },
      });
      const format = JSON.parse(stage.AccessLogSettings.Format);
      expect(format).toMatchObject({ requestId: '$context.requestId', routeKey: '$context.routeKey', status: '$context.status' });
      const logGroup = built.statelessTemplate.toJSON().Resources[stage.AccessLogSettings.DestinationArn['Fn::GetAtt'][0]];
      expect(logGroup.Type).toBe('AWS::Logs::LogGroup');
    });

    it('answers CORS preflights from the front-end origins for the methods of the routes', () => {
      built.statelessTemplate.hasResourceProperties('AWS::ApiGatewayV2::Api', {
        CorsConfiguration: {
          AllowOrigins: ['http://localhost:3000'],
          AllowMethods: [...new Set(httpRoutes(topology).map((r) => r.method))],
        },
      });
    });

    it('outputs the API URL', () => {
      built.statelessTemplate.hasOutput('ApiUrl', { Value: Match.objectLike({ 'Fn::Join': Match.anyValue() }) });
    });
  });
});

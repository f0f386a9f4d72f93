import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { Topology } from '../../infra/topology';
import { topology } from '../../infra/topology';
import { buildTestApp, logicalIdOf } from '../helpers/infra-app';

describe('Function: buildApp', () => {
  it('creates the web, stateful, stateless, operations and web content stacks of the dev stage by default', () => {
    // Act
    const built = buildTestApp();
    // Assess
    expect(built.stage).toBe('dev');
    expect(built.frontEndOrigins).toEqual(['http://localhost:3000']);
    expect(built.app.node.children.filter(Stack.isStack).map((s) => s.stackName).sort()).toEqual([
      'SciDay-dev-Operations',
      'SciDay-dev-Stateful',
      'SciDay-dev-Stateless',
      'SciDay-dev-Web',
      'SciDay-dev-WebContent',
    ]);
    expect(built.stateless.dependencies).toContain(built.stateful);
    expect(built.operations.dependencies).toEqual(expect.arrayContaining([built.stateful, built.stateless]));
    // CloudFormation's limit: 500 resources a stack.
    for (const stack of built.app.node.children.filter(Stack.isStack)) {
      expect([stack.stackName, Object.keys(Template.fromStack(stack).toJSON().Resources ?? {}).length <= 500]).toEqual([stack.stackName, true]);
    }
  });

  it('names the stacks after the stage in context and splits frontEndOrigins on commas', () => {
    // Act
    const built = buildTestApp({ context: { stage: 'test', frontEndOrigins: 'https://a.example.org, https://b.example.org,' } });
    // Assess
    expect(built.stateful.stackName).toBe('SciDay-test-Stateful');
    expect(built.stateless.stackName).toBe('SciDay-test-Stateless');
    expect(built.frontEndOrigins).toEqual(['https://a.example.org', 'https://b.example.org']);
    built.statelessTemplate.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ SCIDAY_STAGE: 'test' }) },
    });
  });

  it('rejects a stage that cannot name a stack', () => {
    expect(() => buildTestApp({ context: { stage: 'Prod!' } })).toThrow(/stage/);
  });

  it('rejects a topology with dangling references', () => {
    // Prepare
    const broken: Topology = {
      ...topology,
      functions: { ...topology.functions, orphan: { ...topology.functions['get-health'], tables: { nowhere: 'read' } } },
    };
    // Act + Assess
    expect(() => buildTestApp({ topology: broken })).toThrow(/orphan: unknown table nowhere/);
  });

  const EXTERNAL_ISSUER = { jwtIssuer: 'https://idp.example.cn/realms/sciday', jwtAudience: 'sciday-web' };
  // AWS China serves the web app only on an ICP-registered domain with a certificate in IAM.
  const CHINA_WEB = { webDomain: 'kepu.example.cn', webIamCertificateId: 'ASCAEXAMPLEIAMCERT1' };

  it.each([
    ['aws-cn with an external issuer', { account: '123456789012', region: 'cn-north-1' }, { ...EXTERNAL_ISSUER, ...CHINA_WEB }],
    ['aws-cn by context with an external issuer', undefined, { ...EXTERNAL_ISSUER, ...CHINA_WEB, partition: 'aws-cn' }],
    ['aws with Cognito', { account: '123456789012', region: 'us-east-1' }, {}],
    ['aws with an external issuer', { account: '123456789012', region: 'us-east-1' }, EXTERNAL_ISSUER],
    ['an unknown partition with Cognito', undefined, {}],
  ])('synthesizes for %s without a literal arn:aws: string', (_partition, env, context) => {
    // Act
    const built = buildTestApp({ env, context });
    // Assess
    const templates = [built.statefulTemplate, built.statelessTemplate, built.webTemplate!, built.webContentTemplate!];
    expect(templates.every(Boolean)).toBe(true);
    for (const template of templates) {
      expect(JSON.stringify(template.toJSON())).not.toContain('arn:aws:');
    }
  });

  it.each([
    ['a cn-north-1 env', { env: { account: '123456789012', region: 'cn-north-1' } }],
    ['a cn-northwest-1 env', { env: { account: '123456789012', region: 'cn-northwest-1' } }],
    ['context partition=aws-cn', { context: { partition: 'aws-cn' } }],
  ])('refuses to build for AWS China from %s without jwtIssuer: Cognito user pools do not exist there', (_case, props) => {
    expect(() => buildTestApp(props)).toThrow(/jwtIssuer is required in AWS China/);
  });

  it('creates no Cognito user pool in AWS China, and protects the routes with the external issuer', () => {
    // Act
    const built = buildTestApp({ env: { account: '123456789012', region: 'cn-north-1' }, context: { ...EXTERNAL_ISSUER, ...CHINA_WEB } });
    // Assess
    built.statefulTemplate.resourceCountIs('AWS::Cognito::UserPool', 0);
    built.statelessTemplate.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      JwtConfiguration: { Issuer: EXTERNAL_ISSUER.jwtIssuer, Audience: [EXTERNAL_ISSUER.jwtAudience] },
    });
    expect(describeUnacknowledged(built.app)).toEqual([]);
  });
});

describe('Trigger: schedule', () => {
  const scheduled: Topology = {
    tables: { flags: { description: 'Synthetic', partitionKey: { name: 'pk', type: 'S' } } },
    queues: {},
    buckets: {},
    functions: {
      'reconcile-daily': {
        description: 'Synthetic: recompute derived facts every night',
        entry: 'functions/get-health/handler.ts',
        timeoutSeconds: 60,
        memoryMb: 256,
        triggers: [{ kind: 'schedule', expression: 'cron(0 3 * * ? *)', timeZone: 'Asia/Shanghai' }],
        tables: { flags: 'readwrite' },
      },
    },
  };

  it('creates an EventBridge Scheduler schedule that invokes the function in its time zone', () => {
    // Act
    const built = buildTestApp({ topology: scheduled });
    // Assess
    const fn = built.stateless.functions['reconcile-daily']!;
    built.statelessTemplate.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 3 * * ? *)',
      ScheduleExpressionTimezone: 'Asia/Shanghai',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: { Arn: { 'Fn::GetAtt': [logicalIdOf(fn), 'Arn'] }, RoleArn: Match.anyValue() },
    });
    expect(describeUnacknowledged(built.app)).toEqual([]);
  });
});

describe('Campaign schedules in AWS China', () => {
  it('synthesizes the scheduler role and the grants of project-changes in the stack’s partition, with nothing unacknowledged', () => {
    // Act
    const built = buildTestApp({
      env: { account: '123456789012', region: 'cn-north-1' },
      context: { jwtIssuer: 'https://idp.example.cn/realms/sciday', jwtAudience: 'sciday-web', webDomain: 'kepu.example.cn', webIamCertificateId: 'ASCAEXAMPLEIAMCERT1' },
    });
    // Assess
    const role = built.stateless.campaignSchedulerRole!;
    expect(role).toBeDefined();
    const policies = JSON.stringify(built.statelessTemplate.findResources('AWS::IAM::Policy'));
    expect(policies).toContain(':schedule-group/sciday-dev.*');
    expect(policies).toContain(':schedule/sciday-dev.*/*');
    expect(policies).not.toContain('arn:aws:');
    built.statelessTemplate.resourcePropertiesCountIs('AWS::Scheduler::Schedule', { ScheduleExpression: Match.stringLikeRegexp('^at\\(') }, 0);
    expect(describeUnacknowledged(built.app)).toEqual([]);
  });
});

function describeUnacknowledged(app: Parameters<AwsSolutionsChecks['validateScope']>[0]): string[] {
  return new AwsSolutionsChecks()
    .validateScope(app)
    .violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} at ${r.constructPath}`));
}


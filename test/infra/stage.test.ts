/**
 * Issue 18: a stage from its file (infra/stages/<stage>.json), in `aws` and `aws-cn`. Each
 * partition is synthesized once (the example stage files the runbook uses) and every item is
 * asserted against that one synth; the misconfigurations fail before any synth.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { PULSE } from '../../infra/constructs/operations';
import { readStageFile, resolveStage, reservedConcurrencyOf, type StageConfig } from '../../infra/stage-config';
import { topology, type Topology } from '../../infra/topology';
import { buildApp } from '../../infra/build-app';
import { buildTestApp, testContext, type BuiltApp } from '../helpers/infra-app';

const ROOT = process.cwd();
const AWS = readStageFile(ROOT, 'example-aws') as StageConfig;
const CHINA = readStageFile(ROOT, 'example-aws-cn') as StageConfig;
const functionIds = Object.keys(topology.functions);
const specs = Object.values(topology.functions as Topology['functions']);
const streamConsumers = Object.entries(topology.functions).filter(([, f]) => f.triggers.some((t) => t.kind === 'stream')).map(([id]) => id);
const workQueues = Object.entries(topology.queues).filter(([, q]) => q.kind === 'work').length;

const unacknowledged = (app: BuiltApp['app']): string[] =>
  [new AwsSolutionsChecks(), new ServerlessChecks()].flatMap((pack) =>
    pack.validateScope(app).violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} at ${r.constructPath}`)),
  );

describe('Stage configuration: misconfigurations fail at synth with the field and the fix', () => {
  const with_ = (over: Record<string, unknown>, base: StageConfig = AWS) => ({ ...base, ...over });
  it.each<[string, unknown, RegExp]>([
    ['an account that is not 12 digits', with_({ account: '1234' }), /account: must be the 12-digit AWS account id/],
    ['a region that is not one', with_({ region: 'china' }), /region: must be a region/],
    ['no alarm e-mail', with_({ alarmEmails: [] }), /alarmEmails: lists nobody/],
    ['an alarm address that is not one', with_({ alarmEmails: ['ops'] }), /alarmEmails\.0: must be an e-mail address/],
    ['an unknown field (a typo)', with_({ alarmEmail: ['ops@example.org'] }), /alarmEmail/],
    ['an OIDC issuer over http', with_({ identity: { kind: 'oidc', issuer: 'http://idp.example.org', audience: ['web'] } }), /identity\.issuer: must be an https URL/],
    ['an OIDC issuer without audience', with_({ identity: { kind: 'oidc', issuer: 'https://idp.example.org', audience: [] } }), /identity\.audience: lists no audience/],
    ['a web client id the API would refuse', with_({ identity: { kind: 'oidc', issuer: 'https://idp.example.org', audience: ['web'], webClientId: 'other' } }), /webClientId: "other" is not among identity\.audience/],
    ['Cognito in a China region', with_({ identity: { kind: 'cognito' } }, CHINA), /identity: Cognito user pools are not offered in AWS China/],
    ['X-Ray asked for in a China region', with_({ tracing: true }, CHINA), /tracing: Lambda has no X-Ray integration in AWS China/],
    ['the API edge asked for in a China region', with_({ api: { ...CHINA.api, edge: true } }, CHINA), /api\.edge: AWS China has no WAF for CloudFront/],
    ['open public routes in China without an ICP-registered API domain', with_({ api: undefined }, CHINA), /API Gateway in AWS China .* answers unauthenticated requests only on an ICP-registered custom domain/],
    ['a web app in China without its ICP domain', with_({ web: {} }, CHINA), /web\.domain: CloudFront in AWS China .* serves the web app only on an ICP-registered domain/],
    ['an ACM certificate for the web app in China', with_({ web: { domain: { name: 'kepu.example.cn', certificateArn: 'arn:aws-cn:acm:us-east-1:1:certificate/x' } } }, CHINA), /takes IAM certificates only/],
    ['a web domain without a certificate', with_({ web: { domain: { name: 'kepu.example.org' } } }), /web\.domain: needs certificateArn/],
    ['an API certificate of another partition or region', with_({ api: { domain: { name: 'api.kepu.example.cn', certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/x' } } }, CHINA), /api\.domain\.certificateArn: must be an ACM certificate in the stage's region \(arn:aws-cn:acm:cn-northwest-1:/],
    ['an API domain without a certificate', with_({ api: { domain: { name: 'api.kepu.example.org' } } }), /api\.domain\.certificateArn: the API's domain needs an ACM certificate/],
  ])('refuses %s', (_case, config, message) => {
    expect(() => resolveStage(config, topology)).toThrow(message);
  });

  it("refuses reserved concurrency that would leave fewer than 100 of the declared account limit unreserved (a new account's 10)", () => {
    // Prepare
    const reserving: Topology = { ...topology, functions: { ...topology.functions, 'get-health': { ...topology.functions['get-health'], reservedConcurrency: 5 } } };
    const reserved = reservedConcurrencyOf(reserving);
    // Act + Assess
    expect(reserved).toBeGreaterThan(0);
    expect(() => resolveStage(with_({ lambdaConcurrencyLimit: 10 }), reserving)).toThrow(/reserves \d+ concurrent executions, which would leave -?\d+ of 10 unreserved, and Lambda requires 100.*docs\/deploy\.md/);
    expect(resolveStage(with_({ lambdaConcurrencyLimit: 100 + reserved }), reserving).context.reserveConcurrency).toBe(true);
    expect(resolveStage(with_({ lambdaConcurrencyLimit: undefined }), reserving).context.reserveConcurrency).toBe(false);
  });

  it('refuses a stage file whose name is not its file name', () => {
    // Prepare
    const dir = fs.mkdtempSync(path.join(ROOT, 'node_modules', '.stage-test-'));
    fs.mkdirSync(path.join(dir, 'infra', 'stages'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'infra', 'stages', 'prod.json'), JSON.stringify({ ...AWS, name: 'dev' }));
    // Act + Assess
    try {
      expect(() => readStageFile(dir, 'prod')).toThrow(/"name" must be "prod"/);
      expect(readStageFile(dir, 'other')).toBeUndefined();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("passes the web app's campaign (web.campaignId) on as context webCampaignId, and none when the file names none", () => {
    expect(resolveStage(with_({ web: { campaignId: '2026-xinxiang' } }), topology).context).toMatchObject({ webCampaignId: '2026-xinxiang' });
    expect(resolveStage(AWS, topology).context.webCampaignId).toBeUndefined();
    expect(() => resolveStage(with_({ web: { campaignId: '' } }), topology)).toThrow(/web\.campaignId/);
  });

  it('derives the partition from the region, and a China region takes the China path whatever the file says of tracing', () => {
    expect(resolveStage(AWS, topology)).toMatchObject({ partition: 'aws', china: false, context: { tracing: true } });
    expect(resolveStage(CHINA, topology)).toMatchObject({ partition: 'aws-cn', china: true, context: { tracing: false, apiEdge: false, partition: 'aws-cn' } });
  });
});

describe.each([
  ['aws', AWS],
  ['aws-cn', CHINA],
])('Stage %s from its file', (partition, config) => {
  let built: BuiltApp;
  beforeAll(() => {
    // The `-c` flags lose to the file: a China region stays on the China path.
    built = buildTestApp({ stageConfig: config, context: { tracing: 'true', partition: 'aws' } });
  });
  const china = partition === 'aws-cn';

  it('deploys to the account and region of the file, under the stage name', () => {
    expect(built.stateless.stackName).toBe(`SciDay-${config.name}-Stateless`);
    expect(built.stateless.region).toBe(config.region);
    expect(built.stateless.account).toBe(config.account);
    expect(JSON.stringify(built.statelessTemplate.toJSON())).not.toContain(china ? 'arn:aws:' : 'arn:aws-cn:');
  });

  it(china ? 'has no Cognito and trusts the external issuer, and no function is traced' : 'has its Cognito user pool and traces every function', () => {
    built.statefulTemplate.resourceCountIs('AWS::Cognito::UserPool', china ? 0 : 1);
    built.statelessTemplate.resourcePropertiesCountIs('AWS::Lambda::Function', { TracingConfig: { Mode: 'Active' } }, china ? 0 : functionIds.length);
    if (china) {
      built.statelessTemplate.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', { JwtConfiguration: Match.objectLike({ Issuer: 'https://idp.kepu.example.cn/realms/sciday' }) });
    }
  });

  it('sends every alarm of both stacks to the alarm topic, which mails the configured addresses', () => {
    built.statefulTemplate.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: config.alarmEmails[0] });
    const alarms = [
      ...Object.values(built.statefulTemplate.findResources('AWS::CloudWatch::Alarm')),
      ...Object.values(built.operationsTemplate.findResources('AWS::CloudWatch::Alarm')),
    ];
    expect(alarms.length).toBeGreaterThan(2 * functionIds.length);
    for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toHaveLength(1);
  });

  it('alarms on API 5xx and latency, each function’s errors and throttles, stream iterator age, Scheduler failures, dead letters and the oldest message', () => {
    const stateless = Object.values(built.operationsTemplate.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties);
    const stateful = Object.values(built.statefulTemplate.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties);
    const named = (list: typeof stateless, metric: string, namespace?: string) => list.filter((p) => p.MetricName === metric && (!namespace || p.Namespace === namespace));
    expect(named(stateless, '5xx', 'AWS/ApiGateway')).toHaveLength(1);
    expect(named(stateless, 'Latency', 'AWS/ApiGateway')).toHaveLength(1);
    expect(named(stateless, 'Errors', 'AWS/Lambda')).toHaveLength(functionIds.length);
    expect(named(stateless, 'Throttles', 'AWS/Lambda')).toHaveLength(functionIds.length);
    expect(named(stateless, 'IteratorAge', 'AWS/Lambda')).toHaveLength(streamConsumers.length);
    expect(named(stateless, 'TargetErrorCount', 'AWS/Scheduler')).toHaveLength(1);
    expect(named(stateless, 'InvocationDroppedCount', 'AWS/Scheduler')).toHaveLength(1);
    expect(named(stateful, 'ApproximateNumberOfMessagesVisible', 'AWS/SQS')).toHaveLength(Object.keys(topology.queues).length);
    expect(named(stateful, 'ApproximateAgeOfOldestMessage', 'AWS/SQS')).toHaveLength(workQueues);
  });

  it("draws the campaign's pulse from metrics the handlers emit", () => {
    const body = JSON.stringify(built.operationsTemplate.findResources('AWS::CloudWatch::Dashboard'));
    for (const widget of PULSE) {
      expect(body).toContain(widget.title);
      for (const m of widget.metrics) {
        expect(Object.keys(topology.functions)).toContain(m.fn);
        const handler = fs.readFileSync(path.join(ROOT, topology.functions[m.fn as keyof typeof topology.functions].entry), 'utf8');
        // The metric is added by the handler under this name (or as media_<outcome> by check-media).
        expect(handler.includes(`'${m.metric}'`) || (m.metric.startsWith('media_') && handler.includes('`media_${'))).toBe(true);
        expect(body).toContain(`\\"${m.metric}\\"`);
      }
    }
  });

  it('keeps every version of the media uploads, backs the tables up, and retains the Glue and Athena catalog outside dev', () => {
    built.statefulTemplate.hasResourceProperties('AWS::S3::Bucket', {
      VersioningConfiguration: { Status: 'Enabled' },
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ Prefix: 'checked/', NoncurrentVersionExpiration: { NoncurrentDays: 90 } }), Match.objectLike({ Prefix: 'uploads/', NoncurrentVersionExpiration: { NoncurrentDays: 1 } })]) },
    });
    built.statefulTemplate.resourceCountIs('AWS::Backup::BackupPlan', 1);
    const selection = Object.values(built.statefulTemplate.findResources('AWS::Backup::BackupSelection'))[0];
    expect(selection?.Properties.BackupSelection.Resources).toHaveLength(Object.keys(topology.tables).length);
    for (const type of ['AWS::Glue::Database', 'AWS::Glue::Table', 'AWS::Athena::WorkGroup']) {
      for (const resource of Object.values(built.statefulTemplate.findResources(type))) expect(resource.DeletionPolicy).toBe('Retain');
    }
  });

  it(china ? 'serves the API on its ICP-registered domain with the public routes open there' : 'applies reserved concurrency under the declared account limit, and the event sources’ maximum concurrency', () => {
    if (china) {
      built.statelessTemplate.hasResourceProperties('AWS::ApiGatewayV2::DomainName', { DomainName: 'api.kepu.example.cn' });
      built.statelessTemplate.resourceCountIs('AWS::ApiGatewayV2::ApiMapping', 1);
      expect(built.stateless.clientUrl).toBe('https://api.kepu.example.cn');
      built.statelessTemplate.resourcePropertiesCountIs('AWS::Lambda::Function', { ReservedConcurrentExecutions: Match.anyValue() }, 0);
    } else {
      const reserving = specs.filter((f) => f.reservedConcurrency).length;
      built.statelessTemplate.resourcePropertiesCountIs('AWS::Lambda::Function', { ReservedConcurrentExecutions: Match.anyValue() }, reserving);
    }
    const capped = specs.flatMap((f) => f.triggers).filter((t) => t.kind === 'sqs' && t.maxConcurrency).length;
    built.statelessTemplate.resourcePropertiesCountIs('AWS::Lambda::EventSourceMapping', { ScalingConfig: { MaximumConcurrency: Match.anyValue() } }, capped);
  });

  it('raises no cdk-nag finding (AwsSolutions and Serverless) that is not acknowledged', () => {
    expect(unacknowledged(built.app)).toEqual([]);
  });
});

describe('Public routes behind the authorizer (AWS China without an ICP-registered API domain)', () => {
  it('puts every route, the contract’s public ones included, behind the JWT authorizer and acknowledges no open route', () => {
    // Act
    const built = buildTestApp({ stageConfig: { ...CHINA, api: { publicRoutes: 'authorized' } } });
    // Assess
    built.statelessTemplate.resourcePropertiesCountIs('AWS::ApiGatewayV2::Route', { AuthorizationType: 'NONE' }, 0);
    built.statelessTemplate.allResourcesProperties('AWS::ApiGatewayV2::Route', { AuthorizationType: 'JWT' });
    built.statelessTemplate.resourceCountIs('AWS::ApiGatewayV2::DomainName', 0);
    expect(unacknowledged(built.app)).toEqual([]);
  });
});

describe('docs/deploy.md', () => {
  const runbook = fs.readFileSync(path.join(ROOT, 'docs', 'deploy.md'), 'utf8');
  const commands = [...runbook.matchAll(/```bash\n([\s\S]*?)```/g)].flatMap((m) => (m[1] ?? '').split('\n')).map((l) => l.replace(/\s+#.*$/, '').trim());
  const synths = commands.filter((c) => c.startsWith('npx cdk synth'));

  it('runs every `npx cdk synth` of the runbook as `cdk synth` would (stage file, both nag packs), for aws and aws-cn', () => {
    // Prepare
    const stages = synths.map((c) => /-c stage=(\S+)/.exec(c)?.[1]);
    expect(stages).toEqual(['example-aws', 'example-aws-cn']);
    for (const stage of stages) {
      // Act: what infra/app.ts does, minus bundling (the plugin fails synth on any unacknowledged finding).
      const stageConfig = readStageFile(ROOT, stage ?? '');
      const { app } = buildApp({ stageConfig, context: testContext(), cfnValidation: false });
      // Assess
      expect(stageConfig).toBeDefined();
      expect(() => app.synth()).not.toThrow();
    }
  });

  it('names only npm scripts that exist, and a deploy that diffs, asks and then deploys', () => {
    const scripts = Object.keys((JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts);
    const used = [...runbook.matchAll(/npm run (?:-s )?([a-z:]+)/g)].map((m) => m[1]);
    expect(used).toContain('deploy');
    for (const script of used) expect(scripts).toContain(script);
    const deploy = fs.readFileSync(path.join(ROOT, 'infra', 'deploy.ts'), 'utf8');
    expect(deploy.indexOf("cdk('diff')")).toBeGreaterThan(0);
    expect(deploy.indexOf("cdk('deploy'")).toBeGreaterThan(deploy.indexOf('rl.question('));
  });
});

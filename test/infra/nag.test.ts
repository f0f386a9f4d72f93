import type { PolicyValidationPluginReport } from 'aws-cdk-lib';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { buildApp } from '../../infra/build-app';
import { httpRoutes, topology } from '../../infra/topology';
import { acknowledgementsUnder, buildTestApp, testContext, type BuiltApp } from '../helpers/infra-app';


/** Both packs that `cdk synth` runs (build-app.ts): AwsSolutions and Serverless. */
const nagReport = (app: BuiltApp['app']): PolicyValidationPluginReport => {
  const reports = [new AwsSolutionsChecks(), new ServerlessChecks()].map((pack) => pack.validateScope(app));
  return { ...reports[0]!, violations: reports.flatMap((r) => r.violations) };
};

const describeFindings = (report: PolicyValidationPluginReport): string[] =>
  report.violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} at ${r.constructPath}: ${v.description}`));

/** Acknowledgements under `app` that match no finding of the pack (run blind to acknowledgements). */
function staleAcknowledgements(app: BuiltApp['app']) {
  // The same pack, blind to acknowledgements (cdk-nag 3.0.2 looks them up in the private
  // isAcknowledged; an own property shadows it on this one instance)
  const violations = [new AwsSolutionsChecks(), new ServerlessChecks()].flatMap((blind) => {
    Object.defineProperty(blind, 'isAcknowledged', { value: () => false });
    return blind.validateScope(app).violations;
  });
  const raw = { violations };
  return acknowledgementsUnder(app).filter(
    (ack) =>
      !raw.violations.some(
        (v) =>
          v.ruleName === ack.id &&
          v.violatingResources.some((r) => r.constructPath === ack.path || r.constructPath?.startsWith(`${ack.path}/`)),
      ),
  );
}

const EXTERNAL_ISSUER = { jwtIssuer: 'https://idp.example.cn/realms/sciday', jwtAudience: 'sciday-web' };
const CHINA = { env: { account: '123456789012', region: 'cn-north-1' } } as const;
const CHINA_WEB = { webDomain: 'kepu.example.cn', webIamCertificateId: 'ASCAEXAMPLEIAMCERT1' };
const ACM_ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/0f8c0e6a-1111-2222-3333-444455556666';

describe('cdk-nag: AwsSolutions and Serverless', () => {
  let built: BuiltApp;
  beforeAll(() => {
    // Template.fromStack has synthesized the app: cross-stack references are Fn::ImportValue
    // now, as they are when the plugin runs during `cdk synth`.
    built = buildTestApp();
  });

  it('raises no finding that is not acknowledged', () => {
    // Act
    const report = nagReport(built.app);
    // Assess
    expect(describeFindings(report)).toEqual([]);
  });

  it('gives every acknowledgement a specific reason of at least 20 characters', () => {
    const acks = acknowledgementsUnder(built.app);
    expect(acks.length).toBeGreaterThan(0);
    const weak = acks.filter((a) => a.reason.trim().length < 20);
    expect(weak).toEqual([]);
  });

  it('acknowledges only findings that the pack actually raises', () => {
    expect(staleAcknowledgements(built.app)).toEqual([]);
  });

  it.each([
    ['a custom domain with an ACM certificate', { context: { webDomain: 'kepu.example.org', webCertificateArn: ACM_ARN } }],
    ['an external issuer', { context: EXTERNAL_ISSUER }],
    ['AWS China with an ICP-registered domain and an IAM certificate', { ...CHINA, context: { ...EXTERNAL_ISSUER, ...CHINA_WEB } }],
    ['web=false', { context: { web: 'false' } }],
    ['the API edge and its web ACL (an aws region known at synth, ADR 0033)', { env: { account: '123456789012', region: 'ap-northeast-1' } }],
  ])('raises no unacknowledged finding and acknowledges only raised ones with %s', (_case, props) => {
    // Act
    const variant = buildTestApp(props);
    // Assess
    expect(describeFindings(nagReport(variant.app))).toEqual([]);
    expect(staleAcknowledgements(variant.app)).toEqual([]);
  });

  it('acknowledges on the web distribution CFR1 and CFR2, CFR4 with the default certificate, and CFR7 in AWS China only', () => {
    // Prepare
    const cfrOf = (app: BuiltApp['app']) =>
      acknowledgementsUnder(app)
        .filter((a) => a.id.startsWith('AwsSolutions-CFR'))
        .map((a) => `${a.id} at ${a.path}`)
        .sort();
    // Act
    const custom = buildTestApp({ context: { webDomain: 'kepu.example.org', webCertificateArn: ACM_ARN } });
    const china = buildTestApp({ ...CHINA, context: { ...EXTERNAL_ISSUER, ...CHINA_WEB } });
    // Assess
    const at = 'SciDay-dev-Web/Site/Distribution';
    expect(cfrOf(built.app)).toEqual([`AwsSolutions-CFR1 at ${at}`, `AwsSolutions-CFR2 at ${at}`, `AwsSolutions-CFR4 at ${at}`]);
    expect(cfrOf(custom.app)).toEqual([`AwsSolutions-CFR1 at ${at}`, `AwsSolutions-CFR2 at ${at}`]);
    expect(cfrOf(china.app)).toEqual([`AwsSolutions-CFR1 at ${at}`, `AwsSolutions-CFR2 at ${at}`, `AwsSolutions-CFR7 at ${at}`]);
  });

  it('acknowledges APIG4 only on public routes, with the contract as the reason', () => {
    // Prepare
    const publicRoutes = httpRoutes(topology).filter((route) => route.public);
    // Act
    const apig4 = acknowledgementsUnder(built.app).filter((a) => a.id === 'AwsSolutions-APIG4');
    // Assess
    expect(publicRoutes.length).toBeGreaterThan(0);
    expect(apig4).toEqual(
      publicRoutes.map((route) => ({
        path: `SciDay-dev-Stateless/HttpApi/${route.method}${route.path.replaceAll('/', '--')}`,
        id: 'AwsSolutions-APIG4',
        reason: `public by the HTTP contract (${route.method} ${route.path} is open to anyone)`,
      })),
    );
  });

  it('acknowledges COG2 and COG8 on the Cognito user pool only, and raises no COG finding elsewhere', () => {
    const cog = acknowledgementsUnder(built.app).filter((a) => a.id.startsWith('AwsSolutions-COG'));
    expect(cog.map((a) => `${a.id} at ${a.path}`).sort()).toEqual([
      'AwsSolutions-COG2 at SciDay-dev-Stateful/Users/UserPool',
      'AwsSolutions-COG8 at SciDay-dev-Stateful/Users/UserPool',
    ]);
  });

  it('synthesizes the app as `cdk synth` builds it, with the plugin registered', () => {
    const { app } = buildApp({ context: testContext() });
    expect(() => app.synth()).not.toThrow();
  });

  it('fails synth on a finding nobody acknowledged', () => {
    // Prepare
    const { app, stateful } = buildApp({ context: testContext() });
    new Queue(stateful, 'Careless');
    // Act + Assess
    expect(() => app.synth()).toThrow(/AwsSolutions-SQS3[\s\S]*Careless|Careless[\s\S]*AwsSolutions-SQS3/);
  });
});

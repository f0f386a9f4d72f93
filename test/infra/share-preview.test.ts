/**
 * Issue 22 (ADR 0045): the share link of a public activity on AWS, and the campaign `/public`
 * opens. Built with a topology of that one function, so the assertions read its route, throttle,
 * environment and grants alone (and the full stateless stack's size is no concern here).
 */
import { Match } from 'aws-cdk-lib/assertions';
import { EDGE_PUBLIC_PATH } from '../../infra/constructs/api-edge';
import { WEB_ORIGIN_ENV } from '../../infra/stacks/stateless-stack';
import { topology, type Topology } from '../../infra/topology';
import { HTTP_ROUTES } from '../../shared/http/routes';
import { actionsOf, allowStatementsOfRole, buildTestApp, logicalIdOf, type BuiltApp } from '../helpers/infra-app';

const ACM_ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/0f8c0e6a-1111-2222-3333-444455556666';
const only: Topology = { ...topology, queues: {}, buckets: {}, functions: { 'get-share-preview': topology.functions['get-share-preview'] } };
const route = HTTP_ROUTES['get-share-preview'];

describe('Function: get-share-preview on AWS', () => {
  let built: BuiltApp;
  beforeAll(() => {
    built = buildTestApp({ topology: only, context: { webDomain: 'kepu.example.org', webCertificateArn: ACM_ARN, webCampaignId: '2026-xinxiang' } });
  });
  const fn = () => built.stateless.functions['get-share-preview']!;

  it('answers its route without a token, under the public path the API edge caches, with its own throttle', () => {
    // Prepare
    const routes = Object.values(built.statelessTemplate.findResources('AWS::ApiGatewayV2::Route')).map((r) => r.Properties);
    // Assess
    expect(route).toMatchObject({ method: 'GET', path: '/v1/public/activities/{activityId}/preview', public: true });
    expect(route.path.startsWith(EDGE_PUBLIC_PATH.replace('*', ''))).toBe(true);
    expect(routes.find((r) => r.RouteKey === `GET ${route.path}`)).toMatchObject({ AuthorizationType: 'NONE' });
    built.statelessTemplate.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      RouteSettings: Match.objectLike({ [`GET ${route.path}`]: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 } }),
    });
  });

  it("sends browsers to the hosted site's origin (SCIDAY_WEB_ORIGIN)", () => {
    const { Properties } = built.statelessTemplate.toJSON().Resources[logicalIdOf(fn())] as { Properties: { Environment: { Variables: Record<string, unknown> } } };
    expect(Properties.Environment.Variables[WEB_ORIGIN_ENV]).toBe('https://kepu.example.org');
  });

  it('may read the main table and nothing else: no write, no media bucket, no secret', () => {
    // Act
    const statements = allowStatementsOfRole(built.statelessTemplate, logicalIdOf(fn().role!));
    const actions = actionsOf(statements);
    // Assess
    expect(actions.filter((a) => !a.startsWith('logs:') && !a.startsWith('xray:') && !a.startsWith('cloudwatch:'))).toEqual(
      expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query']),
    );
    expect(actions.filter((a) => /^(s3|secretsmanager|kms|sqs):/.test(a) || /dynamodb:(Put|Update|Delete|BatchWrite|Scan)/.test(a))).toEqual([]);
    const tables = JSON.stringify(statements.filter((s) => [s.Action].flat().some((a) => a.startsWith('dynamodb:'))).map((s) => s.Resource));
    expect(tables).toContain(logicalIdOf(built.stateful.tables.main!).slice(0, 12));
    for (const other of Object.keys(built.stateful.tables).filter((t) => t !== 'main')) {
      expect(tables).not.toContain(logicalIdOf(built.stateful.tables[other]!).slice(0, 12));
    }
  });

  it("writes the stage's campaign into config.json (webCampaignId), so /public opens its calendar", () => {
    expect(built.webContent?.content.config).toMatchObject({ mode: 'oidc', campaignId: '2026-xinxiang' });
    const without = buildTestApp({ topology: only, context: { webDomain: 'kepu.example.org', webCertificateArn: ACM_ARN } });
    expect(without.webContent?.content.config).not.toHaveProperty('campaignId');
  });
});

/**
 * The web app on AWS (ADR 0020): `SciDay-<stage>-Web` (private bucket, CloudFront with origin
 * access control, SPA error responses, security headers) and `SciDay-<stage>-WebContent` (the
 * build and /config.json), and what the other stacks take from the site: Cognito callback URLs,
 * API and media CORS.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { WEB_CACHE_CONTROL, WEB_CONFIG_KEY } from '../../infra/constructs/web-site-content';
import { WebConfigSchema } from '../../shared/schemas/web-config.schema';
import { buildTestApp, logicalIdOf, type BuiltApp } from '../helpers/infra-app';

const EXTERNAL_ISSUER = { jwtIssuer: 'https://idp.example.cn/realms/sciday', jwtAudience: 'sciday-web, sciday-admin' };
const CHINA_WEB = { webDomain: 'kepu.example.cn', webIamCertificateId: 'ASCAEXAMPLEIAMCERT1' };
const CHINA_ENV = { account: '123456789012', region: 'cn-north-1' };
const ACM_ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/0f8c0e6a-1111-2222-3333-444455556666';

type Json = Record<string, unknown>;

const resourcesOf = (template: Template, type: string): Json[] =>
  Object.values(template.findResources(type)).map((r) => r as Json);

const propertiesOf = (template: Template, type: string): Json => {
  const found = resourcesOf(template, type);
  expect(found).toHaveLength(1);
  return found[0]!.Properties as Json;
};

const distributionConfig = (built: BuiltApp): Json =>
  propertiesOf(built.webTemplate!, 'AWS::CloudFront::Distribution').DistributionConfig as Json;

const cspOf = (built: BuiltApp): string => {
  const config = propertiesOf(built.webTemplate!, 'AWS::CloudFront::ResponseHeadersPolicy').ResponseHeadersPolicyConfig as Json;
  const csp = ((config.SecurityHeadersConfig as Json).ContentSecurityPolicy as Json).ContentSecurityPolicy;
  return render(csp);
};

/** A CloudFormation string as text: `${LogicalId}`, `${AWS::Region}`, `${import:<export name>}`. */
function render(value: unknown): string {
  if (typeof value === 'string') return value;
  const node = value as { Ref?: string; 'Fn::Join'?: [string, unknown[]]; 'Fn::GetAtt'?: [string, string]; 'Fn::ImportValue'?: string };
  if (node.Ref) return `\${${node.Ref}}`;
  if (node['Fn::GetAtt']) return `\${${node['Fn::GetAtt'].join('.')}}`;
  if (node['Fn::ImportValue']) return `\${import:${node['Fn::ImportValue']}}`;
  if (node['Fn::Join']) return node['Fn::Join'][1].map(render).join(node['Fn::Join'][0]);
  throw new Error(`cannot render ${JSON.stringify(value)}`);
}

/** The export name under which `producer` exports `value` (as `${import:<name>}` renders it). */
function importOf(producer: Template, value: unknown): string {
  const outputs = Object.values(producer.toJSON().Outputs ?? {}) as Array<{ Value: unknown; Export?: { Name: string } }>;
  const output = outputs.find((o) => o.Export && JSON.stringify(o.Value) === JSON.stringify(value));
  if (!output?.Export) throw new Error(`no export of ${JSON.stringify(value)}`);
  return `\${import:${output.Export.Name}}`;
}

/** The site's origin as the consuming stacks render it: https:// and the imported distribution domain. */
const siteOriginImport = (built: BuiltApp): string =>
  `https://${importOf(built.webTemplate!, { 'Fn::GetAtt': [logicalIdOf(built.web!.site.distribution), 'DomainName'] })}`;

const deployments = (built: BuiltApp): Array<{ readonly properties: Json }> =>
  resourcesOf(built.webContentTemplate!, 'Custom::CDKBucketDeployment').map((r) => ({ properties: r.Properties as Json }));

/**
 * /config.json as synthesized: the staged file of the deployment's data source, with each
 * deploy-time marker replaced by its CloudFormation value rendered as text.
 */
function synthesizedConfig(built: BuiltApp): Json {
  for (const { properties } of deployments(built)) {
    const keys = properties.SourceObjectKeys as string[];
    const markers = (properties.SourceMarkers as Array<Record<string, unknown>> | undefined) ?? [];
    for (const [index, key] of keys.entries()) {
      const file = path.join(built.app.outdir, `asset.${key.replace(/\.zip$/, '')}`, WEB_CONFIG_KEY);
      if (!fs.existsSync(file)) continue;
      let text = fs.readFileSync(file, 'utf8');
      for (const [marker, value] of Object.entries(markers[index] ?? {})) text = text.split(marker).join(render(value));
      return JSON.parse(text) as Json;
    }
  }
  throw new Error(`no deployment writes ${WEB_CONFIG_KEY}`);
}

describe('Stack: Web', () => {
  let built: BuiltApp;
  beforeAll(() => {
    built = buildTestApp();
  });

  describe('site bucket', () => {
    const siteBucket = () => built.webTemplate!.toJSON().Resources[logicalIdOf(built.web!.site.bucket)];

    it('blocks every kind of public access, encrypts, and is no website', () => {
      expect(siteBucket().Properties).toMatchObject({
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      });
      expect(siteBucket().Properties.WebsiteConfiguration).toBeUndefined();
    });

    it('lets only this CloudFront distribution read objects (OAC, aws:SourceArn), and denies requests without TLS', () => {
      // Prepare
      const policy = resourcesOf(built.webTemplate!, 'AWS::S3::BucketPolicy').find(
        (p) => JSON.stringify((p.Properties as Json).Bucket) === JSON.stringify({ Ref: logicalIdOf(built.web!.site.bucket) }),
      )!;
      const statements = ((policy.Properties as Json).PolicyDocument as { Statement: Json[] }).Statement;
      const distributionId = logicalIdOf(built.web!.site.distribution);
      // Assess
      expect(statements.filter((s) => s.Effect === 'Allow')).toEqual([
        {
          Effect: 'Allow',
          Principal: { Service: 'cloudfront.amazonaws.com' },
          Action: 's3:GetObject',
          Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [logicalIdOf(built.web!.site.bucket), 'Arn'] }, '/*']] },
          Condition: {
            StringEquals: {
              'AWS:SourceArn': {
                'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudfront::', { Ref: 'AWS::AccountId' }, ':distribution/', { Ref: distributionId }]],
              },
            },
          },
        },
      ]);
      expect(statements).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Principal: { AWS: '*' }, Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
    });

    it('is the origin of the distribution through an origin access control, without a legacy identity', () => {
      // Prepare
      const origins = distributionConfig(built).Origins as Json[];
      const oac = propertiesOf(built.webTemplate!, 'AWS::CloudFront::OriginAccessControl').OriginAccessControlConfig;
      // Assess
      expect(origins).toHaveLength(1);
      expect(origins[0]).toMatchObject({
        DomainName: { 'Fn::GetAtt': [logicalIdOf(built.web!.site.bucket), 'RegionalDomainName'] },
        OriginAccessControlId: { 'Fn::GetAtt': [expect.any(String), 'Id'] },
        S3OriginConfig: { OriginAccessIdentity: '' },
      });
      expect(oac).toMatchObject({ OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' });
      built.webTemplate!.resourceCountIs('AWS::CloudFront::CloudFrontOriginAccessIdentity', 0);
    });

    it('sends server access logs and CloudFront standard logs to the web log bucket', () => {
      const logs = logicalIdOf(built.web!.site.logsBucket);
      expect(siteBucket().Properties.LoggingConfiguration).toEqual({ DestinationBucketName: { Ref: logs }, LogFilePrefix: 'site/' });
      expect(distributionConfig(built).Logging).toEqual({ Bucket: { 'Fn::GetAtt': [logs, 'RegionalDomainName'] }, Prefix: 'cloudfront/' });
    });
  });

  describe('distribution', () => {
    it('serves index.html at / and, with 200, for every path S3 does not have (history-mode routes)', () => {
      const config = distributionConfig(built);
      expect(config.DefaultRootObject).toBe('index.html');
      expect(config.CustomErrorResponses).toEqual([
        { ErrorCode: 403, ResponseCode: 200, ResponsePagePath: '/index.html', ErrorCachingMinTTL: 0 },
        { ErrorCode: 404, ResponseCode: 200, ResponsePagePath: '/index.html', ErrorCachingMinTTL: 0 },
      ]);
    });

    it('redirects http to https, answers GET and HEAD only, and keeps nothing longer than the objects say', () => {
      // Prepare
      const behavior = distributionConfig(built).DefaultCacheBehavior as Json;
      const cache = propertiesOf(built.webTemplate!, 'AWS::CloudFront::CachePolicy').CachePolicyConfig as Json;
      // Assess
      expect(behavior).toMatchObject({ ViewerProtocolPolicy: 'redirect-to-https', AllowedMethods: ['GET', 'HEAD'], Compress: true });
      expect(distributionConfig(built).CacheBehaviors).toBeUndefined();
      expect(cache).toMatchObject({ MinTTL: 0, DefaultTTL: 0, MaxTTL: 365 * 24 * 3600 });
    });

    it('adds HSTS, nosniff, DENY framing, a referrer policy and a Content-Security-Policy to every response', () => {
      // Prepare
      const policy = propertiesOf(built.webTemplate!, 'AWS::CloudFront::ResponseHeadersPolicy');
      const security = (policy.ResponseHeadersPolicyConfig as Json).SecurityHeadersConfig;
      // Assess
      expect((distributionConfig(built).DefaultCacheBehavior as Json).ResponseHeadersPolicyId).toEqual({
        Ref: logicalIdOf(built.web!.site.responseHeadersPolicy),
      });
      expect(security).toMatchObject({
        StrictTransportSecurity: { AccessControlMaxAgeSec: 63072000, Override: true },
        ContentTypeOptions: { Override: true },
        FrameOptions: { FrameOption: 'DENY', Override: true },
        ReferrerPolicy: { ReferrerPolicy: 'no-referrer', Override: true },
        ContentSecurityPolicy: { Override: true },
      });
    });

    it('lets the app connect to the API, the Cognito issuer and domain, and the media bucket, and nothing else', () => {
      // Prepare
      const directives = Object.fromEntries(
        cspOf(built)
          .split('; ')
          .map((d) => d.split(' '))
          .map(([name, ...sources]) => [name!, sources]),
      );
      // Assess
      expect(directives['default-src']).toEqual(["'self'"]);
      expect(directives['script-src']).toEqual(["'self'"]);
      expect(directives['frame-ancestors']).toEqual(["'none'"]);
      expect(directives['object-src']).toEqual(["'none'"]);
      expect(directives['connect-src']).toEqual([
        "'self'",
        'https://*.execute-api.${AWS::Region}.${AWS::URLSuffix}',
        'https://cognito-idp.${AWS::Region}.amazonaws.com',
        'https://sciday-dev-${AWS::AccountId}.auth.${AWS::Region}.amazoncognito.com',
        'https://*.s3.${AWS::Region}.${AWS::URLSuffix}',
      ]);
      expect(directives['img-src']).toContain('https://*.s3.${AWS::Region}.${AWS::URLSuffix}');
    });

    it('names in the CSP the Cognito domain the user pool gets', () => {
      const domain = propertiesOf(built.statefulTemplate, 'AWS::Cognito::UserPoolDomain');
      expect(render(domain.Domain)).toBe('sciday-dev-${AWS::AccountId}');
      expect(domain.ManagedLoginVersion).toBe(2);
      expect(cspOf(built)).toContain(`https://${render(domain.Domain)}.auth.\${AWS::Region}.amazoncognito.com`);
    });

    it('outputs the site URL', () => {
      built.webTemplate!.hasOutput('SiteUrl', {
        Value: { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [logicalIdOf(built.web!.site.distribution), 'DomainName'] }, '/']] },
      });
    });
  });

  describe('content', () => {
    it('deploys assets/* immutable for a year and never prunes them', () => {
      expect(deployments(built).map((d) => d.properties)).toContainEqual(
        expect.objectContaining({
          Exclude: ['*'],
          Include: ['assets/*'],
          Prune: false,
          SystemMetadata: { 'cache-control': WEB_CACHE_CONTROL.assets },
        }),
      );
      expect(WEB_CACHE_CONTROL.assets).toBe('public, max-age=31536000, immutable');
    });

    it('deploys the build without its dotfiles (the local runtime’s .sources digest)', () => {
      // Prepare
      const [buildKey] = deployments(built).find((d) => JSON.stringify(d.properties.Include) === JSON.stringify(['assets/*']))!.properties
        .SourceObjectKeys as string[];
      const staged = path.join(built.app.outdir, `asset.${buildKey!.replace(/\.zip$/, '')}`);
      // Assess
      expect(fs.readdirSync(staged).sort()).toEqual(['assets', 'index.html']);
    });

    it('deploys index.html, config.json and the other entry points no-cache, after the assets', () => {
      // Prepare
      const resources = Object.entries(built.webContentTemplate!.findResources('Custom::CDKBucketDeployment'));
      const [entryId, entry] = resources.find(([, r]) => JSON.stringify(r.Properties.Exclude) === JSON.stringify(['assets/*']))!;
      const [assetsId] = resources.find(([id]) => id !== entryId)!;
      // Assess
      expect(entry.Properties).toMatchObject({ Prune: true, SystemMetadata: { 'cache-control': 'no-cache' } });
      expect(entry.Properties.Include).toBeUndefined();
      expect(entry.DependsOn).toEqual(expect.arrayContaining([assetsId]));
      expect(WEB_CACHE_CONTROL.entryPoints).toBe('no-cache');
    });

    it('writes config.json with the API URL, the user pool as authority, its web client and its logout URL', () => {
      // Prepare
      const config = synthesizedConfig(built);
      const api = importOf(built.statelessTemplate, { 'Fn::GetAtt': [logicalIdOf(built.stateless.api), 'ApiEndpoint'] });
      const pool = importOf(built.statefulTemplate, { Ref: logicalIdOf(built.stateful.userDirectory!.userPool) });
      const client = importOf(built.statefulTemplate, { Ref: logicalIdOf(built.stateful.userDirectory!.client) });
      // Assess
      expect(config).toEqual({
        mode: 'oidc',
        apiUrl: api,
        oidc: {
          authority: `https://cognito-idp.\${AWS::Region}.amazonaws.com/${pool}`,
          clientId: client,
          scope: 'openid profile email',
          logoutUrl: 'https://sciday-dev-${AWS::AccountId}.auth.${AWS::Region}.amazoncognito.com/logout',
          claimNames: { orgId: 'custom:orgId', roles: 'custom:roles' },
        },
      });
    });

    it('writes a config.json that the web app accepts once deploy-time values are filled in', () => {
      // Prepare
      const filled = JSON.parse(
        JSON.stringify(synthesizedConfig(built))
          .replaceAll(/\$\{import:[^}]+\}/g, 'abc123')
          .replaceAll('${AWS::Region}', 'us-east-1')
          .replaceAll('${AWS::AccountId}', '123456789012'),
      ) as Json;
      filled.apiUrl = 'https://abc123.execute-api.us-east-1.amazonaws.com';
      // Act
      const parsed = WebConfigSchema.parse(filled);
      // Assess
      expect(parsed).toMatchObject({ mode: 'oidc', oidc: { authority: 'https://cognito-idp.us-east-1.amazonaws.com/abc123' } });
    });

    it('fails synth with a clear message when the web app is not built', () => {
      expect(() => buildTestApp({ context: { webAssets: '/nonexistent/web/dist' } })).toThrow(/npm run build:web/);
    });
  });
});

describe('Sign-in and CORS for the site', () => {
  let built: BuiltApp;
  beforeAll(() => {
    built = buildTestApp({ context: { frontEndOrigins: 'http://localhost:3000, https://admin.example.org' } });
  });
  const client = () => propertiesOf(built.statefulTemplate, 'AWS::Cognito::UserPoolClient');

  it('lets the web client use the authorization code grant (PKCE, no secret) and refresh tokens', () => {
    expect(client()).toMatchObject({
      GenerateSecret: false,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: ['openid', 'profile', 'email'],
      SupportedIdentityProviders: ['COGNITO'],
      ExplicitAuthFlows: expect.arrayContaining(['ALLOW_REFRESH_TOKEN_AUTH']),
      RefreshTokenValidity: 30 * 24 * 60,
    });
  });

  it('redirects to the site’s /auth/callback and, after logout, to the site, and to every https front end', () => {
    const site = siteOriginImport(built);
    expect((client().CallbackURLs as unknown[]).map(render)).toEqual([`${site}/auth/callback`, 'https://admin.example.org/auth/callback']);
    expect((client().LogoutURLs as unknown[]).map(render)).toEqual([`${site}/`, 'https://admin.example.org/']);
  });

  it('allows the site’s origin in the API’s CORS besides the context’s front-end origins', () => {
    const api = propertiesOf(built.statelessTemplate, 'AWS::ApiGatewayV2::Api');
    expect(((api.CorsConfiguration as Json).AllowOrigins as unknown[]).map(render)).toEqual([
      'http://localhost:3000',
      'https://admin.example.org',
      siteOriginImport(built),
    ]);
  });

  it('allows the site’s origin to post uploads to the media bucket', () => {
    const media = built.statefulTemplate.toJSON().Resources[logicalIdOf(built.stateful.buckets.media!)];
    expect((media.Properties.CorsConfiguration.CorsRules[0].AllowedOrigins as unknown[]).map(render)).toContain(siteOriginImport(built));
  });

  it('deploys the site before the stacks that take its origin, and its content after them', () => {
    expect(built.stateful.dependencies).toContain(built.web);
    expect(built.stateless.dependencies).toEqual(expect.arrayContaining([built.stateful, built.web]));
    expect(built.webContent!.dependencies).toEqual(expect.arrayContaining([built.web, built.stateful, built.stateless]));
    expect(built.web!.dependencies).toEqual([]);
  });
});

describe('Custom domain', () => {
  it('serves a webDomain with its ACM certificate and TLS 1.2, and names it literally in callbacks and CORS', () => {
    // Act
    const built = buildTestApp({ context: { webDomain: 'kepu.example.org', webCertificateArn: ACM_ARN } });
    // Assess
    expect(distributionConfig(built)).toMatchObject({
      Aliases: ['kepu.example.org'],
      ViewerCertificate: { AcmCertificateArn: ACM_ARN, SslSupportMethod: 'sni-only', MinimumProtocolVersion: 'TLSv1.2_2021' },
    });
    expect(built.webOrigin).toBe('https://kepu.example.org');
    expect(propertiesOf(built.statefulTemplate, 'AWS::Cognito::UserPoolClient').CallbackURLs).toEqual(['https://kepu.example.org/auth/callback']);
    built.webTemplate!.hasOutput('SiteUrl', { Value: 'https://kepu.example.org/' });
    // the stateful stack no longer waits for the web stack
    expect(built.stateful.dependencies).not.toContain(built.web);
  });

  it.each([
    [{ webDomain: 'kepu.example.org' }, /needs a certificate/],
    [{ webCertificateArn: ACM_ARN }, /without webDomain/],
    [{ webDomain: 'kepu.example.org', webCertificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc' }, /us-east-1/],
    [{ webDomain: 'https://kepu.example.org', webCertificateArn: ACM_ARN }, /host name/],
    [{ webDomain: 'kepu.example.org', webCertificateArn: ACM_ARN, webIamCertificateId: 'X' }, /not both/],
  ])('rejects the web context %j', (context, message) => {
    expect(() => buildTestApp({ context })).toThrow(message);
  });
});

describe('External issuer', () => {
  it('writes the issuer as authority and the first audience as client id, and lets the CSP reach the issuer', () => {
    // Act
    const built = buildTestApp({ context: { ...EXTERNAL_ISSUER, webConnectOrigins: 'https://sso.example.cn' } });
    // Assess
    expect(synthesizedConfig(built).oidc).toEqual({
      authority: EXTERNAL_ISSUER.jwtIssuer,
      clientId: 'sciday-web',
      scope: 'openid profile email',
      claimNames: { orgId: 'orgId', roles: 'roles' },
    });
    expect(cspOf(built)).toContain(' https://idp.example.cn https://sso.example.cn ');
    expect(cspOf(built)).not.toContain('cognito');
  });

  it('takes webClientId, webLogoutUrl and the claim names from the context', () => {
    const built = buildTestApp({
      context: {
        ...EXTERNAL_ISSUER,
        webClientId: 'sciday-admin',
        webLogoutUrl: 'https://idp.example.cn/realms/sciday/logout',
        jwtClaimOrgId: 'org_id',
        jwtClaimRoles: 'sciday_roles',
      },
    });
    expect(synthesizedConfig(built).oidc).toMatchObject({
      clientId: 'sciday-admin',
      logoutUrl: 'https://idp.example.cn/realms/sciday/logout',
      claimNames: { orgId: 'org_id', roles: 'sciday_roles' },
    });
  });

  it.each([
    [{ ...EXTERNAL_ISSUER, webClientId: 'someone-else' }, /not among jwtAudience/],
    [{ ...EXTERNAL_ISSUER, webLogoutUrl: 'not a url' }, /would reject this config.json[\s\S]*logoutUrl/],
    [{ webClientId: 'sciday-web' }, /external issuer/],
    [{ ...EXTERNAL_ISSUER, webConnectOrigins: 'http://sso.example.cn' }, /https origins/],
  ])('rejects the context %j', (context, message) => {
    expect(() => buildTestApp({ context })).toThrow(message);
  });
});

describe('AWS China', () => {
  it.each([
    ['a cn-north-1 env', { env: CHINA_ENV, context: EXTERNAL_ISSUER }],
    ['context partition=aws-cn', { context: { ...EXTERNAL_ISSUER, partition: 'aws-cn' } }],
    ['a webDomain without an IAM certificate', { env: CHINA_ENV, context: { ...EXTERNAL_ISSUER, webDomain: 'kepu.example.cn' } }],
    ['an ACM certificate', { env: CHINA_ENV, context: { ...EXTERNAL_ISSUER, webDomain: 'kepu.example.cn', webCertificateArn: ACM_ARN } }],
  ])('fails synth from %s, explaining the ICP-registered domain and the IAM certificate (zh and en)', (_case, props) => {
    expect(() => buildTestApp(props)).toThrow(/ICP 备案[\s\S]*上传到 IAM[\s\S]*ICP-registered[\s\S]*uploaded to IAM[\s\S]*-c web=false/);
  });

  it('deploys the backend alone with web=false', () => {
    // Act
    const built = buildTestApp({ env: CHINA_ENV, context: { ...EXTERNAL_ISSUER, web: 'false' } });
    // Assess
    expect(built.web).toBeUndefined();
    expect(built.webContent).toBeUndefined();
    expect(propertiesOf(built.statelessTemplate, 'AWS::ApiGatewayV2::Api').CorsConfiguration).toMatchObject({
      AllowOrigins: ['http://localhost:3000'],
    });
  });

  describe('with an ICP-registered domain and an IAM certificate', () => {
    let built: BuiltApp;
    beforeAll(() => {
      built = buildTestApp({ env: CHINA_ENV, context: { ...EXTERNAL_ISSUER, ...CHINA_WEB, webCampaignId: '2026-xinxiang' } });
    });

    it('serves the domain with the IAM server certificate over TLS 1.2, without IPv6 or HTTP/3', () => {
      expect(distributionConfig(built)).toMatchObject({
        Aliases: ['kepu.example.cn'],
        ViewerCertificate: { IamCertificateId: CHINA_WEB.webIamCertificateId, SslSupportMethod: 'sni-only', MinimumProtocolVersion: 'TLSv1.2_2021' },
        IPV6Enabled: false,
        HttpVersion: 'http2',
      });
      built.webTemplate!.hasOutput('SiteUrl', { Value: 'https://kepu.example.cn/' });
    });

    it('reads the bucket through an origin access identity (China has no origin access control)', () => {
      // Prepare
      const oai = Object.keys(built.webTemplate!.findResources('AWS::CloudFront::CloudFrontOriginAccessIdentity'));
      // Assess
      built.webTemplate!.resourceCountIs('AWS::CloudFront::OriginAccessControl', 0);
      expect(oai).toHaveLength(1);
      expect((distributionConfig(built).Origins as Json[])[0]).toMatchObject({
        S3OriginConfig: { OriginAccessIdentity: { 'Fn::Join': ['', ['origin-access-identity/cloudfront/', { Ref: oai[0] }]] } },
      });
      built.webTemplate!.hasResourceProperties('AWS::S3::BucketPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Allow',
              Action: 's3:GetObject',
              Principal: { CanonicalUser: { 'Fn::GetAtt': [oai[0], 'S3CanonicalUserId'] } },
            }),
          ]),
        },
      });
    });

    it('allows the ICP domain in CORS and writes the China API URL into config.json', () => {
      expect(propertiesOf(built.statelessTemplate, 'AWS::ApiGatewayV2::Api').CorsConfiguration).toMatchObject({
        AllowOrigins: ['http://localhost:3000', 'https://kepu.example.cn'],
      });
      expect(synthesizedConfig(built).apiUrl).toBe(
        importOf(built.statelessTemplate, { 'Fn::GetAtt': [logicalIdOf(built.stateless.api), 'ApiEndpoint'] }),
      );
      expect(cspOf(built)).toContain('https://*.execute-api.cn-north-1.${AWS::URLSuffix}');
    });

    it("writes the configured campaign (webCampaignId) into config.json, so /public opens that campaign's calendar", () => {
      expect(synthesizedConfig(built).campaignId).toBe('2026-xinxiang');
    });

    it('writes no literal arn:aws: string into either web template', () => {
      for (const template of [built.webTemplate!, built.webContentTemplate!]) {
        expect(JSON.stringify(template.toJSON())).not.toContain('arn:aws:');
      }
    });
  });
});

describe('web=false', () => {
  it('builds no web stacks, keeps CORS to the front-end origins and the Cognito client without OAuth', () => {
    // Act
    const built = buildTestApp({ context: { web: false } });
    // Assess
    expect(built.web).toBeUndefined();
    expect(built.webOrigin).toBeUndefined();
    expect(propertiesOf(built.statefulTemplate, 'AWS::Cognito::UserPoolClient').AllowedOAuthFlowsUserPoolClient).toBe(false);
    built.statefulTemplate.resourceCountIs('AWS::Cognito::UserPoolDomain', 0);
  });
});

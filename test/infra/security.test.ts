// Issue 17 (security hardening), items 8, 9, 12 and 13 as the synthesized templates show them
// (ADR 0033, docs/security.md): each test states the attack and asserts the guard that stops it.
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { BUCKET_ACTIONS, TABLE_ACTIONS } from '../../infra/constructs/app-function';
import { EDGE_HEALTH_SECONDS, EDGE_PUBLIC_PATH, EDGE_PUBLIC_SECONDS } from '../../infra/constructs/api-edge';
import { EDGE_RATE_LIMITS, RATE_WINDOW_SECONDS, publicPathPattern } from '../../infra/stacks/api-firewall-stack';
import { STAGE_THROTTLE, httpRoutes, topology, type TableAccess } from '../../infra/topology';
import { allowStatementsOfRole, buildTestApp, logicalIdOf, type BuiltApp } from '../helpers/infra-app';

const EXTERNAL_ISSUER = { jwtIssuer: 'https://idp.example.cn/realms/sciday', jwtAudience: 'sciday-web' };
const CHINA = { account: '123456789012', region: 'cn-north-1' } as const;
const CHINA_WEB = { webDomain: 'kepu.example.cn', webIamCertificateId: 'ASCAEXAMPLEIAMCERT1' };
/** An `aws` region known at synth (as with an AWS profile: CDK_DEFAULT_REGION, infra/app.ts). */
const TOKYO = { account: '123456789012', region: 'ap-northeast-1' } as const;

type Statement = ReturnType<typeof allowStatementsOfRole>[number] & { Condition?: Record<string, Record<string, unknown>> };
const list = <T>(value: T | T[]): T[] => [value].flat() as T[];
const functionIds = Object.keys(topology.functions) as Array<keyof typeof topology.functions>;

describe('Issue 17: the front door (item 8)', () => {
  let built: BuiltApp;
  beforeAll(() => {
    built = buildTestApp({ env: TOKYO });
  });
  const stageProps = () => Object.values(built.statelessTemplate.findResources('AWS::ApiGatewayV2::Stage'))[0]!;

  describe('throttles that hold for every client (both partitions)', () => {
    it('keeps the stage-wide default and gives every throttled route its own, lower route settings', () => {
      const stage = stageProps();
      expect(stage.Properties.DefaultRouteSettings).toMatchObject({ ThrottlingRateLimit: STAGE_THROTTLE.rateLimit, ThrottlingBurstLimit: STAGE_THROTTLE.burstLimit });
      const throttled = httpRoutes(topology).filter((r) => r.throttle);
      expect(Object.keys(stage.Properties.RouteSettings).sort()).toEqual(throttled.map((r) => `${r.method} ${r.path}`).sort());
      for (const r of throttled) {
        expect(stage.Properties.RouteSettings[`${r.method} ${r.path}`]).toEqual({ ThrottlingRateLimit: r.throttle!.rateLimit, ThrottlingBurstLimit: r.throttle!.burstLimit });
      }
    });

    it('throttles every public route below the stage, so anonymous traffic cannot use up what signed-in users share', () => {
      const settings = stageProps().Properties.RouteSettings as Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }>;
      const publicRoutes = httpRoutes(topology).filter((r) => r.public);
      expect(publicRoutes.length).toBeGreaterThanOrEqual(4);
      for (const r of publicRoutes) {
        const own = settings[`${r.method} ${r.path}`];
        expect(own).toBeDefined();
        expect(own!.ThrottlingRateLimit).toBeLessThan(STAGE_THROTTLE.rateLimit);
        expect(own!.ThrottlingBurstLimit).toBeLessThan(STAGE_THROTTLE.burstLimit);
      }
      // The deep check and export creation get the tightest ones.
      expect(settings['GET /health']!.ThrottlingRateLimit).toBeLessThanOrEqual(2);
      expect(settings['POST /v1/campaigns/{campaignId}/exports']!.ThrottlingRateLimit).toBeLessThanOrEqual(1);
    });

    it('creates the stage after the routes its settings name (a setting of a missing route fails the deployment)', () => {
      const routes = Object.keys(built.statelessTemplate.findResources('AWS::ApiGatewayV2::Route'));
      expect(routes.length).toBe(httpRoutes(topology).length);
      expect(list(stageProps().DependsOn as string[])).toEqual(expect.arrayContaining(routes));
    });

    it('keeps the same route throttles in AWS China, where no per-client limits exist in front of the API', () => {
      const china = buildTestApp({ env: CHINA, context: { ...EXTERNAL_ISSUER, ...CHINA_WEB } });
      const stage = Object.values(china.statelessTemplate.findResources('AWS::ApiGatewayV2::Stage'))[0]!;
      expect(stage.Properties.RouteSettings).toEqual(stageProps().Properties.RouteSettings);
      expect(china.apiFirewall).toBeUndefined();
      china.statelessTemplate.resourceCountIs('AWS::CloudFront::Distribution', 0);
    });
  });

  describe('a liveness route that makes no AWS call', () => {
    it('routes GET /health/live, public, to get-liveness, apart from the deep GET /health', () => {
      const routes = Object.values(built.statelessTemplate.findResources('AWS::ApiGatewayV2::Route')).map((r) => r.Properties.RouteKey);
      expect(routes).toEqual(expect.arrayContaining(['GET /health', 'GET /health/live']));
      expect(httpRoutes(topology).find((r) => r.path === '/health/live')).toMatchObject({ functionId: 'get-liveness', public: true });
    });

    it('gives get-liveness a role that may call no AWS service but its own logs and traces, and no resource to know of', () => {
      const fn = built.stateless.functions['get-liveness']!;
      const statements = allowStatementsOfRole(built.statelessTemplate, logicalIdOf(fn.role!));
      const services = new Set(statements.flatMap((s) => list(s.Action)).map((a) => a.split(':')[0]));
      expect([...services].sort()).toEqual(['logs', 'xray']);
      const env = built.statelessTemplate.toJSON().Resources[logicalIdOf(fn)].Properties.Environment.Variables as Record<string, unknown>;
      expect(Object.keys(env).filter((k) => /_(TABLE_NAME|QUEUE_URL|BUCKET_NAME)$/.test(k))).toEqual([]);
    });
  });

  describe('per-client limits: WAF rate rules on a CloudFront edge (aws)', () => {
    let firewall: Template;
    beforeAll(() => {
      firewall = Template.fromStack(built.apiFirewall!);
    });
    interface Rule {
      Name: string;
      Action: unknown;
      Statement: {
        RateBasedStatement: {
          EvaluationWindowSec: number;
          ScopeDownStatement: { RegexMatchStatement: { FieldToMatch: unknown; RegexString: string } };
        } & Record<string, unknown>;
      };
    }
    const rules = () => Object.values(firewall.findResources('AWS::WAFv2::WebACL'))[0]!.Properties.Rules as Rule[];

    it('makes the web ACL in us-east-1, scope CLOUDFRONT, allowing what no rule blocks', () => {
      expect(built.apiFirewall!.region).toBe('us-east-1');
      firewall.resourceCountIs('AWS::WAFv2::WebACL', 1);
      firewall.hasResourceProperties('AWS::WAFv2::WebACL', { Scope: 'CLOUDFRONT', DefaultAction: { Allow: {} } });
    });

    it('limits each IP address, each IP address on the public routes, and each bearer token, answering 429', () => {
      const byName = Object.fromEntries(rules().map((r) => [r.Name, r]));
      expect(Object.keys(byName).sort()).toEqual(['PerAddress', 'PerToken', 'PublicRoutesPerAddress']);
      for (const rule of rules()) {
        expect(rule.Action).toEqual({ Block: { CustomResponse: { ResponseCode: 429, CustomResponseBodyKey: 'too-many-requests' } } });
        expect(rule.Statement.RateBasedStatement.EvaluationWindowSec).toBe(RATE_WINDOW_SECONDS);
      }
      expect(byName.PerAddress!.Statement.RateBasedStatement).toMatchObject({ AggregateKeyType: 'IP', Limit: EDGE_RATE_LIMITS.perAddress });
      expect(byName.PublicRoutesPerAddress!.Statement.RateBasedStatement).toMatchObject({ AggregateKeyType: 'IP', Limit: EDGE_RATE_LIMITS.publicPerAddress });
      expect(byName.PerToken!.Statement.RateBasedStatement).toMatchObject({
        AggregateKeyType: 'CUSTOM_KEYS',
        Limit: EDGE_RATE_LIMITS.perToken,
        CustomKeys: [{ Header: { Name: 'authorization', TextTransformations: [{ Priority: 0, Type: 'NONE' }] } }],
      });
      expect(EDGE_RATE_LIMITS.publicPerAddress).toBeLessThan(EDGE_RATE_LIMITS.perAddress);
      const body = Object.values(firewall.findResources('AWS::WAFv2::WebACL'))[0]!.Properties.CustomResponseBodies['too-many-requests'];
      expect(JSON.parse(body.Content)).toMatchObject({ status: 429 });
    });

    it('counts exactly the public routes in the public rule (paths from the topology)', () => {
      const rule = rules().find((r) => r.Name === 'PublicRoutesPerAddress')!;
      const regex = rule.Statement.RateBasedStatement.ScopeDownStatement.RegexMatchStatement;
      expect(regex.FieldToMatch).toEqual({ UriPath: {} });
      expect(regex.RegexString).toBe(publicPathPattern(topology));
      const matches = (path: string) => new RegExp(regex.RegexString).test(path);
      for (const path of ['/health', '/health/live', '/v1/openapi.json', '/v1/campaigns/2021-xinxiang']) expect(matches(path)).toBe(true);
      for (const path of ['/v1/campaigns/2021-xinxiang/activities', '/v1/campaigns', '/healthz', '/v1/openapi-json', '/v1/exports/x']) expect(matches(path)).toBe(false);
    });

    it('puts the API behind a distribution with that web ACL: nothing cached but GET /health, every method and header passed on', () => {
      built.statelessTemplate.resourceCountIs('AWS::CloudFront::Distribution', 1);
      const config = Object.values(built.statelessTemplate.findResources('AWS::CloudFront::Distribution'))[0]!.Properties.DistributionConfig;
      // The ACL's ARN crosses from us-east-1 (CDK's cross-region reference, read at deploy time).
      expect(JSON.stringify(config.WebACLId)).toContain('WebAcl');
      expect(config.DefaultCacheBehavior).toMatchObject({
        ViewerProtocolPolicy: 'https-only',
        AllowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'],
        // Managed policies: CachingDisabled, AllViewerExceptHostHeader.
        CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad',
        OriginRequestPolicyId: 'b689b0a8-53d0-40ab-baf2-68738e2966ac',
      });
      // And, since ADR 0044, the public calendar, as its answers' Cache-Control says.
      expect(config.CacheBehaviors).toEqual([
        expect.objectContaining({ PathPattern: '/health', AllowedMethods: ['GET', 'HEAD'] }),
        expect.objectContaining({ PathPattern: EDGE_PUBLIC_PATH, AllowedMethods: ['GET', 'HEAD'] }),
      ]);
      built.statelessTemplate.hasResourceProperties('AWS::CloudFront::CachePolicy', {
        CachePolicyConfig: Match.objectLike({ DefaultTTL: EDGE_PUBLIC_SECONDS.default, MaxTTL: EDGE_PUBLIC_SECONDS.max, MinTTL: 0 }),
      });
      const origin = config.Origins[0];
      expect(origin.CustomOriginConfig).toMatchObject({ OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] });
      expect(JSON.stringify(origin.DomainName)).toContain('execute-api');
      expect(config.Logging).toBeDefined();
      built.statelessTemplate.hasResourceProperties('AWS::CloudFront::CachePolicy', {
        CachePolicyConfig: Match.objectLike({ DefaultTTL: EDGE_HEALTH_SECONDS, MaxTTL: EDGE_HEALTH_SECONDS, MinTTL: 0 }),
      });
    });

    it('sends the web app through the edge: config.json names it, and the CSP lets the app reach it', () => {
      const config = JSON.stringify(built.webContentTemplate!.toJSON());
      expect(config).toContain(logicalIdOf(built.stateless.edge!.distribution).slice(0, 12));
      const csp = JSON.stringify(built.webTemplate!.findResources('AWS::CloudFront::ResponseHeadersPolicy'));
      expect(csp).toContain('https://*.cloudfront.net');
    });

    it('builds no edge when the region is not known at synth, and says so; none with apiEdge=false, silently', () => {
      const agnostic = buildTestApp();
      expect(agnostic.apiFirewall).toBeUndefined();
      agnostic.statelessTemplate.resourceCountIs('AWS::CloudFront::Distribution', 0);
      Annotations.fromStack(agnostic.stateless).hasWarning('*', Match.stringLikeRegexp('No per-client limits in front of the API'));
      const off = buildTestApp({ env: TOKYO, context: { apiEdge: 'false' } });
      expect(off.apiFirewall).toBeUndefined();
      expect(Annotations.fromStack(off.stateless).findWarning('*', Match.stringLikeRegexp('per-client'))).toEqual([]);
    });

    it('keeps the web ACL in the API’s own stack when the API is in us-east-1 (no cross-region reference)', () => {
      const virginia = buildTestApp({ env: { account: '123456789012', region: 'us-east-1' }, context: { web: 'false' } });
      expect(virginia.apiFirewall!.region).toBe('us-east-1');
      const resources = Object.values(Template.fromStack(virginia.apiFirewall!).toJSON().Resources as Record<string, { Type: string }>).map((r) => r.Type);
      expect(resources).toEqual(['AWS::WAFv2::WebACL']);
    });
  });
});

describe('Issue 17: exports cannot take the account’s concurrency (item 9)', () => {
  // Reserved only where the stage says its account has room (issue 18; the default, none, is asserted in stage.test.ts).
  it('reserves run-export’s concurrency when the stage allows it, and caps its queue’s event source at it', () => {
    const built = buildTestApp({ context: { web: 'false', reserveConcurrency: 'true' } });
    const runExport = built.statelessTemplate.toJSON().Resources[logicalIdOf(built.stateless.functions['run-export']!)];
    const reserved = topology.functions['run-export'].reservedConcurrency;
    expect(runExport.Properties.ReservedConcurrentExecutions).toBe(reserved);
    built.statelessTemplate.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: logicalIdOf(built.stateless.functions['run-export']!) },
      ScalingConfig: { MaximumConcurrency: reserved },
    });
  });
});

describe('Issue 17: CORS outside development stages (item 12)', () => {
  const corsOf = (built: BuiltApp) =>
    Object.values(built.statelessTemplate.findResources('AWS::ApiGatewayV2::Api'))[0]!.Properties.CorsConfiguration.AllowOrigins as unknown[];
  const mediaCorsOf = (built: BuiltApp) =>
    Object.values(built.statefulTemplate.findResources('AWS::S3::Bucket'))
      .map((b) => b.Properties.CorsConfiguration?.CorsRules?.[0]?.AllowedOrigins)
      .filter(Boolean)
      .flat() as unknown[];

  it('fails a production synth without frontEndOrigins (and no hosted web app), saying what to pass', () => {
    expect(() => buildTestApp({ context: { stage: 'prod', web: 'false' } })).toThrow(/frontEndOrigins is required for stage prod[\s\S]*never http:\/\/localhost:3000/);
  });

  it.each([['http://localhost:3000'], ['http://kepu.example.cn'], ['https://127.0.0.1:8443'], ['*'], ['https://kepu.example.cn/app']])(
    'refuses %s as a production front-end origin',
    (origin) => {
      expect(() => buildTestApp({ context: { stage: 'prod', web: 'false', frontEndOrigins: origin } })).toThrow(/stage prod trusts only https origins/);
    },
  );

  it('trusts exactly the https origins given in production, in the API and the media bucket alike', () => {
    const built = buildTestApp({ context: { stage: 'prod', web: 'false', frontEndOrigins: 'https://kepu.example.cn, https://admin.example.cn' } });
    expect(corsOf(built)).toEqual(['https://kepu.example.cn', 'https://admin.example.cn']);
    expect(mediaCorsOf(built)).toEqual(['https://kepu.example.cn', 'https://admin.example.cn']);
  });

  it('trusts the hosted web app’s origin in production without frontEndOrigins, and never localhost', () => {
    const built = buildTestApp({ context: { stage: 'prod' } });
    const text = JSON.stringify([corsOf(built), mediaCorsOf(built)]);
    expect(text).not.toContain('localhost');
    expect(corsOf(built)).toHaveLength(1);
    expect(JSON.stringify(corsOf(built))).toMatch(/SiteDistribution\w*DomainName/);
  });

  it('keeps http://localhost:3000 as the default of the development stages only', () => {
    for (const stage of ['dev', 'test']) {
      expect(corsOf(buildTestApp({ context: { stage, web: 'false' } }))).toEqual(['http://localhost:3000']);
    }
  });
});

describe('Issue 17: least privilege of the functions (item 13)', () => {
  let built: BuiltApp;
  beforeAll(() => {
    built = buildTestApp({ context: { web: 'false' } });
  });
  const statementsOf = (id: string) => allowStatementsOfRole(built.statelessTemplate, logicalIdOf(built.stateless.functions[id]!.role!)) as Statement[];
  /** The table ids a statement's resources name (its Fn::ImportValue export names carry the logical ids). */
  const tablesOf = (s: Statement) =>
    Object.keys(topology.tables).filter((t) => JSON.stringify(s.Resource).includes(logicalIdOf(built.stateful.tables[t]!).slice(0, 12)));

  it.each(functionIds)('gives %s on each table exactly the actions of its declared access, never Scan', (id) => {
    const spec = topology.functions[id] as { tables?: Record<string, TableAccess> };
    const declared = spec.tables ?? {};
    const dynamo = statementsOf(id).filter((s) => list(s.Action).some((a) => a.startsWith('dynamodb:')));
    for (const [table, access] of Object.entries(declared)) {
      const actions = new Set(dynamo.filter((s) => tablesOf(s).includes(table)).flatMap((s) => list(s.Action)));
      const expected =
        access === 'describe'
          ? ['dynamodb:DescribeTable']
          : [...(access === 'write' ? [] : TABLE_ACTIONS.read), ...(access === 'read' ? [] : TABLE_ACTIONS.write)];
      expect([...actions]).toEqual(expect.arrayContaining([...expected]));
      const extra = [...actions].filter((a) => !expected.includes(a as never));
      // A stream consumer's event source adds the stream reads (on the stream's ARN, not the table's
      // items); a function that copies the table (ADR 0017) starts and polls its point-in-time exports.
      const allowed = ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', ...('tableCopies' in topology.functions[id] ? ['dynamodb:ExportTableToPointInTime', 'dynamodb:DescribeExport'] : [])];
      expect(extra.filter((a) => !allowed.includes(a))).toEqual([]);
    }
    expect(dynamo.flatMap((s) => list(s.Action))).not.toContain('dynamodb:Scan');
    expect(dynamo.flatMap((s) => list(s.Action)).filter((a) => a.includes('*'))).toEqual([]);
  });

  it('gives every function behind GET routes only no write action on any table (a read-only handler cannot write)', () => {
    const getOnly = functionIds.filter((id) => {
      const http = topology.functions[id].triggers.filter((t) => t.kind === 'http');
      return http.length > 0 && http.every((t) => t.kind === 'http' && t.method === 'GET');
    });
    expect(getOnly.length).toBeGreaterThan(15);
    for (const id of getOnly) {
      const actions = statementsOf(id).flatMap((s) => list(s.Action));
      expect({ id, writes: actions.filter((a) => /^dynamodb:(Put|Update|Delete|BatchWrite)/.test(a) || /^s3:(Put|Delete)/.test(a)) }).toEqual({ id, writes: [] });
    }
  });

  it('grants no S3 action family (List*, GetBucket*, GetObject*) and lists a bucket only as the topology asks', () => {
    for (const id of functionIds) {
      const s3 = statementsOf(id).filter((s) => list(s.Action).some((a) => a.startsWith('s3:')));
      const wildcards = s3.flatMap((s) => list(s.Action)).filter((a) => a.includes('*'));
      expect({ id, wildcards }).toEqual({ id, wildcards: [] });
      const listing = s3.filter((s) => list(s.Action).includes('s3:ListBucket'));
      const buckets = (topology.functions[id] as { buckets?: Record<string, { access: string; list?: string }> }).buckets ?? {};
      const wholeBucket = Object.values(buckets).filter((b) => b.access === 'describe' || b.list === 'bucket').length;
      const byPrefix = Object.values(buckets).filter((b) => b.list === 'prefixes').length;
      // Statements of one shape are merged (minimizePolicies): count the buckets they name.
      const whole = listing.filter((s) => !s.Condition).flatMap((s) => list(s.Resource)).length;
      expect({ id, whole }).toEqual({ id, whole: wholeBucket });
      expect(listing.filter((s) => s.Condition).flatMap((s) => list(s.Resource)).length).toBeGreaterThanOrEqual(byPrefix);
    }
  });

  it('lets a prefix-scoped reader (list-media, get-export) get objects under its prefixes and nothing on the bucket', () => {
    for (const id of ['list-media', 'get-export'] as const) {
      const s3 = statementsOf(id).filter((s) => list(s.Action).some((a) => a.startsWith('s3:')));
      expect(s3.flatMap((s) => list(s.Action))).toEqual([...BUCKET_ACTIONS.read]);
      const resources = s3.flatMap((s) => list(s.Resource)).map((r) => JSON.stringify(r));
      const prefixes = topology.functions[id].buckets;
      const expected = Object.values(prefixes).flatMap((b) => b.prefixes ?? []);
      expect(resources.length).toBe(expected.length);
      for (const [i, prefix] of expected.entries()) expect(resources[i]).toContain(`/${prefix}*`);
    }
  });

  it('lets run-export list only its own folders of the exports bucket (s3:prefix), as Athena and the CTAS need', () => {
    const listing = statementsOf('run-export').filter((s) => list(s.Action).includes('s3:ListBucket'));
    expect(listing.length).toBeGreaterThan(0);
    for (const s of listing) {
      const prefixes = (s.Condition?.StringLike?.['s3:prefix'] ?? []) as string[];
      expect(prefixes.length).toBeGreaterThan(0);
    }
    const exportsPrefixes = listing.flatMap((s) => (s.Condition?.StringLike?.['s3:prefix'] ?? []) as string[]);
    expect(exportsPrefixes).toEqual(expect.arrayContaining(['campaign=*', 'table-copies/*']));
  });
});

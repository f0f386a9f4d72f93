import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';
import { httpRoutes, type Topology } from '../topology';

/** The window every rate rule counts requests in (seconds; WAF allows 60, 120, 300 or 600). */
export const RATE_WINDOW_SECONDS = 300;

/**
 * The per-client limits of the API's edge, in requests per {@link RATE_WINDOW_SECONDS} (ADR 0033).
 * A city's units often share one office address (NAT), so the per-address limits are generous and
 * the per-user one is the tight one.
 */
export const EDGE_RATE_LIMITS = {
  /** Any request from one IP address: a flood, whatever it asks for (10 a second on average). */
  perAddress: 3000,
  /** The public routes (no token) from one IP address: 2 a second on average. */
  publicPerAddress: 600,
  /** Requests with one bearer token (one signed-in session): 5 a second on average. */
  perToken: 1500,
} as const;

/** The name of the web ACL's 429 answer (a problem document, zh and en). */
const TOO_MANY = 'too-many-requests';

/**
 * A regular expression matching the paths of the topology's public routes, path parameters as one
 * segment each: what the public-route rule counts.
 */
export function publicPathPattern(topology: Topology): string {
  const paths = [...new Set(httpRoutes(topology).filter((r) => r.public).map((r) => r.path))].sort();
  const one = (path: string) =>
    path
      .split('/')
      .map((segment) => (/^\{[^}]+\}$/.test(segment) ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('/');
  return `^(${paths.map(one).join('|')})$`;
}

export interface ApiFirewallStackProps extends StackProps {
  readonly topology: Topology;
  readonly stage: string;
}

/**
 * `SciDay-<stage>-ApiFirewall`: the WAFv2 web ACL of the API's CloudFront edge (ADR 0033). A web
 * ACL for CloudFront must live in us-east-1, so this stack always deploys there, whatever the
 * API's region; the stateless stack takes its ARN (a cross-region reference). Three rate-based
 * rules, each blocking with 429 and a problem document for the rest of the window:
 * - `PerAddress`: every request of one IP address;
 * - `PublicRoutesPerAddress`: the routes that need no token, per IP address;
 * - `PerToken`: every request carrying one `Authorization` header (one signed-in session).
 * Everything else is allowed: who may do what is the API's business.
 */
export class ApiFirewallStack extends Stack {
  readonly webAcl: CfnWebACL;

  constructor(scope: Construct, id: string, props: ApiFirewallStackProps) {
    super(scope, id, props);
    const visibility = (name: string): CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
      metricName: `sciday-${props.stage}-api-${name}`,
    });
    const block: CfnWebACL.RuleActionProperty = { block: { customResponse: { responseCode: 429, customResponseBodyKey: TOO_MANY } } };
    const rate = (statement: CfnWebACL.RateBasedStatementProperty): CfnWebACL.StatementProperty => ({
      rateBasedStatement: { evaluationWindowSec: RATE_WINDOW_SECONDS, ...statement },
    });

    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      name: `sciday-${props.stage}-api`,
      description: `SciDay ${props.stage} - per-client limits of the API CloudFront edge`,
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('all'),
      customResponseBodies: {
        [TOO_MANY]: {
          contentType: 'APPLICATION_JSON',
          content: JSON.stringify({
            type: 'about:blank',
            title: '请求过于频繁，请稍后重试 · Too many requests from you: retry in a few minutes',
            status: 429,
            detail: `More than this client's share of requests within ${RATE_WINDOW_SECONDS / 60} minutes.`,
          }),
        },
      },
      rules: [
        {
          name: 'PerAddress',
          priority: 0,
          action: block,
          visibilityConfig: visibility('per-address'),
          statement: rate({ aggregateKeyType: 'IP', limit: EDGE_RATE_LIMITS.perAddress }),
        },
        {
          name: 'PublicRoutesPerAddress',
          priority: 1,
          action: block,
          visibilityConfig: visibility('public-per-address'),
          statement: rate({
            aggregateKeyType: 'IP',
            limit: EDGE_RATE_LIMITS.publicPerAddress,
            scopeDownStatement: {
              regexMatchStatement: {
                regexString: publicPathPattern(props.topology),
                fieldToMatch: { uriPath: {} },
                textTransformations: [{ priority: 0, type: 'NONE' }],
              },
            },
          }),
        },
        {
          name: 'PerToken',
          priority: 2,
          action: block,
          visibilityConfig: visibility('per-token'),
          // A request without the header is not counted by this rule (the address rules count it).
          statement: rate({
            aggregateKeyType: 'CUSTOM_KEYS',
            limit: EDGE_RATE_LIMITS.perToken,
            customKeys: [{ header: { name: 'authorization', textTransformations: [{ priority: 0, type: 'NONE' }] } }],
          }),
        },
      ],
    });
    new CfnOutput(this, 'WebAclArn', { value: this.webAcl.attrArn, description: 'The API edge’s web ACL (per-client limits)' });
  }
}

import { Duration, Stack, type RemovalPolicy } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  AllowedMethods,
  CacheCookieBehavior,
  CacheHeaderBehavior,
  CachePolicy,
  CacheQueryStringBehavior,
  Distribution,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  OriginSslPolicy,
  PriceClass,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledgeApiEdge } from '../nag-acknowledgements';

/** How long the edge keeps `GET /health`'s report (the function reuses its own as long, ADR 0033). */
export const EDGE_HEALTH_SECONDS = 10;

/**
 * The public calendar's routes (ADR 0044), all under this path: the edge keeps their answers as
 * their `Cache-Control` says (`s-maxage`), within these bounds, keyed by path and query string.
 */
export const EDGE_PUBLIC_PATH = '/v1/public/*';
export const EDGE_PUBLIC_SECONDS = { default: 60, max: 300 } as const;

export interface ApiEdgeProps {
  readonly api: HttpApi;
  readonly stage: string;
  /** The WAFv2 web ACL (scope CLOUDFRONT) with the per-client rate rules, from {@link ApiFirewallStack}. */
  readonly webAclArn: string;
  /** Of the distribution's log bucket (the house rule: DESTROY in dev/test, RETAIN elsewhere). */
  readonly removalPolicy: RemovalPolicy;
}

/**
 * The API's front door on AWS (ADR 0033): a CloudFront distribution in front of the HTTP API with
 * the web ACL whose rate-based rules limit each client (an HTTP API takes no web ACL itself).
 * Nothing is cached but `GET /health` (10 s, whoever asks) and the public calendar (`/v1/public/*`,
 * as its answers' `Cache-Control` says, at most 5 minutes); every other request goes to the API with all
 * its headers, query string and body except `Host`. HTTPS only, TLS 1.2 to the origin, standard
 * logs to a bucket of their own.
 *
 * The API's own endpoint stays reachable (an HTTP API cannot be closed to all but CloudFront): a
 * client that goes there skips the per-client limits, and meets the stage's and the routes'
 * throttles, which hold for everyone (docs/security.md).
 */
export class ApiEdge extends Construct {
  readonly distribution: Distribution;
  readonly logsBucket: Bucket;
  /** `https://<distribution domain>` (a deploy-time value), no trailing slash. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: ApiEdgeProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.logsBucket = new Bucket(this, 'Logs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: BucketEncryption.S3_MANAGED,
      // CloudFront's standard logs are delivered with an ACL grant.
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      removalPolicy: props.removalPolicy,
      lifecycleRules: [{ abortIncompleteMultipartUploadAfter: Duration.days(1), expiration: Duration.days(365) }],
    });

    const origin = new HttpOrigin(`${props.api.apiId}.execute-api.${stack.region}.${stack.urlSuffix}`, {
      protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [OriginSslPolicy.TLS_V1_2],
      readTimeout: Duration.seconds(30),
    });
    const health = new CachePolicy(this, 'HealthCaching', {
      comment: `SciDay ${props.stage} API: GET /health, ${EDGE_HEALTH_SECONDS} s for everyone`,
      minTtl: Duration.seconds(0),
      defaultTtl: Duration.seconds(EDGE_HEALTH_SECONDS),
      maxTtl: Duration.seconds(EDGE_HEALTH_SECONDS),
      headerBehavior: CacheHeaderBehavior.none(),
      cookieBehavior: CacheCookieBehavior.none(),
      queryStringBehavior: CacheQueryStringBehavior.none(),
    });
    // No header in the key: the answers are the same for everyone (a problem's language aside, for seconds).
    const publicCalendar = new CachePolicy(this, 'PublicCaching', {
      comment: `SciDay ${props.stage} API: the public calendar, as its Cache-Control says`,
      minTtl: Duration.seconds(0),
      defaultTtl: Duration.seconds(EDGE_PUBLIC_SECONDS.default),
      maxTtl: Duration.seconds(EDGE_PUBLIC_SECONDS.max),
      headerBehavior: CacheHeaderBehavior.none(),
      cookieBehavior: CacheCookieBehavior.none(),
      queryStringBehavior: CacheQueryStringBehavior.all(),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });
    this.distribution = new Distribution(this, 'Distribution', {
      comment: `SciDay ${props.stage} API (per-client limits)`,
      defaultBehavior: {
        origin,
        // API clients: a redirect of a POST loses its body, so plain HTTP is refused, not redirected.
        viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
        allowedMethods: AllowedMethods.ALLOW_ALL,
        cachePolicy: CachePolicy.CACHING_DISABLED,
        // Authorization, Idempotency-Key, If-Match, Origin, Accept-Language … and the query string.
        originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
        compress: true,
      },
      additionalBehaviors: {
        '/health': {
          origin,
          viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
          cachePolicy: health,
        },
        [EDGE_PUBLIC_PATH]: {
          origin,
          viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
          cachePolicy: publicCalendar,
          compress: true,
        },
      },
      webAclId: props.webAclArn,
      enableLogging: true,
      logBucket: this.logsBucket,
      logFilePrefix: 'api/',
      enableIpv6: true,
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_ALL,
    });
    acknowledgeApiEdge(this.distribution, this.logsBucket);
    this.url = `https://${this.distribution.distributionDomainName}`;
  }
}

import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  CacheCookieBehavior,
  CachedMethods,
  CacheHeaderBehavior,
  CachePolicy,
  CacheQueryStringBehavior,
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
  type CfnDistribution,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/** The TLS certificate of a custom domain: ACM (us-east-1, `aws` only) or an IAM server certificate (AWS China). */
export type WebCertificate = { readonly acmCertificateArn: string } | { readonly iamCertificateId: string };

/** A custom domain of the web site, e.g. `kepu.example.cn`, with its certificate. */
export interface WebDomain {
  readonly name: string;
  readonly certificate: WebCertificate;
}

/** What the browser app may reach besides its own origin (Content-Security-Policy sources). */
export interface WebCspSources {
  /** fetch/XHR targets: the API, the OIDC issuer and its endpoints (connect-src). */
  readonly connect: readonly string[];
  /** The media bucket: presigned POST uploads (connect-src) and short-lived GET links (img-src, media-src). */
  readonly media: readonly string[];
}

/**
 * The Content-Security-Policy of the web app: its own scripts only, no framing, no plugins, and
 * network access to exactly the given sources. `style-src` allows inline styles: Element Plus
 * sets `style` attributes at run time.
 */
export function contentSecurityPolicy(sources: WebCspSources): string {
  const directives: ReadonlyArray<readonly [string, readonly string[]]> = [
    ['default-src', ["'self'"]],
    ['script-src', ["'self'"]],
    ['style-src', ["'self'", "'unsafe-inline'"]],
    ['img-src', ["'self'", 'data:', 'blob:', ...sources.media]],
    ['media-src', ["'self'", 'blob:', ...sources.media]],
    ['font-src', ["'self'", 'data:']],
    ['connect-src', ["'self'", ...sources.connect, ...sources.media]],
    ['object-src', ["'none'"]],
    ['base-uri', ["'self'"]],
    ['form-action', ["'self'"]],
    ['frame-ancestors', ["'none'"]],
    ['upgrade-insecure-requests', []],
  ];
  return directives.map(([name, values]) => [name, ...new Set(values)].join(' ')).join('; ');
}

export interface WebSiteProps {
  readonly stage: string;
  /** Of the site and log buckets (the house rule: DESTROY in dev/test, RETAIN elsewhere). */
  readonly removalPolicy: RemovalPolicy;
  /**
   * AWS China: CloudFront there offers no origin access control (an origin access identity
   * instead), no IPv6 and no HTTP/3, and serves only on an ICP-registered custom domain.
   */
  readonly china: boolean;
  /** @default the distribution's own `*.cloudfront.net` name and certificate (not in AWS China) */
  readonly domain?: WebDomain;
  readonly csp: WebCspSources;
  /** A WAFv2 web ACL (scope CLOUDFRONT, us-east-1) to associate. @default none */
  readonly webAclArn?: string;
}

/**
 * Where the web app is served from: a private bucket (no website hosting, public access
 * blocked, SSE-S3, TLS only) that only this CloudFront distribution may read (origin access
 * control, or an origin access identity in AWS China), and the distribution itself: HTTPS only,
 * `index.html` for `/` and for every unknown path (the app's history-mode routes), security
 * headers with a Content-Security-Policy, and each object's own Cache-Control (set by
 * {@link WebSiteContent}: `no-cache` for `index.html` and `config.json`, a year and immutable for
 * `assets/*`). Standard logs of the distribution and server access logs of the bucket go to a
 * log bucket of their own.
 *
 * @example
 * const site = new WebSite(this, 'Site', { stage, removalPolicy, china: false, csp: { connect: [api], media: [s3] } });
 * site.origin; // https://d111111abcdef8.cloudfront.net (a token), or https://<domain>
 */
export class WebSite extends Construct {
  readonly bucket: Bucket;
  readonly logsBucket: Bucket;
  readonly distribution: Distribution;
  readonly responseHeadersPolicy: ResponseHeadersPolicy;
  /** `https://<custom domain>`, or `https://<distribution domain name>` (a deploy-time value). */
  readonly origin: string;

  constructor(scope: Construct, id: string, props: WebSiteProps) {
    super(scope, id);
    const secure = {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: BucketEncryption.S3_MANAGED,
      removalPolicy: props.removalPolicy,
    } as const;

    // CloudFront standard logs are delivered with an ACL grant, so this bucket keeps ACLs on
    // (bucket owner preferred); the site bucket's server access logs come through its policy.
    this.logsBucket = new Bucket(this, 'Logs', {
      ...secure,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ abortIncompleteMultipartUploadAfter: Duration.days(1), expiration: Duration.days(365) }],
    });
    this.bucket = new Bucket(this, 'Files', {
      ...secure,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.logsBucket,
      serverAccessLogsPrefix: 'site/',
      lifecycleRules: [{ abortIncompleteMultipartUploadAfter: Duration.days(1) }],
    });

    this.responseHeadersPolicy = new ResponseHeadersPolicy(this, 'Headers', {
      comment: `SciDay ${props.stage} web: security headers and Content-Security-Policy`,
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: contentSecurityPolicy(props.csp), override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        // As on one machine: the API and S3 need no Referer, and the callback URL carries the code.
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(730), includeSubdomains: false, override: true },
        // Modern browsers have no XSS auditor; "0" keeps old ones from introducing leaks.
        xssProtection: { protection: false, override: true },
      },
      customHeadersBehavior: {
        customHeaders: [
          { header: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=(), usb=()', override: true },
          { header: 'Cross-Origin-Opener-Policy', value: 'same-origin', override: true },
        ],
      },
    });

    // No TTL of CloudFront's own: each object's Cache-Control decides (no-cache revalidates with
    // S3 on every request, so a deployment needs no invalidation; assets/* stay a year).
    const cachePolicy = new CachePolicy(this, 'Caching', {
      comment: `SciDay ${props.stage} web: the objects' own Cache-Control`,
      minTtl: Duration.seconds(0),
      defaultTtl: Duration.seconds(0),
      maxTtl: Duration.days(365),
      headerBehavior: CacheHeaderBehavior.none(),
      cookieBehavior: CacheCookieBehavior.none(),
      queryStringBehavior: CacheQueryStringBehavior.none(),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });

    const acm = props.domain && 'acmCertificateArn' in props.domain.certificate ? props.domain.certificate : undefined;
    this.distribution = new Distribution(this, 'Distribution', {
      comment: `SciDay ${props.stage} web app`,
      defaultRootObject: 'index.html',
      defaultBehavior: {
        // Origin access control signs CloudFront's requests; AWS China offers only the legacy identity.
        origin: props.china ? S3BucketOrigin.withOriginAccessIdentity(this.bucket) : S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachedMethods: CachedMethods.CACHE_GET_HEAD,
        cachePolicy,
        responseHeadersPolicy: this.responseHeadersPolicy,
        compress: true,
      },
      // A single-page app with history-mode routes: S3 answers 403 (no ListBucket) or 404 for
      // /activities/42, and the app's index.html must answer instead, with 200.
      errorResponses: [403, 404].map((httpStatus) => ({
        httpStatus,
        responseHttpStatus: 200,
        responsePagePath: '/index.html',
        ttl: Duration.seconds(0),
      })),
      enableLogging: true,
      logBucket: this.logsBucket,
      logFilePrefix: 'cloudfront/',
      enableIpv6: !props.china,
      httpVersion: props.china ? HttpVersion.HTTP2 : HttpVersion.HTTP2_AND_3,
      ...(acm && props.domain
        ? {
            domainNames: [props.domain.name],
            certificate: Certificate.fromCertificateArn(this, 'Certificate', acm.acmCertificateArn),
            minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
      ...(props.webAclArn ? { webAclId: props.webAclArn } : {}),
    });

    const iam = props.domain && 'iamCertificateId' in props.domain.certificate ? props.domain.certificate : undefined;
    if (iam && props.domain) {
      // The Distribution L2 knows ACM certificates only; an IAM server certificate (the only kind
      // CloudFront accepts in AWS China) goes into the L1 configuration, where cdk-nag reads it.
      const cfn = this.distribution.node.defaultChild as CfnDistribution;
      cfn.distributionConfig = {
        ...(cfn.distributionConfig as CfnDistribution.DistributionConfigProperty),
        aliases: [props.domain.name],
        viewerCertificate: {
          iamCertificateId: iam.iamCertificateId,
          sslSupportMethod: 'sni-only',
          minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
        },
      };
    }

    this.origin = `https://${props.domain?.name ?? this.distribution.distributionDomainName}`;
  }
}

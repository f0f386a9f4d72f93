import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { cognitoDomainOrigin } from '../constructs/user-directory';
import { WebSite, type WebDomain } from '../constructs/web-site';
import { acknowledgeWebDistribution } from '../nag-acknowledgements';
import { dataRemovalPolicy } from './stateful-stack';

/** Whom the web app signs in with, as far as its Content-Security-Policy must know. */
export type WebSignIn =
  /** SciDay's Cognito user pool: its issuer host and its Cognito domain (token endpoint, logout). */
  | { readonly kind: 'cognito'; readonly domainPrefix: string }
  /** An external OIDC issuer: the origins of its discovery document, JWKS and token endpoint. */
  | { readonly kind: 'external'; readonly origins: readonly string[] };

export interface WebStackProps extends StackProps {
  readonly stage: string;
  /** The stacks go to AWS China (see {@link WebSite}). */
  readonly china: boolean;
  /** @default the distribution's own domain name (required in AWS China) */
  readonly domain?: WebDomain;
  readonly signIn: WebSignIn;
  /** A WAFv2 web ACL (scope CLOUDFRONT) to associate. @default none */
  readonly webAclArn?: string;
  /**
   * The API is reached through its CloudFront edge (ADR 0033), whose `*.cloudfront.net` name is made
   * after this stack: the CSP lets the app connect to CloudFront hosts too. @default false
   */
  readonly apiEdge?: boolean;
}

/**
 * `SciDay-<stage>-Web`: where the web app is served from (the site bucket and its CloudFront
 * distribution, see {@link WebSite}). It comes first: the stateful stack (Cognito callback URLs,
 * media bucket CORS) and the stateless one (API CORS) take the site's origin from it, so nothing
 * in it may depend on them. Its Content-Security-Policy therefore names the API and the media
 * bucket by their regional hosts (`*.execute-api.<region>`, `*.s3.<region>`), and the user pool
 * by its region's issuer host and the Cognito domain prefix, which is known at synth.
 */
export class WebStack extends Stack {
  readonly site: WebSite;

  constructor(scope: Construct, id: string, props: WebStackProps) {
    super(scope, id, props);
    const signIn =
      props.signIn.kind === 'cognito'
        ? [`https://cognito-idp.${this.region}.amazonaws.com`, cognitoDomainOrigin(props.signIn.domainPrefix, this.region)]
        : props.signIn.origins;
    this.site = new WebSite(this, 'Site', {
      stage: props.stage,
      removalPolicy: dataRemovalPolicy(props.stage),
      china: props.china,
      domain: props.domain,
      webAclArn: props.webAclArn,
      csp: {
        connect: [`https://*.execute-api.${this.region}.${this.urlSuffix}`, ...(props.apiEdge ? ['https://*.cloudfront.net'] : []), ...signIn],
        media: [`https://*.s3.${this.region}.${this.urlSuffix}`],
      },
    });
    acknowledgeWebDistribution(this.site.distribution, {
      china: props.china,
      customCertificate: props.domain !== undefined,
      webAcl: props.webAclArn !== undefined,
    });

    new CfnOutput(this, 'SiteUrl', { value: `${this.site.origin}/`, description: 'The SciDay web app' });
    new CfnOutput(this, 'DistributionDomainName', {
      value: this.site.distribution.distributionDomainName,
      description: 'Target of the custom domain’s CNAME record',
    });
    new CfnOutput(this, 'DistributionId', { value: this.site.distribution.distributionId, description: 'CloudFront distribution of the web app' });
  }
}

import { Token, type RemovalPolicy } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { WebConfigSchema, type WebConfigInput } from '../../shared/schemas/web-config.schema';
import { acknowledgeWebDeployment } from '../nag-acknowledgements';

/** Where the web app reads its run-time configuration, beside index.html. */
export const WEB_CONFIG_KEY = 'config.json';

/** The build's content-hashed files (Vite's `assets/`): a new build writes new names. */
export const WEB_ASSETS_PATTERN = 'assets/*';

/** Cache-Control of the objects: revalidate the entry points every time, keep hashed assets a year. */
export const WEB_CACHE_CONTROL = {
  entryPoints: 'no-cache',
  assets: 'public, max-age=31536000, immutable',
} as const;

export interface WebSiteContentProps {
  /** The site bucket ({@link WebSite.bucket}). */
  readonly bucket: IBucket;
  /** Directory of the built web app: `index.html`, `assets/…` (`npm run build:web` writes `web/dist`). */
  readonly assetsDir: string;
  /** Written to `/config.json`; deploy-time values (the API URL, the client id) may be tokens. */
  readonly config: WebConfigInput;
  /** Of the deployment function's log group. */
  readonly logRemovalPolicy: RemovalPolicy;
}

/**
 * Puts a build of the web app and its `/config.json` into the site bucket with two
 * BucketDeployments: first `assets/*` (immutable, never pruned: a browser still running
 * yesterday's index.html finds yesterday's chunks), then everything else plus config.json
 * (`no-cache`, pruned). CloudFront keeps nothing longer than the objects say, so no
 * invalidation is needed. The deployment function has a role of its own that may only write
 * its own log group, read the build and write the site bucket.
 *
 * @example
 * new WebSiteContent(this, 'Content', { bucket: site.bucket, assetsDir: 'web/dist', config, logRemovalPolicy });
 */
export class WebSiteContent extends Construct {
  /** What `/config.json` holds (tokens unresolved). */
  readonly config: WebConfigInput;
  readonly assets: BucketDeployment;
  readonly entryPoints: BucketDeployment;
  readonly role: Role;

  constructor(scope: Construct, id: string, props: WebSiteContentProps) {
    super(scope, id);
    checkWebConfig(props.config);
    this.config = props.config;

    const logGroup = new LogGroup(this, 'DeployLogs', { retention: RetentionDays.ONE_MONTH, removalPolicy: props.logRemovalPolicy });
    // Our own role instead of the default one with AWSLambdaBasicExecutionRole (see AppFunction).
    this.role = new Role(this, 'DeployRole', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'Copies the web app build and config.json into the site bucket',
    });
    logGroup.grantWrite(this.role);

    // Dotfiles are build bookkeeping (the local runtime's `.sources` digest), not the site.
    const build = Source.asset(props.assetsDir, { exclude: ['.*'] });
    const common = { destinationBucket: props.bucket, role: this.role, logGroup } as const;
    this.assets = new BucketDeployment(this, 'Assets', {
      ...common,
      sources: [build],
      exclude: ['*'],
      include: [WEB_ASSETS_PATTERN],
      prune: false,
      cacheControl: [CacheControl.fromString(WEB_CACHE_CONTROL.assets)],
    });
    this.entryPoints = new BucketDeployment(this, 'EntryPoints', {
      ...common,
      sources: [build, Source.jsonData(WEB_CONFIG_KEY, props.config)],
      // Excluded keys are neither copied nor pruned: the assets stay.
      exclude: [WEB_ASSETS_PATTERN],
      prune: true,
      cacheControl: [CacheControl.fromString(WEB_CACHE_CONTROL.entryPoints)],
    });
    // index.html names the new assets only once they are there.
    this.entryPoints.node.addDependency(this.assets);
    acknowledgeWebDeployment(this, this.role);
  }
}

/** An https URL that stands for a deploy-time value when the config is checked at synth. */
const DEPLOY_TIME_VALUE = 'https://deploy-time.invalid';

/**
 * Fails synth on a config.json the web app would reject (WebConfigSchema), e.g. an http issuer
 * or a logout URL that is not a URL. Deploy-time values (tokens) are taken to be valid.
 */
function checkWebConfig(config: WebConfigInput): void {
  const literal = JSON.parse(JSON.stringify(config), (_key, value: unknown) =>
    typeof value === 'string' && Token.isUnresolved(value) ? DEPLOY_TIME_VALUE : value,
  ) as unknown;
  const result = WebConfigSchema.safeParse(literal);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`the web app would reject this config.json:\n- ${problems.join('\n- ')}`);
  }
}

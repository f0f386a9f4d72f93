import { Stack, type StackProps } from 'aws-cdk-lib';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { WebSiteContent } from '../constructs/web-site-content';
import type { WebConfigInput } from '../../shared/schemas/web-config.schema';
import { dataRemovalPolicy } from './stateful-stack';

export interface WebContentStackProps extends StackProps {
  readonly stage: string;
  /** The web stack's site bucket. */
  readonly bucket: IBucket;
  /** Directory of the built web app (context `webAssets`, default `web/dist`). */
  readonly assetsDir: string;
  /** `/config.json`: the API URL and the OIDC settings, deploy-time values from the other stacks. */
  readonly config: WebConfigInput;
}

/**
 * `SciDay-<stage>-WebContent`: the web app's files and `/config.json` (see {@link WebSiteContent}).
 * It comes last, because config.json holds the API URL and the user pool's client id; deploying
 * it alone (`cdk deploy SciDay-<stage>-WebContent --exclusively`) ships a new front-end build.
 */
export class WebContentStack extends Stack {
  readonly content: WebSiteContent;

  constructor(scope: Construct, id: string, props: WebContentStackProps) {
    super(scope, id, props);
    this.content = new WebSiteContent(this, 'Content', {
      bucket: props.bucket,
      assetsDir: props.assetsDir,
      config: props.config,
      logRemovalPolicy: dataRemovalPolicy(props.stage),
    });
  }
}

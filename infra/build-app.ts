import { App, Validations, type Environment } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { StatefulStack } from './stacks/stateful-stack';
import { StatelessStack } from './stacks/stateless-stack';
import { topology as sciDayTopology, validateTopology, type Topology } from './topology';

/**
 * Feature flags the stacks rely on, set here so that `cdk synth` and the tests' in-memory apps
 * build the same templates (cdk.json's context is only read by the CLI).
 */
export const FEATURE_FLAGS: Readonly<Record<string, unknown>> = {
  // Server access logs are delivered through a bucket policy, not the LogDeliveryWrite ACL that
  // BucketOwnerEnforced buckets refuse.
  '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
  '@aws-cdk/aws-iam:minimizePolicies': true,
  // Fn::ImportValue between the two stacks: the stateful stack cannot be deleted while the
  // stateless one still uses it. (nag-acknowledgements.ts prints references in this form.)
  '@aws-cdk/core:defaultCrossStackReferences': 'strong',
  '@aws-cdk/core:checkSecretUsage': true,
};

export interface BuildAppProps {
  /** Context for the App, e.g. `stage`, `frontEndOrigins`, `aws:cdk:bundling-stacks`. */
  readonly context?: Readonly<Record<string, unknown>>;
  /** @default the SciDay topology */
  readonly topology?: Topology;
  /** Account and region of both stacks. @default environment-agnostic */
  readonly env?: Environment;
  /** Directory the topology's entry paths are relative to. @default process.cwd() */
  readonly projectRoot?: string;
  /**
   * Register cdk-nag's AwsSolutions pack as a validation plugin (synth fails on findings).
   * @default true
   */
  readonly nag?: boolean;
}

export interface SciDayApp {
  readonly app: App;
  readonly stage: string;
  readonly frontEndOrigins: readonly string[];
  readonly stateful: StatefulStack;
  readonly stateless: StatelessStack;
}

const STAGE = /^[a-z][a-z0-9-]{0,19}$/;

/** Builds SciDay's CDK app, `SciDay-<stage>-Stateful` and `SciDay-<stage>-Stateless`, from a topology. */
export function buildApp(props: BuildAppProps = {}): SciDayApp {
  const topology = props.topology ?? sciDayTopology;
  const problems = validateTopology(topology);
  if (problems.length > 0) throw new Error(`invalid topology:\n- ${problems.join('\n- ')}`);

  const app = new App({ context: { ...FEATURE_FLAGS, ...props.context } });
  const stage = String(app.node.tryGetContext('stage') ?? 'dev');
  if (!STAGE.test(stage)) throw new Error(`context stage must match ${STAGE}, got "${stage}"`);
  const frontEndOrigins = String(app.node.tryGetContext('frontEndOrigins') ?? 'http://localhost:3000')
    .split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin.length > 0);
  if (frontEndOrigins.length === 0) throw new Error('context frontEndOrigins lists no origin');

  const stateful = new StatefulStack(app, `SciDay-${stage}-Stateful`, {
    env: props.env,
    description: `SciDay ${stage}: tables, queues and buckets`,
    topology,
    stage,
    frontEndOrigins,
  });
  const stateless = new StatelessStack(app, `SciDay-${stage}-Stateless`, {
    env: props.env,
    description: `SciDay ${stage}: functions, HTTP API and triggers`,
    topology,
    stage,
    frontEndOrigins,
    tables: stateful.tables,
    queues: stateful.queues,
    buckets: stateful.buckets,
    projectRoot: props.projectRoot,
  });

  if (props.nag ?? true) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stage, frontEndOrigins, stateful, stateless };
}

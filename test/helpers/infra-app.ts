/**
 * Builds SciDay's CDK app for infra tests exactly as `cdk synth` does, minus bundling
 * (`aws:cdk:bundling-stacks: []`) and minus the cdk-nag plugin (the nag test runs the pack
 * itself so it can print every unacknowledged finding), with a stand-in web app build
 * (context `webAssets`), plus small readers of the templates.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CfnElement } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { buildApp, type BuildAppProps, type SciDayApp } from '../../infra/build-app';

export const NO_BUNDLING = { 'aws:cdk:bundling-stacks': [] } as const;

let webBuild: string | undefined;

/**
 * A folder shaped like `npm run build:web`'s web/dist (index.html, a hashed asset and the
 * local runtime's `.sources` digest), made once per test process and removed when it exits,
 * so infra tests need no web build.
 */
export function testWebBuild(): string {
  if (webBuild) return webBuild;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sciday-web-dist-'));
  fs.mkdirSync(path.join(dir, 'assets'));
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><script type="module" src="/assets/index-abc123.js"></script>\n');
  fs.writeFileSync(path.join(dir, 'assets', 'index-abc123.js'), 'console.log("SciDay");\n');
  fs.writeFileSync(path.join(dir, '.sources'), 'digest of the sources\n');
  process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  webBuild = dir;
  return dir;
}

/** The context every infra test builds with: no bundling, and the stand-in web build. */
export const testContext = (): Record<string, unknown> => ({ ...NO_BUNDLING, webAssets: testWebBuild() });

export interface BuiltApp extends SciDayApp {
  readonly statefulTemplate: Template;
  readonly statelessTemplate: Template;
  readonly operationsTemplate: Template;
  /** Of `SciDay-<stage>-Web` and `SciDay-<stage>-WebContent`, unless context web=false. */
  readonly webTemplate?: Template;
  readonly webContentTemplate?: Template;
}

/**
 * `buildApp` without bundling and (unless asked) without the nag plugin or aws-cdk-lib's built-in
 * CloudFormation validation (6 s to start in every test file), synthesized once.
 */
export function buildTestApp(props: BuildAppProps = {}): BuiltApp {
  const built = buildApp({ nag: false, cfnValidation: false, ...props, context: { ...testContext(), ...props.context } });
  return {
    ...built,
    statefulTemplate: Template.fromStack(built.stateful),
    statelessTemplate: Template.fromStack(built.stateless),
    operationsTemplate: Template.fromStack(built.operations),
    ...(built.web ? { webTemplate: Template.fromStack(built.web) } : {}),
    ...(built.webContent ? { webContentTemplate: Template.fromStack(built.webContent) } : {}),
  };
}

/** The logical id of a construct's CloudFormation resource (the construct itself or its default child). */
export function logicalIdOf(construct: IConstruct): string {
  const element = (construct.node.defaultChild ?? construct) as CfnElement;
  return Stack.of(element).getLogicalId(element);
}

interface PolicyStatementJson {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
}

/** Every Allow statement of the IAM policies attached to the role with `roleLogicalId`. */
export function allowStatementsOfRole(template: Template, roleLogicalId: string): PolicyStatementJson[] {
  const policies = Object.values(template.findResources('AWS::IAM::Policy'));
  return policies
    .filter((p) => (p.Properties.Roles as unknown[]).some((r) => JSON.stringify(r) === JSON.stringify({ Ref: roleLogicalId })))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as PolicyStatementJson[])
    .filter((s) => s.Effect === 'Allow');
}

/** The actions of statements, flattened and sorted. */
export const actionsOf = (statements: readonly PolicyStatementJson[]): string[] =>
  [...new Set(statements.flatMap((s) => [s.Action].flat()))].sort();

/**
 * The logical id of the resource in `producer` that an `Fn::ImportValue` in another stack's
 * template points at (through the producer's `Outputs.*.Export.Name`).
 */
export function importedLogicalId(producer: Template, importValue: unknown): string {
  const name = (importValue as { 'Fn::ImportValue'?: unknown })['Fn::ImportValue'];
  if (typeof name !== 'string') throw new Error(`not an Fn::ImportValue: ${JSON.stringify(importValue)}`);
  const outputs = Object.values(producer.toJSON().Outputs ?? {}) as Array<{ Value: unknown; Export?: { Name: string } }>;
  const output = outputs.find((o) => o.Export?.Name === name);
  if (!output) throw new Error(`no export named ${name}`);
  const value = output.Value as { Ref?: string; 'Fn::GetAtt'?: [string, string] };
  const logicalId = value.Ref ?? value['Fn::GetAtt']?.[0];
  if (!logicalId) throw new Error(`export ${name} is not a Ref or GetAtt`);
  return logicalId;
}

export interface Acknowledgement {
  readonly path: string;
  readonly id: string;
  readonly reason: string;
}

/** Every acknowledgement recorded under `root` with `Validations.of(…).acknowledge()`. */
export function acknowledgementsUnder(root: IConstruct): Acknowledgement[] {
  return root.node.findAll().flatMap((c) =>
    c.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) =>
        Object.entries(m.data as Record<string, string>).map(([key, reason]) => ({
          path: c.node.path,
          id: key.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );
}

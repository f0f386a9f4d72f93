/**
 * ADR 0036: the bundles built all at once (infra/bundling.ts) are the ones NodejsFunction builds
 * for AppFunction's props, so the asset (its hash is a fingerprint of the bundle) is the same.
 * Unlike most infra tests this one bundles for real: one small function, three ways.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Architecture, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { build } from 'esbuild';
import { NODEJS_BUNDLING, bundledCode, esbuildOptions, nodeOptionsOf, prebundle } from '../../infra/bundling';
import { loadConfig } from '../../shared/config';
import { FEATURE_FLAGS } from '../../infra/build-app';
import { topology, type Topology } from '../../infra/topology';

const ROOT = process.cwd();
const ENTRY = topology.functions['get-liveness'].entry;

it('builds, pre-built or on the spot, the asset NodejsFunction builds for the same function', async () => {
  // Prepare
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'sciday-bundling-'));
  const one: Topology = { ...topology, functions: { 'get-liveness': topology.functions['get-liveness'] } };
  try {
    const app = new App({ outdir, context: { ...FEATURE_FLAGS }, builtinCloudFormationValidation: false });
    const stack = new Stack(app, 'Bundles');
    const common = { runtime: Runtime.NODEJS_22_X, architecture: Architecture.ARM_64 };
    // Act
    new NodejsFunction(stack, 'Stock', {
      ...common,
      entry: path.join(ROOT, ENTRY),
      projectRoot: ROOT,
      depsLockFilePath: path.join(ROOT, 'package-lock.json'),
      bundling: { ...NODEJS_BUNDLING },
    });
    new LambdaFunction(stack, 'OnTheSpot', { ...common, handler: 'index.handler', code: bundledCode(ROOT, ENTRY) });
    const cleanUp = await prebundle(one, ROOT, outdir);
    new LambdaFunction(stack, 'Prebuilt', { ...common, handler: 'index.handler', code: bundledCode(ROOT, `./${ENTRY}`) });
    cleanUp();
    // Assess
    const keys = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function')).map((f) => JSON.stringify(f.Properties.Code.S3Key));
    expect(keys).toHaveLength(3);
    expect(new Set(keys).size).toBe(1);
    expect(fs.readdirSync(outdir).filter((d) => d.startsWith('sciday-bundle.'))).toEqual([]);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}, 60_000);

it('names the TypeScript source of a frame in a bundle\'s stack trace, as deployed (ADR 0052)', async () => {
  // Prepare: the line of shared/config.ts that throws, as this process (unbundled) sees it.
  const unbundled = (() => {
    try {
      loadConfig({ tables: ['stack-trace-probe'] }, {});
      return '';
    } catch (error) {
      return (error as Error).stack ?? '';
    }
  })();
  const thrownAt = /shared\/config\.ts:(\d+):\d+/.exec(unbundled)?.[1];
  expect(thrownAt).toBeDefined();
  const outdir = fs.mkdtempSync(path.join(ROOT, 'node_modules', '.cache', 'sciday-stack-'));
  try {
    const options = esbuildOptions(ROOT, 'test/fixtures/bundles/throws-config-error.ts', outdir);
    await build({ ...options, logLevel: 'silent' });
    // Act: the bundle in a fresh node with the NODE_OPTIONS a function is deployed with.
    const probe = "const m = await import(process.argv[1]); process.stdout.write(await m.handler());";
    const stack = execFileSync(process.execPath, ['--input-type=module', '-e', probe, `file://${options.outfile}`], {
      env: { PATH: process.env.PATH ?? '', AWS_REGION: 'us-east-1', SCIDAY_STAGE: 'dev', NODE_OPTIONS: nodeOptionsOf({}) },
      encoding: 'utf8',
    });
    // Assess
    expect(nodeOptionsOf({})).not.toContain('--enable-source-maps');
    expect(stack.split('\n')[0]).toContain('STACK_TRACE_PROBE_TABLE_NAME');
    expect(stack.split('\n')[1]).toMatch(new RegExp(`^ {4}at loadConfig \\(shared/config\\.ts:${thrownAt}:\\d+\\)$`));
    expect(stack).toContain('test/fixtures/bundles/throws-config-error.ts:');
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}, 60_000);

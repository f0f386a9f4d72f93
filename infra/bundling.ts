/**
 * How SciDay's functions are bundled, and bundling them all at once (issue 18, ADR 0036).
 *
 * NodejsFunction bundles one function at a time: the asset is staged in the function's
 * constructor, which runs `npx esbuild` synchronously, so 36 functions took 80–106 s of every
 * `cdk synth`. Here the same esbuild build (same options, same output) is done for every
 * function at once through esbuild's API before the app is constructed ({@link prebundle}, from
 * infra/app.ts); each function's asset then copies its bundle ({@link EsbuildLocalBundling}).
 * A function nobody pre-bundled (a test app, a new entry) is built on the spot with the same
 * options, so the result never depends on whether the pre-bundling ran.
 *
 * The asset hash is CDK's (AssetHashType.OUTPUT: a fingerprint of the bundle), so a bundle that
 * is byte for byte the one NodejsFunction would have made deploys as the same asset; the infra
 * test test/infra/bundling.test.ts compares the two.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AssetHashType, DockerImage, type ILocalBundling } from 'aws-cdk-lib';
import { Code } from 'aws-cdk-lib/aws-lambda';
import { OutputFormat, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import { build, buildSync, type BuildOptions } from 'esbuild';
import type { FunctionSpec, Topology } from './topology';

/** ESM bundles still meet CommonJS dependencies that call `require`: give them one. */
export const ESM_REQUIRE_BANNER = "import { createRequire } from 'module';const require = createRequire(import.meta.url);";

/**
 * Whether the bundles carry their own AWS SDK v3 clients (true) or use the ones of Lambda's
 * nodejs22.x runtime (false, NodejsFunction's default). The figures (`npm run bench`, rows "SDK
 * in the bundle"; ADR 0036): bundled, an API bundle is 2.4× the size and synth bundles 2.5×
 * longer; cold import went either way with the machine's load (Lambda's Init Duration decides).
 */
export const SDK_IN_BUNDLE = false;

/** What esbuild leaves out of every bundle (the runtime's SDK, unless {@link SDK_IN_BUNDLE}). */
export const BUNDLE_EXTERNALS: readonly string[] = SDK_IN_BUNDLE ? [] : ['@aws-sdk/*'];

/**
 * Whether Node maps stack traces through the bundle's source map at run time
 * (`--enable-source-maps`), reading the whole map at every cold start. Off since ADR 0052: each
 * bundle maps its own stacks, reading the map only when a stack is first formatted
 * ({@link STACK_TRACE_MAPPER}); the error logs name shared/…/*.ts lines either way.
 */
export const RUNTIME_SOURCE_MAPS = false;

/**
 * Injected into every bundle (esbuild's `inject`, relative to the project root): installs the
 * lazy source-mapped stack traces of shared/stack-traces.ts (ADR 0052).
 */
export const STACK_TRACE_MAPPER = 'shared/stack-traces-in-bundle.ts';

/** A function's NODE_OPTIONS as deployed (AppFunction; the bundle bench measures with them). */
export function nodeOptionsOf(spec: Pick<FunctionSpec, 'maxHeapMb'>): string {
  return [...(RUNTIME_SOURCE_MAPS ? ['--enable-source-maps'] : []), ...(spec.maxHeapMb ? [`--max-old-space-size=${spec.maxHeapMb}`] : [])].join(' ');
}

/**
 * NodejsFunction's bundling options for SciDay's functions: what a function with native modules
 * is still bundled with, and what `bundling.test.ts` holds the all-at-once build to.
 */
export const NODEJS_BUNDLING = {
  format: OutputFormat.ESM,
  mainFields: ['module', 'main'],
  target: 'node22',
  sourceMap: true,
  // The map maps stack traces to file:line; the sources themselves would be two thirds of it, read
  // and parsed at every cold start under --enable-source-maps (ADR 0043).
  sourcesContent: false,
  minify: true,
  // The error texts are Chinese first: as UTF-8 a character is 3 bytes, escaped (`\uXXXX`) 6.
  // (Through esbuildArgs: this aws-cdk-lib declares `charset` but never passes it to esbuild.)
  esbuildArgs: { '--charset': 'utf8' },
  banner: ESM_REQUIRE_BANNER,
  inject: [STACK_TRACE_MAPPER],
  bundleAwsSDK: SDK_IN_BUNDLE,
  ...(BUNDLE_EXTERNALS.length > 0 ? { externalModules: [...BUNDLE_EXTERNALS] } : {}),
} as const satisfies BundlingOptions;

/**
 * NodejsFunction's esbuild command for AppFunction's bundling props, as build options:
 * `--bundle <entry> --target=node22 --platform=node --format=esm --outfile=<out>/index.mjs
 * --minify --sourcemap --sources-content=false --charset=utf8 [--external:@aws-sdk/*] --banner:js=… --inject:shared/stack-traces-in-bundle.ts --main-fields=module,main`.
 */
export function esbuildOptions(projectRoot: string, entry: string, outputDir: string): BuildOptions {
  return {
    absWorkingDir: projectRoot,
    entryPoints: [path.resolve(projectRoot, entry)],
    bundle: true,
    target: 'node22',
    platform: 'node',
    format: 'esm',
    outfile: path.join(outputDir, 'index.mjs'),
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    charset: 'utf8',
    external: [...BUNDLE_EXTERNALS],
    banner: { js: ESM_REQUIRE_BANNER },
    inject: [path.resolve(projectRoot, STACK_TRACE_MAPPER)],
    mainFields: ['module', 'main'],
    logLevel: 'warning',
  };
}

/** Bundles already built by {@link prebundle} in this process, by absolute entry path. */
const prebuilt = new Map<string, string>();

/**
 * CDK's local bundling of one function: copies its pre-built bundle into CDK's output directory,
 * or builds it there with {@link esbuildOptions} when there is none. Never falls back to Docker.
 */
export class EsbuildLocalBundling implements ILocalBundling {
  constructor(
    private readonly projectRoot: string,
    private readonly entry: string,
  ) {}

  tryBundle(outputDir: string): boolean {
    const from = prebuilt.get(path.resolve(this.projectRoot, this.entry));
    if (from && fs.existsSync(path.join(from, 'index.mjs'))) {
      for (const file of fs.readdirSync(from)) fs.copyFileSync(path.join(from, file), path.join(outputDir, file));
      return true;
    }
    buildSync(esbuildOptions(this.projectRoot, this.entry, outputDir));
    return true;
  }
}

/**
 * The code of a function from `entry`: an asset bundled by {@link EsbuildLocalBundling}, hashed on
 * its output as NodejsFunction's is.
 */
export function bundledCode(projectRoot: string, entry: string): Code {
  return Code.fromAsset(projectRoot, {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Required by the type; never pulled, because the local bundling always succeeds.
      image: DockerImage.fromRegistry('sciday/local-esbuild-only'),
      local: new EsbuildLocalBundling(projectRoot, entry),
    },
  });
}

/** Functions bundled by {@link bundledCode}: all but those with native modules (npm installs those, as NodejsFunction does). */
export const prebundledFunctions = (topology: Topology): Array<[string, string]> =>
  Object.entries(topology.functions)
    .filter(([, spec]) => !spec.nativeModules?.length)
    .map(([id, spec]) => [id, spec.entry]);

/**
 * Builds the bundle of every function of `topology` that {@link bundledCode} serves, all at once
 * (esbuild runs the builds in parallel), into `outdir/sciday-bundle.<n>` (directly under the cloud
 * assembly, as CDK's own bundling directories are, so the source maps' relative paths come out
 * the same). Returns a function that removes them; call it after `app.synth()`.
 */
export async function prebundle(topology: Topology, projectRoot: string, outdir: string): Promise<() => void> {
  const entries = [...new Set(prebundledFunctions(topology).map(([, entry]) => path.resolve(projectRoot, entry)))];
  fs.mkdirSync(outdir, { recursive: true });
  const dirs = entries.map((_, i) => path.join(outdir, `sciday-bundle.${i}`));
  await Promise.all(
    entries.map(async (entry, i) => {
      const dir = dirs[i] ?? '';
      fs.rmSync(dir, { recursive: true, force: true });
      await build(esbuildOptions(projectRoot, entry, dir));
      prebuilt.set(entry, dir);
    }),
  );
  return () => {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
    prebuilt.clear();
  };
}

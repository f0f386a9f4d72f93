/**
 * What Lambda loads: each HTTP-triggered function bundled with esbuild exactly as the CDK
 * app bundles it (infra/constructs/app-function.ts through NodejsFunction), then
 *
 * - its minified size (and gzip), against a bare handler that only creates the same SDK
 *   clients (test/bench/bare-handler.ts), goal ≤ 250 KB;
 * - what zod, middy and Powertools weigh in the largest bundle (esbuild metafile);
 * - its cold module load: `import()` of the bundle in a fresh `node` process, against the
 *   bare handler's bundle, goal ≤ 1.3×;
 * - zod classic against `zod/mini` for the same small schema;
 * - two what-ifs that explain the figures without touching production code: the largest
 *   bundle with `import { z } from 'zod'` rewritten to `import * as z from 'zod'` at bundle
 *   time, and a bare handler that also imports the S3 and SQS clients (as every API bundle
 *   does through shared/clients/dynamodb.ts).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type Metafile, type Plugin } from 'esbuild';
import { BUNDLE_EXTERNALS, ESM_REQUIRE_BANNER, SDK_IN_BUNDLE } from '../../infra/bundling';
import { httpRoutes, topology, type FunctionSpec } from '../../infra/topology';
import { envName } from '../../shared/env-names';
import { median, progress, type Row } from './stats';

interface Bundle {
  readonly id: string;
  readonly entry: string;
  readonly file: string;
  readonly bytes: number;
  readonly gzipBytes: number;
  readonly metafile: Metafile;
  /** Packages left to the runtime (`@aws-sdk/*`) that the bundle imports. */
  readonly externals: string[];
  /** Environment its module needs at load (config.ts): the resources its topology entry binds. */
  readonly env: Record<string, string>;
}

/**
 * The esbuild build of infra/bundling.ts (NodejsFunction's options for AppFunction's props):
 * `--bundle --target=node22 --platform=node --format=esm --outfile=…/index.mjs --minify
 * --sourcemap --banner:js=… --main-fields=module,main`, with the SDK external or not as deployed
 * (BUNDLE_EXTERNALS, ADR 0036) unless `external` says otherwise.
 */
async function bundle(
  projectRoot: string,
  outRoot: string,
  id: string,
  entry: string,
  env: Record<string, string>,
  plugins: Plugin[] = [],
  external: readonly string[] = BUNDLE_EXTERNALS,
): Promise<Bundle> {
  const outfile = join(outRoot, id, 'index.mjs');
  const result = await build({
    plugins,
    absWorkingDir: projectRoot,
    entryPoints: [resolve(projectRoot, entry)],
    bundle: true,
    target: 'node22',
    platform: 'node',
    format: 'esm',
    outfile,
    minify: true,
    sourcemap: true,
    external: [...external],
    banner: { js: ESM_REQUIRE_BANNER },
    mainFields: ['module', 'main'],
    metafile: true,
    logLevel: 'silent',
  });
  const code = readFileSync(outfile);
  const output = Object.values(result.metafile.outputs).find((o) => o.entryPoint !== undefined);
  const externals = [...new Set((output?.imports ?? []).filter((i) => i.external && i.path.startsWith('@aws-sdk/')).map((i) => i.path))].sort();
  return { id, entry, file: outfile, bytes: statSync(outfile).size, gzipBytes: gzipSync(code).length, metafile: result.metafile, externals, env };
}

/**
 * What-if, at bundle time only: our modules import zod as `{ z }`, a namespace object esbuild
 * must keep whole (every locale included); `import * as z` lets it keep what is used.
 */
const ZOD_NAMESPACE_IMPORT = /import \{ z \} from 'zod';/g;
const zodNamespaceImport: Plugin = {
  name: 'bench-zod-namespace-import',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, async (args) => {
      if (args.path.includes('/node_modules/')) return undefined;
      const source = await readFile(args.path, 'utf8');
      return { contents: source.replace(ZOD_NAMESPACE_IMPORT, "import * as z from 'zod';"), loader: 'ts' };
    });
  },
};

/** The package an input of the metafile belongs to (`zod`, `@middy/core`), or `(own code)`. */
function packageOf(input: string): string {
  const at = input.lastIndexOf('node_modules/');
  if (at < 0) return '(own code)';
  const parts = input.slice(at + 'node_modules/'.length).split('/');
  return parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1] ?? ''}` : (parts[0] ?? '?');
}

/** Bytes of the AWS SDK (`@aws-sdk/*`, `@smithy/*` and their helpers) in a bundle. */
function sdkBytes(b: Bundle): number {
  return [...bytesByPackage(b)].filter(([p]) => p.startsWith('@aws-sdk/') || p.startsWith('@smithy/') || p.startsWith('@aws-crypto/')).reduce((s, [, n]) => s + n, 0);
}

function bytesByPackage(b: Bundle): Map<string, number> {
  const output = Object.values(b.metafile.outputs).find((o) => o.entryPoint !== undefined);
  const sums = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output?.inputs ?? {})) {
    const pkg = packageOf(input);
    sums.set(pkg, (sums.get(pkg) ?? 0) + bytesInOutput);
  }
  return sums;
}

/** Dummy values for every variable loadConfig asks of the function (its topology bindings). */
function configEnv(spec?: FunctionSpec): Record<string, string> {
  return {
    AWS_REGION: 'us-east-1',
    SCIDAY_STAGE: 'bench',
    POWERTOOLS_SERVICE_NAME: 'sciday',
    POWERTOOLS_METRICS_NAMESPACE: 'SciDay',
    POWERTOOLS_LOG_LEVEL: 'INFO',
    ...Object.fromEntries(Object.keys(spec?.tables ?? {}).map((t) => [envName.table(t), `sciday-bench-${t}`])),
    ...Object.fromEntries(Object.keys(spec?.queues ?? {}).map((q) => [envName.queueUrl(q), `https://sqs.us-east-1.amazonaws.com/000000000000/sciday-bench-${q}`])),
    ...Object.fromEntries(Object.keys(spec?.buckets ?? {}).map((b) => [envName.bucket(b), `sciday-bench-${b}`])),
  };
}

/** Records `performance.now()` around `import()` of the file given as argv[1]. */
const IMPORT_PROBE = [
  'const url = process.argv[1];',
  'const t0 = performance.now();',
  'const mod = await import(url);',
  'const t1 = performance.now();',
  "if (typeof mod.handler !== 'function') throw new Error(url + ' exports no handler');",
  'process.stdout.write(JSON.stringify({ importMs: t1 - t0 }));',
].join('\n');

/** One cold `import()` of `b` in a fresh node process (Node 22 of this run). */
async function coldImport(b: Bundle, extraEnv: Record<string, string> = {}): Promise<number> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', IMPORT_PROBE, pathToFileURL(b.file).href], {
    // Only what Lambda would set: no endpoints, credentials or tsx loader from this process.
    env: { PATH: process.env.PATH ?? '', ...b.env, ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const code = await new Promise<number | null>((r) => child.once('close', r));
  if (code !== 0) throw new Error(`cold import of ${b.id} failed (${code}): ${err.trim()}`);
  return (JSON.parse(out) as { importMs: number }).importMs;
}

const KB = 1000;

export async function bundleRows(projectRoot: string, work: string, coldRuns: number): Promise<Row[]> {
  const outRoot = join(work, 'bundles');
  mkdirSync(outRoot, { recursive: true });
  // The runtime provides @aws-sdk/*: let the bundles find it where Lambda would (next to them).
  symlinkSync(join(projectRoot, 'node_modules'), join(outRoot, 'node_modules'), 'dir');

  const started = performance.now();
  const bare = await bundle(projectRoot, outRoot, 'bare-handler', 'test/bench/bare-handler.ts', configEnv());
  const functionIds = [...new Set(httpRoutes(topology).map((r) => r.functionId))];
  const functions: Bundle[] = [];
  for (const id of functionIds) {
    const spec: FunctionSpec | undefined = (topology.functions as Record<string, FunctionSpec>)[id];
    if (!spec) throw new Error(`no function ${id}`);
    functions.push(await bundle(projectRoot, outRoot, id, spec.entry, configEnv(spec)));
  }
  progress(`bundled ${functions.length + 1} handlers in ${Math.round(performance.now() - started)} ms`);

  const rows: Row[] = [];
  const bareName = 'bundle: bare handler (DynamoDB + document client)';
  const sizeNote = (b: Bundle) => `gzip ${b.gzipBytes.toLocaleString('en-US')} B; runtime-provided: ${b.externals.join(', ') || 'none'}`;
  rows.push({ name: bareName, unit: 'B', samples: [bare.bytes], note: sizeNote(bare), data: { gzipBytes: bare.gzipBytes, externals: bare.externals } });
  for (const b of functions) {
    rows.push({
      name: `bundle: ${b.id}`,
      unit: 'B',
      samples: [b.bytes],
      baseline: bareName,
      goal: { maxMedian: 250 * KB + sdkBytes(b) },
      note: `${sizeNote(b)}; of it the SDK ${sdkBytes(b).toLocaleString('en-US')} B (the 250 KB goal is for the rest, ADR 0036)`,
      data: { gzipBytes: b.gzipBytes, externals: b.externals },
    });
  }

  // What the largest bundle is made of.
  const largest = functions.reduce((a, b) => (b.bytes > a.bytes ? b : a));
  const byPackage = bytesByPackage(largest);
  const sumOf = (pred: (pkg: string) => boolean) => [...byPackage].filter(([p]) => pred(p)).reduce((s, [, n]) => s + n, 0);
  const groups: Array<[string, (pkg: string) => boolean]> = [
    ['zod', (p) => p === 'zod'],
    ['@middy/*', (p) => p.startsWith('@middy/')],
    ['@aws-lambda-powertools/*', (p) => p.startsWith('@aws-lambda-powertools/')],
    ['own code (functions, shared, infra, events)', (p) => p === '(own code)'],
  ];
  const grouped = new Set<string>();
  const largestName = `bundle: ${largest.id}`;
  for (const [label, pred] of groups) {
    const members = [...byPackage.keys()].filter(pred).sort();
    members.forEach((m) => grouped.add(m));
    rows.push({
      name: `largest bundle (${largest.id}): ${label}`,
      unit: 'B',
      samples: [sumOf(pred)],
      baseline: largestName,
      note: members.length > 1 ? members.map((m) => `${m} ${(byPackage.get(m) ?? 0).toLocaleString('en-US')} B`).join(', ') : '',
    });
  }
  const others = [...byPackage].filter(([p]) => !grouped.has(p)).sort((a, b) => b[1] - a[1]);
  rows.push({
    name: `largest bundle (${largest.id}): other packages`,
    unit: 'B',
    samples: [others.reduce((s, [, n]) => s + n, 0)],
    baseline: largestName,
    note: others.map(([p, n]) => `${p} ${n.toLocaleString('en-US')} B`).join(', '),
  });

  // What-ifs: the largest bundle with zod imported as a namespace; the bare handler with the
  // S3 and SQS clients every API bundle imports.
  const whatIfZod = await bundle(projectRoot, outRoot, `${largest.id}-zod-namespace`, largest.entry, largest.env, [zodNamespaceImport]);
  rows.push({
    name: `what-if: ${largest.id} with \`import * as z from 'zod'\``,
    unit: 'B',
    samples: [whatIfZod.bytes],
    baseline: largestName,
    goal: { maxMedian: 250 * KB },
    note: `${sizeNote(whatIfZod)}; zod ${(bytesByPackage(whatIfZod).get('zod') ?? 0).toLocaleString('en-US')} B; production code unchanged (rewritten at bundle time)`,
    data: { gzipBytes: whatIfZod.gzipBytes },
  });
  const bareAllSdk = await bundle(projectRoot, outRoot, 'bare-handler-all-sdk', 'test/bench/bare-handler-all-sdk.ts', configEnv());

  // The SDK in the bundle (as deployed when SDK_IN_BUNDLE, ADR 0036) against the runtime's own:
  // the largest bundle both ways; the runtime's SDK is loaded from node_modules beside the bundle.
  const sdkIn = await bundle(projectRoot, outRoot, `${largest.id}-sdk-in-bundle`, largest.entry, largest.env, [], []);
  const sdkOut = await bundle(projectRoot, outRoot, `${largest.id}-sdk-from-runtime`, largest.entry, largest.env, [], ['@aws-sdk/*']);
  const sdkOutName = `SDK in the bundle: ${largest.id} with the runtime's SDK (external)`;
  rows.push({ name: sdkOutName, unit: 'B', samples: [sdkOut.bytes], note: sizeNote(sdkOut), data: { gzipBytes: sdkOut.gzipBytes } });
  rows.push({
    name: `SDK in the bundle: ${largest.id} with the SDK bundled${SDK_IN_BUNDLE ? ' (as deployed)' : ''}`,
    unit: 'B',
    samples: [sdkIn.bytes],
    baseline: sdkOutName,
    note: sizeNote(sdkIn),
    data: { gzipBytes: sdkIn.gzipBytes },
  });

  // Cold module load, interleaved so drift on a shared machine hits every bundle alike.
  const measured = [bare, bareAllSdk, ...functions, whatIfZod, sdkIn, sdkOut];
  const cold = new Map(measured.map((b) => [b.id, [] as number[]]));
  await coldImport(bare); // the first spawn pays for the page cache; not counted
  for (let i = 0; i < coldRuns; i += 1) {
    for (const b of measured) cold.get(b.id)?.push(await coldImport(b));
    if ((i + 1) % 5 === 0 || i + 1 === coldRuns) progress(`cold import run ${i + 1}/${coldRuns} done`);
  }
  const coldOf = (b: Bundle) => cold.get(b.id) ?? [];
  const coldBareName = 'cold import(): bare handler bundle';
  rows.push({ name: coldBareName, unit: 'ms', samples: coldOf(bare) });
  const coldSdkOutName = `cold import(): SDK in the bundle: ${largest.id} with the runtime's SDK`;
  rows.push({ name: coldSdkOutName, unit: 'ms', samples: coldOf(sdkOut) });
  rows.push({ name: `cold import(): SDK in the bundle: ${largest.id} with the SDK bundled`, unit: 'ms', samples: coldOf(sdkIn), baseline: coldSdkOutName });
  for (const b of functions) {
    rows.push({ name: `cold import(): ${b.id}`, unit: 'ms', samples: coldOf(b), baseline: coldBareName, goal: { maxRatio: 1.3 } });
  }
  rows.push({
    name: 'cold import(): bare handler + S3 and SQS clients (reference)',
    unit: 'ms',
    samples: coldOf(bareAllSdk),
    baseline: coldBareName,
    note: 'the S3 and SQS clients, which API bundles loaded before the clients were split (shared/clients/*.ts)',
  });
  rows.push({
    name: `cold import(): what-if ${largest.id} with \`import * as z\``,
    unit: 'ms',
    samples: coldOf(whatIfZod),
    baseline: coldBareName,
    goal: { maxRatio: 1.3 },
    note: `vs ${median(coldOf(largest)).toFixed(1)} ms as built`,
  });
  // As deployed: AppFunction sets NODE_OPTIONS=--enable-source-maps, which reads the map at load.
  const mapsBare: number[] = [];
  const mapsLargest: number[] = [];
  const maps = { NODE_OPTIONS: '--enable-source-maps' };
  for (let i = 0; i < coldRuns; i += 1) {
    mapsBare.push(await coldImport(bare, maps));
    mapsLargest.push(await coldImport(largest, maps));
  }
  const mapsBareName = 'cold import() with --enable-source-maps: bare handler bundle';
  rows.push({ name: mapsBareName, unit: 'ms', samples: mapsBare });
  rows.push({
    name: `cold import() with --enable-source-maps: ${largest.id}`,
    unit: 'ms',
    samples: mapsLargest,
    baseline: mapsBareName,
    goal: { maxRatio: 1.3 },
    note: `vs ${median(coldOf(largest)).toFixed(1)} ms without`,
  });

  // zod classic vs zod/mini, same small schema, same bundling; classic imported both ways.
  const zodNote = (b: Bundle) => `gzip ${b.gzipBytes.toLocaleString('en-US')} B; zod ${(bytesByPackage(b).get('zod') ?? 0).toLocaleString('en-US')} B`;
  const namespace = await bundle(projectRoot, outRoot, 'zod-classic-namespace', 'test/bench/zod-classic-namespace.ts', configEnv());
  const named = await bundle(projectRoot, outRoot, 'zod-classic', 'test/bench/zod-classic.ts', configEnv());
  const mini = await bundle(projectRoot, outRoot, 'zod-mini', 'test/bench/zod-mini.ts', configEnv());
  const classicName = "bundle: small schema, zod classic (`import * as z from 'zod'`)";
  rows.push({ name: classicName, unit: 'B', samples: [namespace.bytes], note: zodNote(namespace), data: { gzipBytes: namespace.gzipBytes } });
  rows.push({
    name: "bundle: same schema, zod classic with a named import (`import { z } from 'zod'`, what shared/ used before)",
    unit: 'B',
    samples: [named.bytes],
    baseline: classicName,
    note: zodNote(named),
    data: { gzipBytes: named.gzipBytes },
  });
  rows.push({ name: 'bundle: same schema, zod/mini', unit: 'B', samples: [mini.bytes], baseline: classicName, note: zodNote(mini), data: { gzipBytes: mini.gzipBytes } });
  progress('bundle rows done');
  return rows;
}

/**
 * What Lambda loads: every function of the topology (API, queue, stream and scheduled ones)
 * bundled with esbuild exactly as the CDK app bundles it (infra/bundling.ts), then
 *
 * - its minified size (and gzip), goal ≤ 250 KB each ({@link SIZE_BUDGET}: own and library code;
 *   the runtime's SDK is not in the bundle as deployed, ADR 0036);
 * - what zod, middy and Powertools weigh in the largest bundle (esbuild metafile);
 * - its cold module load, as deployed (its NODE_OPTIONS, source maps included): `import()` of the
 *   bundle in a fresh `node` process, against its matched bare bundle (a handler that only
 *   creates the SDK clients its topology entry binds, test/bench/bare-handlers.ts), goal ≤ 1.3×;
 *   all bundles interleaved, so drift on a shared machine hits them alike;
 * - where the worst handlers' import time goes, module by module (test/bench/import-profile.ts);
 * - what `--enable-source-maps` costs at load (ADR 0043);
 * - zod classic against `zod/mini` for the same small schema.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';
import { BUNDLE_EXTERNALS, RUNTIME_SOURCE_MAPS, esbuildOptions, nodeOptionsOf } from '../../infra/bundling';
import { topology, type FunctionSpec } from '../../infra/topology';
import { envName } from '../../shared/env-names';
import { CURSOR_KEY_ENV } from '../../shared/config';
import { SCHEDULE_ENV, scheduleTargetArnEnv } from '../../shared/repositories/schedule-gateway';
import { bareHandlerSource, bareId, clientsOf } from './bare-handlers';
import { importProfile } from './import-profile';
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
 * The esbuild build of infra/bundling.ts (NodejsFunction's options for AppFunction's props), with
 * a metafile: the SDK external or not as deployed (BUNDLE_EXTERNALS, ADR 0036), native modules
 * external as AppFunction leaves them.
 */
async function bundle(projectRoot: string, outRoot: string, id: string, entry: string, env: Record<string, string>, external: readonly string[] = BUNDLE_EXTERNALS): Promise<Bundle> {
  const options = esbuildOptions(projectRoot, entry, join(outRoot, id));
  const result = await build({ ...options, external: [...external], metafile: true, logLevel: 'silent' });
  const outfile = options.outfile ?? '';
  const code = readFileSync(outfile);
  const output = Object.values(result.metafile.outputs).find((o) => o.entryPoint !== undefined);
  const externals = [...new Set((output?.imports ?? []).filter((i) => i.external && i.path.startsWith('@aws-sdk/')).map((i) => i.path))].sort();
  return { id, entry, file: outfile, bytes: statSync(outfile).size, gzipBytes: gzipSync(code).length, metafile: result.metafile, externals, env };
}

/** Own source files of a bundle with their bytes in it, largest first. */
function ownInputs(b: Bundle): Array<[string, number]> {
  const output = Object.values(b.metafile.outputs).find((o) => o.entryPoint !== undefined);
  return Object.entries(output?.inputs ?? {})
    .filter(([input]) => !input.includes('node_modules/'))
    .map(([input, { bytesInOutput }]): [string, number] => [input, bytesInOutput])
    .sort((x, y) => y[1] - x[1]);
}

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
    ...(spec?.cursors ? { [CURSOR_KEY_ENV.secretArn]: `${ARN}:secretsmanager:us-east-1:000000000000:secret:sciday-bench-cursor-key` } : {}),
    ...(spec?.tableCopies ? { TABLE_COPY_MODE: 'point-in-time', TABLE_COPY_TABLE_ARN: `${ARN}:dynamodb:us-east-1:000000000000:table/sciday-bench-${spec.tableCopies.table}` } : {}),
    ...(spec?.athenaExports ? { ATHENA_EXPORT_WORKGROUP: 'sciday-bench-exports', ATHENA_EXPORT_DATABASE: 'sciday_bench_exports' } : {}),
    ...(spec?.manageSchedules
      ? {
          [SCHEDULE_ENV.roleArn]: `${ARN}:iam::000000000000:role/sciday-bench-scheduler`,
          ...Object.fromEntries(campaignScheduleTargets().map((id) => [scheduleTargetArnEnv(id), `${ARN}:lambda:us-east-1:000000000000:function:sciday-bench-${id}`])),
        }
      : {}),
  };
}

const ARN = 'arn:aws';

/** The functions campaign schedules invoke (their ARNs are the schedule manager's environment). */
const campaignScheduleTargets = (): string[] =>
  Object.entries(topology.functions as Record<string, FunctionSpec>)
    .filter(([, spec]) => spec.triggers.some((t) => t.kind === 'schedule' && 'campaignSchedules' in t))
    .map(([id]) => id);

/**
 * Records `performance.now()` around `import()` of the file given as argv[1], and the CPU time the
 * process spent in it (user + system): on a loaded machine the wall time waits for a core, the
 * CPU time much less so.
 */
const IMPORT_PROBE = [
  'const url = process.argv[1];',
  'const c0 = process.cpuUsage();',
  'const t0 = performance.now();',
  'const mod = await import(url);',
  'const t1 = performance.now();',
  'const c1 = process.cpuUsage(c0);',
  "if (typeof mod.handler !== 'function') throw new Error(url + ' exports no handler');",
  'process.stdout.write(JSON.stringify({ importMs: t1 - t0, cpuMs: (c1.user + c1.system) / 1000 }));',
].join('\n');

/** One cold `import()` of `b` in a fresh node process (Node 22 of this run): wall and CPU ms. */
async function coldImportTimes(b: Bundle, extraEnv: Record<string, string> = {}): Promise<{ importMs: number; cpuMs: number }> {
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
  return JSON.parse(out) as { importMs: number; cpuMs: number };
}

/** The wall time (ms) of one cold `import()` of `b`. */
const coldImport = async (b: Bundle, extraEnv: Record<string, string> = {}): Promise<number> => (await coldImportTimes(b, extraEnv)).importMs;

const KB = 1000;

/** Every function's size budget: own and library code, the SDK as deployed (issue 20). */
const SIZE_BUDGET = 250 * KB;

/** Handlers whose cold import is profiled module by module: the worst by ratio. */
const PROFILED_HANDLERS = 3;

/**
 * `diagnostics: false` (a quick run) leaves out the rows that explain rather than judge: the import
 * profiles of the worst handlers and what source maps cost at load.
 */
export async function bundleRows(projectRoot: string, work: string, coldRuns: number, options: { diagnostics: boolean } = { diagnostics: true }): Promise<Row[]> {
  const outRoot = join(work, 'bundles');
  mkdirSync(outRoot, { recursive: true });
  // The runtime provides @aws-sdk/*: let the bundles find it where Lambda would (next to them);
  // native modules (run-export's DuckDB) are installed into the asset, so they are there too.
  symlinkSync(join(projectRoot, 'node_modules'), join(outRoot, 'node_modules'), 'dir');

  const started = performance.now();
  const specs = Object.entries(topology.functions as Record<string, FunctionSpec>);
  const bareOf = new Map<string, Bundle>();
  for (const [, spec] of specs) {
    const clients = clientsOf(spec);
    const id = bareId(clients);
    if (bareOf.has(id)) continue;
    const source = join(outRoot, `${id.replace(/\W+/g, '-')}.mjs`);
    writeFileSync(source, bareHandlerSource(clients));
    bareOf.set(id, await bundle(projectRoot, outRoot, id.replace(/\W+/g, '-'), source, configEnv(spec)));
  }
  // All at once, as infra/bundling.ts's prebundle() does (esbuild runs them in parallel).
  const functions = await Promise.all(
    specs.map(async ([id, spec]) => {
      const bare = bareOf.get(bareId(clientsOf(spec)));
      if (!bare) throw new Error(`no bare bundle for ${id}`);
      return { b: await bundle(projectRoot, outRoot, id, spec.entry, configEnv(spec), [...BUNDLE_EXTERNALS, ...(spec.nativeModules ?? [])]), spec, bare };
    }),
  );
  progress(`bundled ${functions.length} functions and ${bareOf.size} bare handlers in ${Math.round(performance.now() - started)} ms`);

  const rows: Row[] = [];
  const sizeNote = (b: Bundle) => `gzip ${b.gzipBytes.toLocaleString('en-US')} B; runtime-provided: ${b.externals.join(', ') || 'none'}`;
  const bareSizeName = (bare: Bundle) => `bundle: ${bare.id}`;
  for (const bare of bareOf.values()) {
    rows.push({ name: bareSizeName(bare), unit: 'B', samples: [bare.bytes], note: sizeNote(bare), data: { gzipBytes: bare.gzipBytes, externals: bare.externals } });
  }
  for (const { b, bare } of functions) {
    const sdk = sdkBytes(b);
    rows.push({
      name: `bundle: ${b.id}`,
      unit: 'B',
      samples: [b.bytes],
      baseline: bareSizeName(bare),
      goal: { maxMedian: SIZE_BUDGET },
      note: `${sizeNote(b)}${sdk > 0 ? `; of it the SDK ${sdk.toLocaleString('en-US')} B (bundled, so counted)` : ''}`,
      data: { gzipBytes: b.gzipBytes, externals: b.externals },
    });
  }

  // What the largest bundle is made of.
  const largest = functions.map((f) => f.b).reduce((a, b) => (b.bytes > a.bytes ? b : a));
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
  rows.push({
    name: `largest bundle (${largest.id}): own modules over 3 KB`,
    unit: 'B',
    samples: [sumOf((p) => p === '(own code)')],
    baseline: largestName,
    note: ownInputs(largest)
      .filter(([, n]) => n > 3 * KB)
      .map(([input, n]) => `${input} ${n.toLocaleString('en-US')} B`)
      .join(', '),
  });

  // Cold module load as deployed (each function's NODE_OPTIONS, its bare bundle with the same),
  // every bundle once per round so that drift on a shared machine hits them alike.
  const deployedEnv = (spec: Pick<FunctionSpec, 'maxHeapMb'>): Record<string, string> => {
    const options = nodeOptionsOf(spec);
    return options ? { NODE_OPTIONS: options } : {};
  };
  const measured: Array<[Bundle, Record<string, string>]> = [
    ...[...bareOf.values()].map((bare): [Bundle, Record<string, string>] => [bare, deployedEnv({})]),
    ...functions.map(({ b, spec }): [Bundle, Record<string, string>] => [b, deployedEnv(spec)]),
  ];
  const cold = new Map(measured.map(([b]) => [b.id, [] as number[]]));
  const cpu = new Map(measured.map(([b]) => [b.id, [] as number[]]));
  await coldImport(largest); // the first spawn pays for the page cache; not counted
  for (let i = 0; i < coldRuns; i += 1) {
    for (const [b, env] of measured) {
      const times = await coldImportTimes(b, env);
      cold.get(b.id)?.push(times.importMs);
      cpu.get(b.id)?.push(times.cpuMs);
    }
    if ((i + 1) % 5 === 0 || i + 1 === coldRuns) progress(`cold import run ${i + 1}/${coldRuns} done`);
  }
  const coldOf = (b: Bundle) => cold.get(b.id) ?? [];
  const cpuOf = (b: Bundle) => median(cpu.get(b.id) ?? []);
  const deployedNote = RUNTIME_SOURCE_MAPS ? 'with --enable-source-maps, as deployed' : 'without source maps at run time, as deployed';
  const coldBareName = (bare: Bundle) => `cold import(): ${bare.id}`;
  for (const bare of bareOf.values()) {
    rows.push({ name: coldBareName(bare), unit: 'ms', samples: coldOf(bare), note: `${deployedNote}; CPU ${cpuOf(bare).toFixed(0)} ms`, data: { cpuMs: cpu.get(bare.id) } });
  }
  const ratioOf = ({ b, bare }: { b: Bundle; bare: Bundle }) => median(coldOf(b)) / median(coldOf(bare));
  for (const f of functions) {
    rows.push({
      name: `cold import(): ${f.b.id}`,
      unit: 'ms',
      samples: coldOf(f.b),
      baseline: coldBareName(f.bare),
      goal: { maxRatio: 1.3 },
      note: `${(f.b.bytes / KB).toFixed(0)} KB; CPU ${cpuOf(f.b).toFixed(0)} ms, ${(cpuOf(f.b) / cpuOf(f.bare)).toFixed(2)}× the bare one's`,
      data: { cpuMs: cpu.get(f.b.id) },
    });
  }

  // Where the worst handlers' load time goes, module by module.
  const worst = options.diagnostics ? [...functions].sort((a, b) => ratioOf(b) - ratioOf(a)).slice(0, PROFILED_HANDLERS) : [];
  for (const f of worst) {
    const profile = await importProfile(f.b.file, IMPORT_PROBE, { PATH: process.env.PATH ?? '', ...f.b.env, ...deployedEnv(f.spec) }, Math.max(3, Math.ceil(coldRuns / 2)));
    const total = profile.reduce((s, [, ms]) => s + ms, 0);
    rows.push({
      name: `import profile: ${f.b.id} (cpu samples of a cold import, process start-up included)`,
      unit: 'ms',
      samples: [total],
      note: profile
        .slice(0, 12)
        .map(([module, ms]) => `${module} ${ms.toFixed(1)}`)
        .join('; '),
      data: { profile: Object.fromEntries(profile.map(([m, ms]) => [m, Number(ms.toFixed(2))])) },
    });
  }

  // What run-time source maps cost at load: the largest bundle and its bare one, both ways.
  const largestFn = functions.find((f) => f.b === largest);
  if (largestFn && options.diagnostics) {
    const withMaps = { NODE_OPTIONS: '--enable-source-maps' };
    const samples = { bareOn: [] as number[], bareOff: [] as number[], on: [] as number[], off: [] as number[] };
    for (let i = 0; i < coldRuns; i += 1) {
      samples.bareOff.push(await coldImport(largestFn.bare));
      samples.off.push(await coldImport(largest));
      samples.bareOn.push(await coldImport(largestFn.bare, withMaps));
      samples.on.push(await coldImport(largest, withMaps));
    }
    const offName = `source maps at run time: ${largest.id}, without`;
    const bareOffName = `source maps at run time: ${largestFn.bare.id}, without`;
    rows.push({ name: bareOffName, unit: 'ms', samples: samples.bareOff });
    rows.push({ name: `source maps at run time: ${largestFn.bare.id}, --enable-source-maps`, unit: 'ms', samples: samples.bareOn, baseline: bareOffName });
    rows.push({ name: offName, unit: 'ms', samples: samples.off, baseline: bareOffName });
    rows.push({ name: `source maps at run time: ${largest.id}, --enable-source-maps`, unit: 'ms', samples: samples.on, baseline: offName, note: `map ${(statSync(`${largest.file}.map`).size / KB).toFixed(0)} KB` });
  }

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

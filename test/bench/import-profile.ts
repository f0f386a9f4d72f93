/**
 * Where a bundle's cold `import()` spends its time, module by module: the import run under
 * `node --cpu-prof`, each sample given to the innermost frame that is code of ours or of a
 * package (bundled frames mapped back through the bundle's source map to their source file; the
 * runtime's SDK by package), summed over a few runs. A scope-hoisted bundle runs every module's
 * top-level statements in one function, so what they do themselves is `(bundle top level)`; what
 * they call (zod building a schema, Powertools constructing a logger) is its callee's module.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

interface CpuProfile {
  readonly nodes: ReadonlyArray<{
    readonly id: number;
    readonly callFrame: { readonly url: string; readonly functionName: string; readonly lineNumber: number; readonly columnNumber: number };
    readonly children?: readonly number[];
  }>;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** `node_modules/@smithy/core/dist-es/x.js` → `@smithy/core`; own sources keep their path. */
function moduleLabel(source: string): string {
  const at = source.lastIndexOf('node_modules/');
  if (at < 0) return source.replace(/^(\.\.\/)+/, '').replace(/^.*?\/(functions|shared|events|infra)\//, '$1/');
  const parts = source.slice(at + 'node_modules/'.length).split('/');
  const pkg = parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1] ?? ''}` : (parts[0] ?? '?');
  // zod's and Powertools' files say more than the package does.
  return pkg === 'zod' || pkg.startsWith('@aws-lambda-powertools/') ? `${pkg}/${parts.slice(pkg.startsWith('@') ? 2 : 1).join('/')}` : pkg;
}

/** Self time (ms) by module of one profile of an import of `bundleFile`. */
function attribute(profile: CpuProfile, bundleFile: string, map: SourceMap): Map<string, number> {
  const bundleUrl = pathToFileURL(bundleFile).href;
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const labelOf = new Map<number, string>();
  const label = (id: number): string => {
    const cached = labelOf.get(id);
    if (cached) return cached;
    let result: string | undefined;
    const leaf = byId.get(id);
    for (let at: number | undefined = id; at !== undefined && !result; at = parent.get(at)) {
      const frame = byId.get(at)?.callFrame;
      if (!frame) break;
      if (frame.url === bundleUrl) {
        const entry = map.findEntry(frame.lineNumber, frame.columnNumber) as { originalSource?: string };
        result = frame.lineNumber === 0 && frame.columnNumber === 0 ? '(bundle top level)' : entry.originalSource ? moduleLabel(entry.originalSource) : '(bundle, unmapped)';
      } else if (frame.url.includes('/node_modules/')) {
        result = moduleLabel(frame.url);
      }
    }
    result ??= leaf?.callFrame.functionName === '(garbage collector)' ? '(garbage collector)' : '(node: start-up, compiling, loading files)';
    labelOf.set(id, result);
    return result;
  };
  const ms = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const l = label(id);
    ms.set(l, (ms.get(l) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return ms;
}

/**
 * The cold import of `bundleFile` profiled `runs` times in fresh processes with `env`: mean self
 * time per module, largest first.
 */
export async function importProfile(bundleFile: string, probe: string, env: Record<string, string>, runs: number): Promise<Array<[string, number]>> {
  const map = new SourceMap(JSON.parse(readFileSync(`${bundleFile}.map`, 'utf8')) as ConstructorParameters<typeof SourceMap>[0]);
  const totals = new Map<string, number>();
  for (let i = 0; i < runs; i += 1) {
    const dir = mkdtempSync(join(bundleFile, '..', 'cpu-prof-'));
    try {
      const child = spawn(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-interval=200', '--input-type=module', '-e', probe, pathToFileURL(bundleFile).href], {
        env,
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let err = '';
      child.stderr.on('data', (c: Buffer) => (err += c.toString()));
      const code = await new Promise<number | null>((r) => child.once('close', r));
      if (code !== 0) throw new Error(`profiled import of ${bundleFile} failed (${code}): ${err.trim()}`);
      const [file] = readdirSync(dir);
      if (!file) throw new Error(`no profile of ${bundleFile}`);
      for (const [l, ms] of attribute(JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile, bundleFile, map)) {
        totals.set(l, (totals.get(l) ?? 0) + ms / runs);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return [...totals].sort((a, b) => b[1] - a[1]);
}

/**
 * Stack traces of a bundled function that name the TypeScript sources (`shared/http/problem.ts:70:12`),
 * mapped through the bundle's source map only when a stack is first formatted (ADR 0052).
 *
 * Node's `--enable-source-maps` reads and parses the whole map, and walks every character of the
 * bundle, at each cold start (about 6 ms of create-activity's import, 4 % of its bare bundle's),
 * although most invocations never format a stack. Here the bundle only installs
 * `Error.prepareStackTrace` (V8's hook, what Node's own mapping uses); the map is read on the first
 * `error.stack` that shows a frame of the bundle, then kept. Frames of other files (the runtime's
 * SDK, Node's own) print as V8 prints them.
 */

/** What a frame of the bundle maps to (node:module's SourceMap#findEntry). */
interface MapEntry {
  readonly originalSource?: string;
  readonly originalLine?: number;
  readonly originalColumn?: number;
  readonly name?: string;
}

/** A source map able to find the original position of a generated one (0-based lines and columns). */
export interface PositionMap {
  findEntry(line: number, column: number): MapEntry | Record<string, never>;
}

/** `../../shared/http/problem.ts` (the map's relative source) → `shared/http/problem.ts`. */
export const sourceLabel = (source: string): string => source.replace(/^(?:\.\.\/)+/, '').replace(/^.*?\/(functions|shared|events|infra|node_modules)\//, '$1/');

/** The error's first line, as V8 writes it (`TypeError: boom`). */
function headline(error: Error): string {
  try {
    return Error.prototype.toString.call(error);
  } catch {
    return '<error>';
  }
}

/**
 * The original name of the function a frame runs in, as Node's own mapping finds it: the map's
 * name at the function's start, else the name at the call in the frame below (its caller), when
 * that is in the bundle too.
 */
function functionName(site: NodeJS.CallSite, caller: NodeJS.CallSite | undefined, map: PositionMap | undefined): string | undefined {
  if (!map) return undefined;
  const line = site.getEnclosingLineNumber();
  const column = site.getEnclosingColumnNumber();
  const own: MapEntry = line !== null && column !== null ? map.findEntry(line - 1, column - 1) : {};
  if (own.name) return own.name;
  const callerLine = caller?.getLineNumber();
  const callerColumn = caller?.getColumnNumber();
  if (!caller || caller.getFileName() !== site.getFileName() || callerLine == null || callerColumn == null) return undefined;
  const call: MapEntry = map.findEntry(callerLine - 1, callerColumn - 1);
  return call.name;
}

/** One frame: mapped when it is the bundle's and the map knows it, else as V8 prints it. */
function frame(site: NodeJS.CallSite, caller: NodeJS.CallSite | undefined, bundleUrl: string, map: () => PositionMap | undefined): string {
  const line = site.getLineNumber();
  const column = site.getColumnNumber();
  if (site.getFileName() === bundleUrl && line !== null && column !== null) {
    const entry: MapEntry = map()?.findEntry(line - 1, column - 1) ?? {};
    if (entry.originalSource !== undefined && entry.originalLine !== undefined && entry.originalColumn !== undefined) {
      const where = `${sourceLabel(entry.originalSource)}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
      const name = functionName(site, caller, map()) ?? site.getFunctionName();
      const prefix = `${site.isAsync() ? 'async ' : ''}${site.isConstructor() ? 'new ' : ''}`;
      return name ? `${prefix}${name} (${where})` : `${prefix}${where}`;
    }
  }
  return String(site);
}

/**
 * Installs the hook for the bundle at `bundleUrl` (its `import.meta.url`); `loadMap` reads its
 * map, once, when a stack first needs it (`undefined` if there is none: frames stay as they are).
 */
export function installSourceMappedStacks(bundleUrl: string, loadMap: () => PositionMap | undefined): void {
  let map: PositionMap | undefined;
  let loaded = false;
  const mapOnce = (): PositionMap | undefined => {
    if (!loaded) {
      loaded = true;
      try {
        map = loadMap();
      } catch {
        map = undefined;
      }
    }
    return map;
  };
  Error.prepareStackTrace = (error, sites) => `${headline(error)}${sites.map((site, i) => `\n    at ${frame(site, sites[i + 1], bundleUrl, mapOnce)}`).join('')}`;
}

/** Reads the source map next to the bundle (`index.mjs.map`) with node:module's SourceMap. */
export function bundleMapReader(bundleUrl: string): () => PositionMap | undefined {
  return () => {
    const { readFileSync } = process.getBuiltinModule('node:fs');
    const { SourceMap } = process.getBuiltinModule('node:module');
    return new SourceMap(JSON.parse(readFileSync(new URL(`${bundleUrl}.map`), 'utf8')) as ConstructorParameters<typeof SourceMap>[0]);
  };
}

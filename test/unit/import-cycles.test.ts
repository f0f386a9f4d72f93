// shared/ has no import cycles (issue 19, ADR 0040): dependencies point one way, type-only
// imports included, so a module can always be read after the ones it imports.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import * as ts from 'typescript';

const root = join(__dirname, '..', '..');
const files = readdirSync(join(root, 'shared'), { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.ts'))
  .map((f) => resolve(root, 'shared', f));

/** The files under shared/ that `file` imports (relative specifiers only). */
function importsOf(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return importedFiles
    .map((i) => i.fileName)
    .filter((spec) => spec.startsWith('.'))
    .map((spec) => [`${resolve(dirname(file), spec)}.ts`, join(resolve(dirname(file), spec), 'index.ts')].find((f) => existsSync(f)))
    .filter((f): f is string => f !== undefined && files.includes(f));
}

/** One import cycle, as the files along it, or `undefined` (depth-first, colouring each file). */
function findCycle(graph: ReadonlyMap<string, readonly string[]>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (file: string): string[] | undefined => {
    if (state.get(file) === 'done') return undefined;
    if (state.get(file) === 'open') return [...path.slice(path.indexOf(file)), file];
    state.set(file, 'open');
    path.push(file);
    for (const next of graph.get(file) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(file, 'done');
    return undefined;
  };
  for (const file of graph.keys()) {
    const cycle = visit(file);
    if (cycle) return cycle;
  }
  return undefined;
}

describe('Module: shared', () => {
  it('has no import cycle', () => {
    // Prepare
    const graph = new Map(files.map((f) => [f, importsOf(f)]));

    // Act
    const cycle = findCycle(graph);

    // Assess
    expect(cycle?.map((f) => relative(root, f)).join(' → ')).toBeUndefined();
    expect(graph.size).toBeGreaterThan(100);
  });
});

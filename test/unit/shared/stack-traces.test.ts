/**
 * ADR 0052: a bundle maps its own stack traces through its source map, read only when a stack is
 * first formatted. (test/infra/bundling.test.ts checks a real bundle end to end.)
 */
import { installSourceMappedStacks, sourceLabel, type PositionMap } from '../../../shared/stack-traces';

const original = Error.prepareStackTrace;
afterEach(() => {
  Error.prepareStackTrace = original;
});

/** This test file's URL as V8 names it in frames: stands in for the bundle. */
function ownFileName(): string {
  const capture: { stack?: NodeJS.CallSite[] } = {};
  const previous = Error.prepareStackTrace;
  Error.prepareStackTrace = (_e, sites) => sites;
  Error.captureStackTrace(capture);
  const name = capture.stack?.[0]?.getFileName() ?? '';
  Error.prepareStackTrace = previous;
  return name;
}

it('reads the map only when a stack is first formatted, and once', () => {
  // Prepare
  let loads = 0;
  const map: PositionMap = { findEntry: () => ({ originalSource: '../../shared/http/problem.ts', originalLine: 69, originalColumn: 11 }) };
  installSourceMappedStacks(ownFileName(), () => {
    loads += 1;
    return map;
  });
  // Act
  const error = new TypeError('boom');
  const before = loads;
  const first = error.stack ?? '';
  const second = new Error('again').stack ?? '';
  // Assess
  expect(before).toBe(0);
  expect(loads).toBe(1);
  expect(first.split('\n')[0]).toBe('TypeError: boom');
  expect(first.split('\n')[1]).toMatch(/^ {4}at .*\(?shared\/http\/problem\.ts:70:12\)?$/);
  expect(second).toContain('shared/http/problem.ts:70:12');
});

it('prints frames of other files, and frames the map does not know, as V8 does', () => {
  // Prepare
  installSourceMappedStacks('file:///var/task/index.mjs', () => ({ findEntry: () => ({}) }));
  // Act
  const stack = new Error('elsewhere').stack ?? '';
  // Assess
  expect(stack.split('\n')[0]).toBe('Error: elsewhere');
  expect(stack).toContain('stack-traces.test.ts');
  expect(stack).not.toContain('problem.ts');
});

it('keeps frames as they are when the map cannot be read', () => {
  // Prepare
  installSourceMappedStacks(ownFileName(), () => {
    throw new Error('no map');
  });
  // Act
  const stack = new Error('no map here').stack ?? '';
  // Assess
  expect(stack).toContain('stack-traces.test.ts');
});

it('names sources from the project root', () => {
  expect(sourceLabel('../../shared/http/problem.ts')).toBe('shared/http/problem.ts');
  expect(sourceLabel('../../../../work/main/functions/get-health/handler.ts')).toBe('functions/get-health/handler.ts');
  expect(sourceLabel('../../node_modules/zod/v4/core/core.js')).toBe('node_modules/zod/v4/core/core.js');
});

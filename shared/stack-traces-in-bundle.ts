/**
 * Injected into every function's bundle (infra/bundling.ts, esbuild's `inject`): its stack traces
 * name the TypeScript sources, the map read only when a stack is first formatted (ADR 0052).
 */
import { bundleMapReader, installSourceMappedStacks } from './stack-traces';

installSourceMappedStacks(import.meta.url, bundleMapReader(import.meta.url));

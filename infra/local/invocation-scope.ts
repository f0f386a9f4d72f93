/**
 * Which function an asynchronous chain of work belongs to, on one machine: the function host runs
 * each invocation inside this scope, so process-wide pieces (the SDK clients every handler shares
 * here) can keep per-function state as separate Lambda instances would.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export const invocationScope = new AsyncLocalStorage<{ readonly functionId: string }>();

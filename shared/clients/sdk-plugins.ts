/**
 * A process-wide registry of AWS SDK plugins (`Pluggable`s) that every client factory of
 * shared/clients applies to the client it creates (`client.middlewareStack.use(p)`).
 *
 * Production registers nothing: the registry is empty and applying it costs a loop over an
 * empty array. The local runtime registers its fault injector here (infra/local/fault-injection.ts,
 * `SCIDAY_FAULTS`) before it loads any handler, so the functions' clients, and only theirs, go
 * through it. The registry lives on `globalThis` so that a second instance of this module (another
 * loader) still sees the same list. Type-only SDK imports: nothing is loaded at cold start.
 *
 * @example
 * registerSdkPlugin(faultInjection({ rate: 0.3, seed: 7 }));
 * const client = withSdkPlugins(new DynamoDBClient({}));
 */
import type { Pluggable } from '@smithy/types';

const REGISTRY = Symbol.for('sciday.sdk-plugins');

type Registry = Pluggable<object, object>[];

function registry(): Registry {
  const holder = globalThis as { [REGISTRY]?: Registry };
  holder[REGISTRY] ??= [];
  return holder[REGISTRY];
}

/** Adds `plugin` to every SDK client the shared factories create from now on. */
export function registerSdkPlugin(plugin: Pluggable<object, object>): void {
  registry().push(plugin);
}

/** Removes every registered plugin (tests). */
export function clearSdkPlugins(): void {
  registry().length = 0;
}

/** The plugins registered so far. */
export function sdkPlugins(): readonly Pluggable<object, object>[] {
  return registry();
}

/** Applies every registered plugin to `client` and returns it. */
export function withSdkPlugins<C extends { middlewareStack: { use(p: never): void } }>(client: C): C {
  for (const plugin of registry()) client.middlewareStack.use(plugin as never);
  return client;
}

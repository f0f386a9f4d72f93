/**
 * zod as shared/, events/ and functions/ take it: `zod/mini` (a bundle keeps only the functions it
 * calls, 27–66 KB where classic `zod` was 92–103 KB in every bundle, and its schemas carry no
 * methods to build at import), plus the three things classic `import * as z from 'zod'` did that
 * mini does not:
 *
 * - **English issue messages.** Classic installs its `en` locale when it builds its first schema;
 *   mini installs none, and every `message` would read "Invalid input". Messages are read at run
 *   time: the `ConfigError` of a bad environment (shared/config.ts), `toFieldIssues`' "received
 *   undefined" test (issues.ts), the `ZodError.message` of a failed `.parse` (queue and scheduled
 *   messages, the seed migration, the web app's `/config.json`). Installed here, when this module
 *   loads, unless a locale is already set (as classic).
 * - **{@link meta}**, classic's `schema.meta(data)`: a clone of the schema registered in
 *   `z.globalRegistry` with `data`, the original untouched. (`schema.register(z.globalRegistry, …)`
 *   would mark an instance other fields may share; mini's own `z.meta(data)`, a check that adds
 *   itself to the chain, is shadowed by this one.)
 * - **{@link parse}** throws classic's error: a {@link ZodError}, named `ZodError` in the logs as
 *   before (mini's `schema.parse(x)` throws one named `$ZodError`). Same issues, same message.
 *   Parse with `z.parse(schema, x)`; `safeParse` results are read for their issues only.
 *
 * Everything else is `zod/mini` as is: `z.string().check(z.minLength(1))`, `z.optional(x)`…
 * Import `z` from here, never from 'zod' or 'zod/mini' (eslint says so): a bundle whose schemas
 * came without this module would answer other messages.
 *
 * @example
 * import * as z from '../domain/zod';
 * const title = z.meta(z.string().check(z.trim(), z.maxLength(100)), { description: 'The title.' });
 */
// eslint-disable-next-line no-restricted-imports -- the one module that imports zod itself
import { clone, config, globalRegistry, type core } from 'zod/mini';
// eslint-disable-next-line no-restricted-imports -- its English messages, ~3 KB (`z.locales.en` would keep every locale)
import { en } from 'zod/locales';
// eslint-disable-next-line no-restricted-imports -- by name, so a bundle keeps only these (`z.core.x` would keep all of core)
import { $constructor, $ZodError, _parse } from 'zod/v4/core';

if (!config().localeError) config(en());

// eslint-disable-next-line no-restricted-imports -- re-exported for everything else
export * from 'zod/mini';

/** What {@link parse} throws: classic zod's error (`name: 'ZodError'`), without its `format`/`flatten` helpers. */
export const ZodError: $constructor<$ZodError> = /* @__PURE__ */ $constructor(
  'ZodError',
  (inst, issues) => {
    $ZodError.init(inst, issues);
    inst.name = 'ZodError';
  },
  undefined,
  { Parent: Error },
);

/** `schema.parse(value)` as classic zod did it: the parsed value, or a thrown {@link ZodError}. */
export const parse = /* @__PURE__ */ _parse(ZodError);

/** Classic zod's `schema.meta(data)`: a clone of `schema` with `data` in `z.globalRegistry`. */
export function meta<T extends core.$ZodType>(schema: T, data: core.GlobalMeta): T {
  const described = clone(schema);
  globalRegistry.add(described, data);
  return described;
}

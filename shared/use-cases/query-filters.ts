/**
 * A list's query-string filters, declared once per list: each with the schema it must pass and
 * what it accepts in words (the 400's detail names the parameter and that).
 */
import type * as z from '../domain/zod';
import { BadRequestError } from '../errors';

export interface QueryFilter {
  readonly schema: z.ZodMiniType;
  readonly accepts: string;
}

/**
 * The declared filters present in `query`, each parsed by its schema; 400 naming the first one
 * that is not acceptable. Other parameters (`limit`, `cursor`) are not this function's.
 *
 * @example
 * parseQueryFilters({ waived: { schema: z.enum(['true', 'false']), accepts: 'true or false' } }, { waived: 'x' });
 * // throws BadRequestError('query parameter waived must be true or false')
 */
export function parseQueryFilters(filters: Readonly<Record<string, QueryFilter>>, query: Readonly<Record<string, string | undefined>>): Record<string, unknown> {
  const parsed: Record<string, unknown> = {};
  for (const [name, { schema, accepts }] of Object.entries(filters)) {
    const raw = query[name];
    if (raw === undefined) continue;
    const result = schema.safeParse(raw);
    if (!result.success) throw new BadRequestError(`query parameter ${name} must be ${accepts}`);
    parsed[name] = result.data;
  }
  return parsed;
}

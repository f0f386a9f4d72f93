/**
 * Every operation of the contract (API.md "Resources and routes"), keyed `METHOD /path`: the
 * areas' tables (paths/) in one. A route of shared/http/routes.ts with no description fails the
 * type check ({@link RouteKey} below) and the unit test ({@link undocumentedRoutes}); the document
 * still lists it, marked `x-undocumented`.
 */
import { API_ROUTES, type RouteKey, type ServedRoute } from '../routes';
import type { OperationSpec, OperationTable } from './operation-spec';
import { ACTIVITY_OPERATIONS } from './paths/activities';
import { CAMPAIGN_OPERATIONS } from './paths/campaigns';
import { EXPORT_OPERATIONS } from './paths/exports';
import { FLAG_OPERATIONS } from './paths/flags';
import { ORGANIZATION_OPERATIONS } from './paths/organizations';
import { PUBLIC_OPERATIONS } from './paths/public';
import { REVIEW_OPERATIONS } from './paths/reviews';
import { SYSTEM_OPERATIONS } from './paths/system';

export const OPERATIONS = {
  ...SYSTEM_OPERATIONS,
  ...CAMPAIGN_OPERATIONS,
  ...ACTIVITY_OPERATIONS,
  ...ORGANIZATION_OPERATIONS,
  ...FLAG_OPERATIONS,
  ...REVIEW_OPERATIONS,
  ...EXPORT_OPERATIONS,
  ...PUBLIC_OPERATIONS,
} as const satisfies OperationTable;

/** `METHOD /path`, the key of {@link OPERATIONS}. */
export type OperationKey = keyof typeof OPERATIONS;

/** Fails the type check when a route has no description in {@link OPERATIONS}. */
type _EveryRouteIsDescribed = Assert<[RouteKey] extends [OperationKey] ? true : false>;
type Assert<T extends true> = T;

export const routeKey = (r: { method: string; path: string }): string => `${r.method} ${r.path}`;
export const specOf = (key: string): OperationSpec | undefined => (OPERATIONS as Record<string, OperationSpec>)[key];

/** Routes that {@link OPERATIONS} does not describe (`METHOD /path`); empty for SciDay's. */
export function undocumentedRoutes(routes: readonly ServedRoute[] = API_ROUTES): string[] {
  return routes.map(routeKey).filter((key) => !specOf(key));
}

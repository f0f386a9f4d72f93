/**
 * The API's HTTP routes, by the function that serves each: method, path template and whether a
 * token is needed. The one declaration both the wiring (infra/topology.ts makes each function's
 * http trigger from its entry, adding the route's throttle) and the contract (the OpenAPI
 * document, shared/http/openapi/) read, so shared/ never imports infra/.
 */

/** One route of the contract. */
export interface HttpRoute {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** API Gateway style path template: `/v1/activities/{activityId}`. */
  readonly path: string;
  /** No token needed (the contract's "anyone" routes); the topology gives such a route its own throttle. */
  readonly public: boolean;
}

/** Every route, keyed by the id of the function that serves it (a topology function id). */
export const HTTP_ROUTES = {
  'get-liveness': { method: 'GET', path: '/health/live', public: true },
  'get-health': { method: 'GET', path: '/health', public: true },
  'get-campaign': { method: 'GET', path: '/v1/campaigns/{campaignId}', public: true },
  'list-organizations': { method: 'GET', path: '/v1/campaigns/{campaignId}/organizations', public: false },
  'create-activity': { method: 'POST', path: '/v1/campaigns/{campaignId}/activities', public: false },
  'list-activities': { method: 'GET', path: '/v1/campaigns/{campaignId}/activities', public: false },
  'get-activity': { method: 'GET', path: '/v1/activities/{activityId}', public: false },
  'update-activity': { method: 'PATCH', path: '/v1/activities/{activityId}', public: false },
  'submit-activity': { method: 'POST', path: '/v1/activities/{activityId}/submit', public: false },
  'get-activity-history': { method: 'GET', path: '/v1/activities/{activityId}/history', public: false },
  'withdraw-activity': { method: 'POST', path: '/v1/activities/{activityId}/withdraw', public: false },
  'list-public-activities': { method: 'GET', path: '/v1/public/campaigns/{campaignId}/activities', public: true },
  'get-public-activity': { method: 'GET', path: '/v1/public/activities/{activityId}', public: true },
  'get-share-preview': { method: 'GET', path: '/v1/public/activities/{activityId}/preview', public: true },
  'get-public-calendar': { method: 'GET', path: '/v1/public/campaigns/{campaignId}/calendar.ics', public: true },
  'add-organizations': { method: 'POST', path: '/v1/campaigns/{campaignId}/organizations', public: false },
  'update-organization': { method: 'PATCH', path: '/v1/campaigns/{campaignId}/organizations/{orgId}', public: false },
  'put-results': { method: 'PUT', path: '/v1/activities/{activityId}/results', public: false },
  'get-summary': { method: 'GET', path: '/v1/campaigns/{campaignId}/organizations/{orgId}/summary', public: false },
  'put-summary': { method: 'PUT', path: '/v1/campaigns/{campaignId}/organizations/{orgId}/summary', public: false },
  'create-upload': { method: 'POST', path: '/v1/activities/{activityId}/uploads', public: false },
  'create-summary-upload': { method: 'POST', path: '/v1/campaigns/{campaignId}/organizations/{orgId}/summary/uploads', public: false },
  'list-media': { method: 'GET', path: '/v1/activities/{activityId}/media', public: false },
  'get-openapi': { method: 'GET', path: '/v1/openapi.json', public: true },
  'list-flags': { method: 'GET', path: '/v1/campaigns/{campaignId}/flags', public: false },
  'waive-flag': { method: 'POST', path: '/v1/flags/{flagId}/waive', public: false },
  'grant-extension': { method: 'POST', path: '/v1/campaigns/{campaignId}/extensions', public: false },
  'list-extensions': { method: 'GET', path: '/v1/campaigns/{campaignId}/extensions', public: false },
  'create-export': { method: 'POST', path: '/v1/campaigns/{campaignId}/exports', public: false },
  'get-export': { method: 'GET', path: '/v1/exports/{exportId}', public: false },
  'list-exports': { method: 'GET', path: '/v1/campaigns/{campaignId}/exports', public: false },
  'get-inbox': { method: 'GET', path: '/v1/campaigns/{campaignId}/organizations/{orgId}/inbox', public: false },
  'get-unit-status': { method: 'GET', path: '/v1/campaigns/{campaignId}/organizations/{orgId}/status', public: false },
  'put-review': { method: 'PUT', path: '/v1/campaigns/{campaignId}/organizations/{orgId}/review', public: false },
  'get-review': { method: 'GET', path: '/v1/campaigns/{campaignId}/organizations/{orgId}/review', public: false },
  'get-progress': { method: 'GET', path: '/v1/campaigns/{campaignId}/progress', public: false },
  'get-scores': { method: 'GET', path: '/v1/campaigns/{campaignId}/scores', public: false },
  'list-campaigns': { method: 'GET', path: '/v1/campaigns', public: false },
  'create-campaign': { method: 'POST', path: '/v1/campaigns', public: false },
  'get-campaign-definition': { method: 'GET', path: '/v1/campaigns/{campaignId}/definition', public: false },
  'update-campaign': { method: 'PATCH', path: '/v1/campaigns/{campaignId}/definition', public: false },
  'publish-campaign': { method: 'POST', path: '/v1/campaigns/{campaignId}/publish', public: false },
  'close-campaign': { method: 'POST', path: '/v1/campaigns/{campaignId}/close', public: false },
  'move-milestone': { method: 'PUT', path: '/v1/campaigns/{campaignId}/milestones/{milestoneId}', public: false },
  'get-privacy-notice': { method: 'GET', path: '/v1/me/privacy-notice', public: false },
  'acknowledge-privacy-notice': { method: 'PUT', path: '/v1/me/privacy-notice', public: false },
  'get-my-data': { method: 'GET', path: '/v1/me/data', public: false },
  'erase-person': { method: 'POST', path: '/v1/people/{sub}/erasure', public: false },
} as const satisfies Record<string, HttpRoute>;

/** `METHOD /path` of a route, the key the contract describes it by. */
export type RouteKey<R extends HttpRoute = (typeof HTTP_ROUTES)[keyof typeof HTTP_ROUTES]> = R extends HttpRoute ? `${R['method']} ${R['path']}` : never;

/** A route with the function that serves it. */
export interface ServedRoute extends HttpRoute {
  readonly functionId: string;
}

/** {@link HTTP_ROUTES} as a list, in declaration order. */
export const API_ROUTES: readonly ServedRoute[] = Object.entries(HTTP_ROUTES).map(([functionId, route]) => ({ ...route, functionId }));

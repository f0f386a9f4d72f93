/**
 * The OpenAPI 3.1 document of the HTTP API (`GET /v1/openapi.json`), assembled for one campaign
 * from the code, never restated: one operation per route (shared/http/routes.ts) described by
 * {@link OPERATIONS}; request bodies are the schemas the handlers validate and response bodies the
 * schemas beside the views that build them, converted with zod 4's `z.toJSONSchema` (JSON Schema
 * 2020-12, the dialect of OpenAPI 3.1), so the enums (counties, themes, joint actions, media
 * types) and limits are exactly the campaign's (components.ts).
 *
 * Conventions derived from each description, so they cannot drift per route: bearer security
 * unless the route is public, path parameters from the template, `Idempotency-Key` on idempotent
 * POSTs, `If-Match` where versions apply, and the problem+json answers (400 401 403 404 409 412
 * 413 415 422 428 429) that apply. ADR 0039.
 *
 * @example
 * const doc = openApiDocument(findCampaign('2021-xinxiang')!);
 */
import * as z from '../../domain/zod';
import type { Campaign } from '../../domain/campaign';
import { API_ROUTES, type ServedRoute } from '../routes';
import { PATH_PARAMS, PROBLEMS, components, ref, type Json, type ProblemStatus } from './components';
import { TAGS, type OperationSpec } from './operation-spec';
import { routeKey, specOf } from './operations';
import type { RequestSchemaName } from './request-schemas';

export { OPERATIONS, undocumentedRoutes, type OperationKey } from './operations';

const paramRef = (name: string): Json => ({ $ref: `#/components/parameters/${name}` });

/** The `Location` header: always sent (the component), or only `when`. */
const locationHeader = (when: string | undefined): Json =>
  when ? { description: `URL of the resource created, sent when ${when}.`, schema: { type: 'string', format: 'uri-reference' } } : { $ref: '#/components/headers/Location' };

/** The OpenAPI operation of one route. */
function operation(route: ServedRoute, spec: OperationSpec | undefined, campaign: Campaign): Json {
  const pathParams = [...route.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] ?? '');
  const security = route.public ? [] : [{ bearerAuth: [] }];
  if (!spec) {
    return {
      operationId: route.functionId,
      summary: route.functionId,
      'x-undocumented': true,
      security,
      parameters: pathParams.map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } })),
      responses: { default: { description: 'Not described yet.' } },
    };
  }
  const parameters: Json[] = pathParams.map((name) =>
    PATH_PARAMS[name] ? paramRef(name) : { name, in: 'path', required: true, schema: { type: 'string' } },
  );
  if (spec.idempotent) parameters.push(paramRef('IdempotencyKey'));
  if (spec.ifMatch) {
    parameters.push({
      name: 'If-Match',
      in: 'header',
      required: spec.ifMatch === 'required',
      description: {
        required: 'The `ETag` of the version being changed (412 when stale, 428 when missing).',
        'when-exists': 'The `ETag` of the version being replaced: required once it exists (412 when stale, 428 when missing).',
        optional: 'If sent, the `ETag` of the version read (412 when stale).',
      }[spec.ifMatch],
      schema: { type: 'string', examples: ['"3"'] },
    });
  }
  if (spec.paged) parameters.push(paramRef('Limit'), paramRef('Cursor'));
  for (const [name, q] of Object.entries(spec.query ?? {})) {
    const { $schema: _s, ...schema } = z.toJSONSchema(q.schema(campaign), { io: 'input', unrepresentable: 'any' });
    parameters.push({ name, in: 'query', required: false, description: q.description, schema });
  }
  parameters.push(paramRef('AcceptLanguage'));

  const hasBody = spec.requestBody !== undefined;
  const problems = new Set<ProblemStatus>();
  if (hasBody || spec.paged || spec.query || spec.ifMatch || spec.idempotent) problems.add(400);
  if (!route.public) problems.add(401);
  if (Array.isArray(spec.roles)) problems.add(403);
  if (pathParams.length > 0) problems.add(404);
  if (spec.conflict || spec.idempotent) problems.add(409);
  if (spec.ifMatch) problems.add(412);
  if (hasBody) problems.add(413).add(415);
  if (hasBody || spec.validates || spec.validatesQuery || spec.idempotent) problems.add(422);
  if (spec.ifMatch === 'required' || spec.ifMatch === 'when-exists') problems.add(428);
  if (spec.rateLimited) problems.add(429);

  const { response } = spec;
  const headers: Json = {
    ...(response.etag ? { ETag: { $ref: '#/components/headers/ETag' } } : {}),
    ...(response.location ? { Location: locationHeader(response.locationOnlyWhen) } : {}),
    ...(spec.idempotent ? { 'Idempotent-Replayed': { $ref: '#/components/headers/IdempotentReplayed' } } : {}),
    ...(response.cacheControl ? { 'Cache-Control': { required: true, schema: { type: 'string', const: response.cacheControl } } } : {}),
  };
  const successSchema = response.schema === 'object' ? { type: 'object' } : ref(response.schema);
  const responses: Json = {
    [String(response.status)]: {
      description: response.location ? `${response.description} \`Location\`: \`${response.location}\`.` : response.description,
      ...(Object.keys(headers).length > 0 ? { headers } : {}),
      content: response.mediaType ? { [response.mediaType]: { schema: { type: 'string' } } } : { 'application/json': { schema: successSchema } },
    },
    ...Object.fromEntries(
      Object.entries(spec.otherResponses ?? {}).map(([status, r]) => [
        status,
        {
          description: r.description,
          ...(r.location ? { headers: { Location: { $ref: '#/components/headers/Location' } } } : {}),
          content: { 'application/json': { schema: ref(r.schema) } },
        },
      ]),
    ),
    ...Object.fromEntries(
      [...problems].sort((a, b) => a - b).map((status) => [String(status), { $ref: `#/components/responses/${PROBLEMS[status][0]}` }]),
    ),
  };
  const roles = spec.roles === 'anyone' || spec.roles === 'signed-in' ? [spec.roles] : [...spec.roles];
  return {
    operationId: route.functionId,
    summary: `${spec.summary.zh} · ${spec.summary.en}`,
    description: [`**Who:** ${spec.who}.`, spec.description].filter(Boolean).join('\n\n'),
    tags: [...spec.tags],
    'x-roles': roles,
    ...(spec.validates ? { 'x-validates': ref(spec.validates) } : {}),
    security,
    parameters,
    ...(hasBody
      ? {
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: ref(spec.requestBody as RequestSchemaName) },
              ...(spec.csvBody ? { 'text/csv': { schema: { type: 'string', contentMediaType: 'text/csv', description: spec.csvBody } } } : {}),
            },
          },
        }
      : {}),
    responses,
  };
}

/** The OpenAPI 3.1 document of `campaign`, one operation per route of `routes`. */
export function openApiDocument(campaign: Campaign, routes: readonly ServedRoute[] = API_ROUTES): Json {
  const paths: Record<string, Json> = {};
  for (const route of routes) {
    const item = (paths[route.path] ??= {});
    item[route.method.toLowerCase()] = operation(route, specOf(routeKey(route)), campaign);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'SciDay 全国科普日活动报送 API',
      version: '1.0.0',
      description:
        `SciDay collects, checks and scores the activities organizing units run for National Science ` +
        `Popularization Day (全国科普日). This document describes campaign \`${campaign.id}\` ` +
        `(${campaign.name.zh} · ${campaign.name.en}): its enumerations and limits are that campaign's.\n\n` +
        'JSON in and out (UTF-8); times are ISO 8601 with an offset, answered in the campaign’s zone. ' +
        'Errors are RFC 9457 problem details (`application/problem+json`) whose `title` and `message` follow ' +
        '`Accept-Language` (`zh-CN` by default, or `en`); a validation failure (422) lists every failing field. ' +
        'Unknown body fields are refused (`unrecognized_key`). Creating POSTs take an `Idempotency-Key`; ' +
        'activities, summaries and reviews carry a `version` and an `ETag`, and changing one needs `If-Match`. ' +
        'Lists take `?limit=` (1..100, default 20) and `?cursor=` and answer `{ items, nextCursor }`; a cursor is signed and ' +
        'valid only on the list that issued it (same route, unit and filters): any other is 400.',
      'x-campaign': campaign.id,
    },
    tags: Object.entries(TAGS).map(([name, description]) => ({ name, description })),
    security: [{ bearerAuth: [] }],
    paths,
    components: components(campaign),
  };
}

/**
 * The document's `components`: every request and response schema converted once (requests with
 * `io: 'input'`, responses with `io: 'output'`; a schema used inside another becomes a `$ref`),
 * the bearer scheme, the shared parameters and headers, and the problem answers.
 */
import * as z from '../../domain/zod';
import { ROLES } from '../../auth/principal';
import type { Campaign } from '../../domain/campaign';
import { id } from '../../schemas/text';
import { REQUEST_SCHEMAS, type RequestSchemaName } from './request-schemas';
import { responseSchemas, type ResponseSchemaName } from './response-schemas';

/** A JSON value (the document is plain JSON). */
export type Json = Record<string, unknown>;

export type SchemaName = RequestSchemaName | ResponseSchemaName;

export const ref = (name: SchemaName): Json => ({ $ref: `#/components/schemas/${name}` });

/**
 * Every schema of `registry` as JSON Schema 2020-12, cross-references as component `$ref`s. The
 * personal-information marks (`personal`, shared/domain/privacy.ts) are kept only when asked: the
 * inventory reads them (shared/privacy/), the published document leaves them to docs/privacy.md.
 */
function convert(registry: z.core.$ZodRegistry<{ id: string }>, io: 'input' | 'output', personalMarks: boolean): Record<string, Json> {
  const { schemas } = z.toJSONSchema(registry, {
    target: 'draft-2020-12',
    io,
    // Refinements and overwrites have no JSON Schema form: their base types stand for them.
    unrepresentable: 'any',
    uri: (name) => `#/components/schemas/${name}`,
    override: personalMarks ? undefined : ({ jsonSchema }) => void delete (jsonSchema as Json).personal,
  });
  // `$schema` is implied by OpenAPI 3.1; a fragment `$id` is not a valid 2020-12 `$id`.
  return Object.fromEntries(
    Object.entries(schemas).map(([name, { $schema: _s, $id: _i, ...schema }]) => [name, schema as Json]),
  );
}

/** The component schemas of `campaign`: requests (input) and responses (output), with the personal-information marks if asked. */
export function componentSchemas(campaign: Campaign, { personalMarks = false } = {}): Record<SchemaName, Json> {
  const requests = z.registry<{ id: string }>();
  for (const [name, build] of Object.entries(REQUEST_SCHEMAS)) requests.add(build(campaign), { id: name });
  const responses = z.registry<{ id: string }>();
  for (const [name, schema] of Object.entries(responseSchemas(campaign))) responses.add(schema, { id: name });
  return { ...convert(requests, 'input', personalMarks), ...convert(responses, 'output', personalMarks) } as Record<SchemaName, Json>;
}

export const PATH_PARAMS: Record<string, string> = {
  campaignId: 'The campaign, e.g. `2021-xinxiang`.',
  activityId: 'The activity.',
  orgId: 'The organizing unit (`organizationId`).',
  flagId: 'The flag.',
  exportId: 'The export.',
  milestoneId: 'The milestone: `registration` or `completion`.',
};

/** Problem answers, by status: the component response name and when it happens. */
export const PROBLEMS = {
  400: ['BadRequest', '请求参数不正确 · Malformed JSON, a bad query parameter, `If-Match` or `Idempotency-Key`'],
  401: ['Unauthorized', '未登录或登录凭证无效 · Missing or invalid bearer token'],
  403: ['Forbidden', '当前角色无权执行此操作 · The token’s roles may not do this'],
  404: ['NotFound', '未找到该资源 · Not found (another unit’s data answers 404 too)'],
  409: ['Conflict', '与当前状态冲突 · Conflicts with the current state, or the same `Idempotency-Key` is still in progress'],
  412: ['PreconditionFailed', '数据已被他人修改 · `If-Match` names a stale version (the answer carries the current `ETag`)'],
  413: ['ContentTooLarge', '请求体超过 256 KiB · Body over 256 KiB'],
  415: ['UnsupportedMediaType', '请求体必须是 JSON · Body is not `application/json`'],
  422: ['UnprocessableContent', '未通过校验 · Validation failed (`errors` lists every failing field), or an `Idempotency-Key` reused with a different body'],
  428: ['PreconditionRequired', '须附带 If-Match · `If-Match` is required'],
  429: ['TooManyRequests', '请求过于频繁 · Your budget for this is spent: retry after `Retry-After` seconds'],
} as const;
export type ProblemStatus = keyof typeof PROBLEMS;

export function components(campaign: Campaign): Json {
  const idSchema = z.toJSONSchema(id());
  delete (idSchema as Json).$schema;
  return {
    securitySchemes: {
      bearerAuth: {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description:
          'OIDC access token (Cognito by default; on the local runtime from `POST /local/token`). Claims: `sub`, `orgId` ' +
          `(the unit the user acts for) and \`roles\` (any of ${ROLES.map((r) => `\`${r}\``).join(', ')}).`,
      },
    },
    schemas: componentSchemas(campaign),
    parameters: {
      IdempotencyKey: {
        name: 'Idempotency-Key',
        in: 'header',
        required: false,
        description: 'A replay within 24 h returns the first response with `Idempotent-Replayed: true`; the same key with another body: 422; while the first is in progress: 409.',
        schema: { type: 'string', minLength: 1, maxLength: 64 },
      },
      Limit: { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 } },
      Cursor: {
        name: 'cursor',
        in: 'query',
        required: false,
        description: 'Opaque and signed: the `nextCursor` of the previous page of this same list (route, unit and filters); an edited one or one of another list is 400.',
        schema: { type: 'string' },
      },
      AcceptLanguage: {
        name: 'Accept-Language',
        in: 'header',
        required: false,
        description: 'Language of problem `title` and `message`: `zh-CN` (default) or `en`.',
        schema: { type: 'string', examples: ['zh-CN', 'en'] },
      },
      ...Object.fromEntries(
        Object.entries(PATH_PARAMS).map(([name, description]) => [
          name,
          { name, in: 'path', required: true, description, schema: idSchema, ...(name === 'campaignId' ? { example: campaign.id } : {}) },
        ]),
      ),
    },
    headers: {
      ETag: { description: 'The version, `"<version>"`: send it back as `If-Match`.', required: true, schema: { type: 'string', examples: ['"3"'] } },
      Location: { description: 'URL of the resource created.', required: true, schema: { type: 'string', format: 'uri-reference' } },
      IdempotentReplayed: { description: '`true` on a replayed response.', schema: { type: 'string', enum: ['true'] } },
      RetryAfter: { description: 'Seconds to wait before asking again.', schema: { type: 'string', pattern: '^[0-9]+$', examples: ['1800'] } },
    },
    responses: Object.fromEntries(
      Object.entries(PROBLEMS).map(([status, [name, description]]) => [
        name,
        {
          description,
          content: { 'application/problem+json': { schema: ref('Problem') } },
          ...(status === '412' ? { headers: { ETag: { $ref: '#/components/headers/ETag' } } } : {}),
          ...(status === '429' ? { headers: { 'Retry-After': { $ref: '#/components/headers/RetryAfter' } } } : {}),
        },
      ]),
    ),
  };
}

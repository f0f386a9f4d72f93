import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import * as z from '../../../shared/domain/zod';
import { handler as getOpenApi } from '../../../functions/get-openapi/handler';
import { httpRoutes, topology, type Topology } from '../../../infra/topology';
import { findCampaign } from '../../../shared/campaigns';
import type { Campaign } from '../../../shared/domain/campaign';
import { OPERATIONS, openApiDocument, undocumentedRoutes } from '../../../shared/http/openapi/document';
import { activitySchemas } from '../../../shared/schemas/activity.schema';
import { extensionSchema } from '../../../shared/schemas/extension.schema';
import { flagSchema } from '../../../shared/schemas/flag.schema';
import { uploadRequestSchema } from '../../../shared/schemas/media.schema';
import { organizationSchemas } from '../../../shared/schemas/organization.schema';
import { resultsSchema } from '../../../shared/schemas/results.schema';
import { reviewSchema } from '../../../shared/schemas/review.schema';
import { summarySchema } from '../../../shared/schemas/summary.schema';
import { waiverSchema } from '../../../shared/schemas/waiver.schema';
import { context } from '../../helpers/context';
import { getSample } from '../../helpers/samples';

// The handler reads the stored campaigns (ADR 0023): here the seed campaign beside a newer draft of
// the same city and another city's newer published campaign, neither of which it may describe.
jest.mock('../../../shared/clients/campaign-catalog', () => {
  const { fixedCampaignCatalog } = jest.requireActual<typeof import('../../../shared/repositories/cached-campaign-catalog')>('../../../shared/repositories/cached-campaign-catalog');
  const { loadCampaign } = jest.requireActual<typeof import('../../../shared/domain/campaign')>('../../../shared/domain/campaign');
  const { xinxiang2021 } = jest.requireActual<typeof import('../../../shared/campaigns/2021-xinxiang')>('../../../shared/campaigns/2021-xinxiang');
  const { otherCampaign } = jest.requireActual<typeof import('../../fixtures/campaign-other')>('../../fixtures/campaign-other');
  const catalog = fixedCampaignCatalog([loadCampaign(xinxiang2021), loadCampaign({ ...xinxiang2021, id: '2022-xinxiang' }, 'draft'), loadCampaign(otherCampaign)]);
  return { ...jest.requireActual<object>('../../../shared/clients/campaign-catalog'), campaignCatalogOf: () => catalog };
});

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const campaign = findCampaign('2021-xinxiang') as Campaign;
const doc = openApiDocument(campaign) as Json;
const routes = httpRoutes(topology);
const METHODS = ['get', 'put', 'post', 'patch', 'delete'];

/** The object a local `$ref` (`#/a/b`) points at, or undefined. */
const resolve = (ref: string): Json | undefined =>
  ref
    .replace(/^#\//, '')
    .split('/')
    .reduce<Json | undefined>((node, key) => node?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
const deref = (node: Json): Json => (typeof node.$ref === 'string' ? (resolve(node.$ref) ?? {}) : node);
const operationOf = (method: string, path: string): Json => doc.paths[path][method.toLowerCase()];
const parametersOf = (op: Json): Json[] => (op.parameters as Json[]).map(deref);

/** Every `$ref` string anywhere under `node`. */
function refsIn(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => refsIn(n, out));
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') out.push(value);
      else refsIn(value, out);
    }
  }
  return out;
}

/** What `z.toJSONSchema` makes of a request schema, without the `$schema` OpenAPI implies. */
/** `schema` converted as the document converts it: the personal-information marks stay out (ADR 0046). */
function generated(schema: z.core.$ZodType): Json {
  const { $schema: _, ...json } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io: 'input',
    unrepresentable: 'any',
    override: ({ jsonSchema }) => void delete (jsonSchema as Json).personal,
  });
  return json;
}

describe('Function: openApiDocument', () => {
  it('is an OpenAPI 3.1 document with the bilingual title, and plain JSON', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.title).toBe('SciDay 全国科普日活动报送 API');
    expect(doc.info.description).toMatch(/National Science Popularization Day/);
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
  });

  it('describes every HTTP route of the topology', () => {
    expect(undocumentedRoutes(httpRoutes(topology))).toEqual([]);
  });

  it.each(routes.map((r) => [`${r.method} ${r.path}`, r] as const))('has %s as one operation, path template as-is', (_key, route) => {
    const op = operationOf(route.method, route.path);
    expect(op).toBeDefined();
    expect(op.operationId).toBe(route.functionId);
    expect(op['x-undocumented']).toBeUndefined();
    expect(op.summary).toMatch(/\p{Script=Han}.* · [A-Za-z]/u);
    expect(Object.keys(op.responses).some((status) => /^2\d\d$/.test(status))).toBe(true);
  });

  it('emits nothing but the topology’s routes', () => {
    const emitted = Object.entries(doc.paths as Json).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((m) => METHODS.includes(m))
        .map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(emitted.sort()).toEqual(routes.map((r) => `${r.method} ${r.path}`).sort());
  });

  it('requires bearer auth on every non-public route and none on public ones', () => {
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
    for (const route of routes) {
      const op = operationOf(route.method, route.path);
      if (route.public) {
        expect(op.security).toEqual([]);
        expect(op.responses['401']).toBeUndefined();
      } else {
        expect(op.security).toEqual([{ bearerAuth: [] }]);
        expect(deref(op.responses['401']).content['application/problem+json'].schema).toEqual({ $ref: '#/components/schemas/Problem' });
      }
    }
  });

  it('declares each path template variable as a required path parameter', () => {
    for (const route of routes) {
      const names = [...route.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      const params = parametersOf(operationOf(route.method, route.path)).filter((p) => p.in === 'path');
      expect(params.map((p) => p.name).sort()).toEqual([...names].sort());
      expect(params.every((p) => p.required === true)).toBe(true);
    }
  });

  it('resolves every $ref inside the document', () => {
    const refs = [...new Set(refsIn(doc))];
    expect(refs.length).toBeGreaterThan(20);
    expect(refs.filter((ref) => !ref.startsWith('#/') || resolve(ref) === undefined)).toEqual([]);
  });

  it('carries the zod schemas, converted, as the request-body components', () => {
    const expected: Record<string, z.core.$ZodType> = {
      ActivityDraft: activitySchemas(campaign).draft,
      ActivitySubmission: activitySchemas(campaign).submit,
      ActivityPatch: activitySchemas(campaign).patch,
      Results: resultsSchema,
      Summary: summarySchema,
      UploadRequest: uploadRequestSchema(campaign),
      SummaryUploadRequest: uploadRequestSchema(campaign, ['document']),
      Extension: extensionSchema(campaign),
      Review: reviewSchema(campaign),
      Organization: organizationSchemas(campaign).create,
      OrganizationSettings: organizationSchemas(campaign).settings,
      Waiver: waiverSchema,
    };
    for (const [name, schema] of Object.entries(expected)) expect([name, doc.components.schemas[name]]).toEqual([name, generated(schema)]);
    expect(doc.components.schemas.Flag).toEqual(generated(flagSchema));
  });

  it('documents the activity submission: title required, unknown fields refused, campaign enums', () => {
    const submit = doc.components.schemas.ActivitySubmission;
    expect(submit.required).toEqual(expect.arrayContaining(['title', 'kind', 'contentThemes', 'format', 'branded', 'contact']));
    expect(submit.additionalProperties).toBe(false);
    expect(submit.properties.title).toMatchObject({ type: 'string', minLength: 2, maxLength: 100 });
    expect(submit.properties.county.enum).toEqual(campaign.counties.map((c) => c.id));
    expect(submit.properties.jointAction.enum).toHaveLength(12);
    const op = operationOf('POST', '/v1/activities/{activityId}/submit');
    expect(op['x-validates']).toEqual({ $ref: '#/components/schemas/ActivitySubmission' });
    expect(op.requestBody).toBeUndefined();
  });

  it.each(routes.map((r) => [`${r.method} ${r.path}`, r] as const))('%s: its request body is the schema its description names', (key, route) => {
    const spec = (OPERATIONS as Record<string, { requestBody?: string }>)[key];
    const op = operationOf(route.method, route.path);
    if (!spec?.requestBody) {
      expect(op.requestBody).toBeUndefined();
      return;
    }
    expect(op.requestBody.required).toBe(true);
    expect(op.requestBody.content['application/json'].schema).toEqual({ $ref: `#/components/schemas/${spec.requestBody}` });
    for (const status of ['413', '415', '422']) expect(op.responses[status]).toBeDefined();
  });

  it('creates activities with Idempotency-Key, 201, Location and ETag', () => {
    const op = operationOf('POST', '/v1/campaigns/{campaignId}/activities');
    expect(op.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/ActivityDraft' });
    expect(parametersOf(op).find((p) => p.name === 'Idempotency-Key')).toMatchObject({
      in: 'header',
      required: false,
      schema: { minLength: 1, maxLength: 64 },
    });
    expect(Object.keys(op.responses['201'].headers)).toEqual(expect.arrayContaining(['Location', 'ETag', 'Idempotent-Replayed']));
    expect(op.responses['201'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Activity' });
    expect(Object.keys(op.responses)).toEqual(['201', '400', '401', '403', '404', '409', '413', '415', '422']);
  });

  it('asks If-Match of PATCH and PUT: required on an activity, once it exists on results', () => {
    const patch = operationOf('PATCH', '/v1/activities/{activityId}');
    expect(parametersOf(patch).find((p) => p.name === 'If-Match')).toMatchObject({ in: 'header', required: true });
    expect(patch.responses).toHaveProperty('412');
    expect(patch.responses).toHaveProperty('428');
    expect(patch.responses['200'].headers.ETag).toEqual({ $ref: '#/components/headers/ETag' });

    const results = operationOf('PUT', '/v1/activities/{activityId}/results');
    expect(parametersOf(results).find((p) => p.name === 'If-Match')).toMatchObject({ in: 'header', required: false });
    expect(results.responses).toHaveProperty('428');
  });

  it('pages and filters GET activities', () => {
    const params = parametersOf(operationOf('GET', '/v1/campaigns/{campaignId}/activities')).filter((p) => p.in === 'query');
    expect(params.map((p) => p.name)).toEqual(['limit', 'cursor', 'status', 'county', 'jointAction', 'format', 'organizationId', 'flagged']);
    expect(params[0]?.schema).toEqual({ type: 'integer', minimum: 1, maximum: 100, default: 20 });
    expect(params.find((p) => p.name === 'county')?.schema.enum).toContain('hongqi');
    expect(params.find((p) => p.name === 'status')?.schema.enum).toEqual(['draft', 'registered', 'completed', 'withdrawn']);
  });

  it('answers problems as application/problem+json with one Problem schema', () => {
    const problem = doc.components.schemas.Problem;
    expect(problem.required).toEqual(['type', 'title', 'status']);
    expect(Object.keys(problem.properties)).toEqual(expect.arrayContaining(['type', 'title', 'status', 'detail', 'errors']));
    expect(problem.properties.errors.items.required).toEqual(['path', 'code', 'message']);
    const statuses = Object.values(doc.paths as Json)
      .flatMap((item) => Object.values(item as Json))
      .flatMap((op) => Object.entries((op as Json).responses as Json))
      .filter(([status]) => /^4/.test(status));
    const allowed = ['400', '401', '403', '404', '409', '412', '413', '415', '422', '428', '429'];
    expect(statuses.map(([s]) => s).filter((s) => !allowed.includes(s))).toEqual([]);
    expect(new Set(statuses.map(([s]) => s)).size).toBeGreaterThanOrEqual(8);
    for (const [, response] of statuses) {
      expect(deref(response as Json).content).toEqual({ 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } });
    }
  });

  it('has the resource schemas: Activity with its flags, Summary, Review, Organization, Waiver, Flag', () => {
    const schemas = doc.components.schemas;
    for (const name of ['Activity', 'ActivityDraft', 'ActivitySubmission', 'Results', 'Summary', 'UploadRequest', 'Extension', 'Review', 'Organization', 'OrganizationSettings', 'Waiver', 'Flag']) {
      expect(schemas).toHaveProperty(name);
    }
    expect(schemas.Activity.properties.flags.items).toEqual({ $ref: '#/components/schemas/Flag' });
    expect(schemas.Activity.required).toEqual(expect.arrayContaining(['id', 'status', 'version', 'flags']));
  });

  it('lists a topology route it does not describe as undocumented, with the security the topology says', () => {
    const extra: Topology = {
      ...topology,
      functions: {
        ...topology.functions,
        'get-nothing': {
          description: 'a route nobody described',
          entry: 'functions/get-nothing/handler.ts',
          timeoutSeconds: 10,
          memoryMb: 256,
          triggers: [{ kind: 'http', method: 'GET', path: '/v1/nothing/{thingId}', public: false }],
        },
      },
    };
    expect(undocumentedRoutes(httpRoutes(extra))).toEqual(['GET /v1/nothing/{thingId}']);
    const op = (openApiDocument(campaign, httpRoutes(extra)) as Json).paths['/v1/nothing/{thingId}'].get;
    expect(op).toMatchObject({ operationId: 'get-nothing', 'x-undocumented': true, security: [{ bearerAuth: [] }] });
  });

  it('stays small (serialized size budget)', () => {
    const bytes = Buffer.byteLength(JSON.stringify(doc));
    // 128 KiB until the public calendar's three routes and the withdrawal (ADR 0044) added ~8 KB.
    // 48 routes at about 3 KB each, their schemas shared by reference: a route whose schemas are
    // repeated inline instead shows here (raised from 128 KiB when issues 21 and 22 added 9 routes).
    expect(bytes).toBeLessThan(160 * 1024);
  });
});

describe('Function: get-openapi handler', () => {
  it('answers 200 application/json with the document of the home city’s newest published campaign, cacheable for five minutes', async () => {
    const event = {
      ...getSample<APIGatewayProxyEventV2>('apigw/get-health.json'),
      routeKey: 'GET /v1/openapi.json',
      rawPath: '/v1/openapi.json',
    };

    const response = (await getOpenApi(event, context)) as { statusCode: number; headers: Record<string, string>; body: string };

    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.headers['cache-control']).toBe('public, max-age=300');
    expect(JSON.parse(response.body)).toEqual(doc);
  });
});

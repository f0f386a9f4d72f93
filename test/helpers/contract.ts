/**
 * The published contract as a check on every answer (ADR 0039): the integration suite's API
 * client (api.ts) passes each JSON answer here, and an answer the OpenAPI document does not
 * describe fails the test that received it. Checked, per operation the request matched:
 * - the status is one the operation declares (5xx are failures of the server, not of the contract);
 * - the media type is one that status declares (`application/json`, `application/problem+json`);
 * - every header the status declares `required` is sent, and every declared header sent fits its
 *   schema, e.g. `Cache-Control`'s constant;
 * - the body fits the declared schema, converted back to zod (`z.fromJSONSchema`) once per
 *   operation, status and media type.
 * Requests to paths the document does not describe (the local runtime's `/local/*`, the web app,
 * an unknown route a test asks for on purpose) are not checked.
 */
import * as z from 'zod';
import { findCampaign } from '../../shared/campaigns';
import type { Campaign } from '../../shared/domain/campaign';
import { openApiDocument } from '../../shared/http/openapi/document';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** What the client received for one request. */
export interface ContractAnswer {
  readonly method: string;
  /** The request path, query string included. */
  readonly path: string;
  readonly status: number;
  readonly headers: Headers;
  /** The parsed JSON body. */
  readonly body: unknown;
}

/** Checks answers against `doc`, compiling each schema the first time an answer needs it. */
export function contractChecker(doc: Json) {
  const defs = localRefs(doc.components.schemas) as Json;
  const routes = Object.entries(doc.paths as Json).map(([template, item]) => ({
    pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+')}$`),
    literal: (template.match(/[^{}]+(?=\{|$)/g) ?? []).join('').length,
    item: item as Json,
  }));
  const compiled = new Map<string, z.ZodType>();
  const resolve = (node: Json): Json => {
    if (typeof node?.$ref !== 'string') return node;
    const target = (node.$ref as string)
      .replace(/^#\//, '')
      .split('/')
      .reduce<Json | undefined>((n, key) => n?.[key], doc);
    if (!target) throw new Error(`unresolved ${node.$ref}`);
    return target;
  };
  const schemaOf = (key: string, schema: Json): z.ZodType => {
    let s = compiled.get(key);
    if (!s) {
      s = z.fromJSONSchema({ ...(localRefs(schema) as Json), $defs: defs });
      compiled.set(key, s);
    }
    return s;
  };

  /** Every way `answer` departs from the document; empty when it fits (or is not described). */
  function problems(answer: ContractAnswer): string[] {
    const path = answer.path.split('?')[0] ?? '';
    // The most literal template wins: `/v1/campaigns/{campaignId}/flags` over `/v1/campaigns/{campaignId}/{x}`.
    const route = routes.filter((r) => r.pattern.test(path)).sort((a, b) => b.literal - a.literal)[0];
    const operation = route?.item[answer.method.toLowerCase()] as Json | undefined;
    if (!operation) return [];
    const where = `${answer.method} ${path} → ${answer.status}`;
    const declared = operation.responses[String(answer.status)] ?? operation.responses.default;
    if (!declared) {
      return answer.status >= 500 ? [] : [`${where}: status not declared (declared: ${Object.keys(operation.responses).join(', ')})`];
    }
    const response = resolve(declared);
    const found: string[] = [];
    for (const [name, declaredHeader] of Object.entries((response.headers ?? {}) as Json)) {
      const header = resolve(declaredHeader as Json);
      const value = answer.headers.get(name);
      if (value === null) {
        if (header.required === true) found.push(`${where}: header ${name} missing`);
        continue;
      }
      const { schema } = header;
      const check = schemaOf(`${operation.operationId} ${answer.status} header ${name}`, schema as Json).safeParse(value);
      if (!check.success) found.push(`${where}: header ${name}: ${value} does not fit ${JSON.stringify(schema)}`);
    }
    const mediaType = (answer.headers.get('content-type') ?? '').split(';')[0]?.trim() ?? '';
    const content = response.content as Json | undefined;
    if (!content?.[mediaType]) return [...found, `${where}: ${mediaType || 'no content type'} not declared (declared: ${Object.keys(content ?? {}).join(', ') || 'none'})`];
    const body = schemaOf(`${operation.operationId} ${answer.status} ${mediaType}`, content[mediaType].schema).safeParse(answer.body);
    if (!body.success) {
      found.push(...body.error.issues.slice(0, 10).map((i) => `${where}: body.${i.path.join('.')}: ${i.message}`));
    }
    return found;
  }
  return { problems };
}

/**
 * The document's JSON Schema as `z.fromJSONSchema` reads it: `#/components/schemas/X` → `#/$defs/X`
 * (the local references it resolves), and no `uri-reference` format (it would demand an absolute
 * URL; a relative reference such as `Location: /v1/exports/e1` is one).
 */
function localRefs(node: unknown): unknown {
  return JSON.parse(JSON.stringify(node).replaceAll('"#/components/schemas/', '"#/$defs/').replaceAll(',"format":"uri-reference"', ''));
}

let published: ReturnType<typeof contractChecker> | undefined;

/**
 * The checker of the document `GET /v1/openapi.json` publishes: that of the home city's newest
 * published campaign, the seed campaign in the suite.
 */
export function publishedContract(): ReturnType<typeof contractChecker> {
  published ??= contractChecker(openApiDocument(findCampaign('2021-xinxiang') as Campaign));
  return published;
}

/** Fails when `answer` departs from the published document. */
export function assertFitsContract(answer: ContractAnswer): void {
  const found = publishedContract().problems(answer);
  if (found.length > 0) throw new Error(`The answer departs from the OpenAPI document (ADR 0039):\n${found.join('\n')}`);
}

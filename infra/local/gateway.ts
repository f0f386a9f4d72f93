/**
 * The local HTTP gateway: API Gateway HTTP API (payload 2.0) in front of the same
 * handler modules Lambda runs, plus a CORS-adding front for the local S3 so a
 * browser can POST presigned forms (fauxqs sends no CORS headers).
 *
 * Order of a request: S3 front (first path segment is a bucket) → body limit (413
 * before any handler runs) → route match (problem+json 404/405) → event → handler →
 * result mapped back as API Gateway maps it.
 */
import { randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { negotiateLanguage, problemResponse, type ProblemCode } from '../../shared/http/problem';
import type { Clock } from '../../shared/clock';
import { httpRoutes, type Topology } from '../topology';
import type { FunctionHost } from './function-host';
import type { WebApp } from './web-app';

import { MAX_BODY_BYTES } from '../../shared/http/request';

interface CompiledRoute {
  readonly method: string;
  readonly path: string;
  readonly functionId: string;
  readonly public: boolean;
  readonly pattern: RegExp;
  readonly params: readonly string[];
}

function compile(path: string): { pattern: RegExp; params: string[] } {
  const params: string[] = [];
  const source = path
    .split('/')
    .map((segment) => {
      const m = /^\{([A-Za-z0-9_]+)(\+)?\}$/.exec(segment);
      if (!m) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      params.push(m[1] ?? '');
      return m[2] ? '(.+)' : '([^/]+)';
    })
    .join('/');
  return { pattern: new RegExp(`^${source}$`), params };
}

export interface LocalRoute {
  readonly method: string;
  readonly path: string;
  handle(req: IncomingMessage, body: Buffer, url: URL): Promise<APIGatewayProxyStructuredResultV2>;
}

export interface GatewayOptions {
  readonly topology: Topology;
  readonly host: FunctionHost;
  readonly clock: Clock;
  readonly port: number;
  /** Origins allowed to call the API and post forms to S3 from a browser. */
  readonly corsOrigins: readonly string[];
  /** Physical bucket names fronted for browsers, with the S3 endpoint behind them. */
  readonly s3Front?: { readonly buckets: readonly string[]; readonly endpoint: string };
  /** Routes that exist only on one machine (`/local/...`). */
  readonly localRoutes?: readonly LocalRoute[];
  /** Verifies bearer tokens for non-public routes, as the HTTP API's JWT authorizer does. */
  readonly authorizer?: { verify(token: string): Promise<{ ok: true; claims: Record<string, unknown> } | { ok: false; reason: string }> };
  readonly log?: (entry: Record<string, unknown>) => void;
  /** The web app served at `/` (GET and HEAD of paths no route claims). */
  readonly web?: WebApp;
}

const TEXT_TYPES = /^(text\/|application\/(json|problem\+json|xml|x-www-form-urlencoded|csv|javascript))/i;

export interface Gateway {
  readonly url: string;
  /** The topology routes this gateway serves. */
  readonly routes: ReadonlyArray<{ readonly routeKey: string; readonly functionId: string }>;
  readonly server: http.Server;
  /** Stops taking requests and resolves once in-flight ones have answered. */
  close(): Promise<void>;
}

export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const routes: CompiledRoute[] = httpRoutes(options.topology).map((r) => ({ ...r, ...compile(r.path) }));
  const local = (options.localRoutes ?? []).map((r) => ({ ...r, ...compile(r.path) }));
  const buckets = new Set(options.s3Front?.buckets ?? []);
  /** The gateway's own origins (the web app it serves calls the API and posts uploads from them). */
  const ownOrigins = new Set<string>();
  const allowedOrigin = (origin: string | undefined) =>
    origin && (ownOrigins.has(origin) || options.corsOrigins.includes(origin) || options.corsOrigins.includes('*')) ? origin : undefined;

  const send = (res: ServerResponse, result: APIGatewayProxyStructuredResultV2, extra: Record<string, string> = {}) => {
    const headers: Record<string, string | string[]> = { ...extra };
    for (const [k, v] of Object.entries(result.headers ?? {})) headers[k.toLowerCase()] = String(v);
    if (result.cookies?.length) headers['set-cookie'] = result.cookies;
    const body = result.body ? Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8') : Buffer.alloc(0);
    headers['content-length'] = String(body.length);
    res.writeHead(result.statusCode ?? 200, headers);
    res.end(body);
  };

  const corsHeaders = (req: IncomingMessage): Record<string, string> => {
    const origin = allowedOrigin(req.headers.origin);
    return origin ? { 'access-control-allow-origin': origin, vary: 'Origin', 'access-control-expose-headers': 'ETag, Location, Idempotent-Replayed' } : {};
  };

  const preflight = (req: IncomingMessage, res: ServerResponse, methods: string) => {
    const origin = allowedOrigin(req.headers.origin);
    if (!origin) {
      res.writeHead(403, { 'content-type': 'text/plain' });
      res.end('CORS origin not allowed');
      return;
    }
    res.writeHead(204, {
      'access-control-allow-origin': origin,
      'access-control-allow-methods': methods,
      'access-control-allow-headers': req.headers['access-control-request-headers'] ?? '*',
      'access-control-max-age': '3000',
      vary: 'Origin',
    });
    res.end();
  };

  /** Pipes a browser's request to the local S3 and adds CORS to the answer. */
  const proxyToS3 = (req: IncomingMessage, res: ServerResponse) => {
    if (req.method === 'OPTIONS') return preflight(req, res, 'GET, HEAD, POST, PUT');
    const target = new URL(req.url ?? '/', options.s3Front?.endpoint);
    const upstream = http.request(
      target,
      { method: req.method, headers: { ...req.headers, host: target.host } },
      (answer) => {
        const headers = { ...answer.headers, ...corsHeaders(req) };
        if (headers['access-control-allow-origin']) headers['access-control-expose-headers'] = 'ETag, x-amz-request-id';
        res.writeHead(answer.statusCode ?? 502, headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) send(res, problemResponse(502, 'dependency_unavailable', 'en'));
      else res.destroy();
    });
    req.pipe(upstream);
  };

  const readBody = (req: IncomingMessage): Promise<Buffer | 'too-large'> =>
    new Promise((resolve, reject) => {
      const declared = Number(req.headers['content-length'] ?? 0);
      if (declared > MAX_BODY_BYTES) {
        req.resume();
        resolve('too-large');
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      let over = false;
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY_BYTES) over = true;
        else chunks.push(chunk);
      });
      req.on('end', () => resolve(over ? 'too-large' : Buffer.concat(chunks)));
      req.on('error', reject);
    });

  /**
   * The claims the JWT authorizer passes on: every value a string or number, arrays
   * flattened as API Gateway does (`[organizer reviewer]`).
   */
  const authorizerClaims = (claims: Record<string, unknown>) =>
    Object.fromEntries(
      Object.entries(claims).map(([k, v]) => [k, Array.isArray(v) ? `[${v.join(' ')}]` : typeof v === 'number' ? v : String(v)]),
    ) as Record<string, string | number>;

  const toEvent = (
    req: IncomingMessage,
    url: URL,
    route: CompiledRoute,
    match: RegExpExecArray,
    body: Buffer,
    claims?: Record<string, unknown>,
  ) => {
    const now = options.clock.now();
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (v !== undefined && k !== 'cookie') headers[k] = Array.isArray(v) ? v.join(',') : v;
    }
    const query: Record<string, string> = {};
    for (const key of new Set(url.searchParams.keys())) query[key] = url.searchParams.getAll(key).join(',');
    const pathParameters = Object.fromEntries(route.params.map((p, i) => [p, decodeURIComponent(match[i + 1] ?? '')]));
    const text = TEXT_TYPES.test(headers['content-type'] ?? 'application/json');
    const routeKey = `${route.method} ${route.path}`;
    const requestId = randomUUID();
    const event: APIGatewayProxyEventV2 = {
      version: '2.0',
      routeKey,
      rawPath: url.pathname,
      rawQueryString: url.search.slice(1),
      ...(req.headers.cookie ? { cookies: req.headers.cookie.split(/;\s*/) } : {}),
      headers,
      ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
      ...(route.params.length ? { pathParameters } : {}),
      requestContext: {
        accountId: '000000000000',
        apiId: 'local',
        domainName: headers.host ?? 'localhost',
        domainPrefix: (headers.host ?? 'localhost').split('.')[0] ?? 'localhost',
        http: {
          method: route.method,
          path: url.pathname,
          protocol: `HTTP/${req.httpVersion}`,
          sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
          userAgent: headers['user-agent'] ?? '',
        },
        requestId,
        routeKey,
        ...(claims ? { authorizer: { jwt: { claims: authorizerClaims(claims), scopes: [] } } } : {}),
        stage: '$default',
        time: now.toUTCString(),
        timeEpoch: now.getTime(),
      },
      ...(body.length ? { body: text ? body.toString('utf8') : body.toString('base64') } : {}),
      isBase64Encoded: body.length > 0 && !text,
    };
    return { event, requestId };
  };

  /** API Gateway's payload 2.0 rules for what a handler returned. */
  const toResult = (value: unknown): APIGatewayProxyStructuredResultV2 => {
    if (value && typeof value === 'object' && 'statusCode' in value) return value as APIGatewayProxyStructuredResultV2;
    if (typeof value === 'string') return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: value };
    return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value ?? null) };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const lang = negotiateLanguage(req.headers['accept-language']);
    const firstSegment = decodeURIComponent(url.pathname.split('/')[1] ?? '');
    if (buckets.has(firstSegment)) return proxyToS3(req, res);

    const cors = corsHeaders(req);
    const problem = (status: number, code: ProblemCode, headers: Record<string, string> = {}) =>
      send(res, problemResponse(status, code, lang), { ...cors, ...headers });

    const candidates = [...routes, ...local].filter((r) => r.pattern.test(url.pathname));
    if (req.method === 'OPTIONS' && candidates.length > 0) {
      return preflight(req, res, [...new Set(candidates.map((r) => r.method))].join(', '));
    }
    if (candidates.length === 0 && options.web && (req.method === 'GET' || req.method === 'HEAD')) {
      const page = options.web.serve(url.pathname);
      if (page) return send(res, page);
    }
    const body = await readBody(req);
    if (body === 'too-large') return problem(413, 'payload_too_large', { connection: 'close' });
    if (candidates.length === 0) return problem(404, 'route_not_found');
    const method = req.method === 'HEAD' ? 'GET' : req.method;
    const localRoute = local.find((r) => r.method === method && r.pattern.test(url.pathname));
    if (localRoute) return send(res, await localRoute.handle(req, body, url), cors);
    const route = routes.find((r) => r.method === method && r.pattern.test(url.pathname));
    if (!route) return problem(405, 'method_not_allowed', { allow: [...new Set(candidates.map((r) => r.method))].join(', ') });

    let claims: Record<string, unknown> | undefined;
    if (!route.public && options.authorizer) {
      const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
      const verdict = token ? await options.authorizer.verify(token) : { ok: false as const, reason: 'missing_token' };
      if (!verdict.ok) {
        options.log?.({ msg: 'unauthorized', path: url.pathname, reason: verdict.reason });
        return problem(401, 'unauthorized', { 'www-authenticate': 'Bearer' });
      }
      claims = verdict.claims;
    }
    const { event, requestId } = toEvent(req, url, route, route.pattern.exec(url.pathname) as RegExpExecArray, body, claims);
    const started = performance.now();
    try {
      const { value } = await options.host.invoke(route.functionId, event, requestId);
      const result = toResult(value);
      send(res, result, { ...cors, 'apigw-requestid': requestId });
      options.log?.({ msg: 'request', routeKey: event.routeKey, status: result.statusCode ?? 200, requestId, ms: Math.round(performance.now() - started) });
    } catch (error) {
      // What API Gateway answers when the integration fails: no internals leak.
      options.log?.({ msg: 'handler failed', routeKey: event.routeKey, requestId, error: String(error) });
      send(res, problemResponse(500, 'internal', lang, { requestId }), { ...cors, 'apigw-requestid': requestId });
    }
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      options.log?.({ msg: 'gateway error', error: String(error) });
      if (!res.headersSent) send(res, problemResponse(500, 'internal', 'zh-CN'));
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  ownOrigins.add(`http://127.0.0.1:${port}`).add(`http://localhost:${port}`);
  return {
    url: `http://127.0.0.1:${port}`,
    routes: routes.map((r) => ({ routeKey: `${r.method} ${r.path}`, functionId: r.functionId })),
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}

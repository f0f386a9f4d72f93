/**
 * The local HTTP gateway: API Gateway HTTP API (payload 2.0) in front of the same
 * handler modules Lambda runs, plus a CORS-adding front for the local S3 so a
 * browser can POST presigned forms (fauxqs sends no CORS headers).
 *
 * Order of a request: the boundary (a loopback `Host` or a configured one, else 403: a
 * DNS-rebinding page never gets in) → S3 front (first path segment is a bucket: presigned POSTs
 * and GETs only, checked as S3 checks them) → `/local/…` guard (an `Origin` must be an allowed
 * front end, and a browser's body must be JSON) → body limit (413 before any handler runs) →
 * route match (problem+json 404/405) → event → handler → result mapped back as API Gateway
 * maps it. ADR 0032 says why each check is there.
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
import { checkPostPolicy, checkPresignedGet, MAX_FORM_HEAD_BYTES, parseFormHead, s3ErrorXml, type S3Refusal, type S3Signing } from './s3-front';
import { MAX_BODY_BYTES } from '../../shared/http/request';

/** Paths whose matching routes are remembered (the cache is emptied when full). */
const MATCH_CACHE_PATHS = 1000;
const EMPTY = Buffer.alloc(0);

/** A refused request's body larger than this is not read before the answer (the connection closes under it). */
const DRAIN_LIMIT_BYTES = 256 * 1024 * 1024;

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
  /**
   * Host names the gateway answers besides the loopback ones (`localhost`, `127.0.0.1`, `[::1]`):
   * a name of this machine a proxy or a hosts-file entry gives it. Any other `Host` gets 403.
   */
  readonly allowedHosts?: readonly string[];
  /** The local S3 fronted for browsers: presigned GETs of `buckets`, presigned POSTs to `uploads`. */
  readonly s3Front?: {
    /** Physical names of the buckets whose presigned GETs browsers follow. */
    readonly buckets: readonly string[];
    /** Buckets browsers POST presigned forms to, each with the only key prefix a form may name. */
    readonly uploads: ReadonlyArray<{ readonly bucket: string; readonly prefix: string }>;
    readonly endpoint: string;
    /** What the runtime's presigned URLs are signed with, to check them as S3 does. */
    readonly signing: S3Signing;
  };
  /** Routes that exist only on one machine (`/local/...`). */
  readonly localRoutes?: readonly LocalRoute[];
  /** Verifies bearer tokens for non-public routes, as the HTTP API's JWT authorizer does. */
  readonly authorizer?: { verify(token: string): Promise<{ ok: true; claims: Record<string, unknown> } | { ok: false; reason: string }> };
  readonly log?: (entry: Record<string, unknown>) => void;
  /** The web app served at `/` (GET and HEAD of paths no route claims). */
  readonly web?: WebApp;
}

const TEXT_TYPES = /^(text\/|application\/(json|problem\+json|xml|x-www-form-urlencoded|csv|javascript))/i;

/** Names every machine has for itself; a DNS-rebinding page's `Host` is never one of them. */
export const LOOPBACK_HOSTS: readonly string[] = ['localhost', '127.0.0.1', '[::1]'];

/** The host name of a `Host` header (`[::1]:3000` → `[::1]`), lower-cased, without a trailing dot. */
export function hostName(host: string | undefined): string | undefined {
  if (!host) return undefined;
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0];
  return name?.toLowerCase().replace(/\.$/, '') || undefined;
}

const isJson = (contentType: string | undefined) => /^application\/json\s*(;|$)/i.test(contentType ?? '');

/**
 * Whether a browser sent this request: browsers add `Origin` to every cross-origin request and
 * every POST, and `Sec-Fetch-Site` to every request, and no page can remove or forge either. curl
 * and scripts send neither (Node's fetch sends `Sec-Fetch-Mode` only).
 */
const fromBrowser = (req: IncomingMessage) => req.headers.origin !== undefined || req.headers['sec-fetch-site'] !== undefined;

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
  const buckets = new Set([...(options.s3Front?.buckets ?? []), ...(options.s3Front?.uploads ?? []).map((u) => u.bucket)]);
  const hosts = new Set([...LOOPBACK_HOSTS, ...(options.allowedHosts ?? []).map((h) => hostName(h) ?? h)]);
  /** The gateway's own origins (the web app it serves calls the API and posts uploads from them). */
  const ownOrigins = new Set<string>();
  const allowedOrigin = (origin: string | undefined) =>
    origin && (ownOrigins.has(origin) || options.corsOrigins.includes(origin) || options.corsOrigins.includes('*')) ? origin : undefined;

  /**
   * The routes (topology and `/local/…`) whose path matches, remembered per path: a path is matched
   * against every route's pattern once, not on each request. Bounded: the paths hold ids.
   */
  const everyRoute: ReadonlyArray<CompiledRoute | (typeof local)[number]> = [...routes, ...local];
  /** Whether a `Host` header names this machine, remembered per header value (a handful in practice). */
  const hostVerdicts = new Map<string, boolean>();
  const hostAllowed = (header: string | undefined): boolean => {
    if (header === undefined) return false;
    let verdict = hostVerdicts.get(header);
    if (verdict === undefined) {
      const name = hostName(header);
      verdict = name !== undefined && hosts.has(name);
      if (hostVerdicts.size >= MATCH_CACHE_PATHS) hostVerdicts.clear();
      hostVerdicts.set(header, verdict);
    }
    return verdict;
  };
  const matched = new Map<string, ReadonlyArray<CompiledRoute | (typeof local)[number]>>();
  const candidatesOf = (path: string) => {
    let found = matched.get(path);
    if (!found) {
      found = everyRoute.filter((r) => r.pattern.test(path));
      if (matched.size >= MATCH_CACHE_PATHS) matched.clear();
      matched.set(path, found);
    }
    return found;
  };

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

  /**
   * Reads and drops a refused request's body before the answer that closes the connection: closing
   * while the client still sends makes its socket fail (`fetch failed`, ECONNRESET) instead of
   * showing the refusal. A body past {@link DRAIN_LIMIT_BYTES} is not waited for.
   */
  const drained = (req: IncomingMessage): Promise<void> =>
    new Promise((resolve) => {
      req.resume();
      if (req.readableEnded || Number(req.headers['content-length'] ?? 0) > DRAIN_LIMIT_BYTES) return resolve();
      req.once('end', resolve);
      req.once('error', () => resolve());
      req.once('close', () => resolve());
    });

  const s3Refused = async (req: IncomingMessage, res: ServerResponse, url: URL, refusal: S3Refusal) => {
    options.log?.({ msg: 's3 request refused', method: req.method, path: url.pathname, code: refusal.code, reason: refusal.message });
    await drained(req);
    send(res, { statusCode: refusal.status, headers: { 'content-type': 'application/xml' }, body: s3ErrorXml(refusal, url.pathname) }, { ...corsHeaders(req), connection: 'close' });
  };

  /**
   * Sends a browser's request on to the local S3 (the bytes read already first, then the rest) and
   * adds CORS to the answer. A served file never runs as a page of this origin (the origin of
   * `/local/token`): its type is not sniffed and scripts are off.
   */
  const forwardToS3 = (req: IncomingMessage, res: ServerResponse, url: URL, buffered?: Buffer) => {
    const target = new URL(`${url.pathname}${url.search}`, options.s3Front?.endpoint);
    const upstream = http.request(
      target,
      { method: req.method, headers: { ...req.headers, host: target.host } },
      (answer) => {
        const headers = { ...answer.headers, ...corsHeaders(req), 'x-content-type-options': 'nosniff', 'content-security-policy': "script-src 'none'" };
        if (headers['access-control-allow-origin']) headers['access-control-expose-headers'] = 'ETag, x-amz-request-id';
        res.writeHead(answer.statusCode ?? 502, headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) send(res, problemResponse(502, 'dependency_unavailable', 'en'));
      else res.destroy();
    });
    if (buffered) upstream.write(buffered);
    req.pipe(upstream);
  };

  /** A presigned POST to an uploads bucket: its form's fields are read (not the file) and checked before anything is stored. */
  const postToS3 = (req: IncomingMessage, res: ServerResponse, url: URL, upload: { bucket: string; prefix: string }, signing: S3Signing) => {
    const boundary = /boundary=(?:"([^"]+)"|([^\s;]+))/i.exec(req.headers['content-type'] ?? '');
    const length = Number(req.headers['content-length']);
    if (!/^multipart\/form-data/i.test(req.headers['content-type'] ?? '') || !boundary) {
      return s3Refused(req, res, url, { status: 400, code: 'MalformedPOSTRequest', message: 'The body of your POST request is not well-formed multipart/form-data.' });
    }
    if (!Number.isInteger(length) || length < 0) return s3Refused(req, res, url, { status: 411, code: 'MissingContentLength', message: 'You must provide the Content-Length HTTP header.' });
    const separator = boundary[1] ?? boundary[2] ?? '';
    let read = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      read = Buffer.concat([read, chunk]);
      const head = parseFormHead(read, separator);
      if (head === 'more' && read.length <= MAX_FORM_HEAD_BYTES) return;
      req.pause();
      req.off('data', onData);
      req.off('end', onEnd);
      if (head === 'more' || head === 'no-file') {
        return s3Refused(req, res, url, { status: 400, code: 'MalformedPOSTRequest', message: 'The form must end with a file field, after at most 64 KiB of other fields.' });
      }
      // The body ends with CRLF "--boundary--" CRLF after the file.
      const fileSize = length - head.fileStart - (separator.length + 8);
      const refusal = checkPostPolicy({ bucket: upload.bucket, fields: head.fields, fileSize, keyPrefix: upload.prefix }, signing, new Date());
      if (refusal) return s3Refused(req, res, url, refusal);
      forwardToS3(req, res, url, read);
    };
    const onEnd = () => s3Refused(req, res, url, { status: 400, code: 'MalformedPOSTRequest', message: 'The form has no file field.' });
    req.on('data', onData);
    req.on('end', onEnd);
  };

  /**
   * The local S3 for browsers, and only what they need: CORS preflights, presigned POSTs to an
   * uploads bucket (root path), presigned GETs of objects. Listing, deleting, PUT and unsigned
   * reads are refused, as S3 refuses them without credentials.
   */
  const proxyToS3 = (req: IncomingMessage, res: ServerResponse, url: URL, bucket: string) => {
    const front = options.s3Front;
    if (!front) return s3Refused(req, res, url, { status: 403, code: 'AccessDenied', message: 'No S3 here' });
    if (req.method === 'OPTIONS') return preflight(req, res, 'GET, POST');
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedOrigin(origin) && req.method !== 'GET') {
      return s3Refused(req, res, url, { status: 403, code: 'AccessDenied', message: `Origin ${origin} is not an allowed front end (SCIDAY_CORS_ORIGINS).` });
    }
    const objectKey = url.pathname.slice(bucket.length + 2);
    const upload = front.uploads.find((u) => u.bucket === bucket);
    if (req.method === 'POST' && objectKey === '' && upload && !url.search) return postToS3(req, res, url, upload, front.signing);
    if (req.method === 'GET' && objectKey !== '' && front.buckets.includes(bucket)) {
      const refusal = checkPresignedGet({ method: 'GET', rawPath: url.pathname, rawQuery: url.search.slice(1), headers: req.headers }, front.signing, new Date());
      return refusal ? s3Refused(req, res, url, refusal) : forwardToS3(req, res, url);
    }
    return s3Refused(req, res, url, { status: 403, code: 'AccessDenied', message: 'This local S3 takes presigned POSTs to an upload bucket and presigned GETs only.' });
  };

  /**
   * `/local/…` mints tokens and moves the clock: a web page must not reach it. Its `Origin`, when a
   * browser sends one, must be an allowed front end; and a browser's body must be JSON (which no
   * page can send cross-origin without a preflight). curl and scripts (no `Origin`, no
   * `Sec-Fetch-Site`) keep sending what they like: `curl -d '{…}'` is form-encoded.
   */
  const localGuard = (req: IncomingMessage): { status: number; code: ProblemCode; detail: string } | undefined => {
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedOrigin(origin)) {
      return { status: 403, code: 'forbidden', detail: `Origin ${origin} is not an allowed front end of this runtime (SCIDAY_CORS_ORIGINS)` };
    }
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'OPTIONS';
    if (hasBody && fromBrowser(req) && !isJson(req.headers['content-type'])) {
      return { status: 415, code: 'unsupported_media_type', detail: 'A browser may send /local/… only application/json' };
    }
    return undefined;
  };

  const readBody = (req: IncomingMessage): Promise<Buffer | 'too-large'> | Buffer => {
    // A request that declares no body has none (HTTP/1.1: neither Content-Length nor Transfer-Encoding):
    // answer at once instead of waiting a turn of the event loop for its 'end'.
    if (req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined) {
      req.resume();
      return EMPTY;
    }
    return new Promise((resolve, reject) => {
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
  };

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
    const incoming = req.headers;
    for (const k in incoming) {
      const v = incoming[k];
      if (v !== undefined && k !== 'cookie') headers[k] = Array.isArray(v) ? v.join(',') : v;
    }
    // URLSearchParams is built only when there is a query (most requests have none).
    const query: Record<string, string> = {};
    if (url.search.length > 1) for (const key of new Set(url.searchParams.keys())) query[key] = url.searchParams.getAll(key).join(',');
    const pathParameters: Record<string, string> = {};
    route.params.forEach((p, i) => {
      pathParameters[p] = decodeURIComponent(match[i + 1] ?? '');
    });
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
    // Only answers of the gateway's own (problems) need it: negotiated when one is sent.
    let negotiated: ReturnType<typeof negotiateLanguage> | undefined;
    const language = () => (negotiated ??= negotiateLanguage(req.headers['accept-language']));
    if (!hostAllowed(req.headers.host)) {
      options.log?.({ msg: 'host refused', host: req.headers.host ?? null, path: req.url });
      await drained(req);
      const detail = `Host ${req.headers.host ?? '(none)'} is not a name of this machine; set SCIDAY_ALLOWED_HOSTS to answer it`;
      return send(res, problemResponse(403, 'forbidden', language(), { detail }), { connection: 'close' });
    }
    // Origin-form only: an absolute request target (`GET http://elsewhere/…`) would name the upstream.
    if (!(req.url ?? '').startsWith('/')) {
      await drained(req);
      return send(res, problemResponse(400, 'bad_request', language()), { connection: 'close' });
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    const firstSegment = decodeURIComponent(url.pathname.split('/')[1] ?? '');
    if (buckets.has(firstSegment)) return proxyToS3(req, res, url, firstSegment);

    const cors = corsHeaders(req);
    const problem = (status: number, code: ProblemCode, headers: Record<string, string> = {}, detail?: string) =>
      send(res, problemResponse(status, code, language(), detail ? { detail } : {}), { ...cors, ...headers });
    if (url.pathname.startsWith('/local/')) {
      const refused = localGuard(req);
      if (refused) {
        options.log?.({ msg: 'local route refused', path: url.pathname, origin: req.headers.origin ?? null, detail: refused.detail });
        await drained(req);
        return problem(refused.status, refused.code, { connection: 'close' }, refused.detail);
      }
    }

    const candidates = candidatesOf(url.pathname);
    if (req.method === 'OPTIONS' && candidates.length > 0) {
      return preflight(req, res, [...new Set(candidates.map((r) => r.method))].join(', '));
    }
    if (candidates.length === 0 && options.web && (req.method === 'GET' || req.method === 'HEAD')) {
      const page = options.web.serve(url.pathname);
      if (page) return send(res, await options.web.withPreview(url.pathname, page));
    }
    const read = readBody(req);
    const body = Buffer.isBuffer(read) ? read : await read;
    if (body === 'too-large') return problem(413, 'payload_too_large', { connection: 'close' });
    if (candidates.length === 0) return problem(404, 'route_not_found');
    const method = req.method === 'HEAD' ? 'GET' : req.method;
    const localRoute = candidates.find((r): r is (typeof local)[number] => r.method === method && 'handle' in r);
    if (localRoute) return send(res, await localRoute.handle(req, body, url), cors);
    const route = candidates.find((r): r is CompiledRoute => r.method === method && !('handle' in r));
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
      send(res, problemResponse(500, 'internal', language(), { requestId }), { ...cors, 'apigw-requestid': requestId });
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
  for (const name of hosts) ownOrigins.add(`http://${name}:${port}`);
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

/**
 * The HTTP client of webhooks (WeCom / DingTalk group robots), guarded against SSRF.
 *
 * - The URL is judged first (shared/domain/webhook-address.ts): https, no user info, an IP
 *   host public. A refused URL is never connected to.
 * - Host names are resolved by {@link guardedLookup}, which refuses the connection when any
 *   address the name resolves to is not public. The socket then connects to an address that
 *   lookup returned, the one that was checked: a name that resolves to a public address when
 *   checked and to 169.254.169.254 a moment later (DNS rebinding) cannot slip through.
 * - Redirects are not followed (a 3xx is a permanent failure), the whole exchange has a
 *   deadline (5 s), and no more than 64 KiB of the response are read.
 *
 * The response is classified for the caller: `sent`, `refused` (the address), `rejected`
 * (permanent: other 4xx, a robot error code) or `retryable` (429, 5xx, a robot's rate limit,
 * timeouts and network errors).
 */
import type { LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { isAllowedAddress, webhookUrlProblem, type WebhookPolicy } from '../domain/webhook-address';

// Taken with process.getBuiltinModule, not `import … from 'node:http'`: an ESM import of node:http
// builds its whole namespace, whose lazy getters (WebSocket, …) load Node's bundled undici, about
// 40 ms of a cold start that never uses it (ADR 0052). The SDK has already required all three.
const { lookup: dnsLookup } = process.getBuiltinModule('node:dns');
const { request: httpRequest } = process.getBuiltinModule('node:http');
const { request: httpsRequest } = process.getBuiltinModule('node:https');

/** Deadline of one POST, from the lookup to the end of the response. */
export const WEBHOOK_TIMEOUT_MS = 5000;
/** The most of a response body read (a robot answers a few dozen bytes of JSON). */
export const MAX_RESPONSE_BYTES = 64 * 1024;
/** How long the settings PATCH waits for DNS before accepting a name as unresolvable. */
export const DNS_TIMEOUT_MS = 2000;

/**
 * Robot error codes that mean "later" (rate limits, busy): WeCom `-1` (system busy) and
 * `45009` (API frequency limit), DingTalk `130101` and `410100` (sending too fast).
 */
const RETRYABLE_ERRCODES: ReadonlySet<number> = new Set([-1, 45009, 130101, 410100]);

/** What became of one POST. */
export type WebhookResponse =
  | { readonly kind: 'sent'; readonly status: number }
  /** The address may not be reached: nothing was sent. */
  | { readonly kind: 'refused'; readonly reason: string }
  /** A permanent failure: retrying would not help. */
  | { readonly kind: 'rejected'; readonly reason: string; readonly status: number; readonly errcode?: number; readonly errmsg?: string }
  /** Worth another try later. */
  | { readonly kind: 'retryable'; readonly reason: string; readonly status?: number; readonly errcode?: number; readonly errmsg?: string };

/** Port: POSTs a JSON payload to a webhook. */
export interface WebhookSender {
  post(url: string, payload: unknown): Promise<WebhookResponse>;
}

/** A host name resolved (in part) to an address a webhook may not reach. */
export class WebhookAddressRefusedError extends Error {
  public readonly code = 'EWEBHOOKADDRESS';
  public constructor(host: string, options?: ErrorOptions) {
    super(`${host} resolves to an address a webhook may not reach`, options);
    this.name = 'WebhookAddressRefusedError';
  }
}

type Resolve = (hostname: string, callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void) => void;

const systemResolve: Resolve = (hostname, callback) => dnsLookup(hostname, { all: true }, callback);

/**
 * A `lookup` for `net.connect` that resolves `hostname` like the system does and fails with
 * {@link WebhookAddressRefusedError} when any address is not allowed by `policy`. Answers
 * in both of lookup's forms (`all`, used by Happy Eyeballs, or one address).
 */
export function guardedLookup(policy: WebhookPolicy, resolve: Resolve = systemResolve): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : (options.family ?? 0);
      const candidates = family === 0 ? addresses : addresses.filter((a) => a.family === family);
      if (addresses.length === 0 || !addresses.every((a) => isAllowedAddress(a.address, policy))) {
        return callback(new WebhookAddressRefusedError(hostname), '', 0);
      }
      const [first] = candidates;
      if (!first) {
        const missing: NodeJS.ErrnoException = new Error(`no IPv${family} address for ${hostname}`);
        missing.code = 'ENOTFOUND';
        return callback(missing, '', 0);
      }
      if (options.all) return callback(null, candidates);
      return callback(null, first.address, first.family);
    });
  };
}

/**
 * The addresses `host` resolves to, or `undefined` when it does not resolve within
 * `timeoutMs` (for the settings PATCH: an unknown name is accepted and checked at delivery).
 */
export async function resolveHostAddresses(host: string, timeoutMs = DNS_TIMEOUT_MS, resolve: Resolve = systemResolve): Promise<string[] | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const answer = new Promise<string[] | undefined>((done) => {
    resolve(host, (error, addresses) => done(error ? undefined : addresses.map((a) => a.address)));
  });
  const timeout = new Promise<undefined>((done) => {
    timer = setTimeout(() => done(undefined), timeoutMs);
  });
  try {
    return await Promise.race([answer, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** A robot's `errcode` / `errmsg` in a JSON body, when there is one. */
function robotAnswer(body: Buffer): { errcode?: number; errmsg?: string } {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    if (!parsed || typeof parsed !== 'object') return {};
    const { errcode, errmsg } = parsed as { errcode?: unknown; errmsg?: unknown };
    const code = typeof errcode === 'number' ? errcode : typeof errcode === 'string' && /^-?\d+$/.test(errcode) ? Number(errcode) : undefined;
    return {
      ...(code !== undefined ? { errcode: code } : {}),
      ...(typeof errmsg === 'string' ? { errmsg: errmsg.slice(0, 200) } : {}),
    };
  } catch {
    return {};
  }
}

/** Classifies a response: 2xx with `errcode` absent or 0 is sent. */
export function classifyResponse(status: number, body: Buffer): WebhookResponse {
  if (status >= 200 && status < 300) {
    const { errcode, errmsg } = robotAnswer(body);
    if (errcode === undefined || errcode === 0) return { kind: 'sent', status };
    const detail = { status, errcode, ...(errmsg !== undefined ? { errmsg } : {}) };
    return RETRYABLE_ERRCODES.has(errcode) ? { kind: 'retryable', reason: 'robot_busy', ...detail } : { kind: 'rejected', reason: 'robot_error', ...detail };
  }
  if (status === 408 || status === 429 || status >= 500) return { kind: 'retryable', reason: `http_${status}`, status };
  // Redirects are not followed: a robot URL that moved is the unit's to fix.
  return { kind: 'rejected', reason: `http_${status}`, status };
}

/** Options of {@link HttpWebhookClient}. */
export interface HttpWebhookClientOptions {
  readonly policy: WebhookPolicy;
  /** @default WEBHOOK_TIMEOUT_MS */
  readonly timeoutMs?: number;
  /** @default MAX_RESPONSE_BYTES */
  readonly maxResponseBytes?: number;
  /** Name resolution (tests point names at local servers). @default the system's */
  readonly resolve?: Resolve;
}

/**
 * POSTs JSON with node:https (node:http only to loopback where the policy allows it).
 *
 * @example
 * const webhooks = new HttpWebhookClient({ policy: loadWebhookPolicy() });
 * await webhooks.post(url, { msgtype: 'text', text: { content: '…' } }); // { kind: 'sent', status: 200 }
 */
export class HttpWebhookClient implements WebhookSender {
  public constructor(private readonly options: HttpWebhookClientOptions) {}

  public post(url: string, payload: unknown): Promise<WebhookResponse> {
    const { policy, timeoutMs = WEBHOOK_TIMEOUT_MS, maxResponseBytes = MAX_RESPONSE_BYTES } = this.options;
    const problem = webhookUrlProblem(url, policy);
    if (problem) return Promise.resolve({ kind: 'refused', reason: problem });
    const target = new URL(url);
    const body = Buffer.from(JSON.stringify(payload), 'utf8');
    const request = target.protocol === 'https:' ? httpsRequest : httpRequest;

    return new Promise((resolve) => {
      let settled = false;
      const finish = (response: WebhookResponse) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(response);
      };
      const req = request(
        target,
        {
          method: 'POST',
          // A fresh connection each time: no pooled socket outlives the check of its address.
          agent: false,
          lookup: guardedLookup(policy, this.options.resolve),
          headers: {
            'content-type': 'application/json; charset=utf-8',
            'content-length': body.length,
            'user-agent': 'SciDay-Webhook/1',
          },
        },
        (res) => {
          const status = res.statusCode ?? 0;
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size <= maxResponseBytes) {
              chunks.push(chunk);
              return;
            }
            // Enough read: the status decides, and a huge body is not a robot's answer.
            chunks.push(chunk.subarray(0, Math.max(0, maxResponseBytes - (size - chunk.length))));
            finish(classifyResponse(status, Buffer.concat(chunks)));
            res.destroy();
          });
          res.on('end', () => finish(classifyResponse(status, Buffer.concat(chunks))));
          res.on('error', (error: NodeJS.ErrnoException) => finish({ kind: 'retryable', reason: error.code ?? 'response_error', status }));
        },
      );
      const timer = setTimeout(() => {
        finish({ kind: 'retryable', reason: 'timeout' });
        req.destroy();
      }, timeoutMs);
      req.on('error', (error: NodeJS.ErrnoException) => {
        if (error instanceof WebhookAddressRefusedError) finish({ kind: 'refused', reason: 'webhook_address_not_allowed' });
        else finish({ kind: 'retryable', reason: error.code ?? 'request_error' });
      });
      req.end(body);
    });
  }
}

/**
 * Where a unit's webhook may point (SSRF guard). A webhook is a URL the server itself POSTs
 * to, so a URL naming an address inside the network (the instance metadata service at
 * 169.254.169.254, a private database, the machine itself) would let anyone who may edit a
 * unit's settings make the server reach it. The rules:
 *
 * - https only; plain http only to a loopback host, and only where loopback is allowed (the
 *   local runtime, whose robots run on the same machine);
 * - no user name or password in the URL;
 * - a host written as an IP address must be a public unicast address (loopback too where
 *   allowed); `localhost` and `*.localhost` count as loopback;
 * - a host name is judged by the addresses it resolves to, when the settings are changed and
 *   again on every delivery (the client connects only to an address it has checked).
 *
 * Odd spellings of IPv4 (`2130706433`, `0x7f.1`, `0177.0.0.1`, `127.1`, full-width digits)
 * need no rules of their own: the WHATWG URL parser (`new URL`) normalises every one of them to
 * dotted decimal, exactly as the HTTP client will read it, and the rules judge that. IPv6 forms
 * that carry an IPv4 address (IPv4-mapped `::ffff:a.b.c.d`, NAT64 `64:ff9b::/96`, 6to4
 * `2002::/16`) are judged by the IPv4 address they carry.
 *
 * Pure: parsing and tables, no I/O.
 */

/** What kind of address an IP literal is; only `public` is reachable by every webhook. */
export type AddressKind =
  | 'public'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'shared'
  | 'unspecified'
  | 'unique-local'
  | 'multicast'
  | 'broadcast'
  | 'documentation'
  | 'benchmark'
  | 'reserved';

/** Where loopback is allowed: only in the local runtime (`WEBHOOK_ALLOW_LOOPBACK=true`). */
export interface WebhookPolicy {
  readonly allowLoopback: boolean;
}

/** The policy outside the local runtime. */
export const STRICT_WEBHOOK_POLICY: WebhookPolicy = Object.freeze({ allowLoopback: false });

/** Why a webhook URL is refused: each is an issue code of shared/domain/issues.ts. */
export type WebhookUrlProblem = 'invalid_url' | 'https_required' | 'webhook_address_not_allowed';

// --- parsing ---------------------------------------------------------------------------

/** `a.b.c.d` in canonical dotted decimal (no leading zeros) as four octets. */
export function parseIpv4(s: string): readonly [number, number, number, number] | undefined {
  const m = /^(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})$/.exec(s);
  if (!m) return undefined;
  const octets = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])] as const;
  return octets.every((o) => o <= 255) ? octets : undefined;
}

const HEXTET = /^[0-9a-f]{1,4}$/;

/**
 * An IPv6 address as a 128-bit integer: compressed (`::`), with an embedded dotted IPv4 tail
 * (`::ffff:127.0.0.1`), in brackets, with a zone (`fe80::1%eth0`, the zone ignored).
 */
export function parseIpv6(input: string): bigint | undefined {
  let s = input.toLowerCase();
  if (s.startsWith('[') && s.endsWith(']')) s = s.slice(1, -1);
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  if (!s.includes(':')) return undefined;
  if (s.includes('.')) {
    const lastColon = s.lastIndexOf(':');
    const v4 = parseIpv4(s.slice(lastColon + 1));
    if (!v4) return undefined;
    s = `${s.slice(0, lastColon + 1)}${((v4[0] << 8) | v4[1]).toString(16)}:${((v4[2] << 8) | v4[3]).toString(16)}`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const groups = (part: string | undefined): string[] | undefined => {
    if (part === undefined || part === '') return [];
    const g = part.split(':');
    return g.every((h) => HEXTET.test(h)) ? g : undefined;
  };
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  if (!head || !tail) return undefined;
  let hextets: string[];
  if (halves.length === 2) {
    if (head.length + tail.length > 7) return undefined;
    hextets = [...head, ...Array<string>(8 - head.length - tail.length).fill('0'), ...tail];
  } else {
    if (head.length !== 8) return undefined;
    hextets = head;
  }
  return hextets.reduce((acc, h) => (acc << 16n) | BigInt(parseInt(h, 16)), 0n);
}

// --- classification --------------------------------------------------------------------

const v4Number = ([a, b, c, d]: readonly number[]): number => (((a ?? 0) << 24) >>> 0) + ((b ?? 0) << 16) + ((c ?? 0) << 8) + (d ?? 0);

interface V4Range {
  readonly base: number;
  readonly bits: number;
  readonly kind: AddressKind;
}

const v4 = (cidr: string, kind: AddressKind): V4Range => {
  const [addr = '', bits = '32'] = cidr.split('/');
  const octets = parseIpv4(addr);
  if (!octets) throw new Error(`bad range ${cidr}`);
  return { base: v4Number(octets), bits: Number(bits), kind };
};

/** IANA's IPv4 special-purpose registry, as far as a webhook cares; the most specific first. */
const V4_RANGES: readonly V4Range[] = [
  v4('0.0.0.0/32', 'unspecified'),
  v4('255.255.255.255/32', 'broadcast'),
  v4('0.0.0.0/8', 'reserved'), // "this network"
  v4('10.0.0.0/8', 'private'),
  v4('100.64.0.0/10', 'shared'), // carrier-grade NAT
  v4('127.0.0.0/8', 'loopback'),
  v4('169.254.0.0/16', 'link-local'), // includes the instance metadata service
  v4('172.16.0.0/12', 'private'),
  v4('192.0.0.0/24', 'reserved'), // IETF protocol assignments
  v4('192.0.2.0/24', 'documentation'),
  v4('192.88.99.0/24', 'reserved'), // 6to4 relay anycast (deprecated)
  v4('192.168.0.0/16', 'private'),
  v4('198.18.0.0/15', 'benchmark'),
  v4('198.51.100.0/24', 'documentation'),
  v4('203.0.113.0/24', 'documentation'),
  v4('224.0.0.0/4', 'multicast'),
  v4('240.0.0.0/4', 'reserved'), // future use
];

function classifyV4(octets: readonly number[]): AddressKind {
  const n = v4Number(octets);
  for (const r of V4_RANGES) {
    const mask = r.bits === 0 ? 0 : (0xffffffff << (32 - r.bits)) >>> 0;
    if (((n & mask) >>> 0) === ((r.base & mask) >>> 0)) return r.kind;
  }
  return 'public';
}

interface V6Range {
  readonly base: bigint;
  readonly bits: number;
  /** A kind, or where the embedded IPv4 address sits (bit offset from the right). */
  readonly kind: AddressKind | { readonly embeddedV4At: number };
}

const v6 = (cidr: string, kind: V6Range['kind']): V6Range => {
  const [addr = '', bits = '128'] = cidr.split('/');
  const base = parseIpv6(addr);
  if (base === undefined) throw new Error(`bad range ${cidr}`);
  return { base, bits: Number(bits), kind };
};

const ALL_ONES = (1n << 128n) - 1n;

/** IANA's IPv6 special-purpose registry, as far as a webhook cares; the most specific first. */
const V6_RANGES: readonly V6Range[] = [
  v6('::/128', 'unspecified'),
  v6('::1/128', 'loopback'),
  v6('::ffff:0:0/96', { embeddedV4At: 0 }), // IPv4-mapped
  v6('64:ff9b::/96', { embeddedV4At: 0 }), // NAT64, well-known prefix
  v6('64:ff9b:1::/48', 'reserved'), // NAT64, local use
  v6('::/96', 'reserved'), // IPv4-compatible (deprecated)
  v6('::ffff:0:0:0/96', 'reserved'), // IPv4-translated (SIIT)
  v6('100::/64', 'reserved'), // discard only
  v6('2001:db8::/32', 'documentation'),
  v6('2001::/23', 'reserved'), // IETF protocol assignments (Teredo, ORCHID...)
  v6('2002::/16', { embeddedV4At: 80 }), // 6to4: the IPv4 address follows the prefix
  v6('3fff::/20', 'documentation'),
  v6('5f00::/16', 'reserved'), // SRv6 segment identifiers
  v6('fc00::/7', 'unique-local'),
  v6('fe80::/10', 'link-local'),
  v6('fec0::/10', 'private'), // site-local (deprecated)
  v6('ff00::/8', 'multicast'),
];

const GLOBAL_UNICAST = v6('2000::/3', 'public');

const inRange = (n: bigint, r: V6Range): boolean => {
  const mask = (ALL_ONES << BigInt(128 - r.bits)) & ALL_ONES;
  return (n & mask) === (r.base & mask);
};

function classifyV6(n: bigint): AddressKind {
  for (const r of V6_RANGES) {
    if (!inRange(n, r)) continue;
    if (typeof r.kind === 'string') return r.kind;
    const embedded = Number((n >> BigInt(r.kind.embeddedV4At)) & 0xffffffffn);
    return classifyV4([embedded >>> 24, (embedded >>> 16) & 0xff, (embedded >>> 8) & 0xff, embedded & 0xff]);
  }
  // Everything outside 2000::/3 is unassigned or special: never a webhook's address.
  return inRange(n, GLOBAL_UNICAST) ? 'public' : 'reserved';
}

/**
 * The kind of an IP address (`10.0.0.1`, `::ffff:7f00:1`, `[::1]`, `fe80::1%eth0`), or
 * `undefined` when `ip` is not one (a host name, or IPv4 not in canonical dotted decimal).
 *
 * @example
 * classifyAddress('169.254.169.254'); // 'link-local'
 * classifyAddress('::ffff:10.0.0.1'); // 'private'
 * classifyAddress('example.cn'); // undefined
 */
export function classifyAddress(ip: string): AddressKind | undefined {
  const octets = parseIpv4(ip);
  if (octets) return classifyV4(octets);
  const n = parseIpv6(ip);
  return n === undefined ? undefined : classifyV6(n);
}

/** Whether a webhook may connect to the IP address `ip` (anything not an IP address: no). */
export function isAllowedAddress(ip: string, policy: WebhookPolicy): boolean {
  const kind = classifyAddress(ip);
  return kind === 'public' || (kind === 'loopback' && policy.allowLoopback);
}

/** `localhost` and `*.localhost` (RFC 6761: always loopback), with or without the final dot. */
export const isLocalhostName = (host: string): boolean => /(^|\.)localhost\.?$/i.test(host);

/** A URL's host as the HTTP client reads it: brackets of IPv6 removed, e.g. `::1`. */
const bareHost = (url: URL): string => url.hostname.replace(/^\[(.*)\]$/, '$1');

/**
 * What is wrong with `url` as a webhook, or `undefined` when nothing is (as far as can be told
 * without DNS: a host name is judged by {@link hostToResolve} and {@link resolvedAddressesProblem}).
 *
 * @example
 * webhookUrlProblem('https://10.0.0.1/', STRICT_WEBHOOK_POLICY); // 'webhook_address_not_allowed'
 * webhookUrlProblem('http://hooks.example.cn/', STRICT_WEBHOOK_POLICY); // 'https_required'
 * webhookUrlProblem('http://127.0.0.1:8080/', { allowLoopback: true }); // undefined
 */
export function webhookUrlProblem(url: string, policy: WebhookPolicy): WebhookUrlProblem | undefined {
  if (!URL.canParse(url)) return 'invalid_url';
  const parsed = new URL(url);
  if (parsed.username !== '' || parsed.password !== '') return 'invalid_url';
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return 'https_required';
  const host = bareHost(parsed);
  if (host === '') return 'invalid_url';
  const kind = isLocalhostName(host) ? 'loopback' : classifyAddress(host);
  if (kind !== undefined && kind !== 'public' && !(kind === 'loopback' && policy.allowLoopback)) return 'webhook_address_not_allowed';
  if (parsed.protocol === 'http:' && !(kind === 'loopback' && policy.allowLoopback)) return 'https_required';
  return undefined;
}

/**
 * The host name of `url` that DNS must answer before anything is sent to it, or `undefined`
 * when the host is an IP address or `localhost` (judged without DNS) or the URL is not one.
 */
export function hostToResolve(url: string): string | undefined {
  if (!URL.canParse(url)) return undefined;
  const host = bareHost(new URL(url));
  if (host === '' || isLocalhostName(host) || classifyAddress(host) !== undefined) return undefined;
  return host;
}

/** `webhook_address_not_allowed` when any address a host resolves to may not be reached. */
export function resolvedAddressesProblem(addresses: readonly string[], policy: WebhookPolicy): WebhookUrlProblem | undefined {
  return addresses.every((a) => isAllowedAddress(a, policy)) ? undefined : 'webhook_address_not_allowed';
}

/**
 * The host (and port) of a webhook URL, the only part of it that may be logged: robot URLs
 * carry their access token in the query string (`?key=…`, `?access_token=…`).
 */
export function webhookHost(url: string): string {
  return URL.canParse(url) ? new URL(url).host : '(not a URL)';
}

/**
 * A webhook URL as anyone but the unit's editors may see it (ADR 0048): its scheme and host, then
 * `…` and the last 4 characters, enough to tell two robots apart and nothing to post with (the
 * robot's token lives in the path or query).
 *
 * @example
 * maskWebhookUrl('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a-91f6'); // 'https://qyapi.weixin.qq.com/…91f6'
 */
export function maskWebhookUrl(url: string): string {
  const origin = URL.canParse(url) ? `${new URL(url).protocol}//${new URL(url).host}/` : '';
  return `${origin}…${[...url].slice(-4).join('')}`;
}

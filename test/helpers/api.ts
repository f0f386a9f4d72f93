/**
 * A tiny client for the local gateway: tokens from `POST /local/token`, JSON in and out. Every
 * JSON answer is checked against the published OpenAPI document (contract.ts, ADR 0039).
 */
import { assertFitsContract } from './contract';

export interface Caller {
  readonly sub: string;
  readonly orgId: string;
  readonly roles: readonly string[];
  /** The city whose campaigns the roles apply to (ADR 0024); none: the home city. */
  readonly city?: string;
}

export interface ApiResponse<T = Record<string, unknown>> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
  readonly text: string;
}

export async function tokenFor(baseUrl: string, caller: Caller): Promise<string> {
  const res = await fetch(`${baseUrl}/local/token`, { method: 'POST', body: JSON.stringify(caller) });
  if (res.status !== 200) throw new Error(`token: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

export function client(baseUrl: string, token?: string) {
  const call = async <T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiResponse<T>> => {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : {};
    } catch {
      return { status: res.status, headers: res.headers, body: { raw: text } as T, text };
    }
    if (text) assertFitsContract({ method, path, status: res.status, headers: res.headers, body: parsed });
    return { status: res.status, headers: res.headers, body: parsed as T, text };
  };
  return {
    get: <T = Record<string, unknown>>(path: string, headers?: Record<string, string>) => call<T>('GET', path, undefined, headers),
    post: <T = Record<string, unknown>>(path: string, body?: unknown, headers?: Record<string, string>) => call<T>('POST', path, body, headers),
    patch: <T = Record<string, unknown>>(path: string, body?: unknown, headers?: Record<string, string>) => call<T>('PATCH', path, body, headers),
    put: <T = Record<string, unknown>>(path: string, body?: unknown, headers?: Record<string, string>) => call<T>('PUT', path, body, headers),
  };
}

export type Client = ReturnType<typeof client>;

/** A complete offline joint action of 2021-xinxiang, ready to submit. */
export const completeActivity = () => ({
  title: '科普进社区：碳达峰碳中和知识讲座 🌱',
  description: '面向社区居民讲解碳达峰、碳中和知识。',
  kind: 'joint-action',
  jointAction: 'carbon',
  contentThemes: ['green-development'],
  format: 'offline',
  startsAt: '2021-09-12T09:00:00+08:00',
  endsAt: '2021-09-12T11:30:00+08:00',
  county: 'hongqi',
  audiences: ['community'],
  venue: { name: '红旗区新时代文明实践中心', address: '新乡市红旗区人民路 1 号' },
  expectedParticipants: 200,
  maxOnSite: 150,
  epidemicPlan: '入场测温、查验健康码，全程佩戴口罩，座位间隔一米以上，控制现场人数不超过150人。',
  volunteers: { count: 12, hours: 30 },
  coOrganizers: ['新乡市水利局'],
  branded: true,
  contact: { name: '王老师', phone: '0373-5820656' },
});

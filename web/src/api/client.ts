/**
 * The API client: openapi-fetch over the types generated from `GET /v1/openapi.json`
 * (schema.d.ts). Every request carries the session's token and the page's language; answers
 * that are not 2xx come back as {@link ApiError} with the problem+json body, and a request
 * that never reached the server as {@link OfflineError}.
 */
import createClient from 'openapi-fetch';
import type { Session } from '../auth/session';
import { lang } from '../i18n';
import type { components, paths } from './schema';

export type Schemas = components['schemas'];
export type Activity = Schemas['Activity'];
export type Problem = Schemas['Problem'];
export type FieldProblem = NonNullable<Problem['errors']>[number];
export type Media = Schemas['Media'];
export type CampaignView = Schemas['Campaign'];
export type Flag = Schemas['Flag'];

/** The server answered with a problem (4xx/5xx). */
export class ApiError extends Error {
  public constructor(
    public readonly status: number,
    public readonly problem: Partial<Problem>,
  ) {
    super(problem.title ?? `HTTP ${status}`);
    this.name = 'ApiError';
  }
}

/** The request did not reach the server (offline, DNS, connection refused). */
export class OfflineError extends Error {
  public constructor(options?: ErrorOptions) {
    super('offline', options);
    this.name = 'OfflineError';
  }
}

export type Api = ReturnType<typeof createApi>;

export function createApi(baseUrl: string, session: Session) {
  const client = createClient<paths>({
    baseUrl,
    fetch: async (request: Request) => {
      try {
        return await fetch(request);
      } catch (error) {
        throw new OfflineError({ cause: error });
      }
    },
  });
  client.use({
    async onRequest({ request }) {
      const token = await session.token();
      if (token) request.headers.set('authorization', `Bearer ${token}`);
      request.headers.set('accept-language', lang.value);
      return request;
    },
  });
  return client;
}

/**
 * The data of an openapi-fetch answer, or throws {@link ApiError} with its problem body.
 * @example const activity = await ok(api.GET('/v1/activities/{activityId}', { params: { path: { activityId } } }));
 */
export async function ok<T>(answer: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<{ data: T; response: Response }> {
  const { data, error, response } = await answer;
  if (!response.ok || data === undefined) {
    throw new ApiError(response.status, (error ?? {}) as Partial<Problem>);
  }
  return { data, response };
}

/** The version an `ETag: "3"` names. */
export const etagVersion = (response: Response): number | undefined => {
  const m = /^(?:W\/)?"?(\d+)"?$/.exec(response.headers.get('etag') ?? '');
  return m ? Number(m[1]) : undefined;
};

/** A fresh key for `Idempotency-Key` (kept with the draft it creates, so a retry reuses it). */
export const newIdempotencyKey = (): string => crypto.randomUUID();

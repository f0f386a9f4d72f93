/**
 * How one operation of the contract is described ({@link OperationSpec}): the document derives
 * its parameters, headers and problem answers from these few facts (document.ts), so those
 * conventions cannot drift per route.
 */
import type * as z from '../../domain/zod';
import type { Role } from '../../auth/principal';
import type { Campaign } from '../../domain/campaign';
import { choice } from '../../schemas/text';
import type { HttpRoute } from '../routes';
import type { RequestSchemaName } from './request-schemas';
import type { ResponseSchemaName } from './response-schemas';

export type Tag = 'System' | 'Campaigns' | 'Activities' | 'Media' | 'Summaries' | 'Organizations' | 'Flags' | 'Reviews' | 'Exports' | 'Privacy' | 'Public';

export const TAGS: Record<Tag, string> = {
  System: '系统 · Health and this document',
  Campaigns: '活动年度 · Campaigns: what a form needs',
  Activities: '活动报送 · Activities: register, publish, report results',
  Media: '图片视频与文档 · Photos, videos and documents (presigned uploads)',
  Summaries: '工作总结 · Organizations’ work summaries',
  Organizations: '组织单位 · Organizing units',
  Flags: '逾期与缺报 · Flags, waivers and extensions',
  Reviews: '评价 · Reviews and scores',
  Exports: '数据导出 · Exports for analysts',
  Privacy: '个人信息 · Personal information (privacy notice, access, erasure)',
  Public: '公众活动日历 · Public calendar',
};

/** A query parameter: its schema (per campaign) and what it means. */
export interface QueryParam {
  readonly schema: (c: Campaign) => z.ZodMiniType;
  readonly description: string;
}

/** One operation of the contract. */
export interface OperationSpec {
  readonly summary: { readonly zh: string; readonly en: string };
  readonly tags: readonly Tag[];
  /**
   * Roles that may call it (`x-roles`); `'anyone'` for public routes and `'signed-in'` for
   * any valid token. Scope (own unit, owner) is in `who`.
   */
  readonly roles: readonly Role[] | 'anyone' | 'signed-in';
  /** Who, in the contract's words (API.md "who" column). */
  readonly who: string;
  readonly description?: string;
  /** A JSON body: the named request schema. */
  readonly requestBody?: RequestSchemaName;
  /** Also accepts a `text/csv` body (described here). */
  readonly csvBody?: string;
  /** Replays of the same `Idempotency-Key` within 24 h return the first response. */
  readonly idempotent?: boolean;
  /** `If-Match`: always needed, needed once the resource exists, or optional (checked when sent). */
  readonly ifMatch?: 'required' | 'when-exists' | 'optional';
  /** `?limit=` and `?cursor=`. */
  readonly paged?: boolean;
  /** Filters in the query string. */
  readonly query?: Readonly<Record<string, QueryParam>>;
  /** 409 when the resource's state forbids it (e.g. submitting a registered activity). */
  readonly conflict?: boolean;
  /** Query parameters are validated like a body: a value that is not acceptable is a 422 naming it. */
  readonly validatesQuery?: boolean;
  /** The stored resource must satisfy this schema (`x-validates`), else 422. */
  readonly validates?: RequestSchemaName;
  readonly response: {
    readonly status: 200 | 201 | 202;
    readonly description: string;
    /** A component, or any JSON object. */
    readonly schema: ResponseSchemaName | 'object';
    readonly etag?: boolean;
    /** Template of the `Location` header, e.g. `/v1/activities/{activityId}`. */
    readonly location?: string;
    /** When `Location` is sent, if not always (e.g. `one unit was added`). */
    readonly locationOnlyWhen?: string;
    readonly cacheControl?: string;
    /** The body's media type when it is not JSON (the schema is then a string). */
    readonly mediaType?: 'text/calendar' | 'text/html';
  };
  /** A budget per caller: 429 with `Retry-After` when it is spent. */
  readonly rateLimited?: boolean;
  /** Further non-problem answers (e.g. the health check's 503). */
  readonly otherResponses?: Readonly<Record<string, { readonly description: string; readonly schema: ResponseSchemaName; readonly location?: string }>>;
}

export const MANAGE = ['reviewer', 'admin'] as const satisfies readonly Role[];
export const READERS = ['organizer', 'reviewer', 'admin'] as const satisfies readonly Role[];
export const byId = (ids: (c: Campaign) => readonly string[]) => (c: Campaign) => choice(ids(c));

/** Operations keyed `METHOD /path`, as the routes table names them. */
export type OperationTable = Record<`${HttpRoute['method']} /${string}`, OperationSpec>;

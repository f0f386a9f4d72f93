/**
 * The answers of the public routes (ADR 0044): cacheable by anyone (a CDN keeps them minutes), with
 * an ETag of the body, and 304 when the client already holds it (`If-None-Match`).
 */
import { createHash } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { PUBLIC_CACHE_CONTROL } from './public-views';

/** A weak ETag of a body (the same bytes, the same tag). */
export const bodyTag = (body: string): string => `W/"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;

/** The body with its cache headers, or 304 when `If-None-Match` names its ETag. */
export function publicAnswer(event: APIGatewayProxyEventV2, body: string, contentType: string): APIGatewayProxyResultV2 {
  const etag = bodyTag(body);
  const headers = { 'cache-control': PUBLIC_CACHE_CONTROL, etag };
  const given = Object.entries(event.headers ?? {}).find(([name]) => name.toLowerCase() === 'if-none-match')?.[1];
  const held = (given ?? '').split(',').map((t) => t.trim().replace(/^W\//, ''));
  if (held.includes('*') || held.includes(etag.replace(/^W\//, ''))) return { statusCode: 304, headers };
  return { statusCode: 200, headers: { 'content-type': contentType, ...headers }, body };
}

/**
 * DynamoDB's JSON protocol spoken directly to DynamoDB Local, so the same generator (autocannon)
 * drives the bare baseline. DynamoDB Local checks that an Authorization header names an access
 * key and does not verify the signature: one fixed header serves every request.
 */
import type { Shot } from './cannon';

const AUTHORIZATION = 'AWS4-HMAC-SHA256 Credential=local/20210901/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-target, Signature=0';

export type Operation = 'PutItem' | 'GetItem' | 'Query' | 'TransactWriteItems' | 'UpdateItem' | 'BatchWriteItem';

/** One DynamoDB API call as an autocannon request (`input` is the low-level, marshalled input). */
export const ddbShot = (operation: Operation, input: unknown): Shot => ({
  method: 'POST',
  path: '/',
  body: JSON.stringify(input),
  headers: {
    'content-type': 'application/x-amz-json-1.0',
    'x-amz-target': `DynamoDB_20120810.${operation}`,
    authorization: AUTHORIZATION,
  },
});

/** Sends one call with fetch (setup and checks, not measured). */
export async function ddbCall<T = Record<string, unknown>>(endpoint: string, operation: Operation, input: unknown): Promise<T> {
  const shot = ddbShot(operation, input);
  const res = await fetch(endpoint, { method: 'POST', headers: shot.headers, body: shot.body });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${operation}: ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

/** A copy of a marshalled item (or any JSON) with every occurrence of `from` replaced by `to`. */
export const renamed = <T>(value: T, from: string, to: string): T => JSON.parse(JSON.stringify(value).split(from).join(to)) as T;

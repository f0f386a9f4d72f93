/**
 * A document client for long jobs whose reads may be sent again: Query, Get, BatchGet and Scan that
 * still fail after the SDK's own attempts (throttled, 5xx, timed out, connection lost) are sent a
 * few more times, with backoff. Reads change nothing, so repeating one is always safe; writes go
 * through unchanged. An export reads hundreds of pages: without this one page failing three
 * attempts in a row fails the whole job (ADR 0026).
 *
 * @example
 * const source = new DynamoDbExportSource({ client: patientReads(documentClient(config)), tableName });
 */
import { BatchGetCommand, GetCommand, QueryCommand, ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

const isRead = (command: unknown): boolean =>
  command instanceof QueryCommand || command instanceof GetCommand || command instanceof BatchGetCommand || command instanceof ScanCommand;

/** Whether a failed call is worth sending again: not a real 4xx answer (validation, access, condition). */
export function transientFailure(error: unknown): boolean {
  const e = error as { $retryable?: unknown; $metadata?: { httpStatusCode?: number } } | undefined;
  const status = e?.$metadata?.httpStatusCode;
  return e?.$retryable !== undefined || status === undefined || status >= 500 || status === 429;
}

export function patientReads(client: DynamoDBDocumentClient, attempts = 4): DynamoDBDocumentClient {
  const send = async (command: unknown, ...rest: unknown[]) => {
    const read = isRead(command);
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await (client.send as (c: unknown, ...r: unknown[]) => Promise<unknown>)(command, ...rest);
      } catch (error) {
        if (!read || attempt >= attempts || !transientFailure(error)) throw error;
        await new Promise((r) => setTimeout(r, 100 * 2 ** attempt * Math.random()));
      }
    }
  };
  return new Proxy(client, { get: (target, prop, receiver) => (prop === 'send' ? send : Reflect.get(target, prop, receiver)) });
}

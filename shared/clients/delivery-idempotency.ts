/**
 * "At most once per delivery id" for the notifier, built on Powertools idempotency with its
 * DynamoDB persistence layer on the `idempotency` table (the table Idempotency-Key uses; the
 * key prefix keeps the two apart).
 *
 * A second delivery of the same id, sequential or concurrent, does not run the function:
 * after the first completed it answers the stored result (marked `replayed`); while the first
 * is still running it answers `in-progress` (the first one's own message is retried by SQS if
 * it fails, so nothing is lost by dropping the duplicate). A function that throws leaves no
 * record, so the retry runs it again.
 *
 * @example
 * const once = oncePerDelivery((n: Notification) => sendRobotMessage(n, deps), { client, tableName });
 * once.config.registerLambdaContext(context); // in-progress records expire with the invocation
 * await once.run(notification); // DeliveryResult & { replayed?: true } | 'in-progress'
 */
import { IdempotencyAlreadyInProgressError, IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/**
 * How long a delivery is remembered: longer than any copy of its message can live. SQS keeps
 * a message (and its DLQ copy, which a redrive may send back) at most 14 days from when it
 * was first sent; one day more covers the producer's own retries.
 */
export const DELIVERY_IDEMPOTENCY_TTL_SECONDS = 15 * 24 * 3600;

/** Prefix of the idempotency records' ids (stable across function names and deployments). */
export const DELIVERY_KEY_PREFIX = 'webhook-delivery';

export interface OncePerDelivery<I, R> {
  /** Runs the function unless this delivery id ran (or is running) already. */
  run(input: I): Promise<(R & { readonly replayed?: true }) | 'in-progress'>;
  /** Register each invocation's Lambda context here (in-progress records expire with it). */
  readonly config: IdempotencyConfig;
}

/** Makes `fn` run at most once per `deliveryId` of its input. */
export function oncePerDelivery<I extends { readonly deliveryId: string }, R extends object>(
  fn: (input: I) => Promise<R>,
  store: { readonly client: DynamoDBClient; readonly tableName: string },
): OncePerDelivery<I, R> {
  const config = new IdempotencyConfig({
    eventKeyJmesPath: 'deliveryId',
    throwOnNoIdempotencyKey: true,
    expiresAfterSeconds: DELIVERY_IDEMPOTENCY_TTL_SECONDS,
    responseHook: (response) => ({ ...(response as R), replayed: true }),
  });
  const idempotent = makeIdempotent(fn, {
    persistenceStore: new DynamoDBPersistenceLayer({ tableName: store.tableName, awsSdkV3Client: store.client }),
    config,
    keyPrefix: DELIVERY_KEY_PREFIX,
  });
  return {
    config,
    run: async (input) => {
      try {
        return (await idempotent(input)) as R & { readonly replayed?: true };
      } catch (error) {
        if (error instanceof IdempotencyAlreadyInProgressError) return 'in-progress';
        throw error;
      }
    },
  };
}

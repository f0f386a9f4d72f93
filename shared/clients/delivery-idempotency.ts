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
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { IdempotencyAlreadyInProgressError, IdempotencyConfig, IdempotencyItemAlreadyExistsError, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { IdempotencyRecord } from '@aws-lambda-powertools/idempotency/persistence';
import { ConditionalCheckFailedException, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';

/**
 * How long a delivery is remembered: longer than any copy of its message can live. SQS keeps
 * a message (and its DLQ copy, which a redrive may send back) at most 14 days from when it
 * was first sent; one day more covers the producer's own retries.
 */
export const DELIVERY_IDEMPOTENCY_TTL_SECONDS = 15 * 24 * 3600;

/** Prefix of the idempotency records' ids (stable across function names and deployments). */
export const DELIVERY_KEY_PREFIX = 'webhook-delivery';

export interface OncePerDelivery<I, R> {
  /**
   * Runs the function unless this delivery id ran (or is running) already. `owner` names this
   * attempt's claim (the SQS message id): a claim of the same owner is this message's own, left
   * by an attempt whose answer was lost or whose bookkeeping failed, and is taken over.
   */
  run(input: I, owner?: string): Promise<(R & { readonly replayed?: true }) | 'in-progress'>;
  /** Register each invocation's Lambda context here (in-progress records expire with it). */
  readonly config: IdempotencyConfig;
}

/** Who claims a record in this async context (see {@link OwnedRecordsLayer}). */
const claimant = new AsyncLocalStorage<string>();

/** Attempts of the record's bookkeeping (completion, release) beyond the SDK's own retries. */
const BOOKKEEPING_ATTEMPTS = 4;

/**
 * Powertools' DynamoDB persistence layer, with records that know who claimed them: the in-progress
 * record carries an `owner`, and a put that fails its condition on a record of the same owner is
 * recognised as this attempt's own write (the SDK retried a put whose answer was lost), not as a
 * delivery in progress elsewhere. Without it a lost answer made a delivery drop itself as
 * `in-progress`: the robot was never called. The completion and the release of a record are
 * retried a few more times: a record left in progress after the POST went out is what could make
 * a later attempt send twice (ADR 0013, 0026). Same item layout as Powertools' (plus `owner`).
 */
export class OwnedRecordsLayer extends DynamoDBPersistenceLayer {
  public constructor(private readonly store: { readonly client: DynamoDBClient; readonly tableName: string }) {
    super({ tableName: store.tableName, awsSdkV3Client: store.client });
  }

  protected override async _putRecord(record: IdempotencyRecord): Promise<void> {
    const owner = claimant.getStore() ?? randomUUID();
    const now = Date.now();
    try {
      await this.store.client.send(
        new PutItemCommand({
          TableName: this.store.tableName,
          Item: {
            ...this.getKey(record.idempotencyKey),
            ...marshall({
              expiration: record.expiryTimestamp,
              status: record.getStatus(),
              owner,
              ...(record.inProgressExpiryTimestamp !== undefined ? { in_progress_expiration: record.inProgressExpiryTimestamp } : {}),
            }),
          },
          ExpressionAttributeNames: { '#id': 'id', '#expiry': 'expiration', '#in_progress_expiry': 'in_progress_expiration', '#status': 'status' },
          ExpressionAttributeValues: marshall({ ':now': now / 1000, ':now_in_millis': now, ':inprogress': 'INPROGRESS' }),
          // Powertools' condition: no record, an expired one, or an in-progress one past its expiry.
          ConditionExpression:
            'attribute_not_exists(#id) OR #expiry < :now OR (#status = :inprogress AND attribute_exists(#in_progress_expiry) AND #in_progress_expiry < :now_in_millis)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const item = error.Item ? unmarshall(error.Item) : undefined;
      // Our own claim (a lost answer retried, or this message's earlier attempt): it is ours to run.
      if (item?.status === 'INPROGRESS' && item.owner === owner) return;
      const existing = item
        ? new IdempotencyRecord({
            idempotencyKey: String(item.id),
            status: item.status,
            expiryTimestamp: item.expiration,
            inProgressExpiryTimestamp: item.in_progress_expiration,
            responseData: item.data,
            payloadHash: item.validation,
          })
        : undefined;
      throw new IdempotencyItemAlreadyExistsError(`Failed to put record for already existing idempotency key: ${record.idempotencyKey}`, existing, { cause: error });
    }
  }

  protected override async _updateRecord(record: IdempotencyRecord): Promise<void> {
    await persist(() => super._updateRecord(record));
  }

  protected override async _deleteRecord(record: IdempotencyRecord): Promise<void> {
    await persist(() => super._deleteRecord(record));
  }
}

async function persist(write: () => Promise<void>): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await write();
    } catch (error) {
      if (attempt >= BOOKKEEPING_ATTEMPTS) throw error;
      await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
    }
  }
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
    persistenceStore: new OwnedRecordsLayer(store),
    config,
    keyPrefix: DELIVERY_KEY_PREFIX,
  });
  return {
    config,
    run: async (input, owner) => {
      try {
        return (await claimant.run(owner ?? randomUUID(), () => idempotent(input))) as R & { readonly replayed?: true };
      } catch (error) {
        if (error instanceof IdempotencyAlreadyInProgressError) return 'in-progress';
        throw error;
      }
    },
  };
}

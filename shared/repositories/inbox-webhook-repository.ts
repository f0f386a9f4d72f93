/**
 * The `webhook` attribute of an inbox message: what became of its delivery to the unit's
 * webhook (`queued` when written, then `sent`, `refused` or `failed`, set by the notifier).
 */
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { InboxMessage } from '../domain/inbox';
import { conditionalWrite } from './conditions';
import { keys } from './keys';

/** What names one inbox item. */
export type InboxMessageRef = Pick<InboxMessage, 'campaignId' | 'organizationId' | 'at' | 'messageId'>;

/** The final states of a webhook delivery. */
export type WebhookDeliveryState = Exclude<NonNullable<InboxMessage['webhook']>, 'queued'>;

/** Port: records a delivery's outcome on its inbox message. */
export interface InboxWebhookStatus {
  /** Sets the message's `webhook`; `false` when there is no such message (nothing written). */
  markWebhook(ref: InboxMessageRef, state: WebhookDeliveryState): Promise<boolean>;
}

export class DynamoDbInboxWebhookStatus implements InboxWebhookStatus {
  public constructor(private readonly deps: { client: DynamoDBDocumentClient; tableName: string }) {}

  public async markWebhook(ref: InboxMessageRef, state: WebhookDeliveryState): Promise<boolean> {
    return conditionalWrite(
      this.deps.client.send(
        new UpdateCommand({
          TableName: this.deps.tableName,
          Key: keys.inboxMessage(ref.campaignId, ref.organizationId, ref.at, ref.messageId),
          UpdateExpression: 'SET webhook = :state',
          // Never create a stray item: an update of a missing key would write one.
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':state': state },
        }),
      ),
    );
  }
}

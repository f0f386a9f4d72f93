import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { conditionalWrite } from './conditions';
import { keys } from './keys';

/** That a person (`sub`) saw one version of the privacy notice, and when (a UTC ISO instant). */
export interface NoticeAcknowledgement {
  readonly sub: string;
  readonly version: string;
  readonly acknowledgedAt: string;
}

/** Port: privacy-notice acknowledgements, one per person and version. */
export interface NoticeAcknowledgements {
  get(sub: string, version: string): Promise<NoticeAcknowledgement | undefined>;
  /** Records `ack` unless that person already acknowledged that version; answers the one kept (the first). */
  acknowledge(ack: NoticeAcknowledgement): Promise<NoticeAcknowledgement>;
}

/**
 * The main table's `PERSON#<sub>` / `NOTICE#<version>` items with exactly `sub`, `version`,
 * `acknowledgedAt` (and `entity`): the layout the erasure work reads and deletes (issue 21).
 */
export class DynamoDbNoticeAcknowledgements implements NoticeAcknowledgements {
  public constructor(private readonly deps: { readonly client: DynamoDBDocumentClient; readonly tableName: string }) {}

  public async get(sub: string, version: string): Promise<NoticeAcknowledgement | undefined> {
    const { Item } = await this.deps.client.send(
      new GetCommand({ TableName: this.deps.tableName, Key: keys.noticeAcknowledgement(sub, version), ConsistentRead: true }),
    );
    return Item ? { sub: String(Item.sub), version: String(Item.version), acknowledgedAt: String(Item.acknowledgedAt) } : undefined;
  }

  public async acknowledge(ack: NoticeAcknowledgement): Promise<NoticeAcknowledgement> {
    const item = { ...keys.noticeAcknowledgement(ack.sub, ack.version), entity: 'NoticeAcknowledgement', ...ack };
    // The first acknowledgement is the fact; a second PUT (another tab, a retry) keeps it.
    const wrote = await conditionalWrite(
      this.deps.client.send(new PutCommand({ TableName: this.deps.tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' })),
    );
    return wrote ? ack : ((await this.get(ack.sub, ack.version)) ?? ack);
  }
}

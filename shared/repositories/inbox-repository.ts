/**
 * A unit's inbox: the messages (reminders, notices) in its unit partition under `INBOX#`,
 * written by the milestone jobs (see sweep-repository.ts), read here newest first.
 */
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { InboxMessage } from '../domain/inbox';
import { cursorScope, decodeCursor, encodeCursor, type Page } from './page';
import { keys, recordOf } from './keys';

export interface InboxQuery {
  readonly campaignId: string;
  readonly organizationId: string;
  readonly limit: number;
  readonly cursor?: string;
}

/** Port: reading a unit's inbox. */
export interface InboxReader {
  /** One page of the unit's messages, newest first. */
  list(query: InboxQuery): Promise<Page<InboxMessage>>;
}

function messageFromItem(item: Record<string, unknown>): InboxMessage {
  return recordOf<InboxMessage>(item);
}

export class DynamoDbInboxReader implements InboxReader {
  public constructor(private readonly deps: { client: DynamoDBDocumentClient; tableName: string }) {}

  public async list(query: InboxQuery): Promise<Page<InboxMessage>> {
    const partition = keys.unitPartition(query.campaignId, query.organizationId);
    const scope = cursorScope('inbox', partition);
    const startKey = await decodeCursor(scope, query.cursor, ['pk', 'sk'], { pk: partition });
    const page = await this.deps.client.send(
      new QueryCommand({
        TableName: this.deps.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': partition, ':prefix': keys.inboxPrefix },
        // Keys sort by the instant a message is about: newest first.
        ScanIndexForward: false,
        Limit: query.limit,
        ExclusiveStartKey: startKey,
      }),
    );
    return {
      items: (page.Items ?? []).filter((i) => i.entity === 'InboxMessage').map(messageFromItem),
      nextCursor: await encodeCursor(scope, page.LastEvaluatedKey as Record<string, string> | undefined),
    };
  }
}

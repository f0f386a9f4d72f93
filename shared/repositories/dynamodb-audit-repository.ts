import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AuditEntry, AuditRepository, AuditTrailPages } from './audit-repository';
import { conditionalWrite } from './conditions';
import { keys, type ItemKey } from './keys';
import { queryAll, queryPage } from './query-all';

/** Adapter: audit entries in their own table (written only from the stream). */
export class DynamoDbAuditRepository implements AuditRepository, AuditTrailPages {
  public constructor(private readonly deps: { client: DynamoDBDocumentClient; tableName: string }) {}

  public async append(entry: AuditEntry): Promise<'written' | 'duplicate'> {
    const written = await conditionalWrite(
      this.deps.client.send(
        new PutCommand({
          TableName: this.deps.tableName,
          Item: { ...keys.auditEntry(entry.subject, entry.at, entry.eventId), ...entry },
          // A redelivered stream record carries the same event id: write once.
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
    return written ? 'written' : 'duplicate';
  }

  public async trail(subject: ItemKey): Promise<AuditEntry[]> {
    const items = await queryAll(this.deps.client, {
      TableName: this.deps.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.auditTrail(subject) },
    });
    return items.map(({ pk: _pk, sk: _sk, ...entry }) => entry as unknown as AuditEntry);
  }

  public async trailPage(subject: ItemKey, afterSk: string | undefined, limit: number): Promise<Array<AuditEntry & { readonly sk: string }>> {
    const { items } = await queryPage(
      this.deps.client,
      { TableName: this.deps.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.auditTrail(subject) } },
      {
        limit,
        startKey: afterSk ? { pk: keys.auditTrail(subject), sk: afterSk } : undefined,
        cursorKeys: ['sk'],
        readSize: (kept) => limit - kept,
      },
    );
    return items.map(({ pk: _pk, sk, ...entry }) => ({ ...(entry as unknown as AuditEntry), sk: String(sk) }));
  }
}

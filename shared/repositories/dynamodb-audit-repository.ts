import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchWriteAll, type WriteRequest } from './batch-write';
import type { AuditEntry, AuditRepository, AuditTrailPages, PersonalDataLedger, Touch } from './audit-repository';
import { conditionalWrite } from './conditions';
import { keys, type ItemKey } from './keys';
import { queryAll, queryPage } from './query-all';

/** Adapter: audit entries in their own table (written only from the stream). */
export class DynamoDbAuditRepository implements AuditRepository, AuditTrailPages, PersonalDataLedger {
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

  public async touch(touch: Touch, persons: readonly string[], contactHashes: readonly string[]): Promise<void> {
    const item = { subject: touch.subject, ...(touch.entity ? { entity: touch.entity } : {}), ...(touch.campaignId ? { campaignId: touch.campaignId } : {}) };
    // A plain put of the same item: a redelivered record writes what is there already.
    await this.batchWrite([
      ...persons.map((sub) => ({ PutRequest: { Item: { ...keys.personTouch(sub, touch.subject), ...item } } })),
      ...contactHashes.map((hash) => ({ PutRequest: { Item: { ...keys.contactTouch(hash, touch.subject), ...item } } })),
    ]);
  }

  public async untouch(subject: ItemKey, persons: readonly string[], contactHashes: readonly string[]): Promise<void> {
    await this.batchWrite([
      ...persons.map((sub) => ({ DeleteRequest: { Key: keys.personTouch(sub, subject) } })),
      ...contactHashes.map((hash) => ({ DeleteRequest: { Key: keys.contactTouch(hash, subject) } })),
    ]);
  }

  public touchedBy(sub: string): Promise<Touch[]> {
    return this.ledger(keys.personLedger(sub));
  }

  public touchedByContact(hash: string): Promise<Touch[]> {
    return this.ledger(keys.contactLedger(hash));
  }

  public async replace(entry: AuditEntry): Promise<void> {
    await this.deps.client.send(new PutCommand({ TableName: this.deps.tableName, Item: { ...keys.auditEntry(entry.subject, entry.at, entry.eventId), ...entry } }));
  }

  private async ledger(pk: string): Promise<Touch[]> {
    const items = await queryAll(this.deps.client, {
      TableName: this.deps.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :touch)',
      ExpressionAttributeValues: { ':pk': pk, ':touch': 'TOUCH#' },
    });
    return items.map((i) => ({
      subject: i.subject as ItemKey,
      ...(typeof i.entity === 'string' ? { entity: i.entity } : {}),
      ...(typeof i.campaignId === 'string' ? { campaignId: i.campaignId } : {}),
    }));
  }

  private batchWrite(requests: readonly WriteRequest[]): Promise<void> {
    return batchWriteAll(this.deps.client, this.deps.tableName, requests);
  }

}

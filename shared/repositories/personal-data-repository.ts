import { BatchGetCommand, DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ScrubPlan } from '../domain/personal-data';
import { KeyTakenError } from '../errors';
import { conditionalWrite } from './conditions';
import { keys, type ItemKey } from './keys';
import { organizationSettingsPartition } from './organization-repository';
import { queryAll } from './query-all';

/** An erasure as recorded (ADR 0047): the request, never the person's sub or contact. */
export interface ErasureRecord {
  readonly erasureId: string;
  readonly pseudonym: string;
  readonly mode: 'erase' | 'pseudonymise';
  readonly reason: string;
  /** Items scrubbed, items found already clean, notices and budgets removed. */
  readonly counts: { readonly items: number; readonly scrubbed: number; readonly notices: number; readonly budgets: number };
  readonly requestedAt: string;
  readonly requestedBy: string;
}

/** Port: the main-table side of access, erasure and retention (ADR 0047). */
export interface PersonalDataStore {
  /** The items at these keys (consistent reads), absent ones left out. */
  items(subjects: readonly ItemKey[]): Promise<Array<Record<string, unknown>>>;
  /** Applies `plan` if the item is still as read (its `version`, else its `updatedAt`): `false` when it changed. */
  scrub(item: Record<string, unknown>, plan: ScrubPlan, now: string): Promise<boolean>;
  /** The person's own items (`PERSON#<sub>`: privacy-notice acknowledgements). */
  ownItems(sub: string): Promise<Array<Record<string, unknown>>>;
  put(item: Record<string, unknown>): Promise<void>;
  delete(key: ItemKey): Promise<void>;
  /** Deletes the person's export budgets (`BUDGET#exports#<sub>`, ADR 0033); how many. */
  deleteBudgets(sub: string): Promise<number>;
  /** Records the erasure once: KeyTakenError when its id is taken. */
  createErasure(record: ErasureRecord, createToken: string): Promise<void>;
  /** The erasure stored at `erasureId` by the request with `createToken`. */
  erasureCreatedBy(erasureId: string, createToken: string): Promise<ErasureRecord | undefined>;
  /** The keys of a campaign's unit settings and export jobs (what the export's readers do not read). */
  campaignExtras(campaignId: string): Promise<ItemKey[]>;
}

/** A closed campaign's retention: when its personal information expires, and when it was purged. */
export interface RetentionRecord {
  readonly campaignId: string;
  readonly expiresOn: string;
  readonly purgedAt?: string;
}

/** Port: the index of what expires when (`RETAIN#<yyyy-mm>`, ADR 0047). */
export interface RetentionIndex {
  /** Records (once: a retry keeps the first) that `campaignId`'s data expires on `expiresOn`. */
  schedule(record: RetentionRecord, at: string): Promise<void>;
  /** The campaigns of one month (`yyyy-mm`) due by `today` and not yet purged. */
  due(yearMonth: string, today: string): Promise<RetentionRecord[]>;
  purged(record: RetentionRecord, at: string): Promise<void>;
}

const itemKeyOf = (item: Record<string, unknown>): ItemKey => ({ pk: String(item.pk), sk: String(item.sk) });

export class DynamoDbPersonalDataStore implements PersonalDataStore {
  public constructor(private readonly deps: { client: DynamoDBDocumentClient; tableName: string }) {}

  public async items(subjects: readonly ItemKey[]): Promise<Array<Record<string, unknown>>> {
    const unique = [...new Map(subjects.map((s) => [`${s.pk}\n${s.sk}`, s])).values()];
    const found: Array<Record<string, unknown>> = [];
    for (let i = 0; i < unique.length; i += 100) {
      let request: Record<string, { Keys: ItemKey[]; ConsistentRead: boolean }> | undefined = {
        [this.deps.tableName]: { Keys: unique.slice(i, i + 100).map((s) => ({ pk: s.pk, sk: s.sk })), ConsistentRead: true },
      };
      for (let attempt = 0; request && Object.keys(request).length > 0; attempt += 1) {
        if (attempt > 0) await new Promise((r) => setTimeout(r, 50 * 2 ** Math.min(attempt, 6)));
        const page = await this.deps.client.send(new BatchGetCommand({ RequestItems: request }));
        found.push(...(page.Responses?.[this.deps.tableName] ?? []));
        request = page.UnprocessedKeys as typeof request;
      }
    }
    return found;
  }

  public async scrub(item: Record<string, unknown>, plan: ScrubPlan, now: string): Promise<boolean> {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const sets = Object.entries(plan.set).map(([name, value], i) => {
      names[`#s${i}`] = name;
      values[`:s${i}`] = value;
      return `#s${i} = :s${i}`;
    });
    const removes = plan.remove.map((name, i) => {
      names[`#r${i}`] = name;
      return `#r${i}`;
    });
    // The item as read, or nothing: a concurrent edit is read again, and its contact scrubbed too.
    const versioned = typeof item.version === 'number';
    if (versioned) {
      names['#version'] = 'version';
      values[':version'] = item.version;
      values[':one'] = 1;
    }
    const stamped = typeof item.updatedAt === 'string';
    if (stamped) {
      names['#updatedAt'] = 'updatedAt';
      values[':now'] = now;
      sets.push('#updatedAt = :now');
      if (!versioned) values[':updatedAt'] = item.updatedAt;
    }
    if (versioned) sets.push('#version = #version + :one');
    const condition = versioned ? '#version = :version' : stamped ? '#updatedAt = :updatedAt' : 'attribute_exists(pk)';
    return conditionalWrite(
      this.deps.client.send(
        new UpdateCommand({
          TableName: this.deps.tableName,
          Key: itemKeyOf(item),
          UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
          ConditionExpression: condition,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      ),
    );
  }

  public ownItems(sub: string): Promise<Array<Record<string, unknown>>> {
    return queryAll(this.deps.client, {
      TableName: this.deps.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.personItems(sub) },
      ConsistentRead: true,
    });
  }

  public async put(item: Record<string, unknown>): Promise<void> {
    await this.deps.client.send(new PutCommand({ TableName: this.deps.tableName, Item: item }));
  }

  public async delete(key: ItemKey): Promise<void> {
    await this.deps.client.send(new DeleteCommand({ TableName: this.deps.tableName, Key: { pk: key.pk, sk: key.sk } }));
  }

  public async deleteBudgets(sub: string): Promise<number> {
    const budgets = await queryAll(this.deps.client, {
      TableName: this.deps.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.requestBudgets(`exports#${sub}`) },
      ProjectionExpression: 'pk, sk',
    });
    for (const b of budgets) await this.delete(itemKeyOf(b));
    return budgets.length;
  }

  public async createErasure(record: ErasureRecord, createToken: string): Promise<void> {
    const written = await conditionalWrite(
      this.deps.client.send(
        new PutCommand({
          TableName: this.deps.tableName,
          Item: {
            ...keys.erasure(record.erasureId),
            entity: 'Erasure',
            ...record,
            // The audit trail names the actor of a change by `updatedBy`, its time by `updatedAt`.
            updatedBy: record.requestedBy,
            updatedAt: record.requestedAt,
            createToken,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
    if (!written) throw new KeyTakenError(`erasure ${record.erasureId} exists`);
  }

  public async erasureCreatedBy(erasureId: string, createToken: string): Promise<ErasureRecord | undefined> {
    const { Item } = await this.deps.client.send(new GetCommand({ TableName: this.deps.tableName, Key: keys.erasure(erasureId), ConsistentRead: true }));
    if (!Item || Item.createToken !== createToken) return undefined;
    const { erasureId: id, pseudonym, mode, reason, counts, requestedAt, requestedBy } = Item;
    return { erasureId: id, pseudonym, mode, reason, counts, requestedAt, requestedBy } as ErasureRecord;
  }

  public async campaignExtras(campaignId: string): Promise<ItemKey[]> {
    const [settings, exports] = await Promise.all([
      queryAll(this.deps.client, {
        TableName: this.deps.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': organizationSettingsPartition(campaignId) },
        ProjectionExpression: 'pk, sk',
      }),
      queryAll(this.deps.client, {
        TableName: this.deps.tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.exportsOfCampaign(campaignId) },
        ProjectionExpression: 'pk, sk',
      }),
    ]);
    return [...settings, ...exports].map(itemKeyOf);
  }
}

export class DynamoDbRetentionIndex implements RetentionIndex {
  public constructor(private readonly deps: { client: DynamoDBDocumentClient; tableName: string }) {}

  public async schedule(record: RetentionRecord, at: string): Promise<void> {
    await conditionalWrite(
      this.deps.client.send(
        new PutCommand({
          TableName: this.deps.tableName,
          Item: { ...keys.retention(record.expiresOn, record.campaignId), entity: 'Retention', ...record, updatedAt: at, updatedBy: 'system' },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  }

  public async due(yearMonth: string, today: string): Promise<RetentionRecord[]> {
    const items = await queryAll(this.deps.client, {
      TableName: this.deps.tableName,
      KeyConditionExpression: 'pk = :pk',
      FilterExpression: 'expiresOn <= :today AND attribute_not_exists(purgedAt)',
      ExpressionAttributeValues: { ':pk': keys.retentionMonth(yearMonth), ':today': today },
      ConsistentRead: true,
    });
    return items.map((i) => ({ campaignId: String(i.campaignId), expiresOn: String(i.expiresOn) }));
  }

  public async purged(record: RetentionRecord, at: string): Promise<void> {
    await this.deps.client.send(
      new UpdateCommand({
        TableName: this.deps.tableName,
        Key: keys.retention(record.expiresOn, record.campaignId),
        UpdateExpression: 'SET purgedAt = :at, updatedAt = :at',
        ExpressionAttributeValues: { ':at': at },
      }),
    );
  }
}

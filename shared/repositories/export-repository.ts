/**
 * Export jobs in the main table, and the lease on each campaign's `latest/` snapshot.
 *
 * | item | pk | sk | gsi1pk / gsi1sk |
 * |---|---|---|---|
 * | Export | `EXPORT#<exportId>` | `EXPORT` | `CAMP#<c>#EXPORT` / `<requestedAt>#<exportId>` |
 * | Lease on `latest/` | `CAMP#<c>#EXPORT-LATEST` | `LATEST` | |
 * | Slot of a format (ADR 0033) | `CAMP#<c>#EXPORT-SLOT` | `<format>` | |
 * | A caller's budget (ADR 0033) | `BUDGET#exports#<sub>` | `<window start>` | |
 *
 * The slot names the export that last took it (`exportId`); the budget counts the exports a caller
 * started in one hour (`count`) and expires with `expiresAt` (the table's TTL). Both are machinery:
 * the audit trail skips them (entities `ExportSlot`, `RequestBudget`).
 *
 * A campaign's exports are listed newest first from gsi1 `CAMP#<c>#EXPORT` (`list`), filtered on
 * `requestedBy` and `snapshot` (an export on request or a milestone's snapshot).
 *
 * Status moves only forward, each step a conditional write: created `queued` (once per id),
 * `queued`/`running` → `running` (a redelivery after a crash starts again), `running` →
 * `succeeded` or `failed`. Nothing ever leaves `succeeded` or `failed`.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { MILESTONE_IDS } from '../domain/campaign';
import {
  MILESTONE_REQUESTER,
  type AdmissionOutcome,
  type CreatedExports,
  type ExportAdmission,
  type ExportFormat,
  type ExportArtifactFile,
  type ExportFile,
  type ExportList,
  type ExportListQuery,
  type ExportReadFrom,
  type ExportRecord,
  type ExportRepository,
  type RequestBudget,
} from '../export/export-record';
import { cursorScope, decodeCursor, encodeCursor } from './page';
import type { LatestLease, LeaseHolder } from '../export/promotion';
import { ConflictError } from '../errors';
import { cancellation, conditionalWrite, itemCreatedBy } from './conditions';
import { keys, recordOf, type ItemKey } from './keys';
import { queryPage } from './query-all';

/** Kept here rather than in keys.ts: only the export engine reads or writes it. */
export const latestLeaseKey = (campaignId: string): ItemKey => ({ pk: `CAMP#${campaignId}#EXPORT-LATEST`, sk: 'LATEST' });

/** Operators read `error`; a stack trace or a huge message stays in the logs. */
export const MAX_ERROR_LENGTH = 1000;

/** `updatedBy` names the requester for the audit trail only (see `itemOf`). */
function recordFromItem(item: Record<string, unknown>): ExportRecord {
  return recordOf<ExportRecord>(item, ['createToken', 'updatedBy']);
}

/** Most items one Query reads while refilling a filtered page. */
const READ_BATCH = 100;
/** The attributes a cursor of the list carries (LastEvaluatedKey of a gsi1 query). */
const CURSOR_KEYS = ['pk', 'sk', 'gsi1pk', 'gsi1sk'] as const;

/** The FilterExpression of the list's filters (none: undefined), with its names and values. */
function listFilter(filters: ExportListQuery['filters']): { expression?: string; names: Record<string, string>; values: Record<string, unknown> } {
  if (!filters.kind && !filters.milestone) return { names: {}, values: {} };
  const names = { '#requestedBy': 'requestedBy', '#snapshot': 'snapshot' };
  if (filters.milestone) {
    return { expression: '#requestedBy = :requester AND #snapshot = :milestone', names, values: { ':requester': MILESTONE_REQUESTER, ':milestone': filters.milestone } };
  }
  const milestones = Object.fromEntries(MILESTONE_IDS.map((m, i) => [`:m${i}`, m]));
  const isSnapshot = `(#requestedBy = :requester AND #snapshot IN (${Object.keys(milestones).join(', ')}))`;
  return { expression: filters.kind === 'milestone' ? isSnapshot : `NOT ${isSnapshot}`, names, values: { ':requester': MILESTONE_REQUESTER, ...milestones } };
}

/** Entities of the admission machinery (ADR 0033), which the audit trail skips. */
export const EXPORT_SLOT_ENTITY = 'ExportSlot';
export const REQUEST_BUDGET_ENTITY = 'RequestBudget';

/** The outcome a transaction's cancellation reason at position i stands for (export, slot, budget). */
const ADMISSION_FAILURES: readonly AdmissionOutcome[] = ['id-taken', 'slot-taken', 'over-budget'];

/**
 * An export job's life (create, start, succeed, fail, its table copy): all run-export needs
 * ({@link ExportRepository}). Apart from the API's side ({@link DynamoDbExportRepository}) so that
 * run-export's bundle leaves out listing and admission (ADR 0050).
 */
export class DynamoDbExportJobs implements ExportRepository {
  public constructor(protected readonly deps: { client: DynamoDBDocumentClient; tableName: string }) {}

  /** False when the id is taken; `createToken` names the request that stores it (ADR 0025). */
  public async create(record: ExportRecord, createToken?: string): Promise<boolean> {
    return conditionalWrite(
      this.deps.client.send(
        new PutCommand({ TableName: this.deps.tableName, Item: this.itemOf(record, createToken), ConditionExpression: 'attribute_not_exists(pk)' }),
      ),
    );
  }

  protected itemOf(record: ExportRecord, createToken?: string): Record<string, unknown> {
    return {
      ...keys.exportJob(record.exportId),
      gsi1pk: keys.exportsOfCampaign(record.campaignId),
      gsi1sk: `${record.requestedAt}#${record.exportId}`,
      entity: 'Export',
      ...record,
      // The audit trail names the actor of a change by `updatedBy`.
      updatedBy: record.requestedBy,
      ...(createToken ? { createToken } : {}),
    };
  }

  public async get(exportId: string): Promise<ExportRecord | undefined> {
    const { Item } = await this.deps.client.send(
      new GetCommand({ TableName: this.deps.tableName, Key: keys.exportJob(exportId), ConsistentRead: true }),
    );
    return Item ? recordFromItem(Item) : undefined;
  }

  public async start(exportId: string, at: string): Promise<boolean> {
    return conditionalWrite(
      this.deps.client.send(
        new UpdateCommand({
          TableName: this.deps.tableName,
          Key: keys.exportJob(exportId),
          UpdateExpression: 'SET #status = :running, startedAt = :at, updatedBy = :system',
          ConditionExpression: 'attribute_exists(pk) AND #status IN (:queued, :running)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':running': 'running', ':queued': 'queued', ':at': at, ':system': 'system' },
        }),
      ),
    );
  }

  public async succeed(
    exportId: string,
    at: string,
    files: readonly ExportFile[],
    manifestKey: string,
    artifacts: readonly ExportArtifactFile[] = [],
    readFrom: ExportReadFrom = 'live-table',
  ): Promise<void> {
    await this.finish(exportId, 'succeeded', {
      UpdateExpression:
        'SET #status = :to, finishedAt = :at, files = :files, manifestKey = :manifest, artifacts = :artifacts, readFrom = :readFrom, updatedBy = :system REMOVE #error',
      ExpressionAttributeValues: {
        ':at': at,
        ':readFrom': readFrom,
        ':files': files.map((f) => ({ ...f })),
        ':manifest': manifestKey,
        ':artifacts': artifacts.map((a) => ({ name: a.name, key: a.key, bytes: a.bytes, sha256: a.sha256 })),
      },
    });
  }

  public async fail(exportId: string, at: string, error: string): Promise<void> {
    await this.finish(exportId, 'failed', {
      UpdateExpression: 'SET #status = :to, finishedAt = :at, #error = :error, updatedBy = :system',
      ExpressionAttributeValues: { ':at': at, ':error': error.slice(0, MAX_ERROR_LENGTH) },
    });
  }

  public async recordTableCopy(exportId: string, copy: { readonly id: string; readonly startedAt: string }): Promise<void> {
    await this.deps.client.send(
      new UpdateCommand({
        TableName: this.deps.tableName,
        Key: keys.exportJob(exportId),
        UpdateExpression: 'SET tableCopy = :copy, updatedBy = :system',
        ConditionExpression: '#status = :running',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':copy': { id: copy.id, startedAt: copy.startedAt }, ':running': 'running', ':system': 'system' },
      }),
    );
  }

  /**
   * `running` → `to`. Already `to` (a duplicate run finished first): nothing to do. Anything else
   * (never started, or finished the other way) is a conflict.
   */
  private async finish(
    exportId: string,
    to: 'succeeded' | 'failed',
    update: { UpdateExpression: string; ExpressionAttributeValues: Record<string, unknown> },
  ): Promise<void> {
    try {
      await this.deps.client.send(
        new UpdateCommand({
          TableName: this.deps.tableName,
          Key: keys.exportJob(exportId),
          UpdateExpression: update.UpdateExpression,
          ConditionExpression: '#status = :running',
          ExpressionAttributeNames: { '#status': 'status', '#error': 'error' },
          ExpressionAttributeValues: { ...update.ExpressionAttributeValues, ':to': to, ':running': 'running', ':system': 'system' },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const status = error.Item ? unmarshall(error.Item).status : undefined;
      if (status === to) return;
      throw new ConflictError(`export ${exportId} cannot become ${to}: it is ${String(status ?? 'missing')}`, { cause: error });
    }
  }
}

/** The job's life ({@link DynamoDbExportJobs}) and what the API adds: admission, the list, a retried create. */
export class DynamoDbExportRepository extends DynamoDbExportJobs implements ExportList, CreatedExports, ExportAdmission {
  public async slotHolder(campaignId: string, format: ExportFormat): Promise<string | undefined> {
    const { Item } = await this.deps.client.send(
      new GetCommand({ TableName: this.deps.tableName, Key: keys.exportSlot(campaignId, format), ConsistentRead: true }),
    );
    return typeof Item?.exportId === 'string' ? Item.exportId : undefined;
  }

  public async createAdmitted(
    record: ExportRecord,
    createToken: string,
    guard: { readonly replacing?: string; readonly budget: RequestBudget },
  ): Promise<AdmissionOutcome> {
    const { budget } = guard;
    try {
      await this.deps.client.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: this.deps.tableName, Item: this.itemOf(record, createToken), ConditionExpression: 'attribute_not_exists(pk)' } },
            {
              Put: {
                TableName: this.deps.tableName,
                Item: {
                  ...keys.exportSlot(record.campaignId, record.format),
                  entity: EXPORT_SLOT_ENTITY,
                  campaignId: record.campaignId,
                  format: record.format,
                  exportId: record.exportId,
                  takenAt: record.requestedAt,
                  // No requester: the slot is not audited, and an account id here would outlive an erasure (ADR 0047).
                },
                ...(guard.replacing === undefined
                  ? { ConditionExpression: 'attribute_not_exists(pk)' }
                  : { ConditionExpression: 'exportId = :replacing', ExpressionAttributeValues: { ':replacing': guard.replacing } }),
              },
            },
            {
              Update: {
                TableName: this.deps.tableName,
                Key: keys.requestBudget(budget.subject, budget.windowStart),
                UpdateExpression: 'SET entity = :entity, expiresAt = :expiresAt ADD #count :one',
                ConditionExpression: 'attribute_not_exists(pk) OR #count < :limit',
                ExpressionAttributeNames: { '#count': 'count' },
                ExpressionAttributeValues: { ':entity': REQUEST_BUDGET_ENTITY, ':expiresAt': budget.expiresAt, ':one': 1, ':limit': budget.limit },
              },
            },
          ],
        }),
      );
      return 'created';
    } catch (error) {
      const { failed, conflicted } = cancellation(error);
      const outcome = failed[0] === undefined ? undefined : ADMISSION_FAILURES[failed[0]];
      if (outcome) return outcome;
      // Another request's transaction on the same slot or budget at the same moment.
      if (conflicted) return 'contended';
      throw error;
    }
  }

  /** Newest request first; a filtered page is refilled until `limit` or the end (as the flag list). */
  public async list(query: ExportListQuery): Promise<{ items: ExportRecord[]; nextCursor: string | null }> {
    const partition = keys.exportsOfCampaign(query.campaignId);
    const filter = listFilter(query.filters);
    const scope = cursorScope('exports', partition, query.filters);
    const startKey = (await decodeCursor(scope, query.cursor, CURSOR_KEYS, { gsi1pk: partition })) as Record<string, unknown> | undefined;
    const { items: kept, cursorKey } = await queryPage(
      this.deps.client,
      {
        TableName: this.deps.tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': 'gsi1pk', ...filter.names },
        ExpressionAttributeValues: { ':pk': partition, ...filter.values },
        ScanIndexForward: false,
        ...(filter.expression ? { FilterExpression: filter.expression } : {}),
      },
      {
        limit: query.limit,
        startKey,
        cursorKeys: CURSOR_KEYS,
        // One more than the page needs: a full last page then answers no cursor (no empty page after it).
        readSize: (kept) => (filter.expression ? Math.max(READ_BATCH, query.limit + 1) : query.limit - kept + 1),
      },
    );
    return {
      items: kept.map(recordFromItem),
      nextCursor: await encodeCursor(scope, cursorKey as Record<string, string> | undefined),
    };
  }

  /** The export stored under `exportId` by the request with this token, if any. */
  public async createdBy(exportId: string, createToken: string): Promise<ExportRecord | undefined> {
    const item = await itemCreatedBy(this.deps, keys.exportJob(exportId), createToken);
    return item ? recordFromItem(item) : undefined;
  }
}

/** The lease on a campaign's `latest/` snapshot (see shared/export/promotion.ts). */
export class DynamoDbLatestLease implements LatestLease {
  public constructor(private readonly deps: { client: DynamoDBDocumentClient; tableName: string }) {}

  public async acquire(input: { campaignId: string; exportId: string; asOf: string; now: string; until: string }) {
    try {
      await this.deps.client.send(
        new UpdateCommand({
          TableName: this.deps.tableName,
          Key: latestLeaseKey(input.campaignId),
          UpdateExpression:
            'SET entity = :entity, campaignId = :c, exportId = :id, asOf = :asOf, #state = :promoting, leaseUntil = :until, updatedAt = :now, updatedBy = :system',
          ConditionExpression:
            'attribute_not_exists(pk) OR exportId = :id OR (asOf <= :asOf AND (#state = :promoted OR leaseUntil < :now))',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: {
            ':entity': 'ExportLatest',
            ':c': input.campaignId,
            ':id': input.exportId,
            ':asOf': input.asOf,
            ':promoting': 'promoting',
            ':promoted': 'promoted',
            ':until': input.until,
            ':now': input.now,
            ':system': 'system',
          },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { granted: true } as const;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException) || !error.Item) throw error;
      const held = unmarshall(error.Item);
      const holder: LeaseHolder = {
        exportId: String(held.exportId),
        asOf: String(held.asOf),
        state: held.state === 'promoted' ? 'promoted' : 'promoting',
        leaseUntil: String(held.leaseUntil),
      };
      return { granted: false, holder } as const;
    }
  }

  public async confirm(input: { campaignId: string; exportId: string; until: string }): Promise<boolean> {
    return conditionalWrite(
      this.deps.client.send(
        new UpdateCommand({
          TableName: this.deps.tableName,
          Key: latestLeaseKey(input.campaignId),
          UpdateExpression: 'SET leaseUntil = :until',
          ConditionExpression: 'exportId = :id AND #state = :promoting',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':id': input.exportId, ':promoting': 'promoting', ':until': input.until },
        }),
      ),
    );
  }

  public async release(input: { campaignId: string; exportId: string; at: string }): Promise<void> {
    await conditionalWrite(
      this.deps.client.send(
        new UpdateCommand({
          TableName: this.deps.tableName,
          Key: latestLeaseKey(input.campaignId),
          UpdateExpression: 'SET #state = :promoted, promotedAt = :at',
          ConditionExpression: 'exportId = :id',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':id': input.exportId, ':promoted': 'promoted', ':at': input.at },
        }),
      ),
    );
  }
}

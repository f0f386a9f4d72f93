/**
 * The progress read model's table (ADR 0021): per unit one totals item and one contribution
 * item per subject (activity, results, flag, summary). The table has no stream: nothing written
 * here reaches the audit trail or the domain events.
 *
 * | item | pk | sk |
 * |---|---|---|
 * | a unit's totals (counters, `summarySubmittedAt`, `lastChangeAt`, `rev`) | `CAMP#<c>#PROGRESS#S<n>` (32 shards, n from the unit id: ADR 0028) | `UNIT#<org>` |
 * | a subject's contribution (counters, `changedAt`, `seq`, `ver`, `sourcePk`/`sourceSk`) | `CAMP#<c>#PROGRESS#<org>` | `ACT#<id>`, `RES#<id>`, `FLAG#<flagId>`, `SUMMARY` |
 *
 * Every change of a contribution goes with the change it makes to its unit's totals in one
 * transaction (the contribution conditioned on the version read, the totals `ADD`ed the
 * difference and `rev` bumped). A contribution records the stream sequence number of the change
 * that produced it: an older or replayed record is recognised and skipped.
 */
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  GetCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import {
  counterDelta,
  NO_SEQUENCE,
  PROGRESS_COUNTERS,
  sumCounters,
  ZERO_CONTRIBUTION,
  type Contribution,
  type Counters,
  type ProgressCounter,
  type ProgressSubjectKind,
  sameListing,
  type UnitListing,
  type UnitTotals,
} from '../domain/progress';
import { CAMPAIGN_SHARDS, keys, shardOf, type ItemKey } from './keys';
import { queryAll } from './query-all';

/** Keys of the progress table (its own: no other table's key lives here). */
export const progressKeys = {
  /**
   * The name of a campaign's totals (`CAMP#<c>#PROGRESS`): the scope of the board's cursors, and the
   * partition that held every unit's totals before they were write-sharded (ADR 0028).
   */
  totalsPartition: (campaignId: string): string => keys.unsharded('progress', campaignId),
  /** Every shard of a campaign's totals (`CAMP#<c>#PROGRESS#S<n>`): what `GET …/progress` reads whole. */
  totalsShards: (campaignId: string): string[] => keys.shards('progress', campaignId),
  /** A unit's totals, in its shard (n from the unit id). */
  totals: (unit: UnitRef): ItemKey => ({
    pk: `${keys.unsharded('progress', unit.campaignId)}#S${shardOf(unit.organizationId, CAMPAIGN_SHARDS.progress)}`,
    sk: `UNIT#${unit.organizationId}`,
  }),
  /** One unit's contributions, one item per subject. */
  contributionsPartition: (unit: UnitRef): string => `CAMP#${unit.campaignId}#PROGRESS#${unit.organizationId}`,
  contribution: (unit: UnitRef, subjectId: string): ItemKey => ({ pk: progressKeys.contributionsPartition(unit), sk: subjectId }),
};

/** A unit of a campaign. */
export interface UnitRef {
  readonly campaignId: string;
  readonly organizationId: string;
}

/** The new contribution of one subject, as a stream record (or the table) gives it. */
export interface ContributionChange {
  readonly kind: ProgressSubjectKind;
  readonly subjectId: string;
  readonly contribution: Contribution;
  /** The stream record's sequence number, padded (shared/domain/progress.ts `paddedSequence`). */
  readonly sequence: string;
  /** The subject's item in the main table. */
  readonly source: ItemKey;
}

/** One unit's changes of a batch. */
export interface UnitChanges {
  readonly unit: UnitRef;
  readonly changes: readonly ContributionChange[];
  /** The latest `changedAt` among them (the unit's last change moves forward to it). */
  readonly changedAt?: string;
  /** The unit was added at run time: how the board names it. */
  readonly listing?: UnitListing;
}

export interface ApplyOutcome {
  /** Contributions written. */
  readonly applied: number;
  /** Contributions already as the records say (a replay, a retried batch). */
  readonly already: number;
  /** Units whose changes could not be written, by {@link unitKey}. */
  readonly failed: ReadonlyMap<string, Error>;
}

/** A unit as a map key. */
export const unitKey = (unit: UnitRef): string => `${unit.campaignId}\n${unit.organizationId}`;

/** A contribution as stored. */
export interface StoredContribution extends Contribution {
  readonly subjectId: string;
  readonly kind?: ProgressSubjectKind;
  readonly sequence: string;
  /** Bumped by every write: the condition of the next one. */
  readonly version: number;
  readonly source?: ItemKey;
}

/** What the rebuild writes for one subject: its contribution as the table says (`undefined`: the subject is gone). */
export interface Correction {
  readonly stored: StoredContribution | undefined;
  readonly next: Omit<ContributionChange, 'sequence'> | undefined;
}

/** A unit's totals as stored, with `rev`, bumped by every change of a contribution. */
export interface StoredTotals extends UnitTotals {
  readonly organizationId: string;
  readonly rev?: number;
}

/** Port: the progress read model. */
export interface ProgressStore {
  /**
   * Applies a batch's changes, grouped by unit (one per subject): each replaces its subject's
   * contribution unless the stored one came from this record or a later one; the unit's totals move
   * by the differences, and its last change forward to `changedAt`, in the same transaction. Units
   * are packed into transactions of up to 100 actions; a pack that lost a race is read again and
   * retried. Answers what was applied and, by {@link unitKey}, the units that failed.
   */
  apply(work: readonly UnitChanges[]): Promise<ApplyOutcome>;
  /** Every unit's totals of a campaign (one partition, every page). */
  campaignTotals(campaignId: string): Promise<StoredTotals[]>;
  /** One unit's totals, read consistently. */
  unitTotals(unit: UnitRef): Promise<StoredTotals | undefined>;
  /** One unit's contributions, read consistently. */
  contributions(unit: UnitRef): Promise<StoredContribution[]>;
  /**
   * Replaces (or, with `next` undefined, deletes) stored contributions and moves the totals by the
   * differences, each if it is still as read (`stored`, or absent), in transactions of up to 99.
   * Answers how many corrections were not written because one of their transaction's
   * contributions changed meanwhile (read again and retry those).
   */
  correct(unit: UnitRef, corrections: readonly Correction[]): Promise<{ written: number; raced: number }>;
  /** Sets the unit's totals if `rev` is still `expectedRev` (absent: no totals item, or none with `rev`). `false`: it moved. */
  resetTotals(unit: UnitRef, totals: UnitTotals, expectedRev: number | undefined): Promise<boolean>;
}

/** DynamoDB's most actions in one TransactWriteItems. */
const MAX_ACTIONS = 100;
/** Contributions of one unit in one transaction (with its totals update). */
const MAX_CONTRIBUTIONS_PER_TRANSACTION = MAX_ACTIONS - 1;
/** Keys per BatchGetItem. */
const BATCH_GET = 100;
/** Attempts of a pack of units when another writer (the rebuild, another shard's batch) raced them. */
const MAX_ATTEMPTS = 6;
/** Packs of a batch written at once. */
const CONCURRENT_PACKS = 2;

type Item = Record<string, unknown>;
type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** One unit's transactions of a batch: one, or several when it has more than 99 changes. */
interface Plan<W> {
  readonly work: W;
  readonly transactions: TransactItem[][];
  readonly writes: number;
}

/** A transaction of whole units (`part`: the contributions of a unit split over several). */
interface Pack<W> {
  readonly units: Plan<W>[];
  readonly items: TransactItem[];
  readonly part?: number;
}

/** Units packed into transactions of up to 100 actions, whole; a unit of several transactions has its own. */
function packed<W>(plans: readonly Plan<W>[]): Pack<W>[] {
  const packs: Pack<W>[] = [];
  let open: { units: Plan<W>[]; items: TransactItem[] } | undefined;
  for (const plan of plans) {
    if (plan.transactions.length > 1) {
      // Its totals update is in each part; each part counts its own contributions.
      for (const items of plan.transactions) packs.push({ units: [plan], items, part: items.length - 1 });
      continue;
    }
    const items = plan.transactions[0] ?? [];
    if (!open || open.items.length + items.length > MAX_ACTIONS) {
      open = { units: [], items: [] };
      packs.push(open);
    }
    open.units.push(plan);
    open.items.push(...items);
  }
  return packs;
}

/** The latest change of each subject (highest sequence number). */
function latestPerSubject(changes: readonly ContributionChange[]): ContributionChange[] {
  const bySubject = new Map<string, ContributionChange>();
  for (const c of changes) {
    const seen = bySubject.get(c.subjectId);
    if (!seen || seen.sequence < c.sequence) bySubject.set(c.subjectId, c);
  }
  return [...bySubject.values()];
}

const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v ?? 0)) || 0;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);
const countersOf = (item: Item): Counters => Object.fromEntries(PROGRESS_COUNTERS.map((c) => [c, num(item[c])])) as Record<ProgressCounter, number>;

function contributionFromItem(item: Item): StoredContribution {
  const [changedAt, summarySubmittedAt, sourcePk, sourceSk] = [str(item.changedAt), str(item.summarySubmittedAt), str(item.sourcePk), str(item.sourceSk)];
  return {
    subjectId: String(item.sk),
    ...(str(item.kind) ? { kind: item.kind as ProgressSubjectKind } : {}),
    counters: countersOf(item),
    ...(changedAt ? { changedAt } : {}),
    ...(summarySubmittedAt ? { summarySubmittedAt } : {}),
    sequence: str(item.seq) ?? NO_SEQUENCE,
    version: num(item.ver),
    ...(sourcePk && sourceSk ? { source: { pk: sourcePk, sk: sourceSk } } : {}),
  };
}

function listingFromItem(item: Item | undefined): UnitListing | undefined {
  const unit = item?.unit as Item | undefined;
  const [name, nameEn, county, type] = [str(unit?.name), str(unit?.nameEn), str(unit?.county), str(unit?.type)];
  return name && county && type ? { name, ...(nameEn ? { nameEn } : {}), county, type: type as UnitListing['type'] } : undefined;
}

function totalsFromItem(item: Item): StoredTotals {
  const [summarySubmittedAt, lastChangeAt, listing] = [str(item.summarySubmittedAt), str(item.lastChangeAt), listingFromItem(item)];
  return {
    organizationId: str(item.organizationId) ?? String(item.sk).replace(/^UNIT#/, ''),
    counters: countersOf(item),
    ...(summarySubmittedAt ? { summarySubmittedAt } : {}),
    ...(lastChangeAt ? { lastChangeAt } : {}),
    ...(listing ? { listing } : {}),
    ...(item.rev !== undefined ? { rev: num(item.rev) } : {}),
  };
}

/** Items by key, read consistently, 100 keys per BatchGetItem (unprocessed keys asked again, backing off). */
async function batchGetConsistent(deps: { client: DynamoDBDocumentClient; tableName: string }, keys: readonly ItemKey[]): Promise<Item[]> {
  const found: Item[] = [];
  for (let i = 0; i < keys.length; i += BATCH_GET) {
    let request: Record<string, { Keys: Item[]; ConsistentRead: boolean }> | undefined = {
      [deps.tableName]: { Keys: keys.slice(i, i + BATCH_GET).map((k): Item => ({ pk: k.pk, sk: k.sk })), ConsistentRead: true },
    };
    for (let round = 0; request && Object.keys(request).length > 0; round += 1) {
      if (round > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 25 * 2 ** round)));
      const page = await deps.client.send(new BatchGetCommand({ RequestItems: request }));
      found.push(...(page.Responses?.[deps.tableName] ?? []));
      request = page.UnprocessedKeys as typeof request;
    }
  }
  return found;
}

/** Whether a failed write lost a race (a condition, or another transaction on the same items). */
function raced(error: unknown): boolean {
  if (error instanceof ConditionalCheckFailedException) return true;
  if (!(error instanceof TransactionCanceledException)) return false;
  return (error.CancellationReasons ?? []).some((r) => r.Code === 'ConditionalCheckFailed' || r.Code === 'TransactionConflict');
}

export class DynamoDbProgressStore implements ProgressStore {
  public constructor(private readonly deps: { client: DynamoDBDocumentClient; tableName: string }) {}

  public async apply(work: readonly UnitChanges[]): Promise<ApplyOutcome> {
    let applied = 0;
    let already = 0;
    const failed = new Map<string, Error>();
    // One change per subject (the latest): a transaction may not name an item twice.
    let pending = work.map((w) => ({ ...w, changes: latestPerSubject(w.changes) }));
    for (let attempt = 1; pending.length > 0; attempt += 1) {
      if (attempt > 1) await new Promise((r) => setTimeout(r, 10 * attempt + Math.floor(Math.random() * 40)));
      // Every contribution and totals item the batch names, read consistently (BatchGetItem, 100 keys a call).
      const keys = pending.flatMap((w) => [progressKeys.totals(w.unit), ...w.changes.map((c) => progressKeys.contribution(w.unit, c.subjectId))]);
      const stored = new Map((await batchGetConsistent(this.deps, keys)).map((item) => [itemKeyId({ pk: String(item.pk), sk: String(item.sk) }), item]));
      const plans: Plan<(typeof pending)[number]>[] = [];
      for (const w of pending) {
        // Applied already (a replay, a retried batch) when the stored one came from this record or a later one.
        const todo = w.changes
          .map((next) => {
            const item = stored.get(itemKeyId(progressKeys.contribution(w.unit, next.subjectId)));
            return { next, stored: item ? contributionFromItem(item) : undefined, sequence: next.sequence };
          })
          .filter(({ next, stored: s }) => !s || s.sequence < next.sequence);
        const totals = stored.get(itemKeyId(progressKeys.totals(w.unit)));
        const storedLast = str(totals?.lastChangeAt);
        const lastChangeAt = w.changedAt && (!storedLast || storedLast < w.changedAt) ? w.changedAt : undefined;
        // A listing is written when it says something new (a replayed one writes nothing).
        const listing = w.listing && !sameListing(w.listing, listingFromItem(totals)) ? w.listing : undefined;
        already += w.changes.length - todo.length;
        if (todo.length === 0 && !lastChangeAt && !listing) continue;
        const transactions: TransactItem[][] = [];
        for (let i = 0; i < Math.max(1, todo.length); i += MAX_CONTRIBUTIONS_PER_TRANSACTION) {
          const last = i + MAX_CONTRIBUTIONS_PER_TRANSACTION >= todo.length;
          transactions.push(this.unitActions(w.unit, todo.slice(i, i + MAX_CONTRIBUTIONS_PER_TRANSACTION), last ? { lastChangeAt, listing } : {}));
        }
        plans.push({ work: w, transactions, writes: todo.length });
      }
      const retry = new Set<(typeof pending)[number]>();
      const queue = packed(plans);
      const worker = async () => {
        for (let pack = queue.shift(); pack; pack = queue.shift()) {
          try {
            await this.deps.client.send(new TransactWriteCommand({ TransactItems: pack.items }));
            for (const u of pack.units) applied += pack.part === undefined ? u.writes : pack.part;
          } catch (error) {
            // Another writer changed one of the pack's contributions or a last change: read again.
            if (raced(error) && attempt < MAX_ATTEMPTS) for (const u of pack.units) retry.add(u.work);
            else for (const u of pack.units) failed.set(unitKey(u.work.unit), error instanceof Error ? error : new Error(String(error)));
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(CONCURRENT_PACKS, queue.length) }, worker));
      pending = [...retry].filter((w) => !failed.has(unitKey(w.unit)));
    }
    return { applied, already, failed };
  }

  public async campaignTotals(campaignId: string): Promise<StoredTotals[]> {
    // Every shard, at once (the board sorts the units itself).
    const shards = await Promise.all(
      progressKeys.totalsShards(campaignId).map((pk) =>
        queryAll(this.deps.client, { TableName: this.deps.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk } }),
      ),
    );
    return shards.flat().map(totalsFromItem);
  }

  public async unitTotals(unit: UnitRef): Promise<StoredTotals | undefined> {
    const { Item } = await this.deps.client.send(new GetCommand({ TableName: this.deps.tableName, Key: progressKeys.totals(unit), ConsistentRead: true }));
    return Item ? totalsFromItem(Item) : undefined;
  }

  public async contributions(unit: UnitRef): Promise<StoredContribution[]> {
    const items = await queryAll(this.deps.client, {
      TableName: this.deps.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': progressKeys.contributionsPartition(unit) },
      ConsistentRead: true,
    });
    return items.map(contributionFromItem);
  }

  public async correct(unit: UnitRef, corrections: readonly Correction[]): Promise<{ written: number; raced: number }> {
    let written = 0;
    let lost = 0;
    for (let i = 0; i < corrections.length; i += MAX_CONTRIBUTIONS_PER_TRANSACTION) {
      // The rebuild keeps the sequence it found: a later stream record still applies, an older one not.
      const chunk = corrections.slice(i, i + MAX_CONTRIBUTIONS_PER_TRANSACTION).map((c) => ({ ...c, sequence: c.stored?.sequence ?? NO_SEQUENCE }));
      try {
        await this.write(unit, chunk);
        written += chunk.length;
      } catch (error) {
        if (!raced(error)) throw error;
        lost += chunk.length;
      }
    }
    return { written, raced: lost };
  }

  public async resetTotals(unit: UnitRef, totals: UnitTotals, expectedRev: number | undefined): Promise<boolean> {
    const names: Record<string, string> = {};
    const values: Item = { ':c': unit.campaignId, ':o': unit.organizationId, ':e': 'UnitProgress' };
    const set = ['entity = :e', 'campaignId = :c', 'organizationId = :o'];
    const remove: string[] = [];
    PROGRESS_COUNTERS.forEach((c, i) => {
      names[`#c${i}`] = c;
      values[`:c${i}`] = totals.counters[c];
      set.push(`#c${i} = :c${i}`);
    });
    for (const attr of ['summarySubmittedAt', 'lastChangeAt'] as const) {
      const value = totals[attr];
      if (value) {
        set.push(`${attr} = :${attr}`);
        values[`:${attr}`] = value;
      } else remove.push(attr);
    }
    names['#unit'] = 'unit';
    if (totals.listing) {
      set.push('#unit = :unit');
      values[':unit'] = totals.listing;
    } else remove.push('#unit');
    if (expectedRev !== undefined) values[':rev'] = expectedRev;
    try {
      await this.deps.client.send(
        new UpdateCommand({
          TableName: this.deps.tableName,
          Key: progressKeys.totals(unit),
          UpdateExpression: `SET ${set.join(', ')}${remove.length ? ` REMOVE ${remove.join(', ')}` : ''}`,
          ConditionExpression: expectedRev === undefined ? 'attribute_not_exists(rev)' : 'rev = :rev',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** The stored contributions of some subjects of a unit, read consistently (BatchGetItem). */
  private async storedContributions(unit: UnitRef, subjectIds: readonly string[]): Promise<Map<string, StoredContribution>> {
    const items = await batchGetConsistent(this.deps, subjectIds.map((id) => progressKeys.contribution(unit, id)));
    return new Map(items.map((item) => [String(item.sk), contributionFromItem(item)]));
  }

  /** One transaction of one unit's writes (no last change: the rebuild sets it with the totals). */
  private async write(unit: UnitRef, writes: ReadonlyArray<Correction & { sequence: string }>): Promise<void> {
    if (writes.length === 0) return;
    await this.deps.client.send(new TransactWriteCommand({ TransactItems: this.unitActions(unit, writes, {}) }));
  }

  /**
   * One unit's actions: each contribution put (or deleted) if still as read (`ver`, or absent), and
   * the unit's totals moved by the sum of the differences, `rev` bumped; its last change set to
   * `lastChangeAt`, on condition that it is later than the stored one (else the transaction is
   * cancelled and the batch reads again); its listing set.
   */
  private unitActions(
    unit: UnitRef,
    writes: ReadonlyArray<Correction & { sequence: string }>,
    { lastChangeAt, listing }: { lastChangeAt?: string | undefined; listing?: UnitListing | undefined },
  ): TransactItem[] {
    const contributionItems: TransactItem[] = writes.map(({ stored, next, sequence }) => {
      const key = progressKeys.contribution(unit, (next ?? stored)?.subjectId ?? '');
      const condition = stored
        ? { ConditionExpression: 'ver = :ver', ExpressionAttributeValues: { ':ver': stored.version } }
        : { ConditionExpression: 'attribute_not_exists(pk)' };
      if (!next) return { Delete: { TableName: this.deps.tableName, Key: key, ...condition } };
      const c = next.contribution;
      return {
        Put: {
          TableName: this.deps.tableName,
          Item: {
            ...key,
            entity: 'ProgressContribution',
            kind: next.kind,
            campaignId: unit.campaignId,
            organizationId: unit.organizationId,
            ...c.counters,
            ...(c.changedAt ? { changedAt: c.changedAt } : {}),
            ...(c.summarySubmittedAt ? { summarySubmittedAt: c.summarySubmittedAt } : {}),
            seq: sequence,
            ver: (stored?.version ?? 0) + 1,
            sourcePk: next.source.pk,
            sourceSk: next.source.sk,
          },
          ...condition,
        },
      };
    });
    const delta = sumCounters(writes.map(({ stored, next }) => counterDelta((next?.contribution ?? ZERO_CONTRIBUTION).counters, (stored ?? ZERO_CONTRIBUTION).counters)));
    const names: Record<string, string> = {};
    const values: Item = { ':c': unit.campaignId, ':o': unit.organizationId, ':e': 'UnitProgress', ':one': 1 };
    const add = ['rev :one'];
    PROGRESS_COUNTERS.forEach((c, i) => {
      if (delta[c] === 0) return;
      names[`#c${i}`] = c;
      values[`:c${i}`] = delta[c];
      add.push(`#c${i} :c${i}`);
    });
    const set = ['entity = :e', 'campaignId = :c', 'organizationId = :o'];
    const remove: string[] = [];
    // The summary's submission instant is not a counter: its one subject sets it, or takes it away.
    const summary = writes.find(({ stored, next }) => (next ?? stored)?.subjectId === 'SUMMARY');
    if (summary) {
      const at = summary.next?.contribution.summarySubmittedAt;
      if (at) {
        set.push('summarySubmittedAt = :submittedAt');
        values[':submittedAt'] = at;
      } else remove.push('summarySubmittedAt');
    }
    if (lastChangeAt) {
      set.push('lastChangeAt = :t');
      values[':t'] = lastChangeAt;
    }
    if (listing) {
      set.push('#unit = :unit');
      names['#unit'] = 'unit';
      values[':unit'] = listing;
    }
    return [
      ...contributionItems,
      {
        Update: {
          TableName: this.deps.tableName,
          Key: progressKeys.totals(unit),
          UpdateExpression: `SET ${set.join(', ')}${remove.length ? ` REMOVE ${remove.join(', ')}` : ''} ADD ${add.join(', ')}`,
          // The last change only moves forward (another shard's batch may have moved it further).
          ...(lastChangeAt ? { ConditionExpression: 'attribute_not_exists(lastChangeAt) OR lastChangeAt < :t' } : {}),
          ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
          ExpressionAttributeValues: values,
        },
      },
    ];
  }

}

/** Port: the main-table items of subjects, read consistently (the rebuild confirms what an index showed). */
export interface SubjectItems {
  /** The items that exist, by `<pk>\n<sk>`. */
  current(keys: readonly ItemKey[]): Promise<Map<string, Record<string, unknown>>>;
}

/** The map key of an item key in {@link SubjectItems.current}'s answer. */
export const itemKeyId = (key: ItemKey): string => `${key.pk}\n${key.sk}`;

export class DynamoDbSubjectItems implements SubjectItems {
  public constructor(private readonly deps: { client: DynamoDBDocumentClient; tableName: string }) {}

  public async current(keys: readonly ItemKey[]): Promise<Map<string, Record<string, unknown>>> {
    const unique = [...new Map(keys.map((k) => [itemKeyId(k), k])).values()];
    const items = await batchGetConsistent(this.deps, unique);
    return new Map(items.map((item) => [itemKeyId({ pk: String(item.pk), sk: String(item.sk) }), item]));
  }
}

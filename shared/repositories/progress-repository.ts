/**
 * The progress read model's table (ADR 0021): per unit one totals item and one contribution
 * item per subject (activity, results, flag, summary). The table has no stream: nothing written
 * here reaches the audit trail or the domain events.
 *
 * | item | pk | sk |
 * |---|---|---|
 * | a unit's totals (counters, `summarySubmittedAt`, `lastChangeAt`, `rev`) | `CAMP#<c>#PROGRESS#S<n>` (32 shards, n from the unit id: ADR 0028) | `UNIT#<org>` |
 * | a subject's contribution (counters, `changedAt`, `seq`, `ver`, `sourcePk`/`sourceSk`) | `CAMP#<c>#PROGRESS#<org>` | `ACT#<id>`, `RES#<id>`, `FLAG#<flagId>`, `SUMMARY`, `SCORE#<activityId>` (ADR 0038: also `vals`, `lateAt`) |
 * | how many of a unit's scored activities hold a distinct value (`n`, `v`: the value key) | `CAMP#<c>#PROGRESS#<org>` | `VAL#<digest of the value key>` |
 *
 * Every change of a contribution goes with the change it makes to its unit's totals in one
 * transaction (the contribution conditioned on the version read, the totals `ADD`ed the
 * difference and `rev` bumped). A contribution records the stream sequence number of the change
 * that produced it: an older or replayed record is recognised and skipped.
 */
import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
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
  DISTINCT_COUNTER,
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
import { kindOfValueKey } from '../domain/scoring-items';
import { cancellation, conditionalWrite } from './conditions';
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
  /** How many of the unit's scored activities hold a value (a key of scoring-items.ts `valueKey`). */
  value: (unit: UnitRef, valueKey: string): ItemKey => ({ pk: progressKeys.contributionsPartition(unit), sk: valueSk(valueKey) }),
};

const VALUE_PREFIX = 'VAL#';
/** Values are free text (news links): their items are named by a digest (128 bits). */
const valueSk = (valueKey: string): string => `${VALUE_PREFIX}${createHash('sha256').update(valueKey).digest('base64url').slice(0, 22)}`;

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
  /**
   * Sets the unit's value counts (`VAL#` items) to `expected` (by value key), each if still as read.
   * Answers how many were written and how many lost a race (read again and retry).
   */
  reconcileValues(unit: UnitRef, expected: ReadonlyMap<string, number>): Promise<{ written: number; raced: number }>;
  /** The unit's scored activities submitted after the campaign's own registration deadline (ADR 0038). */
  lateScored(unit: UnitRef): Promise<Array<{ activityId: string; submittedAt: string }>>;
}

/** DynamoDB's most actions in one TransactWriteItems. */
const MAX_ACTIONS = 100;
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
  readonly transactions: Array<{ readonly items: TransactItem[]; readonly writes: number }>;
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
      for (const t of plan.transactions) packs.push({ units: [plan], items: t.items, part: t.writes });
      continue;
    }
    const items = plan.transactions[0]?.items ?? [];
    if (!open || open.items.length + items.length > MAX_ACTIONS) {
      open = { units: [], items: [] };
      packs.push(open);
    }
    open.units.push(plan);
    open.items.push(...items);
  }
  return packs;
}

/** Per value key, how a unit's count moves with these writes: +1 a value a contribution now holds, −1 one it held. */
function valueMoves(writes: ReadonlyArray<Pick<Correction, 'stored' | 'next'>>): Map<string, number> {
  const moves = new Map<string, number>();
  for (const { stored, next } of writes) {
    const before = new Set(stored?.values ?? []);
    const after = new Set(next?.contribution.values ?? []);
    for (const v of after) if (!before.has(v)) moves.set(v, (moves.get(v) ?? 0) + 1);
    for (const v of before) if (!after.has(v)) moves.set(v, (moves.get(v) ?? 0) - 1);
  }
  for (const [k, d] of moves) if (d === 0) moves.delete(k);
  return moves;
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
    ...(Array.isArray(item.vals) && item.vals.length > 0 ? { values: item.vals.map(String) } : {}),
    ...(str(item.lateAt) ? { lateAt: str(item.lateAt) } : {}),
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
  const { failed, conflicted } = cancellation(error);
  return failed.length > 0 || conflicted;
}

/**
 * Every unit's totals of a campaign, every shard at once (the board sorts the units itself).
 * {@link DynamoDbProgressStore.campaignTotals}; apart from the store for a reader that needs only
 * this (run-export counts a campaign's activities): the store's writes stay out of its bundle.
 */
export async function campaignTotals(deps: { client: DynamoDBDocumentClient; tableName: string }, campaignId: string): Promise<StoredTotals[]> {
  const shards = await Promise.all(
    progressKeys.totalsShards(campaignId).map((pk) =>
      queryAll(deps.client, { TableName: deps.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk } }),
    ),
  );
  return shards.flat().map(totalsFromItem);
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
      const planned: Array<{ w: (typeof pending)[number]; todo: Array<Correction & { sequence: string }>; lastChangeAt: string | undefined; listing: UnitListing | undefined }> = [];
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
        planned.push({ w, todo, lastChangeAt, listing });
      }
      // The value counts the scoring contributions move (ADR 0038), read consistently too.
      const counts = await this.valueCounts(planned.flatMap((p) => [...valueMoves(p.todo).keys()].map((key) => ({ unit: p.w.unit, key }))));
      for (const { w, todo, lastChangeAt, listing } of planned) {
        const transactions = this.unitTransactions(w.unit, todo, { lastChangeAt, listing }, counts.get(unitKey(w.unit)) ?? new Map());
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
    return campaignTotals(this.deps, campaignId);
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
    return items.filter((item) => !String(item.sk).startsWith(VALUE_PREFIX)).map(contributionFromItem);
  }

  public async lateScored(unit: UnitRef): Promise<Array<{ activityId: string; submittedAt: string }>> {
    const items = await queryAll(this.deps.client, {
      TableName: this.deps.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :score)',
      FilterExpression: 'attribute_exists(lateAt)',
      ProjectionExpression: 'sk, lateAt',
      ExpressionAttributeValues: { ':pk': progressKeys.contributionsPartition(unit), ':score': 'SCORE#' },
    });
    return items.map((item) => ({ activityId: String(item.sk).slice('SCORE#'.length), submittedAt: String(item.lateAt) }));
  }

  public async reconcileValues(unit: UnitRef, expected: ReadonlyMap<string, number>): Promise<{ written: number; raced: number }> {
    const stored = await queryAll(this.deps.client, {
      TableName: this.deps.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :val)',
      ExpressionAttributeValues: { ':pk': progressKeys.contributionsPartition(unit), ':val': VALUE_PREFIX },
      ConsistentRead: true,
    });
    const storedBySk = new Map(stored.map((item) => [String(item.sk), num(item.n)]));
    const wanted = new Map([...expected].filter(([, n]) => n > 0).map(([key, n]) => [valueSk(key), { key, n }]));
    const writes: TransactItem[] = [];
    for (const [sk, { key, n }] of wanted) {
      const before = storedBySk.get(sk);
      if (before === n) continue;
      writes.push({
        Put: {
          TableName: this.deps.tableName,
          Item: { ...progressKeys.value(unit, key), entity: 'ProgressValue', campaignId: unit.campaignId, organizationId: unit.organizationId, v: key, n },
          ...(before === undefined ? { ConditionExpression: 'attribute_not_exists(pk)' } : { ConditionExpression: 'n = :n', ExpressionAttributeValues: { ':n': before } }),
        },
      });
    }
    for (const [sk, before] of storedBySk) {
      if (wanted.has(sk)) continue;
      writes.push({ Delete: { TableName: this.deps.tableName, Key: { pk: progressKeys.contributionsPartition(unit), sk }, ConditionExpression: 'n = :n', ExpressionAttributeValues: { ':n': before } } });
    }
    let written = 0;
    let lost = 0;
    for (let i = 0; i < writes.length; i += MAX_ACTIONS) {
      const chunk = writes.slice(i, i + MAX_ACTIONS);
      try {
        await this.deps.client.send(new TransactWriteCommand({ TransactItems: chunk }));
        written += chunk.length;
      } catch (error) {
        if (!raced(error)) throw error;
        lost += chunk.length;
      }
    }
    return { written, raced: lost };
  }

  /** Stored value counts by unit (`unitKey`) and value key, read consistently; a missing one is 0. */
  private async valueCounts(wanted: ReadonlyArray<{ unit: UnitRef; key: string }>): Promise<Map<string, Map<string, number>>> {
    const bySk = new Map<string, { unit: UnitRef; key: string }>();
    for (const w of wanted) bySk.set(itemKeyId(progressKeys.value(w.unit, w.key)), w);
    const out = new Map<string, Map<string, number>>();
    for (const w of bySk.values()) {
      const counts = out.get(unitKey(w.unit)) ?? new Map<string, number>();
      counts.set(w.key, 0);
      out.set(unitKey(w.unit), counts);
    }
    if (bySk.size === 0) return out;
    const items = await batchGetConsistent(this.deps, [...bySk.values()].map((w) => progressKeys.value(w.unit, w.key)));
    for (const item of items) {
      const w = bySk.get(itemKeyId({ pk: String(item.pk), sk: String(item.sk) }));
      if (w) out.get(unitKey(w.unit))?.set(w.key, num(item.n));
    }
    return out;
  }

  /**
   * One unit's writes as transactions of at most 100 actions: contributions in order, each with the
   * value counts it moves (a count is written once per transaction), the totals' update in each (the
   * last one also moves the last change and sets the listing). `counts` is the value counts as read,
   * moved as each transaction is planned (a later transaction is conditioned on the earlier one's).
   */
  private unitTransactions(
    unit: UnitRef,
    writes: ReadonlyArray<Correction & { sequence: string }>,
    extra: { lastChangeAt?: string | undefined; listing?: UnitListing | undefined },
    counts: Map<string, number>,
  ): Array<{ items: TransactItem[]; writes: number }> {
    const out: Array<{ items: TransactItem[]; writes: number }> = [];
    let chunk: Array<Correction & { sequence: string }> = [];
    let keys = new Set<string>();
    const flush = (last: boolean) => {
      out.push({ items: this.unitActions(unit, chunk, last ? extra : {}, counts), writes: chunk.length });
      chunk = [];
      keys = new Set();
    };
    for (const w of writes) {
      const moved = [...valueMoves([w]).keys()];
      const added = moved.filter((k) => !keys.has(k)).length;
      // Contributions + value counts + the totals.
      if (chunk.length > 0 && chunk.length + 1 + keys.size + added + 1 > MAX_ACTIONS) flush(false);
      chunk.push(w);
      for (const k of moved) keys.add(k);
    }
    flush(true);
    return out;
  }

  public async correct(unit: UnitRef, corrections: readonly Correction[]): Promise<{ written: number; raced: number }> {
    let written = 0;
    let lost = 0;
    // The rebuild keeps the sequence it found: a later stream record still applies, an older one not.
    const writes = corrections.map((c) => ({ ...c, sequence: c.stored?.sequence ?? NO_SEQUENCE }));
    if (writes.length === 0) return { written, raced: lost };
    const counts = (await this.valueCounts([...valueMoves(writes).keys()].map((key) => ({ unit, key })))).get(unitKey(unit)) ?? new Map<string, number>();
    for (const transaction of this.unitTransactions(unit, writes, {}, counts)) {
      try {
        await this.deps.client.send(new TransactWriteCommand({ TransactItems: transaction.items }));
        written += transaction.writes;
      } catch (error) {
        if (!raced(error)) throw error;
        lost += transaction.writes;
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
    return conditionalWrite(
      this.deps.client.send(
        new UpdateCommand({
          TableName: this.deps.tableName,
          Key: progressKeys.totals(unit),
          UpdateExpression: `SET ${set.join(', ')}${remove.length ? ` REMOVE ${remove.join(', ')}` : ''}`,
          ConditionExpression: expectedRev === undefined ? 'attribute_not_exists(rev)' : 'rev = :rev',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      ),
    );
  }

  /** The stored contributions of some subjects of a unit, read consistently (BatchGetItem). */
  private async storedContributions(unit: UnitRef, subjectIds: readonly string[]): Promise<Map<string, StoredContribution>> {
    const items = await batchGetConsistent(this.deps, subjectIds.map((id) => progressKeys.contribution(unit, id)));
    return new Map(items.map((item) => [String(item.sk), contributionFromItem(item)]));
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
    counts: Map<string, number>,
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
            ...(c.values && c.values.length > 0 ? { vals: [...c.values] } : {}),
            ...(c.lateAt ? { lateAt: c.lateAt } : {}),
            seq: sequence,
            ver: (stored?.version ?? 0) + 1,
            sourcePk: next.source.pk,
            sourceSk: next.source.sk,
          },
          ...condition,
        },
      };
    });
    const delta: Record<ProgressCounter, number> = {
      ...sumCounters(writes.map(({ stored, next }) => counterDelta((next?.contribution ?? ZERO_CONTRIBUTION).counters, (stored ?? ZERO_CONTRIBUTION).counters))),
    };
    // Each value count moved (ADR 0038): written if still as read, and a distinct counter moved when it leaves or reaches 0.
    const valueItems: TransactItem[] = [];
    for (const [key, move] of valueMoves(writes)) {
      const before = counts.get(key) ?? 0;
      // Below 0 only if the counts drifted (a lost record): the rebuild sets them right.
      const after = Math.max(0, before + move);
      const kind = kindOfValueKey(key);
      if (kind) delta[DISTINCT_COUNTER[kind]] += (after > 0 ? 1 : 0) - (before > 0 ? 1 : 0);
      counts.set(key, after);
      const itemKey = progressKeys.value(unit, key);
      const condition = before > 0 ? { ConditionExpression: 'n = :n', ExpressionAttributeValues: { ':n': before } } : { ConditionExpression: 'attribute_not_exists(pk)' };
      if (after > 0) {
        valueItems.push({
          Put: { TableName: this.deps.tableName, Item: { ...itemKey, entity: 'ProgressValue', campaignId: unit.campaignId, organizationId: unit.organizationId, v: key, n: after }, ...condition },
        });
      } else if (before > 0) {
        valueItems.push({ Delete: { TableName: this.deps.tableName, Key: itemKey, ...condition } });
      }
    }
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
      ...valueItems,
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

/** An activity's partition (`ACT#<id>`: the activity, its results, media and flags), read consistently: what its scoring contribution is made of (ADR 0038). */
export class DynamoDbActivityPartitions {
  public constructor(private readonly deps: { client: DynamoDBDocumentClient; tableName: string }) {}

  public async read(activityId: string): Promise<Array<Record<string, unknown>>> {
    return queryAll(this.deps.client, {
      TableName: this.deps.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.activity(activityId).pk },
      ConsistentRead: true,
    });
  }
}

/** Activity items by id (`ACT#<id>` / `A`), those that exist: the scores name the activities reviewers marked. */
export class DynamoDbActivityItems {
  public constructor(private readonly deps: { client: DynamoDBDocumentClient; tableName: string }) {}

  public async items(activityIds: readonly string[]): Promise<Array<Record<string, unknown>>> {
    return batchGetConsistent(this.deps, [...new Set(activityIds)].map((id) => keys.activity(id)));
  }
}

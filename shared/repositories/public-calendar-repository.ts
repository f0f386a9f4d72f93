/**
 * The public calendar (ADR 0044): a read model in the progress table, kept from the main table's
 * stream by project-changes (its `public-calendar` part). One partition per campaign and county
 * (`PUB#<c>#<county>`), the published activities by `<startsAt>#<id>`: a public read never queries
 * the campaign-wide, write-sharded gsi2 partitions, and a county's partition takes a few writes a
 * second at the national peak (docs/scale.md).
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchWriteAll } from './batch-write';
import { matchesPublicFilters, type PublicEntry, type PublicFilters } from '../domain/public-activity';
import { num } from '../domain/stored-item';
import { keys } from './keys';
import { cursorScope, decodeCursor, encodeCursor, type Page } from './page';

/** Where an entry is stored: its campaign, county and start. */
export type PublicSlot = Pick<PublicEntry, 'campaignId' | 'county' | 'startsAt' | 'activityId'>;

/** Port: the projector's writes, a batch's at once. They converge: a retry changes nothing. */
export interface PublicCalendarWriter {
  /** Writes `puts` and deletes `removes` (no slot in both, none twice). */
  apply(changes: { readonly puts: readonly PublicEntry[]; readonly removes: readonly PublicSlot[] }): Promise<void>;
}

/** Port: the public routes' reads. */
export interface PublicCalendarReader {
  /** One page of the entries of `counties` (one, or every county of the campaign) matching `filters`, by start. */
  page(query: { campaignId: string; counties: readonly string[]; filters: PublicFilters; limit: number; cursor?: string }): Promise<Page<PublicEntry>>;
  /** The first `max` matching entries of `counties` by start, each partition read once (the feed). */
  first(query: { campaignId: string; counties: readonly string[]; filters: PublicFilters; max: number }): Promise<PublicEntry[]>;
}

/** Items one Query reads while it fills a page (the filters beyond the keys are applied as they come). */
const READ_SIZE = 100;

/**
 * The most entries one public list request examines, over all its counties' partitions: a text
 * search (`q`) that matches little, each new one missing the CDN, would otherwise read every
 * partition whole. Past it, the page ends where the reading stopped, with a cursor to go on.
 */
export const PUBLIC_READ_BUDGET = 1_000;

/**
 * How long a county's `#SPAN` is reused (per container): a span only grows, so a stale one can only
 * leave out, for this long, an activity longer than any before it that started before `from`; the
 * CDN keeps the answers longer anyway.
 */
const SPAN_REUSE_MS = 60_000;

const ENTRY_ATTRIBUTES = new Set(['pk', 'sk', 'entity']);
const entryOf = (item: Record<string, unknown>): PublicEntry => Object.fromEntries(Object.entries(item).filter(([k]) => !ENTRY_ATTRIBUTES.has(k))) as unknown as PublicEntry;
const spanOf = (e: PublicEntry): number => Math.max(0, Date.parse(e.endsAt) - Date.parse(e.startsAt));

export class DynamoDbPublicCalendar implements PublicCalendarWriter, PublicCalendarReader {
  private readonly spans = new Map<string, { readonly ms: Promise<number>; readonly at: number }>();

  public constructor(private readonly deps: { client: DynamoDBDocumentClient; tableName: string; readBudget?: number }) {}

  /** The longest duration of a county's entries, read once a {@link SPAN_REUSE_MS}. */
  private span(campaignId: string, county: string): Promise<number> {
    const key = keys.publicCalendar(campaignId, county);
    const known = this.spans.get(key);
    if (known && performance.now() - known.at < SPAN_REUSE_MS) return known.ms;
    const ms = this.deps.client
      .send(new GetCommand({ TableName: this.deps.tableName, Key: keys.publicSpan(campaignId, county) }))
      .then((r) => num(r.Item?.maxSpanMs) ?? 0);
    // A failed read is not kept.
    ms.catch(() => this.spans.delete(key));
    this.spans.set(key, { ms, at: performance.now() });
    return ms;
  }

  public async apply(changes: { readonly puts: readonly PublicEntry[]; readonly removes: readonly PublicSlot[] }): Promise<void> {
    const { client, tableName } = this.deps;
    // The spans first, one update per county: a reader never sees an entry its `#SPAN` does not cover.
    const spans = new Map<string, { campaignId: string; county: string; ms: number }>();
    for (const e of changes.puts) {
      const at = `${e.campaignId}\n${e.county}`;
      if ((spans.get(at)?.ms ?? -1) < spanOf(e)) spans.set(at, { campaignId: e.campaignId, county: e.county, ms: spanOf(e) });
    }
    await Promise.all([...spans.values()].map((s) => this.grow(s.campaignId, s.county, s.ms)));
    await batchWriteAll(client, tableName, [
      ...changes.puts.map((e) => ({ PutRequest: { Item: { ...keys.publicEntry(e.campaignId, e.county, e.startsAt, e.activityId), entity: 'PublicEntry', ...e } } })),
      ...changes.removes.map((s) => ({ DeleteRequest: { Key: keys.publicEntry(s.campaignId, s.county, s.startsAt, s.activityId) } })),
    ]);
  }

  /** A county's `#SPAN` grows to `ms` (it never shrinks). */
  private async grow(campaignId: string, county: string, ms: number): Promise<void> {
    try {
      await this.deps.client.send(
        new UpdateCommand({
          TableName: this.deps.tableName,
          Key: keys.publicSpan(campaignId, county),
          UpdateExpression: 'SET maxSpanMs = :s, entity = :e',
          ConditionExpression: 'attribute_not_exists(maxSpanMs) OR maxSpanMs < :s',
          ExpressionAttributeValues: { ':s': ms, ':e': 'PublicSpan' },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  public async page(query: { campaignId: string; counties: readonly string[]; filters: PublicFilters; limit: number; cursor?: string }): Promise<Page<PublicEntry>> {
    const { filters, limit } = query;
    const scope = cursorScope('public-activities', `PUB#${query.campaignId}`, {
      ...filters,
      from: filters.from?.toISOString(),
      to: filters.to?.toISOString(),
    });
    const after = (await decodeCursor(scope, query.cursor, ['sk']))?.sk as string | undefined;
    // Shared among the counties read (a filtered read examines entries that do not match; an unfiltered one stops at `limit`).
    const budget = Math.max(1, Math.ceil((this.deps.readBudget ?? PUBLIC_READ_BUDGET) / Math.max(1, query.counties.length)));
    const parts = await Promise.all(query.counties.map((county) => this.matches(query.campaignId, county, filters, limit, after, budget)));
    // A partition that ran out of budget was read up to `stoppedAt` only: nothing past the lowest such point is certain.
    const stops = parts.flatMap((p) => (p.stoppedAt !== undefined ? [p.stoppedAt] : []));
    const bound = stops.length > 0 ? stops.reduce((a, b) => (b < a ? b : a)) : undefined;
    const merged = parts
      .flatMap((p) => p.items)
      .filter((i) => bound === undefined || i.sk <= bound)
      .sort((a, b) => (a.sk < b.sk ? -1 : a.sk > b.sk ? 1 : 0));
    const items = merged.slice(0, limit);
    // Every partition read up to its own `limit` matches, so nothing before the last kept is left unread.
    const more = merged.length > limit || parts.some((p) => p.more);
    const resume = items.length === limit || bound === undefined ? items.at(-1)?.sk : bound;
    return { items: items.map((i) => i.entry), nextCursor: more && resume !== undefined ? await encodeCursor(scope, { sk: resume }) : null };
  }

  public async first(query: { campaignId: string; counties: readonly string[]; filters: PublicFilters; max: number }): Promise<PublicEntry[]> {
    const parts = await Promise.all(query.counties.map((county) => this.matches(query.campaignId, county, query.filters, query.max, undefined)));
    return parts
      .flatMap((p) => p.items)
      .sort((a, b) => (a.sk < b.sk ? -1 : a.sk > b.sk ? 1 : 0))
      .slice(0, query.max)
      .map((i) => i.entry);
  }

  /**
   * Up to `limit` matching entries of one county's partition after `after`, and whether it may hold
   * more; with a `budget` of entries examined, where the reading stopped when it ran out.
   */
  private async matches(
    campaignId: string,
    county: string,
    filters: PublicFilters,
    limit: number,
    after: string | undefined,
    budget = Number.POSITIVE_INFINITY,
  ): Promise<{ items: Array<{ sk: string; entry: PublicEntry }>; more: boolean; stoppedAt?: string }> {
    const { client, tableName } = this.deps;
    const pk = keys.publicCalendar(campaignId, county);
    // An activity overlapping `from` started at most the partition's longest span before it.
    let low = '0';
    if (filters.from) low = new Date(filters.from.getTime() - (await this.span(campaignId, county))).toISOString();
    const high = filters.to ? `${filters.to.toISOString()}#\uffff` : '9';
    if (after !== undefined && after >= high) return { items: [], more: false };
    const narrowed = [filters.jointAction, filters.theme, filters.format, filters.mode, filters.q].some((f) => f !== undefined);
    const items: Array<{ sk: string; entry: PublicEntry }> = [];
    let examined = 0;
    let startKey: Record<string, unknown> | undefined = after !== undefined && after >= low ? { pk, sk: after } : undefined;
    do {
      const answer = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :lo AND :hi',
          ExpressionAttributeValues: { ':pk': pk, ':lo': low, ':hi': high },
          // Unfiltered, one item past the page tells whether there is more; filtered, larger reads.
          Limit: narrowed ? Math.min(READ_SIZE, Math.max(1, budget - examined)) : limit - items.length + 1,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of answer.Items ?? []) {
        examined += 1;
        const entry = entryOf(item);
        if (!matchesPublicFilters(entry, filters)) continue;
        if (items.length === limit) return { items, more: true };
        items.push({ sk: String(item.sk), entry });
      }
      startKey = answer.LastEvaluatedKey;
      if (startKey && examined >= budget) return { items, more: true, stoppedAt: String(startKey.sk) };
    } while (startKey);
    return { items, more: false };
  }
}

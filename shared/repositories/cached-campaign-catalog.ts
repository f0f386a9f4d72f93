/**
 * The one way handlers read campaigns (ADR 0023): a {@link CampaignCatalog} over the
 * {@link CampaignReads} that keeps what it read for a short time-to-live.
 *
 * - A campaign changes a few times a year; every request reads one. A warm function therefore
 *   answers from memory, and reads the table again after `ttlMs` (default 30 s): an edit made by
 *   the admin API is seen by every other function within that time.
 * - The admin API invalidates the cache it shares a process with after each write, so on one
 *   machine (every handler in one process) an edit is seen at once.
 * - Concurrent misses share one read. A failed read is not cached.
 * - The time-to-live runs on the process's monotonic clock, not the business clock: moving the
 *   local clock by a month must not be needed to see an edit.
 */
import type { Campaign } from '../domain/campaign';
import type { CampaignCatalog } from './campaign-repository';
import type { CampaignReads, StoredCampaign } from './campaign-repository';

interface Entry<T> {
  readonly value: Promise<T>;
  readonly expires: number;
}

export class CachedCampaignCatalog implements CampaignCatalog {
  private readonly one = new Map<string, Entry<StoredCampaign | undefined>>();
  private every: Entry<StoredCampaign[]> | undefined;

  public constructor(
    private readonly store: CampaignReads,
    private readonly options: { readonly ttlMs: number; readonly now?: () => number } = { ttlMs: 30_000 },
  ) {}

  private now(): number {
    return (this.options.now ?? performance.now.bind(performance))();
  }

  private cached<T>(
    entry: Entry<T> | undefined,
    load: () => Promise<T>,
    keep: (e: Entry<T> | undefined) => void,
    current: () => Entry<T> | undefined,
  ): Promise<T> {
    const now = this.now();
    if (entry && entry.expires > now) return entry.value;
    const value = load();
    const fresh = { value, expires: now + this.options.ttlMs };
    keep(fresh);
    // A failed read is forgotten (only if it is still the one kept), so the next request tries again.
    value.catch(() => {
      if (current() === fresh) keep(undefined);
    });
    return value;
  }

  /** The stored campaign (status, version, who changed it) through the cache. */
  public stored(campaignId: string): Promise<StoredCampaign | undefined> {
    return this.cached(
      this.one.get(campaignId),
      () => this.store.get(campaignId),
      (e) => (e ? this.one.set(campaignId, e) : this.one.delete(campaignId)),
      () => this.one.get(campaignId),
    );
  }

  public async find(campaignId: string): Promise<Campaign | undefined> {
    return (await this.stored(campaignId))?.campaign;
  }

  public async all(): Promise<Campaign[]> {
    const list = await this.cached(
      this.every,
      () => this.store.list(),
      (e) => {
        this.every = e;
      },
      () => this.every,
    );
    return list.map((s) => s.campaign);
  }

  /** Forgets one campaign (and the list), or everything: the next read goes to the table. */
  public invalidate(campaignId?: string): void {
    if (campaignId === undefined) this.one.clear();
    else this.one.delete(campaignId);
    this.every = undefined;
  }
}

/** A catalog of fixed campaigns (tests, benchmarks, tools that load a definition file). */
export function fixedCampaignCatalog(campaigns: readonly Campaign[]): CampaignCatalog {
  const byId = new Map(campaigns.map((c) => [c.id, c]));
  return {
    find: (id) => Promise.resolve(byId.get(id)),
    all: () => Promise.resolve([...byId.values()].sort((a, b) => a.id.localeCompare(b.id))),
  };
}

// The cached campaign catalog (shared/repositories/cached-campaign-catalog.ts, ADR 0023): what it
// read is kept for its time-to-live on an injected clock, concurrent misses share one read, a failed
// read is forgotten, and invalidate() makes the next read go to the store.
import { xinxiang2021 } from '../../../shared/campaigns/2021-xinxiang';
import { loadCampaign, type CampaignStatus } from '../../../shared/domain/campaign';
import { CachedCampaignCatalog, fixedCampaignCatalog } from '../../../shared/repositories/cached-campaign-catalog';
import type { CampaignChange, CampaignStore, NewCampaign, StoredCampaign } from '../../../shared/repositories/campaign-repository';

const stored = (id: string, status: CampaignStatus = 'published', version = 1): StoredCampaign => {
  const definition = { ...xinxiang2021, id };
  return {
    campaign: loadCampaign(definition, status),
    definition: definition as StoredCampaign['definition'],
    status,
    version,
    createdAt: '2021-08-01T00:00:00.000Z',
    createdBy: 'system:seed',
    updatedAt: '2021-08-01T00:00:00.000Z',
    updatedBy: 'system:seed',
  };
};

/** A store in memory that counts its reads; `failNext` makes the next read fail, `hold` keeps reads pending. */
class FakeStore implements CampaignStore {
  public readonly items = new Map<string, StoredCampaign>();
  public gets = 0;
  public lists = 0;
  public failNext = false;
  private held: Array<() => void> | undefined;

  public hold(): void {
    this.held = [];
  }

  public async createdBy(): Promise<StoredCampaign | undefined> {
    return undefined;
  }

  public release(): void {
    const waiting = this.held ?? [];
    this.held = undefined;
    for (const go of waiting) go();
  }

  private async read<T>(value: () => T): Promise<T> {
    if (this.held) await new Promise<void>((resolve) => this.held?.push(resolve));
    if (this.failNext) {
      this.failNext = false;
      throw new Error('ProvisionedThroughputExceededException');
    }
    return value();
  }

  public get(campaignId: string): Promise<StoredCampaign | undefined> {
    this.gets += 1;
    return this.read(() => this.items.get(campaignId));
  }

  public list(): Promise<StoredCampaign[]> {
    this.lists += 1;
    return this.read(() => [...this.items.values()].sort((a, b) => a.campaign.id.localeCompare(b.campaign.id)));
  }

  public create(_campaign: NewCampaign): Promise<StoredCampaign> {
    throw new Error('not used');
  }

  public update(_campaignId: string, _expectedVersion: number, _change: CampaignChange): Promise<StoredCampaign> {
    throw new Error('not used');
  }
}

function setUp(ttlMs = 30_000) {
  const store = new FakeStore();
  store.items.set('2021-xinxiang', stored('2021-xinxiang'));
  store.items.set('2022-xinxiang', stored('2022-xinxiang', 'draft'));
  let now = 1_000;
  const catalog = new CachedCampaignCatalog(store, { ttlMs, now: () => now });
  const advance = (ms: number) => {
    now += ms;
  };
  return { store, catalog, advance };
}

describe('Class: CachedCampaignCatalog', () => {
  it('answers a second read within the time-to-live from the cache', async () => {
    const { store, catalog, advance } = setUp();
    const first = await catalog.find('2021-xinxiang');
    advance(29_999);
    const second = await catalog.find('2021-xinxiang');
    expect(first?.id).toBe('2021-xinxiang');
    expect(second).toBe(first);
    expect(store.gets).toBe(1);
  });

  it('reads the store again once the time-to-live has run out, and sees the change made meanwhile', async () => {
    const { store, catalog, advance } = setUp();
    expect((await catalog.find('2021-xinxiang'))?.status).toBe('published');
    store.items.set('2021-xinxiang', stored('2021-xinxiang', 'closed', 2));
    advance(29_999);
    expect((await catalog.find('2021-xinxiang'))?.status).toBe('published');
    advance(1);
    expect((await catalog.find('2021-xinxiang'))?.status).toBe('closed');
    expect(store.gets).toBe(2);
  });

  it('keeps each campaign on its own: reading one does not read or refresh another', async () => {
    const { store, catalog } = setUp();
    await catalog.find('2021-xinxiang');
    await catalog.find('2022-xinxiang');
    await catalog.find('2021-xinxiang');
    await catalog.find('2022-xinxiang');
    expect(store.gets).toBe(2);
  });

  it('shares one read between concurrent misses', async () => {
    const { store, catalog } = setUp();
    store.hold();
    const reads = [catalog.find('2021-xinxiang'), catalog.find('2021-xinxiang'), catalog.find('2021-xinxiang')];
    const lists = [catalog.all(), catalog.all()];
    store.release();
    const [a, b, c] = await Promise.all(reads);
    expect(a).toBeDefined();
    expect([b, c]).toEqual([a, a]);
    expect((await Promise.all(lists)).map((l) => l.map((x) => x.id))).toEqual([
      ['2021-xinxiang', '2022-xinxiang'],
      ['2021-xinxiang', '2022-xinxiang'],
    ]);
    expect([store.gets, store.lists]).toEqual([1, 1]);
  });

  it('does not cache a failed read: the next request reads again', async () => {
    const { store, catalog } = setUp();
    store.failNext = true;
    await expect(catalog.find('2021-xinxiang')).rejects.toThrow('ProvisionedThroughputExceededException');
    await expect(catalog.find('2021-xinxiang')).resolves.toMatchObject({ id: '2021-xinxiang' });
    await catalog.find('2021-xinxiang');
    expect(store.gets).toBe(2);

    store.failNext = true;
    await expect(catalog.all()).rejects.toThrow('ProvisionedThroughputExceededException');
    await expect(catalog.all()).resolves.toHaveLength(2);
    expect(store.lists).toBe(2);
  });

  it('reads the store again after invalidate(id), and only for that campaign', async () => {
    const { store, catalog } = setUp();
    await catalog.find('2021-xinxiang');
    await catalog.find('2022-xinxiang');
    store.items.set('2021-xinxiang', stored('2021-xinxiang', 'closed', 2));
    catalog.invalidate('2021-xinxiang');
    expect((await catalog.find('2021-xinxiang'))?.status).toBe('closed');
    await catalog.find('2022-xinxiang');
    expect(store.gets).toBe(3);
  });

  it('forgets the list with any invalidation, and every campaign with invalidate()', async () => {
    const { store, catalog } = setUp();
    await catalog.all();
    await catalog.all();
    expect(store.lists).toBe(1);
    store.items.set('2023-xinxiang', stored('2023-xinxiang', 'draft'));
    catalog.invalidate('2023-xinxiang');
    expect((await catalog.all()).map((c) => c.id)).toEqual(['2021-xinxiang', '2022-xinxiang', '2023-xinxiang']);
    expect(store.lists).toBe(2);

    await catalog.find('2021-xinxiang');
    await catalog.find('2022-xinxiang');
    catalog.invalidate();
    await catalog.find('2021-xinxiang');
    await catalog.find('2022-xinxiang');
    await catalog.all();
    expect([store.gets, store.lists]).toEqual([4, 3]);
  });

  it('remembers a missing campaign as missing until its time-to-live runs out or it is invalidated', async () => {
    const { store, catalog, advance } = setUp();
    expect(await catalog.find('2024-xinxiang')).toBeUndefined();
    store.items.set('2024-xinxiang', stored('2024-xinxiang', 'draft'));
    expect(await catalog.find('2024-xinxiang')).toBeUndefined();
    catalog.invalidate('2024-xinxiang');
    expect((await catalog.find('2024-xinxiang'))?.status).toBe('draft');
    store.items.delete('2024-xinxiang');
    advance(30_000);
    expect(await catalog.find('2024-xinxiang')).toBeUndefined();
    expect(store.gets).toBe(3);
  });

  it('answers the stored record (status, version) through the same cache', async () => {
    const { store, catalog } = setUp();
    await expect(catalog.stored('2022-xinxiang')).resolves.toMatchObject({ status: 'draft', version: 1 });
    await expect(catalog.find('2022-xinxiang')).resolves.toMatchObject({ id: '2022-xinxiang', status: 'draft' });
    expect(store.gets).toBe(1);
  });

  it('reads the store every time with a time-to-live of 0', async () => {
    const { store, catalog } = setUp(0);
    await catalog.find('2021-xinxiang');
    await catalog.find('2021-xinxiang');
    await catalog.all();
    await catalog.all();
    expect([store.gets, store.lists]).toEqual([2, 2]);
  });
});

describe('Function: fixedCampaignCatalog', () => {
  it('answers the given campaigns by id, and all of them in id order', async () => {
    const [a, b] = [loadCampaign({ ...xinxiang2021, id: 'b-campaign' }), loadCampaign({ ...xinxiang2021, id: 'a-campaign' })];
    const catalog = fixedCampaignCatalog([a, b]);
    await expect(catalog.find('b-campaign')).resolves.toBe(a);
    await expect(catalog.find('nope')).resolves.toBeUndefined();
    expect((await catalog.all()).map((c) => c.id)).toEqual(['a-campaign', 'b-campaign']);
  });
});

import { fixedClock, type Clock } from '../../../shared/domain/clock';
import { buildManifest, entityFileKey, manifestKey, type ExportManifest } from '../../../shared/export/manifest';
import { promoteToLatest, type PromotionDeps } from '../../../shared/export/promotion';
import { MemoryLease, MemoryStore } from './fakes';

const C = '2021-xinxiang';

/** An export's files (their bodies name the export) already in the store, and its manifest. */
function exported(store: MemoryStore, exportId: string, asOf: string): ExportManifest {
  const files = (['activities', 'flags'] as const).map((entity) => {
    const key = entityFileKey(C, exportId, entity, 'parquet');
    store.objects.set(key, Buffer.from(`${exportId}:${entity}`));
    return { entity, key, rows: 1, bytes: 10, sha256: '00' };
  });
  return buildManifest({ exportId, campaignId: C, snapshot: exportId, asOf, format: 'parquet', language: 'zh', generatedAt: asOf, files });
}

const latestBodies = (store: MemoryStore) =>
  ['activities', 'flags'].map((e) => store.objects.get(entityFileKey(C, 'latest', e as 'activities', 'parquet'))?.toString());

function deps(store: MemoryStore, lease: MemoryLease, clock: Clock = fixedClock('2021-10-01T00:00:00Z')): PromotionDeps {
  return { store, lease, leaseClock: clock, sleep: () => new Promise((r) => setTimeout(r, 1)) };
}

describe('Use case: promotion to latest/', () => {
  it('copies the files, then writes the manifest with latest/ keys and the same checksums', async () => {
    const [store, lease] = [new MemoryStore(), new MemoryLease()];
    const m = exported(store, 'e1', '2021-09-30T00:00:00.000Z');

    expect(await promoteToLatest(m, deps(store, lease))).toBe('promoted');

    expect(latestBodies(store)).toEqual(['e1:activities', 'e1:flags']);
    expect(store.log.at(-1)).toBe(`put ${manifestKey(C, 'latest')}`);
    const latest = store.json<ExportManifest>(manifestKey(C, 'latest'));
    expect(latest).toMatchObject({ exportId: 'e1', snapshot: 'latest', sourceSnapshot: 'e1' });
    expect(latest.files.map((f) => f.key)).toEqual([entityFileKey(C, 'latest', 'activities', 'parquet'), entityFileKey(C, 'latest', 'flags', 'parquet')]);
    expect(lease.holders.get(C)).toMatchObject({ exportId: 'e1', state: 'promoted' });
  });

  it('replaces an older export, and never lets an older one replace a newer', async () => {
    const [store, lease] = [new MemoryStore(), new MemoryLease()];
    const older = exported(store, 'old', '2021-09-01T00:00:00.000Z');
    const newer = exported(store, 'new', '2021-09-30T00:00:00.000Z');

    expect(await promoteToLatest(newer, deps(store, lease))).toBe('promoted');
    const writes = store.log.length;
    expect(await promoteToLatest(older, deps(store, lease))).toBe('superseded');

    expect(store.log).toHaveLength(writes);
    expect(latestBodies(store)).toEqual(['new:activities', 'new:flags']);
  });

  it('waits for an older export still copying, then replaces all of it (never a mix)', async () => {
    const [store, lease] = [new MemoryStore(), new MemoryLease()];
    const older = exported(store, 'old', '2021-09-01T00:00:00.000Z');
    const newer = exported(store, 'new', '2021-09-30T00:00:00.000Z');
    // The older export pauses after its first copy until the newer one has asked for the lease.
    let resume!: () => void;
    const paused = new Promise<void>((r) => (resume = r));
    let asked = 0;
    store.before = async (op, key) => {
      if (op === 'copy' && key.includes('entity=flags') && store.log.some((l) => l.includes('latest/entity=activities')) && asked === 0) await paused;
    };
    const sleeps: number[] = [];
    const newerDeps = { ...deps(store, lease), sleep: async (ms: number) => {
      sleeps.push(ms);
      asked += 1;
      resume();
      await new Promise((r) => setTimeout(r, 5));
    } };

    const [a, b] = await Promise.all([promoteToLatest(older, deps(store, lease)), new Promise((r) => setTimeout(r, 1)).then(() => promoteToLatest(newer, newerDeps))]);

    expect([a, b]).toEqual(['promoted', 'promoted']);
    expect(sleeps.length).toBeGreaterThan(0);
    expect(latestBodies(store)).toEqual(['new:activities', 'new:flags']);
    expect(store.json<ExportManifest>(manifestKey(C, 'latest')).exportId).toBe('new');
  });

  it('writes no manifest when its lease was taken over while copying', async () => {
    const [store, lease] = [new MemoryStore(), new MemoryLease()];
    const m = exported(store, 'slow', '2021-09-01T00:00:00.000Z');
    store.before = (op) => {
      if (op === 'copy') lease.holders.set(C, { exportId: 'other', asOf: '2021-09-30T00:00:00.000Z', state: 'promoting', leaseUntil: '2099-01-01T00:00:00.000Z' });
    };

    expect(await promoteToLatest(m, deps(store, lease))).toBe('superseded');
    expect(store.log).not.toContain(`put ${manifestKey(C, 'latest')}`);
  });

  it('gives up (busy) when an older holder keeps its lease past the wait', async () => {
    const [store, lease] = [new MemoryStore(), new MemoryLease()];
    lease.holders.set(C, { exportId: 'stuck', asOf: '2021-09-01T00:00:00.000Z', state: 'promoting', leaseUntil: '2099-01-01T00:00:00.000Z' });
    let t = Date.parse('2021-10-01T00:00:00Z');
    const clock = { now: () => new Date(t) };
    const m = exported(store, 'e1', '2021-09-30T00:00:00.000Z');

    const outcome = await promoteToLatest(m, { ...deps(store, lease, clock), maxWaitMs: 3000, sleep: async (ms) => void (t += ms) });

    expect(outcome).toBe('busy');
    expect(latestBodies(store)).toEqual([undefined, undefined]);
  });

  it('takes over a lease that expired (a holder that crashed while copying)', async () => {
    const [store, lease] = [new MemoryStore(), new MemoryLease()];
    lease.holders.set(C, { exportId: 'crashed', asOf: '2021-09-01T00:00:00.000Z', state: 'promoting', leaseUntil: '2021-09-30T23:00:00.000Z' });
    const m = exported(store, 'e1', '2021-09-30T00:00:00.000Z');

    expect(await promoteToLatest(m, deps(store, lease))).toBe('promoted');
  });
});

import { xinxiang2021 } from '../../../shared/campaigns/2021-xinxiang';
import { findCampaign } from '../../../shared/campaigns/index';
import { campaignCatalog } from '../../../shared/campaigns/catalog';
import { loadCampaign } from '../../../shared/domain/campaign';
import { fixedClock } from '../../../shared/domain/clock';
import type {
  AdmissionOutcome,
  CreatedExports,
  ExportAdmission,
  ExportFile,
  ExportFormat,
  ExportRecord,
  ExportRepository,
  RequestBudget,
} from '../../../shared/export/export-record';
import { exportView } from '../../../shared/http/export-views';
import { fixedCampaignCatalog } from '../../../shared/repositories/cached-campaign-catalog';
import { RateLimitedError } from '../../../shared/errors';
import { EXPORT_BUDGET, exportBudgetAt, getExport, requestExport, snapshotAtMilestone, snapshotExportId } from '../../../shared/use-cases/exports';
import { startScheduledJob } from '../../../shared/use-cases/start-scheduled-job';
import type { Principal, Role } from '../../../shared/auth/principal';

const campaign = findCampaign('2021-xinxiang')!;

class MemoryExports implements ExportRepository, CreatedExports, ExportAdmission {
  public items = new Map<string, ExportRecord>();
  public tokens = new Map<string, string>();
  public slots = new Map<string, string>();
  public budgets = new Map<string, number>();
  /** Outcomes to answer before doing the work (a concurrent request, simulated). */
  public interject: Array<() => AdmissionOutcome | undefined> = [];
  public async slotHolder(campaignId: string, format: ExportFormat) {
    return this.slots.get(`${campaignId}/${format}`);
  }
  public async createAdmitted(r: ExportRecord, token: string, guard: { replacing?: string; budget: RequestBudget }): Promise<AdmissionOutcome> {
    const forced = this.interject.shift()?.();
    if (forced) return forced;
    const slot = `${r.campaignId}/${r.format}`;
    const budget = `${guard.budget.subject}/${guard.budget.windowStart}`;
    if (this.items.has(r.exportId)) return 'id-taken';
    if (this.slots.get(slot) !== guard.replacing) return 'slot-taken';
    if ((this.budgets.get(budget) ?? 0) >= guard.budget.limit) return 'over-budget';
    this.items.set(r.exportId, r);
    this.tokens.set(r.exportId, token);
    this.slots.set(slot, r.exportId);
    this.budgets.set(budget, (this.budgets.get(budget) ?? 0) + 1);
    return 'created';
  }
  public async create(r: ExportRecord, token?: string) {
    if (this.items.has(r.exportId)) return false;
    this.items.set(r.exportId, r);
    if (token) this.tokens.set(r.exportId, token);
    return true;
  }
  public async createdBy(id: string, token: string) {
    return this.tokens.get(id) === token ? this.items.get(id) : undefined;
  }
  public async get(id: string) {
    return this.items.get(id);
  }
  public async start() {
    return true;
  }
  public async succeed(id: string, at: string, files: readonly ExportFile[], manifestKey: string) {
    this.items.set(id, { ...this.items.get(id)!, status: 'succeeded', finishedAt: at, files, manifestKey });
  }
  public async fail() {}
  public async recordTableCopy() {}
}

const as = (...roles: Role[]): Principal => ({ sub: `u-${roles.join('-')}`, orgId: 'xinxiang-kx', roles: new Set(roles), city: 'xinxiang' });
const deps = (exports = new MemoryExports()) => ({
  campaigns: campaignCatalog,
  exports,
  clock: fixedClock('2021-10-25T09:00:00+08:00'),
  newId: () => 'exp-1',
  activeForSeconds: 3 * 3600,
});

describe('requestExport', () => {
  it('queues an export for an admin or an analyst, Chinese CSV header by default', async () => {
    const d = deps();
    const { export: e } = await requestExport({ principal: as('analyst'), campaignId: campaign.id, body: { format: 'csv' } }, d);
    expect(e).toEqual({
      exportId: 'exp-1',
      campaignId: campaign.id,
      format: 'csv',
      language: 'zh',
      snapshot: 'exp-1',
      asOf: '2021-10-25T01:00:00.000Z',
      status: 'queued',
      requestedBy: 'u-analyst',
      requestedAt: '2021-10-25T01:00:00.000Z',
    });
    expect(d.exports.items.size).toBe(1);
  });

  it('refuses organizers and reviewers (403), unknown campaigns (404) and bad bodies (422), storing nothing', async () => {
    const d = deps();
    await expect(requestExport({ principal: as('organizer'), campaignId: campaign.id, body: { format: 'csv' } }, d)).rejects.toMatchObject({ status: 403 });
    await expect(requestExport({ principal: as('reviewer'), campaignId: campaign.id, body: { format: 'csv' } }, d)).rejects.toMatchObject({ status: 403 });
    await expect(requestExport({ principal: as('admin'), campaignId: 'nope', body: { format: 'csv' } }, d)).rejects.toMatchObject({ status: 404 });
    await expect(requestExport({ principal: as('admin'), campaignId: campaign.id, body: { format: 'xlsx', extra: 1 } }, d)).rejects.toMatchObject({
      status: 422,
    });
    expect(d.exports.items.size).toBe(0);
  });
});

describe('requestExport: one job per campaign and format, a budget per caller', () => {
  let n = 0;
  const fresh = (exports = new MemoryExports(), at = '2021-10-25T09:00:00+08:00') => ({ ...deps(exports), clock: fixedClock(at), newId: () => `exp-${(n += 1)}` });

  it('answers a second request with the export already queued, and starts nothing', async () => {
    const exports = new MemoryExports();
    const first = await requestExport({ principal: as('analyst'), campaignId: campaign.id, body: { format: 'csv' } }, fresh(exports));
    const again = await requestExport({ principal: as('admin'), campaignId: campaign.id, body: { format: 'csv', language: 'en' } }, fresh(exports));
    expect(first.outcome).toBe('started');
    expect(again).toMatchObject({ outcome: 'running', repeated: false, export: { exportId: first.export.exportId, requestedBy: 'u-analyst' } });
    expect(exports.items.size).toBe(1);
    // Another format is another slot.
    await expect(requestExport({ principal: as('analyst'), campaignId: campaign.id, body: { format: 'parquet' } }, fresh(exports))).resolves.toMatchObject({ outcome: 'started' });
    expect(exports.items.size).toBe(2);
  });

  it('answers a running export too, and starts a new one once it finished', async () => {
    const exports = new MemoryExports();
    const first = await requestExport({ principal: as('analyst'), campaignId: campaign.id, body: { format: 'csv' } }, fresh(exports));
    exports.items.set(first.export.exportId, { ...first.export, status: 'running', startedAt: '2021-10-25T01:00:01.000Z' });
    await expect(requestExport({ principal: as('analyst'), campaignId: campaign.id, body: { format: 'csv' } }, fresh(exports))).resolves.toMatchObject({
      outcome: 'running',
      export: { exportId: first.export.exportId },
    });
    await exports.succeed(first.export.exportId, '2021-10-25T01:05:00.000Z', [], 'manifest.json');
    const next = await requestExport({ principal: as('analyst'), campaignId: campaign.id, body: { format: 'csv' } }, fresh(exports));
    expect(next.outcome).toBe('started');
    expect(next.export.exportId).not.toBe(first.export.exportId);
    expect(exports.slots.get(`${campaign.id}/csv`)).toBe(next.export.exportId);
  });

  it('lets a new export start once an unfinished one can no longer run (its message dead-lettered)', async () => {
    const exports = new MemoryExports();
    const first = await requestExport({ principal: as('analyst'), campaignId: campaign.id, body: { format: 'csv' } }, fresh(exports, '2021-10-25T09:00:00+08:00'));
    const stillHeld = await requestExport({ principal: as('analyst'), campaignId: campaign.id, body: { format: 'csv' } }, fresh(exports, '2021-10-25T11:59:59+08:00'));
    expect(stillHeld.outcome).toBe('running');
    const after = await requestExport({ principal: as('analyst'), campaignId: campaign.id, body: { format: 'csv' } }, fresh(exports, '2021-10-25T12:00:00+08:00'));
    expect(after.outcome).toBe('started');
    expect(after.export.exportId).not.toBe(first.export.exportId);
  });

  it('refuses the eleventh new export of the hour with 429 and the seconds until the budget renews; asking for a running one is free', async () => {
    const exports = new MemoryExports();
    const at = '2021-10-25T09:20:00+08:00';
    for (let i = 0; i < EXPORT_BUDGET.limit; i += 1) {
      const started = await requestExport({ principal: as('analyst'), campaignId: campaign.id, body: { format: 'csv' } }, fresh(exports, at));
      expect(started.outcome).toBe('started');
      // Asked for again while it runs: answered, not counted.
      await expect(requestExport({ principal: as('analyst'), campaignId: campaign.id, body: { format: 'csv' } }, fresh(exports, at))).resolves.toMatchObject({ outcome: 'running' });
      await exports.succeed(started.export.exportId, '2021-10-25T01:21:00.000Z', [], 'manifest.json');
    }
    const refused = requestExport({ principal: as('analyst'), campaignId: campaign.id, body: { format: 'csv' } }, fresh(exports, at));
    await expect(refused).rejects.toBeInstanceOf(RateLimitedError);
    await expect(refused).rejects.toMatchObject({ status: 429, retryAfterSeconds: 40 * 60 });
    expect(exports.items.size).toBe(EXPORT_BUDGET.limit);
    // Someone else's budget is their own; the next hour renews the caller's.
    await expect(requestExport({ principal: as('admin'), campaignId: campaign.id, body: { format: 'csv' } }, fresh(exports, at))).resolves.toMatchObject({ outcome: 'started' });
    await expect(requestExport({ principal: as('analyst'), campaignId: campaign.id, body: { format: 'parquet' } }, fresh(exports, '2021-10-25T10:00:00+08:00'))).resolves.toMatchObject({
      outcome: 'started',
    });
  });

  it('answers the export of a concurrent request that took the slot first', async () => {
    const exports = new MemoryExports();
    const rival: ExportRecord = {
      exportId: 'rival',
      campaignId: campaign.id,
      format: 'csv',
      language: 'zh',
      snapshot: 'rival',
      asOf: '2021-10-25T01:00:00.000Z',
      status: 'queued',
      requestedBy: 'u-admin',
      requestedAt: '2021-10-25T01:00:00.000Z',
    };
    exports.interject.push(() => {
      exports.items.set('rival', rival);
      exports.slots.set(`${campaign.id}/csv`, 'rival');
      return 'slot-taken';
    });
    await expect(requestExport({ principal: as('analyst'), campaignId: campaign.id, body: { format: 'csv' } }, fresh(exports))).resolves.toMatchObject({
      outcome: 'running',
      export: { exportId: 'rival' },
    });
    expect(exports.items.size).toBe(1);
  });

  it('answers a keyed retry with the export its first attempt stored, even while it holds the slot', async () => {
    const exports = new MemoryExports();
    const write = { id: 'keyed-1', token: 'tok-1', keyed: true };
    const first = await requestExport({ principal: as('analyst'), campaignId: campaign.id, body: { format: 'csv' }, write }, fresh(exports));
    const retry = await requestExport({ principal: as('analyst'), campaignId: campaign.id, body: { format: 'csv' }, write }, fresh(exports));
    expect(first).toMatchObject({ outcome: 'started', repeated: false });
    expect(retry).toMatchObject({ outcome: 'started', repeated: true, export: { exportId: 'keyed-1' } });
  });

  it('counts windows by the clock hour: the counter key, its expiry and Retry-After', () => {
    expect(exportBudgetAt('u1', new Date('2021-10-25T01:20:00.000Z'))).toEqual({
      subject: 'exports#u1',
      limit: EXPORT_BUDGET.limit,
      windowStart: '2021-10-25T01:00:00.000Z',
      expiresAt: Date.parse('2021-10-26T02:00:00.000Z') / 1000,
      retryAfterSeconds: 2400,
    });
  });
});

describe('getExport and its view', () => {
  it('answers the export with zoned times and file URLs; 404 for an unknown id; 403 for an organizer', async () => {
    const d = deps();
    await requestExport({ principal: as('admin'), campaignId: campaign.id, body: { format: 'parquet' } }, d);
    const file = { entity: 'activities' as const, key: 'campaign=2021-xinxiang/snapshot=exp-1/entity=activities/part-0.parquet', rows: 3, bytes: 10, sha256: 'ab' };
    await d.exports.succeed('exp-1', '2021-10-25T01:00:05.000Z', [file], 'campaign=2021-xinxiang/snapshot=exp-1/manifest.json');
    const { export: e } = await getExport({ principal: as('analyst'), exportId: 'exp-1' }, d);
    const view = exportView(e, campaign, new Map([[file.key, 'https://s3.example/a']]));
    expect(view).toMatchObject({
      status: 'succeeded',
      asOf: '2021-10-25T09:00:00+08:00',
      finishedAt: '2021-10-25T09:00:05+08:00',
      files: [{ entity: 'activities', url: 'https://s3.example/a', rows: 3 }],
      manifest: null,
    });
    await expect(getExport({ principal: as('analyst'), exportId: 'nope' }, d)).rejects.toMatchObject({ status: 404 });
    await expect(getExport({ principal: as('organizer'), exportId: 'exp-1' }, d)).rejects.toMatchObject({ status: 403 });
  });

  it('answers another city’s admin or analyst 404 for an export, exactly as an unknown id', async () => {
    const d = deps();
    await requestExport({ principal: as('admin'), campaignId: campaign.id, body: { format: 'csv' } }, d);
    for (const role of ['admin', 'analyst'] as const) {
      const elsewhere = { ...as(role), city: 'anyang' };
      await expect(getExport({ principal: elsewhere, exportId: 'exp-1' }, d)).rejects.toThrow('export exp-1 not found');
      await expect(requestExport({ principal: elsewhere, campaignId: campaign.id, body: { format: 'csv' } }, d)).rejects.toMatchObject({ status: 404 });
    }
    expect(d.exports.items.size).toBe(1);
  });

  it('exports a closed campaign (a read): its data stays exportable', async () => {
    const closed = loadCampaign(xinxiang2021, 'closed');
    const d = { ...deps(), campaigns: fixedCampaignCatalog([closed]) };
    await expect(requestExport({ principal: as('analyst'), campaignId: closed.id, body: { format: 'csv' } }, d)).resolves.toMatchObject({ export: { status: 'queued' } });
    await expect(getExport({ principal: as('analyst'), exportId: 'exp-1' }, d)).resolves.toMatchObject({ campaign: { status: 'closed' } });
  });
});

describe('milestone snapshots', () => {
  it('a milestone run requests its snapshot once, as of the deadline, however often it runs', async () => {
    const exports = new MemoryExports();
    const fan = {
      campaigns: campaignCatalog,
      organizations: { list: async () => [] },
      sweeps: { sendAll: async () => undefined },
      clock: fixedClock('2021-09-25T00:00:01+08:00'),
      reconcileWindowDays: 60,
      exports,
    };
    const job = { type: 'milestone', campaignId: campaign.id, milestone: 'registration', scheduleId: 's' } as const;
    await startScheduledJob(job, fan);
    await startScheduledJob(job, fan);
    await startScheduledJob({ type: 'reconcile' }, fan);
    expect([...exports.items.values()]).toEqual([
      expect.objectContaining({
        exportId: snapshotExportId(campaign.id, 'registration'),
        snapshot: 'registration',
        asOf: '2021-09-24T15:59:59.999Z',
        format: 'parquet',
        requestedBy: 'milestone',
      }),
    ]);
    expect(await snapshotAtMilestone(campaign, 'registration', { exports, clock: fan.clock })).toBe(false);
  });
});

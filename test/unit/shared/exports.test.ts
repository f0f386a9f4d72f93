import { xinxiang2021 } from '../../../shared/campaigns/2021-xinxiang';
import { findCampaign } from '../../../shared/campaigns/index';
import { campaignCatalog } from '../../../shared/campaigns/catalog';
import { loadCampaign } from '../../../shared/domain/campaign';
import { fixedClock } from '../../../shared/domain/clock';
import type { CreatedExports, ExportFile, ExportRecord, ExportRepository } from '../../../shared/export/export-record';
import { exportView } from '../../../shared/http/milestone-views';
import { fixedCampaignCatalog } from '../../../shared/repositories/cached-campaign-catalog';
import { getExport, requestExport, snapshotAtMilestone, snapshotExportId } from '../../../shared/use-cases/exports';
import { startScheduledJob } from '../../../shared/use-cases/milestones';
import type { Principal, Role } from '../../../shared/auth/principal';

const campaign = findCampaign('2021-xinxiang')!;

class MemoryExports implements ExportRepository, CreatedExports {
  public items = new Map<string, ExportRecord>();
  public tokens = new Map<string, string>();
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

import { findCampaign } from '../../../shared/campaigns/index';
import { campaignCatalog } from '../../../shared/campaigns/catalog';
import type { Principal, Role } from '../../../shared/auth/principal';
import { snapshotMilestone, type ExportListQuery, type ExportRecord } from '../../../shared/export/export-record';
import { exportListItemView, exportView } from '../../../shared/http/export-views';
import { listExports, parseExportFilters } from '../../../shared/use-cases/list-exports';

const campaign = findCampaign('2021-xinxiang')!;
const as = (...roles: Role[]): Principal => ({ sub: `u-${roles.join('-')}`, orgId: 'xinxiang-kx', roles: new Set(roles), city: 'xinxiang' });

const requested: ExportRecord = {
  exportId: '6f1c0f1e-2b0a-4a57-9d51-0c2b4bbf0a11',
  campaignId: campaign.id,
  format: 'csv',
  language: 'zh',
  snapshot: '6f1c0f1e-2b0a-4a57-9d51-0c2b4bbf0a11',
  asOf: '2021-09-20T01:00:00.000Z',
  status: 'succeeded',
  requestedBy: 'analyst-1',
  requestedAt: '2021-09-20T01:00:00.000Z',
  finishedAt: '2021-09-20T01:00:04.000Z',
  files: [{ entity: 'activities', key: 'campaign=2021-xinxiang/snapshot=x/entity=activities/part-0.csv', rows: 3, bytes: 120, sha256: 'ab' }],
  artifacts: [{ name: 'chart.svg', key: 'campaign=2021-xinxiang/snapshot=x/chart.svg', bytes: 9, sha256: 'cd' }],
  manifestKey: 'campaign=2021-xinxiang/snapshot=x/manifest.json',
};
const snapshot: ExportRecord = {
  ...requested,
  exportId: '2021-xinxiang-registration',
  format: 'parquet',
  snapshot: 'registration',
  asOf: '2021-09-24T15:59:59.999Z',
  status: 'queued',
  requestedBy: 'milestone',
  files: undefined,
  artifacts: undefined,
  finishedAt: undefined,
};

describe('parseExportFilters', () => {
  it('accepts kind and milestone, ignores limit and cursor', () => {
    expect(parseExportFilters({ kind: 'milestone', milestone: 'completion', limit: '5', cursor: 'x' })).toEqual({ kind: 'milestone', milestone: 'completion' });
    expect(parseExportFilters({})).toEqual({});
  });

  it.each([
    [{ kind: 'nightly' }, 'kind'],
    [{ milestone: 'final' }, 'milestone'],
    [{ milestone: 'registration', kind: 'requested' }, 'kind=requested'],
  ])('400 naming the parameter for %j', (query, name) => {
    expect(() => parseExportFilters(query)).toThrow(expect.objectContaining({ status: 400, message: expect.stringContaining(name) }));
  });
});

describe('listExports', () => {
  const seen: ExportListQuery[] = [];
  const deps = {
    campaigns: campaignCatalog,
    exports: {
      list: async (q: ExportListQuery) => {
        seen.push(q);
        return { items: [snapshot, requested], nextCursor: null };
      },
    },
  };

  it('answers admins and analysts, passing the filters and the page on', async () => {
    for (const role of ['admin', 'analyst'] as const) {
      const { page } = await listExports({ principal: as(role), campaignId: campaign.id, query: { kind: 'milestone' }, limit: 5, cursor: 'c' }, deps);
      expect(page.items).toHaveLength(2);
    }
    expect(seen.at(-1)).toEqual({ campaignId: campaign.id, filters: { kind: 'milestone' }, limit: 5, cursor: 'c' });
  });

  it('refuses organizers and reviewers (403) and unknown campaigns (404)', async () => {
    await expect(listExports({ principal: as('organizer'), campaignId: campaign.id, query: {}, limit: 20 }, deps)).rejects.toMatchObject({ status: 403 });
    await expect(listExports({ principal: as('reviewer'), campaignId: campaign.id, query: {}, limit: 20 }, deps)).rejects.toMatchObject({ status: 403 });
    await expect(listExports({ principal: as('analyst'), campaignId: 'nope', query: {}, limit: 20 }, deps)).rejects.toMatchObject({ status: 404 });
  });
});

describe('an export in the list', () => {
  it('is the GET view without URLs: kind, milestone, zoned times, rows per table', () => {
    expect(exportListItemView(requested, campaign)).toEqual({
      exportId: requested.exportId,
      campaignId: campaign.id,
      kind: 'requested',
      format: 'csv',
      language: 'zh',
      snapshot: requested.snapshot,
      asOf: '2021-09-20T09:00:00+08:00',
      status: 'succeeded',
      requestedBy: 'analyst-1',
      requestedAt: '2021-09-20T09:00:00+08:00',
      finishedAt: '2021-09-20T09:00:04+08:00',
      files: [{ entity: 'activities', rows: 3, bytes: 120 }],
      artifacts: [{ name: 'chart.svg', bytes: 9 }],
    });
    expect(exportListItemView(snapshot, campaign)).toMatchObject({ kind: 'milestone', milestone: 'registration', asOf: '2021-09-24T23:59:59.999+08:00', files: [] });
    expect(exportView(snapshot, campaign)).toMatchObject({ kind: 'milestone', milestone: 'registration' });
  });

  it('is a milestone snapshot only when the milestone job asked for it under the milestone’s name', () => {
    expect(snapshotMilestone(snapshot)).toBe('registration');
    expect(snapshotMilestone(requested)).toBeUndefined();
    // A person whose sub happens to be `milestone` asks for an export on request: named after its id.
    expect(snapshotMilestone({ requestedBy: 'milestone', snapshot: requested.snapshot })).toBeUndefined();
    expect(snapshotMilestone({ requestedBy: 'analyst-1', snapshot: 'registration' })).toBeUndefined();
  });
});

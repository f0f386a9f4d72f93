import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { campaignCatalog } from '../../../shared/campaigns/catalog';
import { fixedClock } from '../../../shared/domain/clock';
import { EXPORT_ENTITIES, EXPORT_SCHEMA_VERSION } from '../../../shared/export/columns';
import type { ExportRecord } from '../../../shared/export/export-record';
import { entityFileKey, manifestKey, type ExportManifest } from '../../../shared/export/manifest';
import { isRetryable, runExport, type RunExportDeps } from '../../../shared/use-cases/run-export';
import { MemoryExportRepository, MemoryLease, MemoryStore } from './fakes';
import { memorySource, sampleData } from './samples';

const C = '2021-xinxiang';
const tmpRoot = mkdtempSync(join(tmpdir(), 'sciday-run-export-'));
afterAll(() => rmSync(tmpRoot, { recursive: true, force: true }));

const record = (over: Partial<ExportRecord> = {}): ExportRecord => ({
  exportId: 'e1',
  campaignId: C,
  format: 'parquet',
  language: 'zh',
  snapshot: 'e1',
  asOf: '2021-10-01T00:00:00.000Z',
  status: 'queued',
  requestedBy: 'analyst-1',
  requestedAt: '2021-10-01T00:00:00.000Z',
  ...over,
});

function setup(over: Partial<ExportRecord> = {}) {
  const exports = new MemoryExportRepository();
  exports.items.set(over.exportId ?? 'e1', record(over));
  const store = new MemoryStore();
  const lines: Array<[string, Record<string, unknown> | undefined]> = [];
  const deps: RunExportDeps = {
    exports,
    campaigns: campaignCatalog,
    source: memorySource(sampleData()),
    store,
    lease: new MemoryLease(),
    clock: fixedClock('2021-10-01T00:00:05Z'),
    leaseClock: fixedClock('2021-10-01T00:00:05Z'),
    tmpRoot,
    log: { info: (m, d) => lines.push([m, d]), warn: (m, d) => lines.push([m, d]) },
  };
  return { exports, store, deps, lines };
}

const awsError = (name: string, status: number) => Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });

describe('Use case: runExport', () => {
  it('writes every entity under its snapshot, the manifest last, promotes it, and succeeds', async () => {
    const { exports, store, deps } = setup();

    const outcome = await runExport({ exportId: 'e1' }, deps);

    expect(outcome).toMatchObject({ status: 'succeeded', promotion: 'promoted', manifestKey: manifestKey(C, 'e1') });
    const job = exports.items.get('e1')!;
    expect(job).toMatchObject({ status: 'succeeded', startedAt: '2021-10-01T00:00:05.000Z', manifestKey: manifestKey(C, 'e1') });
    expect(job.files?.map((f) => f.key)).toEqual(EXPORT_ENTITIES.map((e) => entityFileKey(C, 'e1', e, 'parquet')));
    expect(job.files?.map((f) => f.key)).toEqual(EXPORT_ENTITIES.map((e) => `campaign=${C}/snapshot=e1/entity=${e}/part-0.parquet`));
    // The manifest comes after every file of the snapshot.
    const own = store.log.filter((l) => l.includes('snapshot=e1/'));
    expect(own.at(-1)).toBe(`put ${manifestKey(C, 'e1')}`);
    const manifest = store.json<ExportManifest>(manifestKey(C, 'e1'));
    expect(manifest).toMatchObject({ schemaVersion: EXPORT_SCHEMA_VERSION, campaignId: C, snapshot: 'e1', asOf: '2021-10-01T00:00:00.000Z', format: 'parquet' });
    for (const f of manifest.files) {
      const body = store.objects.get(f.key)!;
      expect(f).toMatchObject({ bytes: body.length, sha256: createHash('sha256').update(body).digest('hex') });
    }
    const units = (await campaignCatalog.find(C))!.organizations.length + 1;
    expect(Object.fromEntries(manifest.files.map((f) => [f.entity, f.rows]))).toMatchObject({ activities: 2, media: 5, flags: 3, summaries: 1, scores: units });
    // The files for people the scores give, beside the entity folders, listed apart from the tables.
    expect(manifest.artifacts?.map((a) => [a.name, a.key, a.contentType])).toEqual([
      ['commendations.csv', `campaign=${C}/snapshot=e1/commendations.csv`, 'text/csv; charset=utf-8'],
      ['chart.svg', `campaign=${C}/snapshot=e1/chart.svg`, 'image/svg+xml'],
    ]);
    for (const a of manifest.artifacts ?? []) {
      const body = store.objects.get(a.key)!;
      expect(a).toMatchObject({ bytes: body.length, sha256: createHash('sha256').update(body).digest('hex') });
    }
    expect(store.json<ExportManifest>(manifestKey(C, 'latest')).exportId).toBe('e1');
    expect(readdirSync(tmpRoot)).toEqual([]);
  });

  it('logs progress per table and per file (the stored entities are read concurrently, scores last)', async () => {
    const { deps, lines } = setup();
    await runExport({ exportId: 'e1' }, deps);
    const staged = lines.filter(([m]) => m === 'export staged').map(([, d]) => [d?.table, d?.rows]);
    expect(staged.at(-1)).toEqual(['scores', (await campaignCatalog.find(C))!.organizations.length + 1]);
    expect(staged.slice(0, -1).sort(([a], [b]) => String(a).localeCompare(String(b)))).toEqual([
      ['activity_items', 2],
      ['activity_results', 1],
      ['flags', 3],
      ['media', 5],
      ['organizations', expect.any(Number)],
      ['summaries', 1],
    ]);
    expect(lines.filter(([m]) => m === 'export file written')).toHaveLength(EXPORT_ENTITIES.length);
  });

  it('does nothing for an export that is done or unknown (a redelivered message)', async () => {
    const { store, deps } = setup();
    await runExport({ exportId: 'e1' }, deps);
    const writes = store.log.length;

    expect(await runExport({ exportId: 'e1' }, deps)).toEqual({ status: 'already-done', exportStatus: 'succeeded' });
    expect(await runExport({ exportId: 'nope' }, deps)).toEqual({ status: 'missing' });
    expect(store.log).toHaveLength(writes);
  });

  it('runs again an export left running by a crash', async () => {
    const { exports, deps } = setup({ status: 'running', startedAt: '2021-10-01T00:00:01.000Z' });
    expect(await runExport({ exportId: 'e1' }, deps)).toMatchObject({ status: 'succeeded' });
    expect(exports.items.get('e1')?.status).toBe('succeeded');
  });

  it('writes CSV files and never promotes them to latest/', async () => {
    const { store, deps } = setup({ format: 'csv', language: 'en' });
    expect(await runExport({ exportId: 'e1' }, deps)).toMatchObject({ status: 'succeeded', promotion: 'not-parquet' });
    expect(store.objects.get(entityFileKey(C, 'e1', 'activities', 'csv'))?.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect([...store.objects.keys()].some((k) => k.includes('snapshot=latest'))).toBe(false);
  });

  it('fails an export of a campaign it does not serve, without throwing', async () => {
    const { exports, deps } = setup({ campaignId: 'nowhere' });
    expect(await runExport({ exportId: 'e1' }, deps)).toMatchObject({ status: 'failed' });
    expect(exports.items.get('e1')).toMatchObject({ status: 'failed', error: expect.stringContaining('nowhere') });
    expect(readdirSync(tmpRoot)).toEqual([]);
  });

  it('rethrows a transient error while attempts are left (the job stays running), and fails on the last attempt', async () => {
    const { exports, store, deps } = setup();
    store.before = () => {
      throw awsError('SlowDown', 503);
    };

    await expect(runExport({ exportId: 'e1' }, deps, { attempt: 1, maxAttempts: 5 })).rejects.toThrow('SlowDown');
    expect(exports.items.get('e1')?.status).toBe('running');
    expect(readdirSync(tmpRoot)).toEqual([]);

    expect(await runExport({ exportId: 'e1' }, deps, { attempt: 5, maxAttempts: 5 })).toMatchObject({ status: 'failed' });
    expect(exports.items.get('e1')).toMatchObject({ status: 'failed', error: 'SlowDown: SlowDown' });
  });

  it('fails at once on an error no retry can fix', async () => {
    const { exports, deps } = setup();
    const broken = {
      ...deps,
      source: {
        ...deps.source,
        // eslint-disable-next-line require-yield
        media: async function* () {
          throw new TypeError('bad item');
        },
      },
    };
    expect(await runExport({ exportId: 'e1' }, broken, { attempt: 1, maxAttempts: 5 })).toMatchObject({ status: 'failed', error: 'TypeError: bad item' });
    expect(exports.items.get('e1')?.status).toBe('failed');
  });

  it.each([
    [awsError('ThrottlingException', 400), true],
    [awsError('InternalError', 500), true],
    [Object.assign(new Error('socket'), { code: 'ECONNRESET' }), true],
    [new Error('wrapped', { cause: awsError('SlowDown', 503) }), true],
    [awsError('AccessDenied', 403), false],
    [new TypeError('bad item'), false],
    [Object.assign(new Error('disk'), { code: 'ENOSPC' }), false],
    ['a string', false],
  ])('isRetryable(%p) is %p', (error, expected) => {
    expect(isRetryable(error)).toBe(expected);
  });
});

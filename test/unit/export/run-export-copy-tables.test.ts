// A large campaign's export (ADR 0029): above the thresholds, the job has a query engine make the
// tables from the table copy (Athena on AWS; DuckDB here, running the same SQL) and writes the
// same files and manifest as the function would from the same copy; below them, nothing changes.
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { campaignCatalog } from '../../../shared/campaigns/catalog';
import { fixedClock } from '../../../shared/domain/clock';
import { CopyQueryError } from '../../../shared/export/athena-copy-export';
import { EXPORT_ENTITIES } from '../../../shared/export/columns';
import { DuckDbCopyTables, type CopyTableEngine, type CopyTablesRequest } from '../../../shared/export/copy-tables';
import { MILESTONE_REQUESTER, type ExportRecord } from '../../../shared/export/export-record';
import { entityFileKey, manifestKey, type ExportManifest } from '../../../shared/export/manifest';
import type { TableCopies, TableCopyState } from '../../../shared/export/table-copy';
import { TableCopySource } from '../../../shared/export/table-copy-source';
import { runExport, type RunExportDeps } from '../../../shared/use-cases/run-export';
import { C, campaignTable, MemoryS3, scanCopy } from './copy-fixtures';
import { MemoryExportRepository, MemoryLease, MemoryStore } from './fakes';
import { memorySource, sampleData } from './samples';

const tmpRoot = mkdtempSync(join(tmpdir(), 'sciday-run-export-engine-'));
afterAll(() => rmSync(tmpRoot, { recursive: true, force: true }));

const THRESHOLD = { activities: 150_000, items: 1_500_000 };
const s3 = new MemoryS3();
let copy: Extract<TableCopyState, { status: 'completed' }>;
beforeAll(async () => {
  copy = await scanCopy(campaignTable(), s3, tmpRoot);
});

const record = (over: Partial<ExportRecord> = {}): ExportRecord => ({
  exportId: `${C}-registration`,
  campaignId: C,
  format: 'parquet',
  language: 'zh',
  snapshot: 'registration',
  asOf: '2021-09-24T16:00:00.000Z',
  status: 'queued',
  requestedBy: MILESTONE_REQUESTER,
  requestedAt: '2021-09-24T16:00:01.000Z',
  ...over,
});

/** Copies in progress for the first `waits` looks, then the scan copy of the fixtures (`items` as its manifest says, unless given). */
class ScriptedCopies implements TableCopies {
  public readonly started: Array<{ exportId: string; asOf: string }> = [];
  public constructor(
    private waits = 0,
    private readonly items?: number,
  ) {}
  public async start(input: { exportId: string; asOf: Date }): Promise<string> {
    this.started.push({ exportId: input.exportId, asOf: input.asOf.toISOString() });
    return `copy/${input.exportId}`;
  }
  public async state(): Promise<TableCopyState> {
    if (this.waits-- > 0) return { status: 'in-progress' };
    return { ...copy, ...(this.items === undefined ? {} : { items: this.items }) };
  }
}

/** The DuckDB engine, recording what it was asked (or failing with `failure`). */
class RecordingEngine implements CopyTableEngine {
  public readonly name = 'duckdb';
  public readonly asked: Array<Omit<CopyTablesRequest, 'dir' | 'campaign'> & { campaignId: string }> = [];
  private readonly engine = new DuckDbCopyTables({ target: { s3: s3.client, bucket: 'exports' } });
  public constructor(private readonly failure?: Error) {}
  public async tables(request: CopyTablesRequest) {
    this.asked.push({ exportId: request.exportId, campaignId: request.campaign.id, dataFiles: request.dataFiles });
    if (this.failure) throw this.failure;
    return this.engine.tables(request);
  }
}

function setup(options: { record?: Partial<ExportRecord>; activities?: number; copies?: ScriptedCopies; engine?: RecordingEngine; tableCopies?: boolean } = {}) {
  const exports = new MemoryExportRepository();
  const r = record(options.record);
  exports.items.set(r.exportId, r);
  const store = new MemoryStore();
  const copies = options.copies ?? new ScriptedCopies();
  const engine = options.engine ?? new RecordingEngine();
  const opened: string[] = [];
  const lines: Array<[string, Record<string, unknown> | undefined]> = [];
  const deps: RunExportDeps = {
    exports,
    campaigns: campaignCatalog,
    source: memorySource(sampleData()),
    store,
    lease: new MemoryLease(),
    clock: fixedClock('2021-09-24T16:00:05Z'),
    leaseClock: fixedClock('2021-09-24T16:00:05Z'),
    tmpRoot,
    log: { info: (m, d) => lines.push([m, d]), warn: (m, d) => lines.push([`WARN ${m}`, d]) },
    ...(options.tableCopies === false
      ? {}
      : {
          tableCopies: {
            copies,
            open: async (dataFiles, campaignId, dir) => {
              opened.push(campaignId);
              return TableCopySource.open({ target: { s3: s3.client, bucket: 'exports' }, dataFiles, campaignId, dir });
            },
            later: async () => undefined,
          },
        }),
    copyTables: { engine, threshold: THRESHOLD, activities: async () => options.activities ?? 12 },
  };
  return { exports, store, deps, copies, engine, opened, lines, exportId: r.exportId, snapshot: r.snapshot };
}

const manifestOf = (store: MemoryStore, snapshot: string) => store.json<ExportManifest>(manifestKey(C, snapshot));

describe('Use case: runExport, a large campaign’s tables made from its table copy by a query engine', () => {
  it('below both thresholds, reads a milestone’s copy in the function, as before', async () => {
    // Prepare
    const { deps, engine, opened, exportId } = setup();
    // Act
    const outcome = await runExport({ exportId }, deps);
    // Assess
    expect(outcome).toMatchObject({ status: 'succeeded' });
    expect(engine.asked).toEqual([]);
    expect(opened).toEqual([C]);
  });

  it.each([
    ['more activities than the threshold (the board’s counts)', { activities: THRESHOLD.activities + 1 }],
    ['more items in the copy than the threshold', { copies: new ScriptedCopies(0, THRESHOLD.items + 1) }],
  ])('with %s, has the engine read the copy, and writes the same files and manifest as the function', async (_what, options) => {
    // Prepare: the same copy exported by the function (below the thresholds) …
    const below = setup({ record: { exportId: 'by-function', snapshot: 'by-function' } });
    await runExport({ exportId: 'by-function' }, below.deps);
    const expected = manifestOf(below.store, 'by-function');
    // … and by the engine.
    const { deps, store, engine, opened, exportId, exports, lines } = setup(options);

    // Act
    const outcome = await runExport({ exportId }, deps);

    // Assess: the engine was asked once, for the copy's files; the function never read the copy.
    expect(outcome).toMatchObject({ status: 'succeeded', promotion: 'promoted' });
    expect(engine.asked).toEqual([{ exportId, campaignId: C, dataFiles: copy.dataFiles }]);
    expect(opened).toEqual([]);
    expect(lines.find(([m]) => m === 'export reads its table copy through a query engine')?.[1]).toMatchObject({ engine: 'duckdb', dataFiles: copy.dataFiles.length });
    // The manifest as today: one part-0 per entity, the same rows, and files whose checksums hold.
    const manifest = manifestOf(store, 'registration');
    expect(manifest).toMatchObject({ exportId, snapshot: 'registration', readFrom: 'table-copy', format: 'parquet' });
    expect(manifest.files.map((f) => f.key)).toEqual(EXPORT_ENTITIES.map((e) => entityFileKey(C, 'registration', e, 'parquet')));
    expect(manifest.files.map((f) => [f.entity, f.rows])).toEqual(expected.files.map((f) => [f.entity, f.rows]));
    for (const f of manifest.files) {
      const body = store.objects.get(f.key)!;
      expect(f).toMatchObject({ bytes: body.length, sha256: createHash('sha256').update(body).digest('hex') });
    }
    expect(manifest.artifacts?.map((a) => [a.name, a.sha256])).toEqual(expected.artifacts?.map((a) => [a.name, a.sha256]));
    expect(exports.items.get(exportId)).toMatchObject({ status: 'succeeded', readFrom: 'table-copy' });
    expect(readdirSync(tmpRoot).filter((d) => d.startsWith('sciday-export-'))).toEqual([]);
  });

  it('writes CSV from the engine’s tables too (DuckDB writes it, as for every export)', async () => {
    // Prepare
    const { deps, store, exportId } = setup({ activities: THRESHOLD.activities + 1, record: { format: 'csv', language: 'en' } });
    // Act
    const outcome = await runExport({ exportId }, deps);
    // Assess
    expect(outcome).toMatchObject({ status: 'succeeded', promotion: 'not-parquet' });
    const csv = store.objects.get(entityFileKey(C, 'registration', 'activities', 'csv'))!.toString('utf8');
    expect(csv.startsWith('\uFEFFActivity id,')).toBe(true);
    expect(csv.split('\r\n').filter((l) => l !== '')).toHaveLength(1 + 10);
  });

  it('gives an export on request of a large campaign a fresh copy too, waits for it, then has the engine read it', async () => {
    // Prepare
    const copies = new ScriptedCopies(1);
    const { deps, engine, exportId } = setup({ activities: THRESHOLD.activities + 1, copies, record: { exportId: 'on-request', snapshot: 'on-request', requestedBy: 'analyst-1', asOf: '2021-10-02T00:00:00.000Z' } });

    // Act
    const first = await runExport({ exportId }, deps);
    const second = await runExport({ exportId }, deps);

    // Assess
    expect(first).toMatchObject({ status: 'waiting' });
    expect(copies.started).toEqual([{ exportId: 'on-request', asOf: '2021-10-02T00:00:00.000Z' }]);
    expect(second).toMatchObject({ status: 'succeeded' });
    expect(engine.asked).toHaveLength(1);
  });

  it.each([
    ['an export on request of a campaign below the threshold', { record: { exportId: 'small', snapshot: 'small', requestedBy: 'analyst-1' } }],
    ['a large campaign where no table copies are wired', { activities: THRESHOLD.activities + 1, tableCopies: false }],
  ])('reads the live table in the function for %s', async (_what, options) => {
    // Prepare
    const { deps, engine, copies, opened, store, exportId, snapshot } = setup(options);
    // Act
    const outcome = await runExport({ exportId }, deps);
    // Assess
    expect(outcome).toMatchObject({ status: 'succeeded' });
    expect(copies.started).toEqual([]);
    expect(engine.asked).toEqual([]);
    expect(opened).toEqual([]);
    expect(manifestOf(store, snapshot).readFrom).toBe('live-table');
  });

  it.each([
    ['retryable, with attempts left: the message comes back', new CopyQueryError('Athena query q3 (media) FAILED: slow down', { retryable: true }), 'running'],
    ['not retryable: the job fails', new CopyQueryError('Athena query q3 (media) FAILED: HIVE_BAD_DATA'), 'failed'],
  ])('when the engine fails, %s', async (_what, failure, status) => {
    // Prepare
    const { deps, exports, store, exportId } = setup({ activities: THRESHOLD.activities + 1, engine: new RecordingEngine(failure) });
    // Act
    const run = runExport({ exportId }, deps, { attempt: 1, maxAttempts: 5 });
    // Assess
    if (status === 'running') await expect(run).rejects.toBe(failure);
    else await expect(run).resolves.toMatchObject({ status: 'failed', error: expect.stringContaining('HIVE_BAD_DATA') });
    expect(exports.items.get(exportId)?.status).toBe(status);
    expect(store.log.filter((l) => l.includes('manifest.json'))).toEqual([]);
  });
});

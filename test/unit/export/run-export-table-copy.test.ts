// A milestone's snapshot read from a copy of the table as of its deadline (ADR 0017): the copy is
// asked for once and remembered on the job, the job waits while it is being made, reads it once
// done, and falls back to the live table (with a warning) when there is no copy to be had.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { campaignCatalog } from '../../../shared/campaigns/catalog';
import { fixedClock } from '../../../shared/domain/clock';
import { MILESTONE_REQUESTER, type ExportRecord } from '../../../shared/export/export-record';
import { manifestKey, type ExportManifest } from '../../../shared/export/manifest';
import type { Pages } from '../../../shared/export/readers';
import type { TableCopies, TableCopyState } from '../../../shared/export/table-copy';
import { runExport, TABLE_COPY_MAX_WAIT_MS, TABLE_COPY_POLL_SECONDS, type RunExportDeps } from '../../../shared/use-cases/run-export';
import { MemoryExportRepository, MemoryLease, MemoryStore } from './fakes';
import { activityItem, memorySource, sampleData } from './samples';

const C = '2021-xinxiang';
const ID = `${C}-registration`;
const tmpRoot = mkdtempSync(join(tmpdir(), 'sciday-run-export-copy-'));
afterAll(() => rmSync(tmpRoot, { recursive: true, force: true }));

const snapshotRecord = (over: Partial<ExportRecord> = {}): ExportRecord => ({
  exportId: ID,
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

/** Copies whose states are scripted; records what it was asked. */
class ScriptedCopies implements TableCopies {
  public readonly started: Array<{ exportId: string; asOf: string }> = [];
  public readonly asked: string[] = [];
  public constructor(
    private readonly states: TableCopyState[],
    private readonly refuse?: Error,
  ) {}
  public async start(input: { exportId: string; asOf: Date }): Promise<string> {
    if (this.refuse) throw this.refuse;
    this.started.push({ exportId: input.exportId, asOf: input.asOf.toISOString() });
    return `arn:copy/${input.exportId}`;
  }
  public async state(copyId: string): Promise<TableCopyState> {
    this.asked.push(copyId);
    return this.states.shift() ?? { status: 'in-progress' };
  }
}

/** The copy holds one activity the live table does not (an edit after the deadline is not in it). */
const copyData = () => ({ ...sampleData(), activities: [activityItem({ title: '截止时的标题' })] });
async function* none(): Pages {}

function setup(copies: ScriptedCopies, over: Partial<ExportRecord> = {}, realNow = '2021-09-24T16:00:05Z') {
  const exports = new MemoryExportRepository();
  exports.items.set(over.exportId ?? ID, snapshotRecord(over));
  const store = new MemoryStore();
  const lines: Array<[string, Record<string, unknown> | undefined]> = [];
  const opened: Array<{ dataFiles: readonly string[]; campaignId: string }> = [];
  const later: Array<[string, number]> = [];
  const deps: RunExportDeps = {
    exports,
    campaigns: campaignCatalog,
    source: memorySource(sampleData()),
    store,
    lease: new MemoryLease(),
    clock: fixedClock('2021-09-24T16:00:05Z'),
    leaseClock: fixedClock(realNow),
    tmpRoot,
    log: { info: (m, d) => lines.push([m, d]), warn: (m, d) => lines.push([`WARN ${m}`, d]) },
    tableCopies: {
      copies,
      open: async (dataFiles, campaignId) => {
        opened.push({ dataFiles, campaignId });
        return { ...memorySource(copyData()), reviews: () => none(), extensions: () => none() };
      },
      later: async (request, delaySeconds) => void later.push([request.exportId, delaySeconds]),
    },
  };
  return { exports, store, deps, lines, opened, later };
}

/** The snapshot's manifest (it names this export). */
const manifestOf = (store: MemoryStore): ExportManifest => {
  const manifest = store.json<ExportManifest>(manifestKey(C, 'registration'));
  expect(manifest.exportId).toBe(ID);
  return manifest;
};

describe('Use case: runExport, a milestone snapshot from a table copy', () => {
  it('asks for the copy as of the deadline, remembers it, and waits while it is being made', async () => {
    const copies = new ScriptedCopies([{ status: 'in-progress' }]);
    const { exports, store, deps, later } = setup(copies);

    const outcome = await runExport({ exportId: ID }, deps);

    expect(outcome).toEqual({ status: 'waiting', retryAfterSeconds: TABLE_COPY_POLL_SECONDS });
    // The job is sent again, delayed: a new message, not this one retried.
    expect(later).toEqual([[ID, TABLE_COPY_POLL_SECONDS]]);
    expect(copies.started).toEqual([{ exportId: ID, asOf: '2021-09-24T16:00:00.000Z' }]);
    expect(exports.items.get(ID)).toMatchObject({ status: 'running', tableCopy: { id: `arn:copy/${ID}`, startedAt: '2021-09-24T16:00:05.000Z' } });
    expect(store.log).toEqual([]);
    expect(readdirSync(tmpRoot)).toEqual([]);
  });

  it('on a later delivery asks the remembered copy (never a second one) and, once done, exports what it holds', async () => {
    const copies = new ScriptedCopies([{ status: 'in-progress' }, { status: 'completed', dataFiles: ['table-copies/x/data/1.json.gz'] }]);
    const { exports, store, deps, opened, later } = setup(copies);
    await runExport({ exportId: ID }, deps);

    const outcome = await runExport({ exportId: ID }, deps);

    expect(outcome).toMatchObject({ status: 'succeeded' });
    expect(later).toHaveLength(1);
    expect(copies.started).toHaveLength(1);
    expect(copies.asked).toEqual([`arn:copy/${ID}`, `arn:copy/${ID}`]);
    expect(opened).toEqual([{ dataFiles: ['table-copies/x/data/1.json.gz'], campaignId: C }]);
    expect(exports.items.get(ID)).toMatchObject({ status: 'succeeded', readFrom: 'table-copy' });
    const manifest = manifestOf(store);
    expect(manifest.readFrom).toBe('table-copy');
    expect(manifest.files.find((f) => f.entity === 'activities')?.rows).toBe(1);
    expect(readdirSync(tmpRoot)).toEqual([]);
  });

  it.each([
    ['the copy failed', new ScriptedCopies([{ status: 'failed', reason: 'S3_ACCESS_DENIED: no' }]), '2021-09-24T16:00:05Z'],
    ['the copy was refused (PITR off)', new ScriptedCopies([], Object.assign(new Error('PITR is not enabled'), { name: 'PointInTimeRecoveryUnavailableException', $metadata: { httpStatusCode: 400 } })), '2021-09-24T16:00:05Z'],
  ])('reads the live table with a warning when %s', async (_what, copies, realNow) => {
    const { exports, store, deps, lines, opened } = setup(copies, {}, realNow);

    const outcome = await runExport({ exportId: ID }, deps);

    expect(outcome).toMatchObject({ status: 'succeeded' });
    expect(opened).toEqual([]);
    expect(exports.items.get(ID)).toMatchObject({ status: 'succeeded', readFrom: 'live-table' });
    expect(manifestOf(store).readFrom).toBe('live-table');
    expect(lines.map(([m]) => m)).toContain('WARN export table copy unavailable; the snapshot reads the live table');
  });

  it('gives up a copy still in progress after the longest wait, and reads the live table', async () => {
    const copies = new ScriptedCopies([{ status: 'in-progress' }]);
    const startedAt = '2021-09-24T16:00:05.000Z';
    const late = new Date(Date.parse(startedAt) + TABLE_COPY_MAX_WAIT_MS + 1000).toISOString();
    const { exports, deps } = setup(copies, { status: 'running', tableCopy: { id: 'arn:copy/old', startedAt } }, late);

    const outcome = await runExport({ exportId: ID }, deps);

    expect(outcome).toMatchObject({ status: 'succeeded' });
    expect(copies.started).toEqual([]);
    expect(copies.asked).toEqual(['arn:copy/old']);
    expect(exports.items.get(ID)?.readFrom).toBe('live-table');
  });

  it('leaves the job running and throws a transient error when asking for the copy, so the message comes back', async () => {
    const throttled = Object.assign(new Error('slow down'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
    const { exports, deps } = setup(new ScriptedCopies([], throttled));

    await expect(runExport({ exportId: ID }, deps, { attempt: 1, maxAttempts: 5 })).rejects.toThrow('slow down');
    expect(exports.items.get(ID)).toMatchObject({ status: 'running' });
    expect(exports.items.get(ID)?.tableCopy).toBeUndefined();
  });

  it('never copies the table for an export on request (the live table is what it asks for)', async () => {
    const copies = new ScriptedCopies([{ status: 'completed', dataFiles: [] }]);
    const { exports, deps, opened } = setup(copies, { exportId: 'e-now', snapshot: 'e-now', requestedBy: 'analyst-1' });

    expect(await runExport({ exportId: 'e-now' }, deps)).toMatchObject({ status: 'succeeded' });
    expect(copies.started).toEqual([]);
    expect(opened).toEqual([]);
    expect(exports.items.get('e-now')?.readFrom).toBe('live-table');
  });
});

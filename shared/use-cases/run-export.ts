/**
 * Runs one export job (the `exports` queue's message `{ version: 1, exportId }`).
 *
 * 1. The job: missing → nothing to do; `succeeded`/`failed` → nothing to do (a redelivered or
 *    duplicated message); otherwise `start` (queued → running, or running again after a crash).
 * 2. A milestone's snapshot, where table copies are wired (ADR 0017), is read from a copy of the
 *    table as of its deadline: the first delivery asks for the copy and remembers it on the job;
 *    while it is being made the job is sent again, delayed (`tableCopies.later`), and the outcome
 *    is `waiting`;
 *    once done, the copy is the source. A copy that cannot be made (failed, refused, or still not
 *    done after TABLE_COPY_MAX_WAIT_MS) falls back to the live table, with a warning.
 *    A large campaign (ADR 0029: more activities than `copyTables.threshold`, from the board's
 *    counts) is read from a fresh copy too, even for an export on request; a large campaign's copy
 *    (or a copy with more items than the threshold) is read by the query engine (Athena on AWS),
 *    which makes the export's tables from it, not by the function.
 *    Stage every entity of the campaign in DuckDB, page by page (shared/export/engine.ts), or load
 *    the engine's tables, in a temp dir of its own, removed at the end whatever happens.
 * 3. Write one file per entity (Parquet or CSV), upload each under
 *    `campaign=<c>/snapshot=<snapshot>/entity=<e>/part-0.<ext>`, and the files for people the
 *    scores give (`commendations.csv`, `chart.svg`) under the snapshot itself; then the manifest,
 *    last, listing both.
 * 4. A Parquet export is promoted to `snapshot=latest` unless a newer one is there
 *    (shared/export/promotion.ts). CSV exports are downloads for people: they are never
 *    promoted, so `latest/` always holds the Parquet files the analysts' tables read.
 * 5. `succeed` with the files and the manifest's key.
 *
 * An error that another attempt may not meet (throttling, a 5xx, a dropped connection, an older
 * export still promoting) is rethrown while the queue still has attempts left: the job stays
 * `running` and the message comes back. Any other error, or one on the last attempt, marks the
 * job `failed` with the error, and the message is done.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '../domain/clock';
import { systemClock } from '../clock';
import { MILESTONE_REQUESTER, type ExportFile, type ExportReadFrom, type ExportRecord, type ExportRepository } from '../export/export-record';
import { scoresChartSvg } from '../export/chart';
import type { CopyTableEngine } from '../export/copy-tables';
import { stageCampaign, stageCopyTables, writeEntityFiles, type LocalFile, type StagingProgress } from '../export/engine';
import type { ExportStore } from '../export/export-store';
import { artifactKey, buildManifest, entityFileKey, LATEST_SNAPSHOT, manifestKey, type ExportArtifact } from '../export/manifest';
import { commendationsCsv, SCORE_ARTIFACTS } from '../export/score-files';
import { fileDigest } from '../export/writers';
import type { ScoreReport } from '../domain/scoring-facts';
import type { ScoringSource } from '../export/readers';
import { promoteToLatest, type LatestLease, type PromotionDeps, type PromotionOutcome } from '../export/promotion';
import type { ExportSource } from '../export/readers';
import type { TableCopies, TableCopyState } from '../export/table-copy';
import { ExportWorkspace, type WorkspaceOptions } from '../export/workspace';
import { PromotionBusyError } from '../errors';
import type { CampaignCatalog } from '../repositories/campaign-repository';

/** Where progress goes (the function's Powertools logger). */
export interface ExportLog {
  info(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
}

export interface RunExportDeps {
  readonly exports: ExportRepository;
  readonly campaigns: CampaignCatalog;
  readonly source: ExportSource;
  readonly store: ExportStore;
  readonly lease: LatestLease;
  /** Business time: startedAt, finishedAt, generatedAt (the runtime's clock). */
  readonly clock: Clock;
  /** Real time for the `latest/` lease (default: the system clock). */
  readonly leaseClock?: Clock;
  readonly log?: ExportLog;
  /** Where the export's temp dir is made (default: the OS temp dir, /tmp on Lambda). */
  readonly tmpRoot?: string;
  readonly workspace?: WorkspaceOptions;
  readonly promotion?: Pick<PromotionDeps, 'sleep' | 'leaseSeconds' | 'maxWaitMs'>;
  /** Where milestone snapshots are read from a copy of the table as of their deadline (absent: the live table). */
  readonly tableCopies?: {
    readonly copies: TableCopies;
    /** The campaign's items in a completed copy, staged under `dir` (table-copy-source.ts). */
    open(dataFiles: readonly string[], campaignId: string, dir: string): Promise<ScoringSource>;
    /**
     * Asks for the job to run again in `delaySeconds` while its copy is being made: a new message
     * on the exports queue (not this one made visible later, which would use up the receives
     * that the queue's DLQ counts).
     */
    later(request: { readonly exportId: string }, delaySeconds: number): Promise<void>;
  };
  /**
   * Where a large campaign's tables are made from its table copy by a query engine (Athena on AWS,
   * ADR 0029) instead of read in the function. Works with `tableCopies`; absent: never.
   */
  readonly copyTables?: {
    readonly engine: CopyTableEngine;
    /** Above either, the engine reads the copy: activities of the campaign, items in the copy (the whole table). */
    readonly threshold: { readonly activities: number; readonly items: number };
    /** The campaign's activities, as the board counts them (the progress read model: drafts and registered). */
    activities(campaignId: string): Promise<number>;
  };
}

/** How long the job waits between two looks at a table copy in progress. */
export const TABLE_COPY_POLL_SECONDS = 60;
/** A copy not done after this long is given up: the snapshot reads the live table instead. */
export const TABLE_COPY_MAX_WAIT_MS = 2 * 60 * 60 * 1000;

/** Which delivery of the message this is (SQS ApproximateReceiveCount) and how many the queue allows. */
export interface Delivery {
  readonly attempt: number;
  readonly maxAttempts: number;
}

export type RunExportOutcome =
  | { readonly status: 'missing' }
  | { readonly status: 'already-done'; readonly exportStatus: ExportRecord['status'] }
  | {
      readonly status: 'succeeded';
      readonly rows: number;
      readonly files: readonly ExportFile[];
      readonly manifestKey: string;
      readonly promotion: PromotionOutcome | 'not-parquet';
    }
  | { readonly status: 'failed'; readonly error: string }
  /** The table copy is being made: the job was sent again, delayed `retryAfterSeconds`. */
  | { readonly status: 'waiting'; readonly retryAfterSeconds: number };

const RETRYABLE_NAMES = new Set([
  'ThrottlingException',
  'Throttling',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'TransactionConflictException',
  'InternalServerError',
  'InternalError',
  'ServiceUnavailable',
  'SlowDown',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
]);
const RETRYABLE_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);

/** Whether another attempt may succeed where this one failed (a transient condition, not the data or the code). */
export function isRetryable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const e = error as Error & { $retryable?: unknown; $fault?: unknown; $metadata?: { httpStatusCode?: number }; code?: unknown };
  if (error instanceof PromotionBusyError || RETRYABLE_NAMES.has(e.name) || e.$retryable || e.$fault === 'server') return true;
  if ((e.$metadata?.httpStatusCode ?? 0) >= 500) return true;
  if (typeof e.code === 'string' && RETRYABLE_CODES.has(e.code)) return true;
  return e.cause !== undefined && e.cause !== error && isRetryable(e.cause);
}

const describe = (error: unknown): string => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));

/** Rows between two progress lines of one table (and one line when it is complete). */
const PROGRESS_EVERY_ROWS = 5000;

export async function runExport(request: { readonly exportId: string }, deps: RunExportDeps, delivery: Delivery = { attempt: 1, maxAttempts: 1 }): Promise<RunExportOutcome> {
  const { exportId } = request;
  const record = await deps.exports.get(exportId);
  if (!record) {
    deps.log?.warn('export not found', { exportId });
    return { status: 'missing' };
  }
  if (record.status === 'succeeded' || record.status === 'failed') return { status: 'already-done', exportStatus: record.status };
  if (!(await deps.exports.start(exportId, deps.clock.now().toISOString()))) {
    const now = await deps.exports.get(exportId);
    return { status: 'already-done', exportStatus: now?.status ?? record.status };
  }
  deps.log?.info('export started', { exportId, campaignId: record.campaignId, format: record.format, snapshot: record.snapshot, attempt: delivery.attempt });

  let dir: string | undefined;
  let workspace: ExportWorkspace | undefined;
  try {
    const campaign = await deps.campaigns.find(record.campaignId);
    if (!campaign) throw new Error(`campaign ${record.campaignId} is not stored`);
    if (record.snapshot === LATEST_SNAPSHOT) throw new Error(`an export cannot be named ${LATEST_SNAPSHOT}`);
    const asOf = new Date(record.asOf).toISOString();

    dir = await mkdtemp(join(deps.tmpRoot ?? tmpdir(), 'sciday-export-'));
    const plan = await readPlan(record, campaign.id, dir, deps);
    if (plan.kind === 'waiting') return { status: 'waiting', retryAfterSeconds: TABLE_COPY_POLL_SECONDS };
    const { readFrom } = plan;
    const logged = new Map<string, number>();
    let scores: ScoreReport | undefined;
    const progress: StagingProgress = ({ table, rows, done }) => {
      if (done || rows - (logged.get(table) ?? 0) >= PROGRESS_EVERY_ROWS) {
        logged.set(table, rows);
        deps.log?.info(done ? 'export staged' : 'export staging', { exportId, table, rows });
      }
    };
    const onScores = (report: ScoreReport) => {
      scores = report;
    };
    let staged: Record<string, number>;
    if (plan.kind === 'engine') {
      workspace = await ExportWorkspace.open(dir, deps.workspace, 'tables');
      const tables = await plan.engine.tables({ exportId, campaign, dataFiles: plan.dataFiles, dir });
      staged = await stageCopyTables(workspace, campaign, tables, progress, onScores);
    } else {
      workspace = await ExportWorkspace.open(dir, deps.workspace);
      staged = await stageCampaign(workspace, campaign, plan.source, progress, onScores);
    }

    const local = await writeEntityFiles(workspace, dir, { format: record.format, language: record.language, timeZone: campaign.timeZone }, (f) =>
      deps.log?.info('export file written', { exportId, entity: f.entity, rows: f.rows, bytes: f.bytes }),
    );
    workspace.close();
    workspace = undefined;

    const files = await upload(local, record, deps.store);
    const artifacts = scores ? await uploadArtifacts(dir, scores, record, deps.store) : [];
    const manifest = buildManifest({
      exportId,
      campaignId: record.campaignId,
      snapshot: record.snapshot,
      asOf,
      format: record.format,
      language: record.language,
      generatedAt: deps.clock.now().toISOString(),
      files,
      artifacts,
      readFrom,
    });
    const key = manifestKey(record.campaignId, record.snapshot);
    // Last: a reader that sees the manifest sees every file it lists.
    await deps.store.putJson(key, manifest);

    let promotion: PromotionOutcome | 'not-parquet' = 'not-parquet';
    if (record.format === 'parquet') {
      promotion = await promoteToLatest(manifest, { lease: deps.lease, store: deps.store, leaseClock: deps.leaseClock ?? systemClock, ...deps.promotion });
      if (promotion === 'busy') throw new PromotionBusyError(record.campaignId);
    }
    await deps.exports.succeed(exportId, deps.clock.now().toISOString(), files, key, artifacts, readFrom);
    const rows = files.reduce((sum, f) => sum + f.rows, 0);
    deps.log?.info('export succeeded', { exportId, rows, staged, promotion, manifestKey: key, readFrom });
    return { status: 'succeeded', rows, files, manifestKey: key, promotion };
  } catch (error) {
    const retry = isRetryable(error) && delivery.attempt < delivery.maxAttempts;
    deps.log?.warn(retry ? 'export attempt failed; the message will be retried' : 'export failed', {
      exportId,
      attempt: delivery.attempt,
      error: describe(error),
    });
    if (retry) throw error;
    await deps.exports.fail(exportId, deps.clock.now().toISOString(), describe(error));
    return { status: 'failed', error: describe(error) };
  } finally {
    workspace?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  }
}

/** What an export reads: a source the function stages, or a copy whose tables a query engine makes (ADR 0029). */
type ReadPlan =
  /** The copy is being made: the job was sent again, delayed. */
  | { readonly kind: 'waiting' }
  | { readonly kind: 'source'; readonly source: RunExportDeps['source']; readonly readFrom: ExportReadFrom }
  | { readonly kind: 'engine'; readonly engine: CopyTableEngine; readonly dataFiles: readonly string[]; readonly readFrom: 'table-copy' };

/**
 * Where the export reads from. A milestone's snapshot, and any export of a large campaign (more
 * activities than the threshold, by the board's counts), reads a table copy when copies are wired;
 * the query engine reads it for a large campaign or a copy of more items than the threshold, the
 * function otherwise. Anything else, or a copy that cannot be had, reads the live table.
 */
async function readPlan(record: ExportRecord, campaignId: string, dir: string, deps: RunExportDeps): Promise<ReadPlan> {
  const { exportId } = record;
  const live = { kind: 'source', source: deps.source, readFrom: 'live-table' } as const;
  const activities = deps.copyTables ? await deps.copyTables.activities(campaignId) : 0;
  const large = deps.copyTables !== undefined && activities > deps.copyTables.threshold.activities;
  if (!deps.tableCopies || (record.requestedBy !== MILESTONE_REQUESTER && !large)) return live;
  const copy = await tableCopyOf(record, deps, deps.tableCopies.copies);
  if (copy.status === 'in-progress') {
    await deps.tableCopies.later({ exportId }, TABLE_COPY_POLL_SECONDS);
    deps.log?.info('export waiting for its table copy', { exportId, retryAfterSeconds: TABLE_COPY_POLL_SECONDS });
    return { kind: 'waiting' };
  }
  if (copy.status === 'failed') {
    deps.log?.warn('export table copy unavailable; the snapshot reads the live table', { exportId, reason: copy.reason });
    return live;
  }
  if (deps.copyTables && (large || (copy.items ?? 0) > deps.copyTables.threshold.items)) {
    const { engine } = deps.copyTables;
    deps.log?.info('export reads its table copy through a query engine', { exportId, engine: engine.name, activities, items: copy.items, dataFiles: copy.dataFiles.length });
    return { kind: 'engine', engine, dataFiles: copy.dataFiles, readFrom: 'table-copy' };
  }
  const source = await deps.tableCopies.open(copy.dataFiles, campaignId, dir);
  deps.log?.info('export reads its table copy', { exportId, dataFiles: copy.dataFiles.length });
  return { kind: 'source', source, readFrom: 'table-copy' };
}

/**
 * The state of the job's table copy, asking for it first if the job has none yet. A copy that
 * cannot be asked for (PITR off, the instant outside its window) or that takes longer than
 * TABLE_COPY_MAX_WAIT_MS counts as failed; a transient error is thrown (the message comes back).
 */
async function tableCopyOf(record: ExportRecord, deps: RunExportDeps, copies: TableCopies): Promise<TableCopyState> {
  const realNow = (deps.leaseClock ?? systemClock).now();
  let copy = record.tableCopy;
  if (!copy) {
    try {
      copy = { id: await copies.start({ exportId: record.exportId, asOf: new Date(record.asOf) }), startedAt: realNow.toISOString() };
    } catch (error) {
      if (isRetryable(error)) throw error;
      return { status: 'failed', reason: describe(error) };
    }
    await deps.exports.recordTableCopy(record.exportId, copy);
  }
  const state = await copies.state(copy.id);
  if (state.status === 'in-progress' && realNow.getTime() - Date.parse(copy.startedAt) > TABLE_COPY_MAX_WAIT_MS) {
    return { status: 'failed', reason: `the table copy ${copy.id} is not done after ${TABLE_COPY_MAX_WAIT_MS / 60_000} min` };
  }
  return state;
}

async function upload(local: readonly LocalFile[], record: ExportRecord, store: ExportStore): Promise<ExportFile[]> {
  const files: ExportFile[] = [];
  for (const f of local) {
    const key = entityFileKey(record.campaignId, record.snapshot, f.entity, record.format);
    await store.putFile(key, f.path, { bytes: f.bytes, sha256: f.sha256, contentType: f.contentType });
    files.push({ entity: f.entity, key, rows: f.rows, bytes: f.bytes, sha256: f.sha256 });
  }
  return files;
}

/** Writes and uploads the commendation list and the chart of `report` (beside the entity folders). */
async function uploadArtifacts(dir: string, report: ScoreReport, record: ExportRecord, store: ExportStore): Promise<ExportArtifact[]> {
  const bodies: Record<keyof typeof SCORE_ARTIFACTS, string> = {
    'commendations.csv': commendationsCsv(report, record.language),
    'chart.svg': scoresChartSvg(report),
  };
  const artifacts: ExportArtifact[] = [];
  for (const [name, body] of Object.entries(bodies) as Array<[keyof typeof SCORE_ARTIFACTS, string]>) {
    const path = join(dir, name);
    await writeFile(path, body, 'utf8');
    const digest = await fileDigest(path);
    const key = artifactKey(record.campaignId, record.snapshot, name);
    await store.putFile(key, path, { ...digest, contentType: SCORE_ARTIFACTS[name] });
    artifacts.push({ name, key, ...digest, contentType: SCORE_ARTIFACTS[name] });
  }
  return artifacts;
}

/**
 * An export job as stored (one item per export) and the port to read and change it. The API
 * creates it (`queued`); the stream sends it to the exports queue; `run-export` moves it to
 * `running`, then `succeeded` (with its files) or `failed`.
 */
import { MILESTONE_IDS, type MilestoneId } from '../domain/campaign';
import type { ExportEntity } from './columns';

/** The file formats an export writes: the request's enum, the writers' table and the slot per format. */
export const EXPORT_FORMATS = ['parquet', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export type ExportStatus = 'queued' | 'running' | 'succeeded' | 'failed';

export interface ExportFile {
  readonly entity: ExportEntity;
  /** Object key in the exports bucket. */
  readonly key: string;
  readonly rows: number;
  readonly bytes: number;
  readonly sha256: string;
}

/** A file for people written with an export (not a table). */
export interface ExportArtifactFile {
  readonly name: string;
  readonly key: string;
  readonly bytes: number;
  readonly sha256: string;
}

export interface ExportRecord {
  readonly exportId: string;
  readonly campaignId: string;
  readonly format: ExportFormat;
  /** CSV header language (Parquet column names are always the English snake_case names). */
  readonly language: 'zh' | 'en';
  /**
   * The snapshot the files belong to: `campaign=<c>/snapshot=<snapshot>/…`. A milestone's
   * snapshot is named after it (`registration`, `completion`); an export on request is named
   * after its id.
   */
  readonly snapshot: string;
  /** The instant the data is as of (UTC ISO): the milestone's deadline, or the request time. */
  readonly asOf: string;
  readonly status: ExportStatus;
  /** Who asked (`sub`), or `milestone` for a snapshot. */
  readonly requestedBy: string;
  readonly requestedAt: string;
  readonly startedAt?: string;
  readonly finishedAt?: string;
  readonly files?: readonly ExportFile[];
  /** Key of the manifest (schema version, row counts, checksums). */
  readonly manifestKey?: string;
  /** Files for people beside the tables (`commendations.csv`, `chart.svg`). */
  readonly artifacts?: readonly ExportArtifactFile[];
  /** Why it failed, for operators (never shown with internals to users). */
  readonly error?: string;
  /** A milestone snapshot's copy of the table as of `asOf` (table-copy.ts): its id and when it was asked for. */
  readonly tableCopy?: { readonly id: string; readonly startedAt: string };
  /** What the files were read from: the table as of `asOf` (a table copy), or the live table when the export ran. */
  readonly readFrom?: ExportReadFrom;
}

export type ExportReadFrom = 'table-copy' | 'live-table';

/** Who requests a milestone's snapshot (`requestedBy`). */
export const MILESTONE_REQUESTER = 'milestone';

/** An export someone asked for (`requested`), or a milestone's snapshot (`milestone`). */
export type ExportKind = 'requested' | 'milestone';
export const EXPORT_KINDS = ['requested', 'milestone'] as const satisfies readonly ExportKind[];

/**
 * The milestone whose snapshot `record` is, or undefined for an export on request. A snapshot is
 * requested by {@link MILESTONE_REQUESTER} and named after its milestone; an export on request is
 * named after its own (random) id, so it never carries a milestone's name.
 */
export function snapshotMilestone(record: Pick<ExportRecord, 'requestedBy' | 'snapshot'>): MilestoneId | undefined {
  return record.requestedBy === MILESTONE_REQUESTER && (MILESTONE_IDS as readonly string[]).includes(record.snapshot)
    ? (record.snapshot as MilestoneId)
    : undefined;
}

/** Filters of a campaign's export list (`?kind=`, `?milestone=`), already validated. */
export interface ExportFilters {
  readonly kind?: ExportKind;
  /** Only this milestone's snapshot (implies `kind: 'milestone'`). */
  readonly milestone?: MilestoneId;
}

export interface ExportListQuery {
  readonly campaignId: string;
  readonly filters: ExportFilters;
  readonly limit: number;
  readonly cursor?: string;
}

/** Port: a campaign's exports, newest request first (one page; `nextCursor` null on the last). */
export interface ExportList {
  list(query: ExportListQuery): Promise<{ readonly items: ExportRecord[]; readonly nextCursor: string | null }>;
}

/** Which export a request stored (ADR 0025): what `POST …/exports` needs beyond the repository. */
export interface CreatedExports {
  /** The export stored under `exportId` by the request with this token, if any. */
  createdBy(exportId: string, createToken: string): Promise<ExportRecord | undefined>;
}

/** A caller's budget of one kind of request in one fixed window (ADR 0033). */
export interface RequestBudget {
  /** Whose budget of what, e.g. `exports#<sub>`. */
  readonly subject: string;
  /** Requests allowed in one window. */
  readonly limit: number;
  /** Start of the current window (UTC ISO): the counter's key. */
  readonly windowStart: string;
  /** When the counter may be deleted (epoch seconds, the table's TTL), after the window ends. */
  readonly expiresAt: number;
}

/**
 * How {@link ExportAdmission.createAdmitted} ended: `contended` when a concurrent transaction on
 * the same slot or budget cancelled it (nothing written; read the slot again).
 */
export type AdmissionOutcome = 'created' | 'id-taken' | 'slot-taken' | 'over-budget' | 'contended';

/**
 * One queued or running export per campaign and format, and a budget per caller (ADR 0033): what
 * `POST …/exports` needs beyond the repository. The campaign's slot for a format names the export
 * that last took it; whether that export still holds it is its status.
 */
export interface ExportAdmission {
  /** The id of the export that last took the campaign's slot for `format`, if any ever did. */
  slotHolder(campaignId: string, format: ExportFormat): Promise<string | undefined>;
  /**
   * In one transaction: stores `record` (`queued`, its id free), makes it the slot's holder (the
   * slot still naming `replacing`, or free when `replacing` is undefined) and counts it against
   * `budget` (which must have room). Nothing is written unless all three hold; the outcome names
   * the first that did not.
   */
  createAdmitted(record: ExportRecord, createToken: string, guard: { readonly replacing?: string; readonly budget: RequestBudget }): Promise<AdmissionOutcome>;
}

export interface ExportRepository {
  /** Stores a new export (`queued`); false if one with this id exists (a milestone's snapshot is created once). */
  create(record: ExportRecord, createToken?: string): Promise<boolean>;
  get(exportId: string): Promise<ExportRecord | undefined>;
  /** queued → running (only from `queued`, or from `running` for a retry after a crash); false if it is done. */
  start(exportId: string, at: string): Promise<boolean>;
  succeed(
    exportId: string,
    at: string,
    files: readonly ExportFile[],
    manifestKey: string,
    artifacts?: readonly ExportArtifactFile[],
    readFrom?: ExportReadFrom,
  ): Promise<void>;
  fail(exportId: string, at: string, error: string): Promise<void>;
  /** Remembers the table copy a running export reads from (the next delivery asks for its state). */
  recordTableCopy(exportId: string, copy: { readonly id: string; readonly startedAt: string }): Promise<void>;
}

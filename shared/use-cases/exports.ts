/**
 * Export jobs through the API.
 *
 * requestExport (POST /v1/campaigns/{c}/exports, admin or analyst):
 * 1. The campaign exists (404); the caller is an admin or an analyst (403).
 * 2. The body is valid (422).
 * 3. This request stored its export already (an Idempotency-Key retried after a crash): answer it.
 * 4. An export of the campaign and format is queued or running (the one holding the slot): answer
 *    it (200) and start nothing (ADR 0033).
 * 5. Otherwise, in one transaction: a `queued` export is stored, takes the slot and counts against
 *    the caller's budget (10 an hour; spent: 429 with Retry-After). The table's stream sends it to
 *    the exports queue (no dual write), `run-export` does the work. Answer 202 with its id. A
 *    concurrent request that took the slot first: back to 4.
 *
 * getExport (GET /v1/exports/{id}, admin or analyst): the export with short-lived URLs of its
 * files once it succeeded; 404 for an unknown id.
 *
 * snapshotAtMilestone (the milestone job): the milestone's snapshot export, created once.
 */
import { createOnce, randomWriteIdentity, type WriteIdentity } from './write-identity';
import { hasRole, type Principal } from '../auth/principal';
import type { Campaign, MilestoneId } from '../domain/campaign';
import type { Clock } from '../domain/clock';
import { safeParseFields } from '../domain/issues';
import { ConflictError, ForbiddenError, InvalidInputError, KeyTakenError, NotFoundError, RateLimitedError } from '../errors';
import {
  MILESTONE_REQUESTER,
  type CreatedExports,
  type ExportAdmission,
  type ExportRecord,
  type ExportRepository,
  type RequestBudget,
} from '../export/export-record';
import { exportRequestSchema } from '../schemas/export.schema';
import { campaignFor, campaignVisibleTo } from './activity-access';
import type { CampaignCatalog } from '../repositories/campaign-repository';

export interface ExportDeps {
  readonly campaigns: CampaignCatalog;
  readonly exports: ExportRepository;
  readonly clock: Clock;
  readonly newId?: () => string;
}

/** Minutes a file URL of an export stays valid. */
export const EXPORT_URL_SECONDS = 15 * 60;

function mayExport(principal: Principal): void {
  if (!hasRole(principal, 'admin') && !hasRole(principal, 'analyst')) throw new ForbiddenError('only an admin or an analyst may export');
}

/**
 * How many exports one caller may start in one window. Each is up to 2 GB for 15 minutes; asking
 * again for one that is running costs nothing and is not counted.
 */
export const EXPORT_BUDGET = { limit: 10, windowSeconds: 3600 } as const;

/** The caller's budget window at `now`: its counter, and the seconds until it renews. */
export function exportBudgetAt(sub: string, now: Date, budget: { limit: number; windowSeconds: number } = EXPORT_BUDGET): RequestBudget & { retryAfterSeconds: number } {
  const windowMs = budget.windowSeconds * 1000;
  const start = Math.floor(now.getTime() / windowMs) * windowMs;
  const end = start + windowMs;
  return {
    subject: `exports#${sub}`,
    limit: budget.limit,
    windowStart: new Date(start).toISOString(),
    // A day after the window: the counter is gone long after anyone could read it.
    expiresAt: Math.floor(end / 1000) + 86_400,
    retryAfterSeconds: Math.ceil((end - now.getTime()) / 1000),
  };
}

/**
 * Whether `holder` still holds its slot at `now`: it is queued or running, and its message may
 * still be delivered. An export whose run crashed every time stays `running` (or `queued`) for good;
 * once its message can only be in the dead-letter queue (`activeForSeconds` after the request),
 * the slot is free again.
 */
export function holdsSlot(holder: ExportRecord, now: Date, activeForSeconds: number): boolean {
  if (holder.status !== 'queued' && holder.status !== 'running') return false;
  return now.getTime() - Date.parse(holder.requestedAt) < activeForSeconds * 1000;
}

/** What `POST …/exports` needs: the repository with its admission machinery, and how long a job may hold its slot. */
export interface RequestExportDeps extends ExportDeps {
  readonly exports: ExportRepository & CreatedExports & ExportAdmission;
  /** Seconds after its request an unfinished export stops holding its slot (the exports queue's message lifetime). */
  readonly activeForSeconds: number;
  /** @default EXPORT_BUDGET */
  readonly budget?: { readonly limit: number; readonly windowSeconds: number };
}

/** Reads of the slot and tries of the transaction before a request gives up (409). */
const ADMISSION_ATTEMPTS = 5;

/** Raised inside the transaction's retry loop when a concurrent request took the slot first, or collided with this one. */
class SlotTakenError extends ConflictError {
  public constructor() {
    super('another request took the export slot first');
    this.name = 'SlotTakenError';
  }
}

/** How a POST ended: a new export (`started`, or this request's own from an earlier attempt), or the one already running. */
export type ExportRequestOutcome = 'started' | 'running';

export async function requestExport(
  input: { principal: Principal; campaignId: string; body: unknown; write?: WriteIdentity },
  deps: RequestExportDeps,
): Promise<{ export: ExportRecord; campaign: Campaign; repeated: boolean; outcome: ExportRequestOutcome }> {
  const write = input.write ?? randomWriteIdentity(deps.newId);
  // Exporting reads a campaign: a closed one may still be exported.
  const campaign = await campaignFor(input.principal, deps.campaigns, input.campaignId);
  mayExport(input.principal);
  const parsed = safeParseFields(exportRequestSchema, input.body);
  if (!parsed.success) throw new InvalidInputError('the export request is not valid', parsed.issues);
  const exportId = write.id;
  if (write.keyed) {
    const earlier = await deps.exports.createdBy(exportId, write.token);
    if (earlier) return { export: earlier, campaign, repeated: true, outcome: 'started' };
  }
  const format = parsed.data.format;
  // A request that lost the slot to a concurrent one finds it held on the next try; one whose
  // transaction collided with another's tries again a moment later.
  for (let attempt = 0; attempt < ADMISSION_ATTEMPTS; attempt += 1) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 10 + Math.random() * 40 * attempt));
    const now = deps.clock.now();
    const holderId = await deps.exports.slotHolder(campaign.id, format);
    const holder = holderId === undefined ? undefined : await deps.exports.get(holderId);
    if (holder && holdsSlot(holder, now, deps.activeForSeconds)) return { export: holder, campaign, repeated: false, outcome: 'running' };

    const at = now.toISOString();
    const record: ExportRecord = {
      exportId,
      campaignId: campaign.id,
      format,
      language: parsed.data.language ?? 'zh',
      snapshot: exportId,
      asOf: at,
      status: 'queued',
      requestedBy: input.principal.sub,
      requestedAt: at,
    };
    const { retryAfterSeconds, ...budget } = exportBudgetAt(input.principal.sub, now, deps.budget);
    try {
      const { value, repeated } = await createOnce(
        write,
        record,
        async () => {
          const outcome = await deps.exports.createAdmitted(record, write.token, { replacing: holderId, budget });
          if (outcome === 'id-taken') throw new KeyTakenError(`export ${exportId} exists`);
          if (outcome === 'slot-taken' || outcome === 'contended') throw new SlotTakenError();
          if (outcome === 'over-budget') {
            throw new RateLimitedError(retryAfterSeconds, `you started ${budget.limit} exports within the hour: the next one may start in ${retryAfterSeconds} s`);
          }
        },
        () => deps.exports.createdBy(exportId, write.token),
      );
      return { export: value, campaign, repeated, outcome: 'started' };
    } catch (error) {
      if (!(error instanceof SlotTakenError)) throw error;
    }
  }
  throw new ConflictError(`the export slot of ${campaign.id} (${format}) keeps changing hands: try again`);
}

export async function getExport(
  input: { principal: Principal; exportId: string },
  deps: Pick<ExportDeps, 'campaigns' | 'exports'>,
): Promise<{ export: ExportRecord; campaign: Campaign }> {
  mayExport(input.principal);
  const found = await deps.exports.get(input.exportId);
  const campaign = found ? await deps.campaigns.find(found.campaignId) : undefined;
  // An export of a campaign the caller may not see (another city's, a draft) is answered as a missing one.
  if (!found || !campaign || !campaignVisibleTo(input.principal, campaign)) throw new NotFoundError(`export ${input.exportId} not found`);
  return { export: found, campaign };
}

/** The id of a milestone's snapshot: one per campaign and milestone, however often the job runs. */
export const snapshotExportId = (campaignId: string, milestone: MilestoneId): string => `${campaignId}-${milestone}`;

/** Creates the milestone's snapshot export (Parquet, as of the deadline) once; false if it exists. */
export async function snapshotAtMilestone(campaign: Campaign, milestone: MilestoneId, deps: Pick<ExportDeps, 'exports' | 'clock'>): Promise<boolean> {
  return deps.exports.create({
    exportId: snapshotExportId(campaign.id, milestone),
    campaignId: campaign.id,
    format: 'parquet',
    language: 'zh',
    snapshot: milestone,
    asOf: campaign.milestones[milestone].deadline.toISOString(),
    status: 'queued',
    requestedBy: MILESTONE_REQUESTER,
    requestedAt: deps.clock.now().toISOString(),
  });
}

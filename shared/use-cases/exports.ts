/**
 * Export jobs through the API.
 *
 * requestExport (POST /v1/campaigns/{c}/exports, admin or analyst):
 * 1. The campaign exists (404); the caller is an admin or an analyst (403).
 * 2. The body is valid (422).
 * 3. A `queued` export is stored; the table's stream sends it to the exports queue (no dual
 *    write), `run-export` does the work. Answer 202 with its id.
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
import { ForbiddenError, InvalidInputError, KeyTakenError, NotFoundError } from '../errors';
import { MILESTONE_REQUESTER, type CreatedExports, type ExportRecord, type ExportRepository } from '../export/export-record';
import { exportRequestSchema } from '../schemas/export.schema';
import { campaignFor, campaignVisibleTo, type CampaignCatalog } from './activity-access';

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

export async function requestExport(
  input: { principal: Principal; campaignId: string; body: unknown; write?: WriteIdentity },
  deps: ExportDeps & { readonly exports: ExportRepository & CreatedExports },
): Promise<{ export: ExportRecord; campaign: Campaign; repeated: boolean }> {
  const write = input.write ?? { ...randomWriteIdentity(), ...(deps.newId ? { id: deps.newId() } : {}) };
  // Exporting reads a campaign: a closed one may still be exported.
  const campaign = await campaignFor(input.principal, deps.campaigns, input.campaignId);
  mayExport(input.principal);
  const parsed = safeParseFields(exportRequestSchema, input.body);
  if (!parsed.success) throw new InvalidInputError('the export request is not valid', parsed.issues);
  const now = deps.clock.now().toISOString();
  const exportId = write.id;
  const record: ExportRecord = {
    exportId,
    campaignId: campaign.id,
    format: parsed.data.format,
    language: parsed.data.language ?? 'zh',
    snapshot: exportId,
    asOf: now,
    status: 'queued',
    requestedBy: input.principal.sub,
    requestedAt: now,
  };
  const { value, repeated } = await createOnce(
    write,
    record,
    async () => {
      if (!(await deps.exports.create(record, write.token))) throw new KeyTakenError(`export ${exportId} exists`);
    },
    () => deps.exports.createdBy(exportId, write.token),
  );
  return { export: value, campaign, repeated };
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

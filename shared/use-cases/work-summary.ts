/**
 * A unit's work summary (工作总结): read by the unit, reviewers and admins; written by the
 * unit's organizers. The first submission after the completion deadline raises `summary-late`.
 * Another city's campaign (or a draft, to a non-admin) answers 404; writing to a closed campaign
 * answers 409 `campaign_closed`, reading it still works.
 *
 * `documentMediaIds` lists only documents uploaded for this unit's own summary
 * (`POST …/summary/uploads`) that the media check accepted: an id of another unit's upload, of an
 * activity's photo, or one made up is 422 `unknown_document`; one still being checked
 * `document_pending`; one the check refused `document_rejected` (on `documentMediaIds.<i>`), so
 * an export never lists another unit's file, or an unchecked one, as this unit's attachment.
 */
import { hasRole, type Principal } from '../auth/principal';
import type { FlagRecord, SummaryRecord } from '../domain/activity';
import type { Clock } from '../domain/clock';
import { safeParseFields } from '../domain/issues';
import { flagOnSummary } from '../domain/rules';
import { raiseFlag } from './flags';
import { ForbiddenError, InvalidInputError, NotFoundError, type FieldIssue } from '../errors';
import { checkIfMatch } from './if-match';
import type { MediaRepository } from '../repositories/media-repository';
import type { OrganizationDirectory } from '../repositories/organization-repository';
import type { SummaryRepository } from '../repositories/summary-repository';
import { summarySchema } from '../schemas/summary.schema';
import { campaignFor } from './activity-access';
import type { CampaignCatalog } from '../repositories/campaign-repository';
import type { ExtensionSource } from '../repositories/extension-repository';

interface Deps {
  readonly campaigns: CampaignCatalog;
  readonly organizations: OrganizationDirectory;
  readonly summaries: SummaryRepository;
}

/** The campaign and unit if `principal` may see the unit's summary: 404 for another unit's organizer, 403 for analysts. */
async function scope(principal: Principal, campaignId: string, organizationId: string, deps: Deps, write: boolean) {
  const campaign = await campaignFor(principal, deps.campaigns, campaignId, { write });
  const own = hasRole(principal, 'organizer') && principal.orgId === organizationId;
  if (!own && !hasRole(principal, 'reviewer', 'admin')) {
    if (hasRole(principal, 'organizer')) throw new NotFoundError(`no summary of ${organizationId}`);
    throw new ForbiddenError('analysts read exports, not summaries');
  }
  if (write && !own) throw new ForbiddenError('only an organizer of the unit writes its work summary');
  if (!(await deps.organizations.find(campaign, organizationId))) throw new NotFoundError(`unit ${organizationId} not found`);
  return campaign;
}

export async function getSummary(input: { principal: Principal; campaignId: string; organizationId: string }, deps: Deps) {
  const campaign = await scope(input.principal, input.campaignId, input.organizationId, deps, false);
  const summary = await deps.summaries.get(campaign.id, input.organizationId);
  if (!summary) throw new NotFoundError(`unit ${input.organizationId} has not submitted a work summary`);
  return { summary, campaign };
}

export async function putSummary(
  input: { principal: Principal; campaignId: string; organizationId: string; ifMatch: number | undefined; body: unknown },
  deps: Deps & { readonly clock: Clock; readonly extensions: ExtensionSource; readonly media: Pick<MediaRepository, 'get'> },
) {
  const campaign = await scope(input.principal, input.campaignId, input.organizationId, deps, true);
  const current = await deps.summaries.get(campaign.id, input.organizationId);
  checkIfMatch(input.ifMatch, { version: current?.version ?? 0, required: current !== undefined });
  const parsed = safeParseFields(summarySchema, input.body);
  if (!parsed.success) throw new InvalidInputError('the work summary is not valid', parsed.issues);
  await checkDocuments(campaign.id, input.organizationId, parsed.data.documentMediaIds ?? [], deps.media);
  const now = deps.clock.now();
  const summary: SummaryRecord = {
    campaignId: campaign.id,
    organizationId: input.organizationId,
    version: (current?.version ?? 0) + 1,
    text: parsed.data.text,
    ...(parsed.data.documentMediaIds ? { documentMediaIds: parsed.data.documentMediaIds } : {}),
    submittedAt: current?.submittedAt ?? now.toISOString(),
    updatedAt: now.toISOString(),
    updatedBy: input.principal.sub,
  };
  const flags: FlagRecord[] = [];
  if (!current) {
    const late = flagOnSummary(campaign, input.organizationId, now, await deps.extensions.forOrganization(campaign.id, input.organizationId));
    if (late) flags.push(raiseFlag(campaign.id, late, now));
  }
  await deps.summaries.put(summary, current?.version, flags);
  return { summary, flags, campaign };
}

/**
 * 422 unless every id names an accepted document uploaded for this unit's summary: media items
 * live in the partition of what they were uploaded for, so another unit's id, an activity's
 * photo or a made-up id is simply not there.
 */
async function checkDocuments(campaignId: string, organizationId: string, ids: readonly string[], media: Pick<MediaRepository, 'get'>): Promise<void> {
  const subject = { type: 'summary', campaignId, organizationId } as const;
  const found = await Promise.all(ids.map((id) => media.get(subject, id)));
  const issues: FieldIssue[] = [];
  found.forEach((m, i) => {
    const value = ids[i] ?? '';
    const path = `documentMediaIds.${i}`;
    if (!m || m.kind !== 'document' || m.subject.type !== 'summary' || m.subject.organizationId !== organizationId || m.subject.campaignId !== campaignId) {
      issues.push({ path, code: 'unknown_document', params: { value } });
    } else if (m.status === 'pending') issues.push({ path, code: 'document_pending', params: { value } });
    else if (m.status !== 'accepted') issues.push({ path, code: 'document_rejected', params: { value } });
  });
  if (issues.length > 0) throw new InvalidInputError('the work summary lists documents that are not this unit’s accepted ones', issues);
}

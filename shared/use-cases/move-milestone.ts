/**
 * Moves a milestone's due date (admin, own city; ADR 0023), e.g. when the association extends
 * registration for everyone.
 *
 * Primary course:
 * 1. The campaign is the caller's city's and not closed; the milestone is one of its milestones.
 * 2. The body is `{ dueDate: 'YYYY-MM-DD', reason }`; the reason is required (it is audited).
 * 3. The milestone has not passed by the injected clock (its deadline is still ahead), and the
 *    new deadline (the end of `dueDate` in the campaign's zone) is ahead too.
 * 4. The campaign stays valid with the new date (registration before completion, in its year).
 * 5. It is stored at the next version with who and why; the stream audits it and moves the
 *    milestone's schedules (and its reminders').
 */
import type { Principal } from '../auth/principal';
import { MILESTONE_IDS, type MilestoneId } from '../domain/campaign';
import { safeParseFields, type FieldIssue } from '../domain/issues';
import { milestoneMoveSchema } from '../schemas/campaign.schema';
import { endOfLocalDay, formatInstant } from '../domain/time';
import { InvalidInputError, NotFoundError } from '../errors';
import { CampaignDefinitionSchema } from '../domain/campaign';
import type { StoredCampaign } from '../repositories/campaign-repository';
import { toFieldIssues } from '../domain/issues';
import { managedCampaign, type CampaignAdminDeps } from './campaign-admin';


export async function moveMilestone(
  input: { principal: Principal; campaignId: string; milestoneId: string; body: unknown; expectedVersion?: number },
  deps: CampaignAdminDeps,
): Promise<StoredCampaign> {
  const stored = await managedCampaign(input.principal, deps.store, input.campaignId, { write: true });
  if (!(MILESTONE_IDS as readonly string[]).includes(input.milestoneId)) {
    throw new NotFoundError(`campaign ${input.campaignId} has no milestone ${input.milestoneId}`);
  }
  const milestoneId = input.milestoneId as MilestoneId;
  const parsed = safeParseFields(milestoneMoveSchema, input.body);
  if (!parsed.success) throw new InvalidInputError('the new date is not valid', parsed.issues);
  const { campaign, definition } = stored;
  const now = deps.clock.now();
  const current = campaign.milestones[milestoneId];
  const issues: FieldIssue[] = [];
  if (current.deadline.getTime() <= now.getTime()) {
    issues.push({ path: 'dueDate', code: 'milestone_passed', params: { deadline: formatInstant(current.deadline, campaign.timeZone) } });
  } else if (endOfLocalDay(parsed.data.dueDate, campaign.timeZone).getTime() <= now.getTime()) {
    issues.push({ path: 'dueDate', code: 'date_not_in_future', params: { now: formatInstant(now, campaign.timeZone) } });
  }
  if (issues.length > 0) throw new InvalidInputError('this milestone cannot move', issues);
  const moved = { ...definition, milestones: definition.milestones.map((m) => (m.id === milestoneId ? { ...m, dueDate: parsed.data.dueDate } : m)) };
  const checked = CampaignDefinitionSchema.safeParse(moved, { reportInput: true });
  if (!checked.success) {
    // The campaign's own cross-checks, reported on the one field this route changes.
    throw new InvalidInputError('the campaign would not be valid with this date', toFieldIssues(checked.error, moved).map((i) => ({ ...i, path: 'dueDate' })));
  }
  const updated = await deps.store.update(definition.id, input.expectedVersion ?? stored.version, {
    definition: checked.data,
    at: now.toISOString(),
    by: input.principal.sub,
    reason: parsed.data.reason,
  });
  deps.cache?.invalidate(definition.id);
  return updated;
}

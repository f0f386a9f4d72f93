/**
 * A reviewer reviews one organizing unit (评审): a 0..100 score for each indicator the campaign
 * leaves partly to a person (效果亮点 entirely, the others' reviewer shares), a comment, and
 * the unit's activities found distinctive (特色鲜明、实效显著). `PUT …/organizations/{orgId}/review`.
 *
 * Primary course:
 * 1. The campaign exists and the caller may see it (404 also for another city's campaign or a
 *    draft); it is not closed (409 `campaign_closed`).
 * 2. The caller is a reviewer (403 otherwise: organizers, admins and analysts do not review;
 *    an admin who reviews carries the reviewer role too), and does not act for the unit under
 *    review (403: nobody reviews their own unit, whatever their roles).
 * 3. The unit is listed in the campaign (404).
 * 4. If-Match: 428 once a review exists and none is sent; 412 when it names another version.
 * 5. The body is valid for the campaign (review.schema.ts; 422 with every failing field), and
 *    every `distinctiveActivityIds` entry is an activity of that unit in this campaign (422
 *    `unknown_activity` on `distinctiveActivityIds.<i>`).
 * 6. The review is written as the next version, conditional on the version read (a concurrent
 *    write in between: 412). The stream's audit trail records it with the reviewer as actor.
 */
import { hasRole, type Principal } from '../auth/principal';
import type { Campaign } from '../domain/campaign';
import type { Clock } from '../domain/clock';
import { safeParseFields } from '../domain/issues';
import { ForbiddenError, InvalidInputError, NotFoundError, type FieldIssue } from '../errors';
import { checkIfMatch } from './if-match';
import type { ActivityRepository } from '../repositories/activity-repository';
import type { OrganizationDirectory } from '../repositories/organization-repository';
import type { ReviewRecord, ReviewRepository } from '../repositories/review-repository';
import { reviewSchema } from '../schemas/review.schema';
import { campaignFor } from './activity-access';
import type { CampaignCatalog } from '../repositories/campaign-repository';

export interface PutReviewDeps {
  readonly campaigns: CampaignCatalog;
  readonly organizations: OrganizationDirectory;
  readonly activities: Pick<ActivityRepository, 'get'>;
  readonly reviews: ReviewRepository;
  readonly clock: Clock;
}

export async function putReview(
  input: { principal: Principal; campaignId: string; organizationId: string; ifMatch: number | undefined; body: unknown },
  deps: PutReviewDeps,
): Promise<{ review: ReviewRecord; campaign: Campaign }> {
  const campaign = await campaignFor(input.principal, deps.campaigns, input.campaignId, { write: true });
  if (!hasRole(input.principal, 'reviewer')) throw new ForbiddenError('only reviewers review units');
  if (input.principal.orgId === input.organizationId) throw new ForbiddenError('nobody reviews the unit they act for');
  if (!(await deps.organizations.find(campaign, input.organizationId))) throw new NotFoundError(`unit ${input.organizationId} not found`);

  const current = await deps.reviews.get(campaign.id, input.organizationId);
  checkIfMatch(input.ifMatch, { version: current?.version ?? 0, required: current !== undefined });

  const parsed = safeParseFields(reviewSchema(campaign), input.body);
  if (!parsed.success) throw new InvalidInputError('the review is not valid', parsed.issues);
  const body = parsed.data;
  const marked = body.distinctiveActivityIds ?? [];
  const found = await Promise.all(marked.map((id) => deps.activities.get(id)));
  const issues: FieldIssue[] = [];
  found.forEach((f, i) => {
    const a = f?.activity;
    if (!a || a.campaignId !== campaign.id || a.organizationId !== input.organizationId) {
      issues.push({ path: `distinctiveActivityIds.${i}`, code: 'unknown_activity', params: { value: marked[i] ?? '' } });
    }
  });
  if (issues.length > 0) throw new InvalidInputError('the review marks activities that are not the unit’s', issues);

  const now = deps.clock.now().toISOString();
  const review: ReviewRecord = {
    campaignId: campaign.id,
    organizationId: input.organizationId,
    version: (current?.version ?? 0) + 1,
    scores: body.scores,
    ...(body.comment !== undefined ? { comment: body.comment } : {}),
    ...(marked.length > 0 ? { distinctiveActivityIds: marked } : {}),
    reviewedBy: input.principal.sub,
    reviewedAt: now,
    firstReviewedAt: current?.firstReviewedAt ?? now,
    updatedBy: input.principal.sub,
    updatedAt: now,
  };
  await deps.reviews.put(review, current?.version);
  return { review, campaign };
}

export type GetReviewDeps = Pick<PutReviewDeps, 'campaigns' | 'organizations' | 'reviews'>;

/**
 * Reads the review of one unit, with its version (the ETag a reviewer sends as If-Match to
 * change it). `GET …/organizations/{orgId}/review`.
 *
 * 1. The campaign exists (404).
 * 2. The caller is a reviewer or an admin (403 otherwise); a reviewer who acts for the unit may
 *    not read its review, as they may not write it (403), unless they are also an admin.
 * 3. The unit is listed in the campaign (404), and has been reviewed (404 `not_found`).
 */
export async function getReview(
  input: { principal: Principal; campaignId: string; organizationId: string },
  deps: GetReviewDeps,
): Promise<{ review: ReviewRecord; campaign: Campaign }> {
  const campaign = await campaignFor(input.principal, deps.campaigns, input.campaignId);
  const admin = hasRole(input.principal, 'admin');
  if (!admin && !hasRole(input.principal, 'reviewer')) throw new ForbiddenError('only reviewers and admins read reviews');
  if (!admin && input.principal.orgId === input.organizationId) throw new ForbiddenError('nobody reads the review of the unit they act for');
  if (!(await deps.organizations.find(campaign, input.organizationId))) throw new NotFoundError(`unit ${input.organizationId} not found`);
  const review = await deps.reviews.get(campaign.id, input.organizationId);
  if (!review) throw new NotFoundError(`unit ${input.organizationId} has not been reviewed`);
  return { review, campaign };
}

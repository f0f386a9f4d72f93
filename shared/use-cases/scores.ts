/**
 * The scores of a campaign (评价得分与排名), two ways to the same report
 * (shared/domain/scoring-facts.ts):
 * - {@link getScores} / {@link scoresFromReadModel} (ADR 0038): each unit's figures from the
 *   progress read model's totals, then the scorer;
 * - {@link recomputeScores} (ADR 0015): one pass over the campaign's partitions (never a Scan,
 *   never a query per unit or per activity) into {@link ScoringFacts}, what the read model is held
 *   equal to, and the export's own path.
 */
import { hasRole, type Principal } from '../auth/principal';
import type { Campaign, IndicatorId, OrganizationType } from '../domain/campaign';
import { effectiveDeadline, isOnTime, type ExtensionFacts, type UnitFigures } from '../domain/rules';
import { FLAG_CODES, type FlagCode } from '../domain/flags';
import { activityFactsOf } from '../domain/activity';
import { UNWAIVED_COUNTER, ZERO_COUNTERS } from '../domain/progress';
import type { StoredTotals, UnitRef } from '../repositories/progress-repository';
import type { UnitScoringInput } from '../domain/scoring';
import { extensionOf, finishReport, reviewOf, ScoringFacts, type ScoredUnitInfo, type ScoreReport } from '../domain/scoring-facts';
import type { StoredItem } from '../domain/stored-item';
import { ForbiddenError } from '../errors';
import type { Pages, ScoringSource } from '../export/readers';
import { campaignFor } from './activity-access';
import type { CampaignCatalog } from '../repositories/campaign-repository';

/** The report the HTTP views render, beside its timings (domain/scoring-facts.ts). */
export type { ScoreReport } from '../domain/scoring-facts';

/** Feeds every page of `pages` to `take`, item by item. */
async function drain(pages: Pages, take: (item: StoredItem) => void): Promise<void> {
  for await (const page of pages) for (const item of page) take(item);
}

/** Reads every partition the scores need (all at once) into fresh {@link ScoringFacts}. */
export async function gatherScoringFacts(campaign: Campaign, source: ScoringSource): Promise<ScoringFacts> {
  const facts = new ScoringFacts(campaign);
  const c = campaign.id;
  await Promise.all([
    drain(source.activities(c), (i) => facts.activity(i)),
    drain(source.results(c), (i) => facts.result(i)),
    drain(source.media(c), (i) => facts.medium(i)),
    drain(source.flags(c), (i) => facts.flag(i)),
    drain(source.summaries(c), (i) => facts.summary(i)),
    drain(source.addedOrganizations(c), (i) => facts.organization(i)),
    drain(source.reviews(c), (i) => facts.review(i)),
    drain(source.extensions(c), (i) => facts.extension(i)),
  ]);
  return facts;
}

/**
 * What `GET …/scores` reads (ADR 0038): the units' totals of the progress read model (one
 * partition), the unit's late activities where an extension could make them on time, the
 * campaign's reviews and extensions, and the activities reviewers marked.
 */
export interface GetScoresDeps {
  readonly campaigns: CampaignCatalog;
  readonly model: {
    campaignTotals(campaignId: string): Promise<StoredTotals[]>;
    lateScored(unit: UnitRef): Promise<Array<{ activityId: string; submittedAt: string }>>;
  };
  readonly source: Pick<ScoringSource, 'reviews' | 'extensions'>;
  /** Activity items by id (their unit, title and county), those that exist. */
  readonly activities: { items(activityIds: readonly string[]): Promise<StoredItem[]> };
}

/**
 * The scores from the read model (ADR 0038): each unit's figures are its totals (the sums and
 * distinct counts the projector keeps from the stream); the on-time rate applies the campaign's
 * extensions to the unit's late activities, read only for a unit with a registration extension.
 * The same scorer and commendations as the recomputation; a property test holds the two equal.
 */
export async function scoresFromReadModel(campaign: Campaign, deps: Omit<GetScoresDeps, 'campaigns'>): Promise<ScoreReport> {
  const reviews = new Map<string, { scores: Partial<Record<IndicatorId, number>>; marked: string[] }>();
  const extensions = new Map<string, ExtensionFacts[]>();
  const [totals] = await Promise.all([
    deps.model.campaignTotals(campaign.id),
    drain(deps.source.reviews(campaign.id), (item) => {
      const review = reviewOf(campaign.id, item);
      if (review) reviews.set(review.organizationId, { scores: review.scores, marked: review.marked });
    }),
    drain(deps.source.extensions(campaign.id), (item) => {
      const extension = extensionOf(campaign.id, item);
      if (extension) extensions.set(extension.organizationId, [...(extensions.get(extension.organizationId) ?? []), extension]);
    }),
  ]);
  const byUnit = new Map(totals.map((t) => [t.organizationId, t]));
  const defined = campaign.organizations.map((o) => ({ organizationId: o.organizationId, name: o.name.zh, county: o.county, type: o.type }));
  const known = new Set(defined.map((o) => o.organizationId));
  const added = totals
    .filter((t) => t.listing && !known.has(t.organizationId))
    .sort((a, b) => (a.organizationId < b.organizationId ? -1 : a.organizationId > b.organizationId ? 1 : 0))
    .map((t) => ({ organizationId: t.organizationId, name: t.listing?.name ?? t.organizationId, county: t.listing?.county ?? '', type: t.listing?.type as OrganizationType }));
  const units: ScoredUnitInfo[] = [...defined, ...added];

  let lateRead = 0;
  const inputs: UnitScoringInput[] = await Promise.all(
    units.map(async (u) => {
      const c = byUnit.get(u.organizationId)?.counters ?? ZERO_COUNTERS;
      const unitExtensions = extensions.get(u.organizationId) ?? [];
      // Late against the campaign's own deadline, yet perhaps on time against an extension of the unit or the activity.
      let onTimeLate = 0;
      if (c.lateBase > 0 && unitExtensions.some((e) => e.milestone === 'registration')) {
        const late = await deps.model.lateScored({ campaignId: campaign.id, organizationId: u.organizationId });
        lateRead += late.length;
        const subject = (activityId: string) => ({ organizationId: u.organizationId, activityId });
        onTimeLate = late.filter((l) => isOnTime(new Date(l.submittedAt), effectiveDeadline(campaign, 'registration', subject(l.activityId), unitExtensions))).length;
      }
      const onTime = c.scored - c.lateBase + onTimeLate;
      const figures: UnitFigures = {
        'registered-activities': c.scored,
        participants: c.participants,
        'co-organizers': c.coOrganizers,
        'counties-covered': c.counties,
        'on-time-rate': c.scored === 0 ? 0 : onTime / c.scored,
        'news-links': c.newsLinks,
        'accepted-media': c.acceptedMedia,
        volunteers: c.volunteers,
        'volunteer-hours': c.volunteerHours,
        'joint-actions-covered': c.jointActions,
        'online-activities-with-url': c.onlineWithUrl,
      };
      const unwaivedFlags: Partial<Record<FlagCode, number>> = {};
      for (const code of FLAG_CODES) if (c[UNWAIVED_COUNTER[code]] > 0) unwaivedFlags[code] = c[UNWAIVED_COUNTER[code]];
      const reviewerScores = reviews.get(u.organizationId)?.scores;
      return {
        organizationId: u.organizationId,
        organizationType: u.type,
        figures,
        unwaivedFlags,
        ...(reviewerScores ? { reviewerScores } : {}),
        summarySubmitted: c.summarySubmitted > 0,
      };
    }),
  );

  // The activities reviewers marked: their unit (a mark counts only on the reviewed unit's), title and county.
  const marked = [...new Set([...reviews.values()].flatMap((r) => r.marked))];
  const named = new Map<string, { facts: { organizationId: string }; title: string | undefined; county: string | undefined }>();
  for (const item of marked.length > 0 ? await deps.activities.items(marked) : []) {
    const parsed = activityFactsOf(item);
    if (parsed && parsed.campaignId === campaign.id) named.set(parsed.facts.activityId, parsed);
  }
  const read = { units: totals.length, reviews: reviews.size, extensions: [...extensions.values()].reduce((n, l) => n + l.length, 0), markedActivities: named.size, lateActivities: lateRead };
  return finishReport(campaign, units, inputs, reviews, (id) => named.get(id), read, 'read-model');
}

/** How long the answer took: reading (and scoring), then what is left (formatting is the handler's). */
export interface ScoreTimings {
  readonly readMs: number;
  readonly scoreMs: number;
}

/**
 * Whose review `principal` may not see in the scores: the unit they act for, when they are a
 * reviewer and not an admin, as `GET …/organizations/{orgId}/review` refuses them that unit's
 * review (review-unit.ts `getReview`). Undefined when they may see every review.
 */
export function reviewWithheldFor(principal: Principal): string | undefined {
  return hasRole(principal, 'admin') ? undefined : principal.orgId;
}

/**
 * `GET /v1/campaigns/{c}/scores`: reviewers and admins (403 for organizers, their own unit
 * included, and analysts, who read the exports); 404 for an unknown campaign. A reviewer who is
 * not an admin gets `withheld`, the unit whose review the view leaves out (their own).
 */
/** The recomputation from every stored item (ADR 0015): what the read model is held equal to, and the export's own path. */
export async function recomputeScores(campaign: Campaign, source: ScoringSource): Promise<ScoreReport> {
  return (await gatherScoringFacts(campaign, source)).report();
}

export async function getScores(
  input: { principal: Principal; campaignId: string },
  deps: GetScoresDeps,
): Promise<{ report: ScoreReport; timings: ScoreTimings; withheld?: string }> {
  const campaign = await campaignFor(input.principal, deps.campaigns, input.campaignId);
  if (!hasRole(input.principal, 'reviewer', 'admin')) throw new ForbiddenError('reviewers and admins read the scores');
  const started = performance.now();
  const report = await scoresFromReadModel(campaign, deps);
  const read = performance.now();
  const withheld = reviewWithheldFor(input.principal);
  return {
    report,
    timings: { readMs: read - started, scoreMs: performance.now() - read },
    ...(withheld !== undefined && report.units.has(withheld) ? { withheld } : {}),
  };
}

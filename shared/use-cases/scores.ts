/**
 * The scores of a campaign (评价得分与排名), recomputed from the stored items: one pass over the
 * campaign's partitions (never a Scan, never a query per unit or per activity), each unit's
 * figures by rules.ts `unitFigures`, then the pure scorer `scoreCampaign` and the commendation
 * list `commendations` (shared/domain/scoring.ts, docs/scoring.md).
 *
 * {@link ScoringFacts} gathers what the scorer needs from items as the repositories store them,
 * in any order, one page at a time; `GET /v1/campaigns/{c}/scores` feeds it from a
 * {@link ScoringSource} and the export (shared/export/engine.ts) from the pages it stages anyway.
 * Both then call {@link ScoringFacts.report}: the same computation for the API and the files.
 *
 * | input | partition |
 * |---|---|
 * | activities (facts; drafts count for nothing) | gsi2 `CAMP#<c>#ACT` |
 * | results (participants, news links, online URL) | gsi2 `CAMP#<c>#RESULTS` |
 * | accepted photos and videos per activity | gsi2 `CAMP#<c>#MEDIA` |
 * | unwaived flags per unit and code | gsi1 `CAMP#<c>#FLAG` |
 * | work summaries submitted | gsi2 `CAMP#<c>#SUMMARY` |
 * | reviews (reviewer scores, distinctive activities) | gsi2 `CAMP#<c>#REVIEW` |
 * | extensions (the on-time rate) | gsi2 `CAMP#<c>#EXT` |
 * | units | the campaign definition + `CAMP#<c>#ORGS` |
 */
import { hasRole, type Principal } from '../auth/principal';
import type { Campaign, IndicatorId, MilestoneId, OrganizationType } from '../domain/campaign';
import { ORGANIZATION_TYPES } from '../domain/campaign';
import { effectiveDeadline, FLAG_CODES, isOnTime, unitFigures, type ActivityFacts, type ExtensionFacts, type FlagCode, type UnitFigures } from '../domain/rules';
import { UNWAIVED_COUNTER, ZERO_COUNTERS } from '../domain/progress';
import type { StoredTotals, UnitRef } from '../repositories/progress-repository';
import {
  commendations,
  scoreCampaign,
  type CampaignScores,
  type CommendedActivity,
  type CommendedUnit,
  type DistinctiveMark,
  type UnitScoringInput,
} from '../domain/scoring';
import { activityFactsOf, activityMediumOf, date, num, record, resultFactsOf, str, strings, type ActivityItemFacts } from '../domain/scoring-items';
import { ForbiddenError } from '../errors';
import type { ExportSource, Pages } from '../export/readers';
import type { StoredItem } from '../export/rows';
import { campaignFor } from './activity-access';
import type { CampaignCatalog } from '../repositories/campaign-repository';

/** Units commended overall, per organization type, and distinctive activities listed (ranks; ties at the cut all included). */
export const COMMEND_TOP_UNITS = 10;
export const COMMEND_TOP_UNITS_PER_TYPE = 3;
export const COMMEND_TOP_ACTIVITIES = 10;

/**
 * Port: every stored item the scores read, a page at a time: what an export reads, and the
 * reviews and extensions (DynamoDbExportSource and TableCopySource implement it).
 */
export interface ScoringSource extends ExportSource {
  reviews(campaignId: string): Pages;
  extensions(campaignId: string): Pages;
}

/** A unit as the scores name it. */
export interface ScoredUnitInfo {
  readonly organizationId: string;
  readonly name: string;
  readonly county: string;
  readonly type: OrganizationType;
}

/** A commended activity with its title and unit, for people. */
export interface NamedCommendedActivity extends CommendedActivity {
  readonly title: string | null;
  readonly county: string | null;
}

/** Everything the API and the export show of a campaign's scores. */
export interface ScoreReport {
  readonly campaign: Campaign;
  readonly scores: CampaignScores;
  /** Every scored unit, by id. */
  readonly units: ReadonlyMap<string, ScoredUnitInfo>;
  /** Units a reviewer has reviewed. */
  readonly reviewed: ReadonlySet<string>;
  readonly commendations: {
    /** The best COMMEND_TOP_UNITS ranks among units with a registered activity. */
    readonly units: readonly CommendedUnit[];
    /** The best COMMEND_TOP_UNITS_PER_TYPE ranks of each organization type present. */
    readonly byType: ReadonlyArray<{ readonly organizationType: OrganizationType; readonly units: readonly CommendedUnit[] }>;
    /** The most distinctive activities (reviewers' marks), COMMEND_TOP_ACTIVITIES ranks. */
    readonly activities: readonly NamedCommendedActivity[];
  };
  /** Items read, per kind (measure and sanity check). */
  readonly read: Readonly<Record<string, number>>;
  /** How the figures were had: recomputed from every item, or read from the read model (ADR 0038). */
  readonly method: 'recomputed-on-read' | 'read-model';
}

type FactKind = 'activities' | 'results' | 'media' | 'flags' | 'summaries' | 'organizations' | 'reviews' | 'extensions';

interface ActivityEntry {
  readonly facts: ActivityItemFacts;
  readonly title: string | undefined;
  readonly county: string | undefined;
}

/**
 * Collects what the scorer needs from stored items, in any order (results and media may come
 * before their activity). Items of another campaign or entity are ignored.
 */
export class ScoringFacts {
  private readonly activities = new Map<string, ActivityEntry>();
  private readonly results = new Map<string, NonNullable<ActivityFacts['results']>>();
  private readonly media = new Map<string, { photos: number; videos: number }>();
  private readonly flags = new Map<string, Partial<Record<FlagCode, number>>>();
  private readonly summaries = new Set<string>();
  private readonly added: ScoredUnitInfo[] = [];
  private readonly reviews = new Map<string, { scores: Partial<Record<IndicatorId, number>>; marked: string[] }>();
  private readonly extensions = new Map<string, ExtensionFacts[]>();
  private readonly counts: Record<FactKind, number> = {
    activities: 0,
    results: 0,
    media: 0,
    flags: 0,
    summaries: 0,
    organizations: 0,
    reviews: 0,
    extensions: 0,
  };

  public constructor(private readonly campaign: Campaign) {}

  private mine(item: StoredItem): boolean {
    const c = item.campaignId ?? record(item.subject).campaignId;
    return c === undefined || c === this.campaign.id;
  }

  public activity(item: StoredItem): void {
    const parsed = this.mine(item) ? activityFactsOf(item) : undefined;
    if (!parsed) return;
    this.counts.activities += 1;
    this.activities.set(parsed.facts.activityId, { facts: parsed.facts, title: parsed.title, county: parsed.county });
  }

  public result(item: StoredItem): void {
    const parsed = this.mine(item) ? resultFactsOf(item) : undefined;
    if (!parsed) return;
    this.counts.results += 1;
    this.results.set(parsed.activityId, parsed.results);
  }

  public medium(item: StoredItem): void {
    const parsed = this.mine(item) ? activityMediumOf(item) : undefined;
    if (!parsed) return;
    this.counts.media += 1;
    if (!parsed.counts) return;
    const seen = this.media.get(parsed.activityId) ?? { photos: 0, videos: 0 };
    if (parsed.counts === 'photo') seen.photos += 1;
    else seen.videos += 1;
    this.media.set(parsed.activityId, seen);
  }

  public flag(item: StoredItem): void {
    const organizationId = str(item.organizationId);
    const code = str(item.code);
    if (!organizationId || !code || !this.mine(item)) return;
    this.counts.flags += 1;
    if (item.waived === true || !(FLAG_CODES as readonly string[]).includes(code)) return;
    const counts = this.flags.get(organizationId) ?? {};
    counts[code as FlagCode] = (counts[code as FlagCode] ?? 0) + 1;
    this.flags.set(organizationId, counts);
  }

  public summary(item: StoredItem): void {
    const organizationId = str(item.organizationId);
    if (!organizationId || !this.mine(item)) return;
    this.counts.summaries += 1;
    this.summaries.add(organizationId);
  }

  /** A unit added at run time (the definition's units are known already). */
  public organization(item: StoredItem): void {
    const organizationId = str(item.organizationId);
    const type = str(item.type);
    if (!organizationId || !type || !(ORGANIZATION_TYPES as readonly string[]).includes(type)) return;
    this.counts.organizations += 1;
    this.added.push({ organizationId, name: str(item.name) ?? organizationId, county: str(item.county) ?? '', type: type as OrganizationType });
  }

  public review(item: StoredItem): void {
    const review = this.mine(item) ? reviewOf(this.campaign.id, item) : undefined;
    if (!review) return;
    this.counts.reviews += 1;
    this.reviews.set(review.organizationId, { scores: review.scores, marked: review.marked });
  }

  public extension(item: StoredItem): void {
    const extension = this.mine(item) ? extensionOf(this.campaign.id, item) : undefined;
    if (!extension) return;
    this.counts.extensions += 1;
    const list = this.extensions.get(extension.organizationId) ?? [];
    list.push(extension);
    this.extensions.set(extension.organizationId, list);
  }

  /** The units of the campaign: the definition's, then those added at run time (each once). */
  private unitList(): ScoredUnitInfo[] {
    const defined = this.campaign.organizations.map((o) => ({ organizationId: o.organizationId, name: o.name.zh, county: o.county, type: o.type }));
    const known = new Set(defined.map((o) => o.organizationId));
    const units: ScoredUnitInfo[] = [...defined];
    for (const o of this.added) {
      if (known.has(o.organizationId)) continue;
      known.add(o.organizationId);
      units.push(o);
    }
    return units;
  }

  /** Scores every unit of the campaign (units with nothing included) and the commendation list. */
  public report(): ScoreReport {
    const units = this.unitList();
    const byUnit = new Map<string, ActivityFacts[]>(units.map((u) => [u.organizationId, []]));
    for (const [activityId, entry] of this.activities) {
      const results = this.results.get(activityId);
      byUnit.get(entry.facts.organizationId)?.push({
        ...entry.facts,
        ...(results ? { results } : {}),
        acceptedMedia: this.media.get(activityId) ?? { photos: 0, videos: 0 },
      });
    }
    const inputs: UnitScoringInput[] = units.map((u) => {
      const reviewerScores = this.reviews.get(u.organizationId)?.scores;
      return {
        organizationId: u.organizationId,
        organizationType: u.type,
        figures: unitFigures(this.campaign, byUnit.get(u.organizationId) ?? [], this.extensions.get(u.organizationId) ?? []),
        unwaivedFlags: this.flags.get(u.organizationId) ?? {},
        ...(reviewerScores ? { reviewerScores } : {}),
        summarySubmitted: this.summaries.has(u.organizationId),
      };
    });
    return finishReport(this.campaign, units, inputs, this.reviews, (id) => this.activities.get(id), { ...this.counts }, 'recomputed-on-read');
  }
}

/** Units' reviews as the scores use them. */
type Reviews = ReadonlyMap<string, { readonly scores: Partial<Record<IndicatorId, number>>; readonly marked: readonly string[] }>;

/** Scores the units, then the commendation lists (a mark counts only on an activity of the reviewed unit). */
function finishReport(
  campaign: Campaign,
  units: readonly ScoredUnitInfo[],
  inputs: readonly UnitScoringInput[],
  reviews: Reviews,
  activity: (activityId: string) => { readonly facts: { readonly organizationId: string }; readonly title: string | undefined; readonly county: string | undefined } | undefined,
  read: Record<string, number>,
  method: ScoreReport['method'],
): ScoreReport {
  const scores = scoreCampaign(campaign, inputs);
  // A mark counts only on an activity of the reviewed unit (the review's write checked it).
  const marks: DistinctiveMark[] = [];
  for (const [organizationId, review] of reviews) {
    for (const activityId of review.marked) {
      if (activity(activityId)?.facts.organizationId === organizationId) marks.push({ activityId, organizationId });
    }
  }
  const overall = commendations(scores, marks, { topUnits: COMMEND_TOP_UNITS, topActivities: COMMEND_TOP_ACTIVITIES });
  const perType = commendations(scores, [], { topUnits: COMMEND_TOP_UNITS_PER_TYPE, topActivities: 0 });
  return {
    campaign,
    scores,
    units: new Map(units.map((u) => [u.organizationId, u])),
    reviewed: new Set(reviews.keys()),
    commendations: {
      units: overall.units,
      byType: perType.byType,
      activities: overall.activities.map((a) => {
        const entry = activity(a.activityId);
        return { ...a, title: entry?.title ?? null, county: entry?.county ?? null };
      }),
    },
    read,
    method,
  };
}

/** A review item as the scores use it; `undefined` without its unit or of another campaign. */
function reviewOf(campaignId: string, item: StoredItem): { organizationId: string; scores: Partial<Record<IndicatorId, number>>; marked: string[] } | undefined {
  const organizationId = str(item.organizationId);
  const c = item.campaignId;
  if (!organizationId || (c !== undefined && c !== campaignId)) return undefined;
  const scores: Partial<Record<IndicatorId, number>> = {};
  for (const [indicator, score] of Object.entries(record(item.scores))) {
    if (num(score) !== undefined) scores[indicator as IndicatorId] = score as number;
  }
  return { organizationId, scores, marked: strings(item.distinctiveActivityIds) };
}

/** An extension item as the scores use it. */
function extensionOf(campaignId: string, item: StoredItem): ExtensionFacts | undefined {
  const organizationId = str(item.organizationId);
  const until = date(item.until);
  const milestone = str(item.milestone);
  const c = item.campaignId;
  if (!organizationId || !until || !milestone || (c !== undefined && c !== campaignId)) return undefined;
  const activityId = str(item.activityId);
  return { organizationId, ...(activityId ? { activityId } : {}), milestone: milestone as MilestoneId, until };
}

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

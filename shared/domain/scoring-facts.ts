/**
 * The scores of a campaign (评价得分与排名) from its stored items, pure: {@link ScoringFacts}
 * gathers what the scorer needs from items as the repositories store them, in any order, one
 * page at a time, and {@link ScoringFacts.report} computes each unit's figures by rules.ts
 * `unitFigures`, then the scorer `scoreCampaign` and the commendation list `commendations`
 * (scoring.ts, docs/scoring.md). `GET /v1/campaigns/{c}/scores` recomputes through it when held
 * against the read model (use-cases/scores.ts), and the export (shared/export/engine.ts) feeds it
 * the pages it stages anyway: the same computation for the API and the files.
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
import { activityFactsOf, activityMediumOf, resultFactsOf, type ActivityFacts, type ActivityItemFacts } from './activity';
import { ORGANIZATION_TYPES, type Campaign, type IndicatorId, type MilestoneId, type OrganizationType } from './campaign';
import { FLAG_CODES, type FlagCode } from './flags';
import { unitFigures, type ExtensionFacts } from './rules';
import {
  commendations,
  scoreCampaign,
  type CampaignScores,
  type CommendedActivity,
  type CommendedUnit,
  type DistinctiveMark,
  type UnitScoringInput,
} from './scoring';
import { date, num, record, str, strings, type StoredItem } from './stored-item';

/** Units commended overall, per organization type, and distinctive activities listed (ranks; ties at the cut all included). */
export const COMMEND_TOP_UNITS = 10;
export const COMMEND_TOP_UNITS_PER_TYPE = 3;
export const COMMEND_TOP_ACTIVITIES = 10;

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
export type Reviews = ReadonlyMap<string, { readonly scores: Partial<Record<IndicatorId, number>>; readonly marked: readonly string[] }>;

/** Scores the units, then the commendation lists (a mark counts only on an activity of the reviewed unit). */
export function finishReport(
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
export function reviewOf(campaignId: string, item: StoredItem): { organizationId: string; scores: Partial<Record<IndicatorId, number>>; marked: string[] } | undefined {
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
export function extensionOf(campaignId: string, item: StoredItem): ExtensionFacts | undefined {
  const organizationId = str(item.organizationId);
  const until = date(item.until);
  const milestone = str(item.milestone);
  const c = item.campaignId;
  if (!organizationId || !until || !milestone || (c !== undefined && c !== campaignId)) return undefined;
  const activityId = str(item.activityId);
  return { organizationId, ...(activityId ? { activityId } : {}), milestone: milestone as MilestoneId, until };
}


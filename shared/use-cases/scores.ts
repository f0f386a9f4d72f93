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
import { FLAG_CODES, unitFigures, type ActivityFacts, type ActivityFormat, type ActivityStatus, type ExtensionFacts, type FlagCode } from '../domain/rules';
import {
  commendations,
  scoreCampaign,
  type CampaignScores,
  type CommendedActivity,
  type CommendedUnit,
  type DistinctiveMark,
  type UnitScoringInput,
} from '../domain/scoring';
import { ForbiddenError } from '../errors';
import type { ExportSource, Pages } from '../export/readers';
import type { StoredItem } from '../export/rows';
import { campaignFor, type CampaignCatalog } from './activity-access';

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
  readonly read: Readonly<Record<FactKind, number>>;
}

type FactKind = 'activities' | 'results' | 'media' | 'flags' | 'summaries' | 'organizations' | 'reviews' | 'extensions';

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined);
const date = (v: unknown): Date | undefined => {
  const s = str(v);
  if (!s) return undefined;
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? undefined : d;
};
const strings = (v: unknown): string[] => {
  const items = v instanceof Set ? [...v] : v;
  return Array.isArray(items) ? items.filter((x): x is string => typeof x === 'string') : [];
};
const record = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

interface ActivityEntry {
  readonly facts: Omit<ActivityFacts, 'results' | 'acceptedMedia'>;
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
    const activityId = str(item.activityId);
    const organizationId = str(item.organizationId);
    const createdAt = date(item.createdAt);
    if (!activityId || !organizationId || !createdAt || !this.mine(item)) return;
    this.counts.activities += 1;
    const volunteers = record(item.volunteers);
    const submittedAt = date(item.submittedAt);
    const startsAt = date(item.startsAt);
    const completedAt = date(item.completedAt);
    const count = num(volunteers.count);
    const hours = num(volunteers.hours);
    this.activities.set(activityId, {
      facts: {
        activityId,
        organizationId,
        createdAt,
        status: (str(item.status) ?? 'draft') as ActivityStatus,
        ...(submittedAt ? { submittedAt } : {}),
        ...(startsAt ? { startsAt } : {}),
        ...(completedAt ? { completedAt } : {}),
        ...(item.kind === 'main-venue' || item.kind === 'joint-action' ? { kind: item.kind } : {}),
        ...(str(item.jointAction) ? { jointAction: str(item.jointAction) } : {}),
        ...(str(item.format) ? { format: str(item.format) as ActivityFormat } : {}),
        ...(str(item.county) ? { county: str(item.county) } : {}),
        ...(num(item.expectedParticipants) !== undefined ? { expectedParticipants: num(item.expectedParticipants) } : {}),
        ...(str(item.onlineUrl) ? { onlineUrl: str(item.onlineUrl) } : {}),
        ...(count !== undefined || hours !== undefined ? { volunteers: { count: count ?? 0, hours: hours ?? 0 } } : {}),
        coOrganizers: strings(item.coOrganizers),
      },
      title: str(item.title),
      county: str(item.county),
    });
  }

  public result(item: StoredItem): void {
    const activityId = str(item.activityId);
    if (!activityId || !this.mine(item)) return;
    this.counts.results += 1;
    const actual = num(item.actualParticipants);
    this.results.set(activityId, {
      ...(actual !== undefined ? { actualParticipants: actual } : {}),
      newsLinks: strings(item.newsLinks),
      ...(str(item.onlineUrl) ? { onlineUrl: str(item.onlineUrl) } : {}),
    });
  }

  public medium(item: StoredItem): void {
    const subject = record(item.subject);
    const activityId = str(subject.activityId);
    if (subject.type !== 'activity' || !activityId || !this.mine(item)) return;
    this.counts.media += 1;
    if (item.status !== 'accepted' || (item.kind !== 'photo' && item.kind !== 'video')) return;
    const seen = this.media.get(activityId) ?? { photos: 0, videos: 0 };
    if (item.kind === 'photo') seen.photos += 1;
    else seen.videos += 1;
    this.media.set(activityId, seen);
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
    const organizationId = str(item.organizationId);
    if (!organizationId || !this.mine(item)) return;
    this.counts.reviews += 1;
    const scores: Partial<Record<IndicatorId, number>> = {};
    for (const [indicator, score] of Object.entries(record(item.scores))) {
      if (num(score) !== undefined) scores[indicator as IndicatorId] = score as number;
    }
    this.reviews.set(organizationId, { scores, marked: strings(item.distinctiveActivityIds) });
  }

  public extension(item: StoredItem): void {
    const organizationId = str(item.organizationId);
    const until = date(item.until);
    const milestone = str(item.milestone);
    if (!organizationId || !until || !milestone || !this.mine(item)) return;
    this.counts.extensions += 1;
    const activityId = str(item.activityId);
    const list = this.extensions.get(organizationId) ?? [];
    list.push({ organizationId, ...(activityId ? { activityId } : {}), milestone: milestone as MilestoneId, until });
    this.extensions.set(organizationId, list);
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
    const scores = scoreCampaign(this.campaign, inputs);

    // A mark counts only on an activity of the reviewed unit (the review's write checked it).
    const marks: DistinctiveMark[] = [];
    for (const [organizationId, review] of this.reviews) {
      for (const activityId of review.marked) {
        if (this.activities.get(activityId)?.facts.organizationId === organizationId) marks.push({ activityId, organizationId });
      }
    }
    const overall = commendations(scores, marks, { topUnits: COMMEND_TOP_UNITS, topActivities: COMMEND_TOP_ACTIVITIES });
    const perType = commendations(scores, [], { topUnits: COMMEND_TOP_UNITS_PER_TYPE, topActivities: 0 });
    return {
      campaign: this.campaign,
      scores,
      units: new Map(units.map((u) => [u.organizationId, u])),
      reviewed: new Set(this.reviews.keys()),
      commendations: {
        units: overall.units,
        byType: perType.byType,
        activities: overall.activities.map((a) => {
          const entry = this.activities.get(a.activityId);
          return { ...a, title: entry?.title ?? null, county: entry?.county ?? null };
        }),
      },
      read: { ...this.counts },
    };
  }
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

export interface GetScoresDeps {
  readonly campaigns: CampaignCatalog;
  readonly source: ScoringSource;
}

/** How long the recomputation took: reading the partitions, then scoring. */
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
export async function getScores(
  input: { principal: Principal; campaignId: string },
  deps: GetScoresDeps,
): Promise<{ report: ScoreReport; timings: ScoreTimings; withheld?: string }> {
  const campaign = await campaignFor(input.principal, deps.campaigns, input.campaignId);
  if (!hasRole(input.principal, 'reviewer', 'admin')) throw new ForbiddenError('reviewers and admins read the scores');
  const started = performance.now();
  const facts = await gatherScoringFacts(campaign, deps.source);
  const read = performance.now();
  const report = facts.report();
  const withheld = reviewWithheldFor(input.principal);
  return {
    report,
    timings: { readMs: read - started, scoreMs: performance.now() - read },
    ...(withheld !== undefined && report.units.has(withheld) ? { withheld } : {}),
  };
}

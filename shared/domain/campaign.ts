/**
 * A campaign is data: one definition per year and city, validated by
 * {@link CampaignDefinitionSchema} and turned into a {@link Campaign} (with its
 * milestones as instants) by {@link loadCampaign}. No rule anywhere names a year, a city,
 * a county or a date: they all read a Campaign.
 */
import * as z from './zod';
import { customIssue, issueParams, toFieldIssues } from './issues';
import { FLAG_CODES, type FlagCode } from './flags';
import { SLUG_PATTERN } from './slug';
import { refuseHiddenCharacters } from './text-hygiene';
import { endOfLocalDay, ISO_DATE, isTimeZone, startOfLocalDay } from './time';

const Slug = z.string().check(z.refine((v) => SLUG_PATTERN.test(v), issueParams('invalid_slug')));
const LocalDate = z.string().check(z.refine((v) => ISO_DATE.test(v), issueParams('invalid_date')));
/** A name in both languages: one line each, no hidden characters (shared/domain/text-hygiene.ts). */
export const BilingualSchema = z.strictObject({
  zh: z.string().check(z.minLength(1), z.superRefine(refuseHiddenCharacters('single'))),
  en: z.string().check(z.minLength(1), z.superRefine(refuseHiddenCharacters('single'))),
});
/** A longer bilingual text (what a reviewer is asked): line breaks allowed, hidden characters not. */
const LongBilingualSchema = z.strictObject({
  zh: z.string().check(z.minLength(1), z.superRefine(refuseHiddenCharacters('multi'))),
  en: z.string().check(z.minLength(1), z.superRefine(refuseHiddenCharacters('multi'))),
});
export type Bilingual = z.infer<typeof BilingualSchema>;

/** The two milestones of every campaign (the notice's 登记填报 and 信息完善/工作总结 dates). */
export const MILESTONE_IDS = ['registration', 'completion'] as const;
export type MilestoneId = (typeof MILESTONE_IDS)[number];

export const ACTIVITY_KINDS = ['main-venue', 'joint-action'] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];

/** Kinds of organizing unit. */
export const ORGANIZATION_TYPES = [
  'association', // 科协
  'department', // 党委、政府部门
  'society', // 学会、协会、研究会
  'enterprise',
  'school',
  'research-institute',
  'venue', // 科普场馆、基地
  'other',
] as const;
export type OrganizationType = (typeof ORGANIZATION_TYPES)[number];

/** What each kind of organizing unit is called (explanations, the commendation sheet). */
export const ORGANIZATION_TYPE_NAMES: Readonly<Record<OrganizationType, { readonly zh: string; readonly en: string }>> = {
  association: { zh: '科协', en: 'association for science and technology' },
  department: { zh: '党委、政府部门', en: 'government department' },
  society: { zh: '学会、协会、研究会', en: 'learned society' },
  enterprise: { zh: '企业', en: 'enterprise' },
  school: { zh: '学校', en: 'school' },
  'research-institute': { zh: '科研院所', en: 'research institute' },
  venue: { zh: '科普场馆、基地', en: 'science venue' },
  other: { zh: '其他单位', en: 'other unit' },
};

export const COUNTY_KINDS = ['district', 'county', 'county-level-city', 'functional-zone', 'city-level'] as const;

/**
 * The penalty for unwaived flags when a campaign sets none (docs/scoring.md §3–4): being late
 * costs 1 point, never delivering 2 (so delivering late is never worse than not delivering), a
 * draft never registered and a unit with nothing registered nothing; at most 10 points.
 */
export const DEFAULT_PENALTY: { readonly points: Readonly<Record<FlagCode, number>>; readonly cap: number } = Object.freeze({
  points: Object.freeze({
    'registration-late': 1,
    'not-published-in-advance': 1,
    'results-late': 1,
    'summary-late': 1,
    'results-missing': 2,
    'summary-missing': 2,
    'registration-overdue': 0,
    'organization-inactive': 0,
  }),
  cap: 10,
});

const PenaltyPoints = z.number().check(z.gte(0), z.lte(100));

/** The seven evaluation indicators (the notice's 组织动员 … 网络活动). */
export const INDICATOR_IDS = [
  'mobilization',
  'scale',
  'publicity',
  'highlights',
  'volunteering',
  'joint-actions',
  'online',
] as const;
export type IndicatorId = (typeof INDICATOR_IDS)[number];

/** Figures computable from the data, per organizing unit (see rules.ts `unitFigures`). */
export const METRIC_IDS = [
  'registered-activities',
  'participants',
  'co-organizers',
  'counties-covered',
  'on-time-rate',
  'news-links',
  'accepted-media',
  'volunteers',
  'volunteer-hours',
  'joint-actions-covered',
  'online-activities-with-url',
] as const;
export type MetricId = (typeof METRIC_IDS)[number];

const MediaKindLimitSchema = z.strictObject({
  contentTypes: z.array(z.string().check(z.regex(/^[a-z]+\/[a-z0-9.+-]+$/))).check(z.minLength(1)),
  maxBytes: z.number().check(z.int(), z.positive()),
  maxPerActivity: z.number().check(z.int(), z.positive()),
});

/**
 * A campaign's life (ADR 0023): an admin drafts it (only admins see a draft), publishes it (its
 * units see it, its schedules exist) and closes it (read-only, schedules removed).
 */
export const CAMPAIGN_STATUSES = ['draft', 'published', 'closed'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

/**
 * Caps on what one unit can make grow (issue 17, item 10), refused past them with a 422 naming
 * the cap: drafts a unit holds at once (a registered activity no longer counts). Media per
 * activity are capped per kind by `media.<kind>.maxPerActivity`.
 */
export const DEFAULT_CAPS: { readonly draftsPerUnit: number } = Object.freeze({ draftsPerUnit: 100 });

/**
 * Days personal information of a campaign is kept after it closes (ADR 0047): then its contacts
 * are removed and its actors pseudonymised. Three years unless the definition says otherwise.
 */
export const DEFAULT_RETENTION_DAYS = 1095;

export const CampaignDefinitionSchema = z.strictObject({
  id: Slug,
  year: z.number().check(z.int(), z.gte(2000), z.lte(2100)),
  /** The city the campaign belongs to: roles in a token apply to one city's campaigns (ADR 0024). */
  cityId: Slug,
  city: BilingualSchema,
  name: BilingualSchema,
  theme: BilingualSchema,
  /** The label every activity carries (标注“2021年全国科普日活动”). */
  brand: BilingualSchema,
  timeZone: z.string().check(z.refine(isTimeZone, issueParams('unknown_time_zone'))),
  /** The concentrated period (集中开展), inclusive local dates. */
  period: z.strictObject({ start: LocalDate, end: LocalDate }),
  /** Each milestone is due by the end of `dueDate` in the campaign's time zone (inclusive). */
  milestones: z.array(
    z.strictObject({ id: z.enum(MILESTONE_IDS), name: BilingualSchema, dueDate: LocalDate, source: z.string().check(z.minLength(1), z.superRefine(refuseHiddenCharacters('multi'))) }),
  ).check(z.length(MILESTONE_IDS.length)),
  contentThemes: z.array(z.strictObject({ id: Slug, name: BilingualSchema })).check(z.minLength(1)),
  activityKinds: z.array(z.strictObject({ id: z.enum(ACTIVITY_KINDS), name: BilingualSchema })).check(z.length(ACTIVITY_KINDS.length)),
  jointActions: z.array(z.strictObject({ id: Slug, name: BilingualSchema })).check(z.minLength(1)),
  counties: z.array(z.strictObject({ id: Slug, name: BilingualSchema, kind: z.enum(COUNTY_KINDS) })).check(z.minLength(1)),
  /** Units the notice addresses; more are added at run time. */
  organizations: z.array(
    z.strictObject({ organizationId: Slug, name: BilingualSchema, county: Slug, type: z.enum(ORGANIZATION_TYPES) }),
  ),
  indicators: z.array(
    z.strictObject({
      id: z.enum(INDICATOR_IDS),
      name: BilingualSchema,
      /** Points out of 100 in the weighted total. */
      weight: z.number().check(z.gte(0), z.lte(100)),
      /** Share of the indicator computed from data (the rest is the reviewer's). */
      computedShare: z.number().check(z.gte(0), z.lte(1)),
      metrics: z.array(z.enum(METRIC_IDS)),
      /** What the reviewer judges, when computedShare < 1. */
      reviewerAsks: z.optional(LongBilingualSchema),
    }),
  ).check(z.length(INDICATOR_IDS.length)),
  media: z.strictObject({ photo: MediaKindLimitSchema, video: MediaKindLimitSchema, document: MediaKindLimitSchema }),
  /** Reminders before each milestone: on the local date `daysBefore` days before its due date, at `localTime`. */
  reminders: z._default(
    z.strictObject({
      daysBefore: z.array(z.number().check(z.int(), z.gte(1), z.lte(60))).check(z.maxLength(5)),
      localTime: z.string().check(z.refine((v) => /^([01]\d|2[0-3]):[0-5]\d$/.test(v), issueParams('invalid_time_of_day'))),
    }),
    { daysBefore: [3, 1], localTime: '09:00' },
  ),
  /** Points (out of 100) each unwaived flag costs, by code, and the most a unit loses to flags. */
  penalty: z._default(
    z.strictObject({
      points: z.strictObject(Object.fromEntries(FLAG_CODES.map((code) => [code, PenaltyPoints])) as Record<FlagCode, typeof PenaltyPoints>),
      cap: PenaltyPoints,
    }),
    DEFAULT_PENALTY,
  ),
  /** Caps on one unit's growth ({@link DEFAULT_CAPS} when the definition leaves them out). */
  caps: z._default(z.strictObject({ draftsPerUnit: z.number().check(z.int(), z.gte(1), z.lte(10_000)) }), DEFAULT_CAPS),
  /** Days its personal information is kept after it closes ({@link DEFAULT_RETENTION_DAYS} when left out). */
  retentionDays: z._default(z.number().check(z.int(), z.gte(30), z.lte(3650)), DEFAULT_RETENTION_DAYS),
}).check(z.superRefine((d, ctx) => {
  const unique = (path: string, ids: string[]) => {
    const seen = new Set<string>();
    ids.forEach((id, i) => {
      if (seen.has(id)) ctx.addIssue(customIssue('duplicate_item', [path, i], { value: id }));
      seen.add(id);
    });
  };
  unique('contentThemes', d.contentThemes.map((t) => t.id));
  unique('jointActions', d.jointActions.map((t) => t.id));
  unique('counties', d.counties.map((t) => t.id));
  unique('organizations', d.organizations.map((t) => t.organizationId));
  unique('milestones', d.milestones.map((t) => t.id));
  unique('indicators', d.indicators.map((t) => t.id));
  unique('activityKinds', d.activityKinds.map((t) => t.id));
  const counties = new Set(d.counties.map((c) => c.id));
  const options = [...counties].join(', ');
  d.organizations.forEach((o, i) => {
    if (!counties.has(o.county)) ctx.addIssue(customIssue('unknown_county', ['organizations', i, 'county'], { value: o.county, options }));
  });
  const inYear = (date: string) => date.startsWith(`${d.year}-`);
  if (!inYear(d.period.start) || !inYear(d.period.end) || d.period.end < d.period.start) {
    ctx.addIssue(customIssue('period_invalid', ['period'], { year: d.year }));
  }
  const byId = Object.fromEntries(d.milestones.map((m) => [m.id, m.dueDate]));
  if ((byId.registration ?? '') > (byId.completion ?? '')) ctx.addIssue(customIssue('registration_after_completion', ['milestones']));
  d.milestones.forEach((m, i) => {
    if (!inYear(m.dueDate)) ctx.addIssue(customIssue('date_outside_year', ['milestones', i, 'dueDate'], { year: d.year }));
  });
  d.reminders.daysBefore.forEach((day, i) => {
    if (d.reminders.daysBefore.indexOf(day) !== i) ctx.addIssue(customIssue('duplicate_item', ['reminders', 'daysBefore', i], { value: day }));
  });
  const totalWeight = d.indicators.reduce((sum, x) => sum + x.weight, 0);
  if (Math.abs(totalWeight - 100) > 1e-9) ctx.addIssue(customIssue('weights_not_100', ['indicators'], { total: totalWeight }));
  d.indicators.forEach((x, i) => {
    if (x.computedShare > 0 && x.metrics.length === 0) ctx.addIssue(customIssue('metrics_required', ['indicators', i, 'metrics']));
    if (x.computedShare < 1 && !x.reviewerAsks) ctx.addIssue(customIssue('reviewer_asks_required', ['indicators', i, 'reviewerAsks']));
  });
}));

export type CampaignDefinition = z.infer<typeof CampaignDefinitionSchema>;

export interface Milestone {
  readonly id: MilestoneId;
  readonly name: Bilingual;
  readonly dueDate: string;
  /** The last on-time instant: 23:59:59.999 of `dueDate` in the campaign's zone. */
  readonly deadline: Date;
  readonly source: string;
}

/** A validated campaign with its milestones as instants. */
export interface Campaign extends Omit<CampaignDefinition, 'milestones'> {
  readonly milestones: Readonly<Record<MilestoneId, Milestone>>;
  /** Where the campaign is in its life (a definition loaded on its own is `published`). */
  readonly status: CampaignStatus;
  /** First and last instants of the campaign year in its zone ("dates inside the campaign year"). */
  readonly yearStart: Date;
  readonly yearEnd: Date;
}

/** Thrown when a campaign definition is not valid; lists every problem. */
export class CampaignDefinitionError extends Error {
  public constructor(
    public readonly campaignId: string,
    public readonly problems: readonly string[],
  ) {
    super(`campaign ${campaignId} is invalid:\n- ${problems.join('\n- ')}`);
    this.name = 'CampaignDefinitionError';
  }
}

/** Validates a definition and derives its instants. The one way any campaign is loaded. */
export function loadCampaign(definition: unknown, status: CampaignStatus = 'published'): Campaign {
  const parsed = CampaignDefinitionSchema.safeParse(definition);
  if (!parsed.success) {
    const id = (definition as { id?: unknown } | null)?.id;
    throw new CampaignDefinitionError(
      typeof id === 'string' ? id : '?',
      // Codes and their params, not messages: the message catalogue stays out of every bundle that
      // loads campaigns (ADR 0050); issue-messages.ts says what each code means.
      toFieldIssues(parsed.error, definition).map((i) => `${i.path || '(root)'}: ${i.code}${i.params ? ` ${JSON.stringify(i.params)}` : ''}`),
    );
  }
  const d = parsed.data;
  const milestones = Object.fromEntries(
    d.milestones.map((m) => [m.id, { ...m, deadline: endOfLocalDay(m.dueDate, d.timeZone) }]),
  ) as Record<MilestoneId, Milestone>;
  return Object.freeze({
    ...d,
    status,
    milestones,
    yearStart: startOfLocalDay(`${d.year}-01-01`, d.timeZone),
    yearEnd: endOfLocalDay(`${d.year}-12-31`, d.timeZone),
  });
}

/**
 * The organizing units of each county that mirror the city-level issuers (the notice is
 * addressed to 各县（市、区）科协、宣传部、教育局…): one per issuer and county.
 */
export function countyCounterparts(
  issuers: ReadonlyArray<{ readonly key: string; readonly type: OrganizationType; readonly name: Bilingual }>,
  counties: ReadonlyArray<{ readonly id: string; readonly name: Bilingual; readonly kind: (typeof COUNTY_KINDS)[number] }>,
): CampaignDefinition['organizations'] {
  return counties.flatMap((county) =>
    issuers.map((issuer) => ({
      organizationId: `${county.id}-${issuer.key}`,
      name: { zh: `${county.name.zh}${issuer.name.zh}`, en: `${county.name.en} ${issuer.name.en}` },
      county: county.id,
      type: issuer.type,
    })),
  );
}

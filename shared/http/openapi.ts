/**
 * The OpenAPI 3.1 document of the HTTP API (`GET /v1/openapi.json`), generated for one
 * campaign: request bodies are the campaign's own zod schemas converted with zod 4's
 * `z.toJSONSchema` (JSON Schema 2020-12, the dialect of OpenAPI 3.1), so the enums
 * (counties, themes, joint actions, media types) and limits are exactly what the handlers
 * validate. Response shapes are zod schemas declared here.
 *
 * One operation per HTTP route of the topology (`httpRoutes(topology)`): {@link OPERATIONS}
 * describes every route of the contract (API.md), including those whose handlers do not
 * exist yet; only routes present in the topology are emitted. A topology route with no
 * description fails the type check ({@link TopologyRouteKey}) and the unit test
 * ({@link undocumentedRoutes}); the document still lists it, marked `x-undocumented`.
 *
 * Conventions the generator derives from each description, so they cannot drift per route:
 * bearer security unless the route is public, path parameters from the template,
 * `Idempotency-Key` on idempotent POSTs, `If-Match` where versions apply, and the
 * problem+json answers (400 401 403 404 409 412 413 415 422 428) that apply.
 *
 * @example
 * const doc = openApiDocument(findCampaign('2021-xinxiang')!);
 */
import * as z from 'zod';
import { ROLES, type Role } from '../auth/principal';
import { CAMPAIGN_STATUSES, CampaignDefinitionSchema, MILESTONE_IDS, ORGANIZATION_TYPES, type Campaign } from '../domain/campaign';
import { campaignCopySchema, campaignStatusChangeSchema, milestoneMoveSchema } from '../schemas/campaign.schema';
import { EXPORT_KINDS } from '../export/export-record';
import { FLAG_CODES } from '../domain/flags';
import type { ActivityStatus } from '../domain/activity';
import { ACTIVITY_FORMATS, activitySchemas } from '../schemas/activity.schema';
import { extensionSchema } from '../schemas/extension.schema';
import { exportRequestSchema as exportRequestBodySchema } from '../schemas/export.schema';
import { flagSchema } from '../schemas/flag.schema';
import { MEDIA_KINDS, uploadRequestSchema } from '../schemas/media.schema';
import { organizationSchemas } from '../schemas/organization.schema';
import { resultsSchema } from '../schemas/results.schema';
import { reviewSchema } from '../schemas/review.schema';
import { summarySchema } from '../schemas/summary.schema';
import { choice, id, isoInstant } from '../schemas/text';
import { waiverSchema } from '../schemas/waiver.schema';
import { httpRoutes, topology as sciDayTopology, type HttpTrigger, type SciDayTopology, type Topology } from '../../infra/topology';

/** A JSON value (the document is plain JSON). */
type Json = Record<string, unknown>;

// --- component schemas ------------------------------------------------------------------

const ACTIVITY_STATUSES = ['draft', 'registered', 'completed'] as const satisfies readonly ActivityStatus[];
const MEDIA_STATUSES = ['pending', 'accepted', 'rejected'] as const;
const EXPORT_FORMATS = ['parquet', 'csv'] as const;

/** A non-negative integer (as `integer()` in text.ts: JSON `integer`, no huge bounds). */
const count = () => z.number().min(0).meta({ type: 'integer' });
const instant = () => isoInstant();
const bilingual = () => z.looseObject({ zh: z.string(), en: z.string() });
const page = <T extends z.ZodType>(item: T) =>
  z.looseObject({
    items: z.array(item),
    nextCursor: z.string().nullable().meta({ description: 'Pass as `?cursor=` for the next page; `null` on the last one.' }),
  });

/** What a reminder names as still missing before a milestone (shared/domain/inbox.ts `ReminderGaps`). */
const reminderGaps = () =>
  z.looseObject({
    noActivity: z.boolean().optional().meta({ description: 'Registration: the unit has no activity at all.' }),
    drafts: count().optional().meta({ description: 'Registration: drafts not yet submitted.' }),
    withoutEvidence: count().optional().meta({ description: 'Completion: registered activities with neither an accepted photo/video nor a news link.' }),
    withoutOnlineUrl: count().optional().meta({ description: 'Completion: online or hybrid activities without their URL.' }),
    summaryMissing: z.boolean().optional().meta({ description: 'Completion: the work summary is not submitted.' }),
  });

/**
 * The body of `POST .../exports` (API.md: `{ "format": "parquet" | "csv" }`): the schema the
 * handler validates (shared/schemas/export.schema.ts), with its optional CSV header `language`.
 */
export const exportRequestSchema = exportRequestBodySchema;

/**
 * `POST /v1/campaigns`: a whole definition (the schema the handler validates), or a copy request
 * `{ copyFrom, id, year? }` (shared/use-cases/create-campaign.ts).
 */
const campaignCreateSchema = z.union([CampaignDefinitionSchema, campaignCopySchema]);
/** `PATCH …/definition`: a JSON merge patch (RFC 7396) of the definition; the result is validated whole. */
const campaignPatchSchema = z.looseObject({}).meta({
  description: 'Any part of the definition (objects merge, `null` removes, arrays replace). The patched definition must be valid as a whole.',
});

/** Request bodies: the schemas the handlers validate, converted with `io: 'input'`. */
const REQUEST_SCHEMAS = {
  ActivityDraft: (c: Campaign) => activitySchemas(c).draft,
  ActivitySubmission: (c: Campaign) => activitySchemas(c).submit,
  ActivityPatch: (c: Campaign) => activitySchemas(c).patch,
  Results: () => resultsSchema,
  Summary: () => summarySchema,
  UploadRequest: (c: Campaign) => uploadRequestSchema(c),
  SummaryUploadRequest: (c: Campaign) => uploadRequestSchema(c, ['document']),
  Extension: (c: Campaign) => extensionSchema(c),
  Review: (c: Campaign) => reviewSchema(c),
  Organization: (c: Campaign) => organizationSchemas(c).create,
  OrganizationSettings: (c: Campaign) => organizationSchemas(c).settings,
  Waiver: () => waiverSchema,
  ExportRequest: () => exportRequestSchema,
  CampaignCreate: () => campaignCreateSchema,
  CampaignPatch: () => campaignPatchSchema,
  CampaignStatusChange: () => campaignStatusChangeSchema,
  MilestoneMove: () => milestoneMoveSchema,
} satisfies Record<string, (c: Campaign) => z.ZodType>;

type RequestSchemaName = keyof typeof REQUEST_SCHEMAS;

const EXPORT_STATUSES = ['queued', 'running', 'succeeded', 'failed'] as const;

/** An export (`GET /v1/exports/{id}`), and the campaign's list of them (`GET …/exports`, no URLs). */
function exportSchemas() {
  const common = () => ({
    exportId: id(),
    campaignId: id(),
    kind: z
      .enum(EXPORT_KINDS)
      .meta({ description: '`requested`: asked for through the API; `milestone`: a milestone’s snapshot, taken once, as of its deadline.' }),
    milestone: z.enum(MILESTONE_IDS).optional().meta({ description: 'The milestone a snapshot (`kind: milestone`) is of.' }),
    format: z.enum(EXPORT_FORMATS),
    language: z.enum(['zh', 'en']).meta({ description: 'The CSV header’s language (Parquet columns always carry the data dictionary’s names).' }),
    snapshot: z.string().meta({ description: 'The snapshot its files belong to: `registration`/`completion` for a milestone, else the export id.' }),
    asOf: instant().meta({ description: 'The instant the data is as of: the milestone’s deadline, or when it was asked for.' }),
    status: z.enum(EXPORT_STATUSES),
    requestedBy: z.string().meta({ description: 'Who asked (`sub`), or `milestone` for a snapshot.' }),
    requestedAt: instant(),
    startedAt: instant().optional(),
    finishedAt: instant().optional().meta({ description: 'When it succeeded or failed.' }),
    readFrom: z
      .enum(['table-copy', 'live-table'])
      .optional()
      .meta({ description: 'Once it succeeded: `table-copy`, the data exactly as of `asOf` (a milestone snapshot read from a copy of the table at that instant); `live-table`, the data while the export ran.' }),
    error: bilingual().optional().meta({ description: 'Once it failed: what to tell people (zh, en); the reason is for operators.' }),
  });
  const Export = z.looseObject({
    ...common(),
    files: z.array(
      z.looseObject({
        entity: z.string(),
        url: z.url().nullable().meta({ description: 'Valid 15 minutes once the export succeeded.' }),
        rows: count(),
        bytes: count(),
        sha256: z.string(),
      }),
    ),
    manifest: z.url().nullable().optional(),
    artifacts: z
      .array(z.looseObject({ name: z.string(), url: z.url().nullable(), bytes: count(), sha256: z.string() }))
      .meta({ description: 'Files for people: `commendations.csv` (the sheet for upward recommendation) and `chart.svg`.' }),
  });
  const ExportListItem = z
    .looseObject({
      ...common(),
      files: z
        .array(z.looseObject({ entity: z.string(), rows: count(), bytes: count() }))
        .meta({ description: 'Once it succeeded, one per table: its rows and size. The URLs are in `GET /v1/exports/{exportId}`, signed when asked for.' }),
      artifacts: z.array(z.looseObject({ name: z.string(), bytes: count() })).meta({ description: 'Files for people beside the tables, by name.' }),
    })
    .meta({ description: 'An export as the campaign’s list shows it: `GET /v1/exports/{exportId}` without the file URLs.' });
  return { Export, ExportListItem, ExportPage: page(ExportListItem) };
}

/** Server representations (`io: 'output'`): loose objects, so clients tolerate new fields. */
function responseSchemas(c: Campaign) {
  const Flag = flagSchema;
  const Problem = z.looseObject({
    type: z.url(),
    title: z.string().meta({ description: 'Follows `Accept-Language` (zh-CN by default, or en).' }),
    status: z.number().min(400).max(599).meta({ type: 'integer' }),
    detail: z.string().optional(),
    requestId: z.string().optional().meta({ description: 'Correlates a 5xx with the logs.' }),
    errors: z
      .array(
        z.strictObject({
          path: z.string().meta({ description: 'Dotted path of the failing field, e.g. `contact.phone`.', examples: ['contact.phone'] }),
          code: z.string().meta({ description: 'Stable machine code.', examples: ['invalid_phone'] }),
          message: z.string().meta({ description: 'Localized like `title`.' }),
        }),
      )
      .optional()
      .meta({ description: 'Every failing field (422).' }),
  });
  const Media = z.looseObject({
    mediaId: id(),
    kind: z.enum(MEDIA_KINDS),
    fileName: z.string(),
    contentType: z.string(),
    size: count().optional(),
    status: z.enum(MEDIA_STATUSES),
    reason: z.string().optional().meta({ description: 'Why a medium was rejected.' }),
  });
  const ResultsView = z.looseObject({ ...resultsSchema.shape, version: count(), updatedAt: instant() });
  const Activity = z.looseObject({
    ...activitySchemas(c).draft.shape,
    id: id(),
    activityId: id(),
    campaignId: id(),
    organizationId: id(),
    status: z.enum(ACTIVITY_STATUSES),
    version: count(),
    createdAt: instant(),
    updatedAt: instant(),
    submittedAt: instant().optional(),
    flags: z.array(Flag),
    media: z.array(Media),
    results: ResultsView.nullable(),
  });
  const OrganizationView = z.looseObject({
    organizationId: id(),
    name: z.string().meta({ description: 'Chinese name.' }),
    nameEn: z.string().optional(),
    county: z.string(),
    type: z.enum(ORGANIZATION_TYPES),
  });
  const UploadTicket = z.looseObject({
    mediaId: id(),
    url: z.url(),
    fields: z.record(z.string(), z.string()).meta({ description: 'Form fields to POST with the file (presigned POST).' }),
    expiresAt: instant(),
    maxBytes: count(),
  });
  const named = z.looseObject({ id: z.string(), name: bilingual() });
  const ExtensionView = z.looseObject({
    ...extensionSchema(c).shape,
    extensionId: z.uuid(),
    campaignId: id(),
    grantedBy: z.string().meta({ description: 'The admin who granted it (`sub`).' }),
    grantedAt: instant(),
  });
  const UnitProgress = unitProgressSchema(OrganizationView);
  return {
    Problem,
    Flag,
    Media,
    ResultsView,
    Activity,
    ActivityPage: page(Activity),
    ActivityHistory: page(
      z.looseObject({
        at: instant(),
        of: z.enum(['activity', 'results']).meta({ description: 'Whose trail: the activity’s or its results’.' }),
        actor: z.string(),
        action: z.enum(['created', 'updated', 'deleted']),
        changes: z.array(z.looseObject({ path: z.string(), old: z.unknown().optional(), new: z.unknown().optional() })),
      }),
    ),
    MediaPage: page(Media),
    UploadTicket,
    SummaryView: z.looseObject({
      ...summarySchema.shape,
      campaignId: id(),
      organizationId: id(),
      version: count(),
      submittedAt: instant(),
      updatedAt: instant(),
    }),
    ReviewView: z.looseObject({
      ...reviewSchema(c).shape,
      distinctiveActivityIds: z.array(id()),
      campaignId: id(),
      organizationId: id(),
      version: count(),
      reviewedBy: z.string().meta({ description: 'The reviewer who wrote this version (`sub`).' }),
      reviewedAt: instant(),
      firstReviewedAt: instant(),
      updatedAt: instant(),
    }),
    OrganizationView,
    OrganizationPage: page(OrganizationView),
    InboxPage: page(
      z.looseObject({
        messageId: z.string(),
        campaignId: id(),
        organizationId: id(),
        kind: z.enum(['reminder']),
        milestone: z.enum(MILESTONE_IDS),
        scheduleId: z.string().meta({ description: 'The schedule that sent it: one message per unit and schedule.' }),
        title: bilingual(),
        text: bilingual().meta({ description: 'What is still missing, e.g. 「3 项活动尚未上传成果照片或新闻链接」.' }),
        gaps: reminderGaps(),
        at: instant().meta({ description: 'The instant the message is about (the reminder’s schedule time).' }),
        createdAt: instant(),
        webhook: z.enum(['queued', 'sent', 'refused', 'failed']).optional().meta({ description: 'Whether it was also sent to the unit’s webhook.' }),
      }),
    ),
    FlagPage: page(Flag),
    UnitStatus: z.looseObject({
      campaignId: id(),
      organization: OrganizationView,
      asOf: instant().meta({ description: 'The server clock’s instant the answer was computed at (`secondsLeft` counts from it).' }),
      milestones: z.array(
        z.looseObject({
          milestone: z.enum(MILESTONE_IDS),
          name: bilingual(),
          dueDate: z.iso.date(),
          campaignDeadline: instant().meta({ description: 'The campaign’s deadline: the last on-time instant of `dueDate`.' }),
          deadline: instant().meta({ description: 'The unit’s deadline: the campaign’s, moved by the latest extension granted to the unit for this milestone.' }),
          extended: z.boolean().meta({ description: '`deadline` differs from `campaignDeadline`.' }),
          passed: z.boolean(),
          secondsLeft: count().meta({ description: 'Whole seconds from `asOf` until `deadline` ends, rounded up; 0 once passed.' }),
          gaps: reminderGaps()
            .nullable()
            .meta({ description: 'What the reminders name as still missing (the same reading); `null` once the deadline passed: the flags say the rest.' }),
          reminder: z
            .looseObject({ title: bilingual(), text: bilingual() })
            .nullable()
            .meta({ description: 'The reminder’s words for `gaps`; `null` when nothing is missing or the deadline passed.' }),
        }),
      ),
      flags: z
        .array(
          z.looseObject({
            ...Flag.shape,
            guide: z.looseObject({ name: bilingual(), meaning: bilingual(), howToClear: bilingual() }).meta({ description: 'What the code means and how to clear it (shared/domain/flag-guide.ts).' }),
          }),
        )
        .meta({ description: 'The unit’s flags and its activities’: open first, then waived, each oldest first.' }),
      activities: z.looseObject({ draft: count(), registered: count(), completed: count() }).meta({ description: 'The unit’s activities by status.' }),
    }),
    ExtensionView,
    ExtensionPage: page(ExtensionView),
    Scores: scoresResponseSchema(),
    UnitProgress,
    ProgressPage: page(UnitProgress).extend({
      asOf: instant().meta({ description: 'The server clock’s instant the counts were read at (they trail the table by about a second).' }),
    }).meta({
      description: 'One page of the campaign’s organizing units with their counts, by `organizationId` ascending.',
    }),
    ExportAccepted: z.looseObject({ exportId: id(), status: z.literal('queued') }),
    ...exportSchemas(),
    Campaign: z.looseObject({
      id: id(),
      campaignId: id(),
      cityId: z.string().meta({ description: 'The city the campaign belongs to (ADR 0024): a token’s roles apply to its own city’s campaigns.' }),
      status: z.enum(['published', 'closed']).meta({
        description: 'Where the campaign is in its life (a draft is never public: 404). `closed`: its data stays readable, every change answers 409 `campaign_closed`.',
      }),
      year: count(),
      name: bilingual(),
      city: bilingual(),
      theme: bilingual(),
      brand: bilingual(),
      timeZone: z.string(),
      period: z.looseObject({ start: z.iso.date(), end: z.iso.date() }),
      milestones: z.array(z.looseObject({ id: z.enum(MILESTONE_IDS), name: bilingual(), dueDate: z.iso.date(), deadline: instant() })),
      activityKinds: z.array(named),
      contentThemes: z.array(named),
      jointActions: z.array(named),
      counties: z.array(z.looseObject({ id: z.string(), name: bilingual(), kind: z.string() })),
      indicators: z.array(z.looseObject({ id: z.string(), name: bilingual(), weight: z.number(), computedShare: z.number() })),
      penalty: penaltySchema(),
      media: z.record(
        z.enum(MEDIA_KINDS),
        z.looseObject({ contentTypes: z.array(z.string()), maxBytes: count(), maxPerActivity: count() }),
      ),
      organizations: z.array(OrganizationView),
    }),
    StoredCampaign: z.looseObject({
      campaignId: id(),
      cityId: z.string(),
      status: z.enum(CAMPAIGN_STATUSES),
      version: count().meta({ description: 'Also the `ETag`: send it as `If-Match` to change the campaign.' }),
      createdAt: instant(),
      createdBy: z.string(),
      updatedAt: instant(),
      updatedBy: z.string(),
      reason: z.string().optional().meta({ description: 'Why the last change was made (a moved date, a closing).' }),
      copiedFrom: z.string().optional(),
      publishedAt: instant().optional(),
      closedAt: instant().optional(),
      definition: z.looseObject({ id: z.string(), cityId: z.string(), year: z.number() }).meta({ description: 'The definition as validated (defaults filled in).' }),
    }),
    CampaignList: z.looseObject({
      items: z.array(
        z.looseObject({
          campaignId: id(),
          cityId: z.string(),
          year: z.number(),
          status: z.enum(CAMPAIGN_STATUSES),
          name: bilingual(),
          city: bilingual(),
          theme: bilingual(),
          period: z.looseObject({ start: z.string(), end: z.string() }),
          milestones: z.array(z.looseObject({ id: z.string(), name: bilingual(), dueDate: z.string(), deadline: instant() })),
        }),
      ),
      nextCursor: z.null(),
    }),
    Liveness: z.looseObject({ status: z.literal('ok') }).meta({ description: 'The API answers. No dependency is asked: `GET /health` does that.' }),
    Health: z.looseObject({
      status: z.enum(['ok', 'unavailable']),
      checkedAt: instant(),
      dependencies: z.array(
        z.looseObject({ name: z.string(), kind: z.enum(['table', 'queue', 'bucket']), ok: z.boolean(), latencyMs: z.number(), error: z.string().optional() }),
      ),
    }),
  } satisfies Record<string, z.ZodType>;
}

/**
 * One row of the association's progress board (`GET …/progress`, shared/http/progress-views.ts):
 * the unit as `GET …/organizations` lists it, with the read model's counts (ADR 0021).
 */
const unitProgressSchema = (organization: z.ZodObject) =>
  z
    .looseObject({
      ...organization.shape,
      activities: z
        .looseObject({
          draft: count().meta({ description: 'Activities still in draft (never submitted).' }),
          registered: count().meta({ description: 'Activities registered: status `registered` or `completed`.' }),
          registeredOnTime: count().meta({ description: '`registered` − `registeredLate`.' }),
          registeredLate: count().meta({ description: 'Registered activities carrying a `registration-late` flag, waived or not.' }),
          resultsComplete: count().meta({ description: 'Activities whose results meet the completion rule: status `completed`.' }),
          resultsLate: count().meta({ description: '`results-late` flags of the unit’s activities, waived or not.' }),
        })
        .meta({ description: 'The unit’s activities counted.' }),
      summary: z
        .looseObject({
          submitted: z.boolean().meta({ description: 'The work summary is submitted.' }),
          submittedAt: instant().nullable().meta({ description: 'When it was first submitted; `null` when not.' }),
          late: z.boolean().meta({ description: 'A `summary-late` flag exists (waived or not).' }),
        })
        .meta({ description: 'The unit’s work summary.' }),
      flags: z
        .looseObject({
          open: count().meta({ description: 'Flags of the unit and of its activities not waived.' }),
          waived: count().meta({ description: 'Flags of the unit and of its activities waived.' }),
        })
        .meta({ description: 'Every flag of the unit, its activities’ included.' }),
      lastChangeAt: instant()
        .nullable()
        .meta({
          description:
            'The latest `updatedAt` of the unit’s activities, results and summary (its own changes, not flags raised by jobs); `null` when it has none.',
        }),
    })
    .meta({
      description:
        'An organizing unit with its counts, from the progress read model (kept from the table’s stream: about a second behind a change). A unit with nothing yet has zeros, `false` and `null`.',
    });

/** `GET …/scores` (shared/http/score-views.ts `scoresView`; the formula in docs/scoring.md). */
/** The campaign's penalty for unwaived flags (campaign data, docs/scoring.md §4). */
const penaltySchema = () =>
  z
    .looseObject({
      points: z.record(z.string(), z.number()).meta({ description: 'Points (out of 100) each unwaived flag of a code costs.' }),
      cap: z.number().meta({ description: 'The most a unit loses to flags.' }),
    })
    .meta({ description: 'The campaign’s penalty for unwaived flags: 扣分规则.' });

function scoresResponseSchema() {
  const tie = z
    .looseObject({
      group: count().meta({ description: 'The tie this unit is in: its index in the list’s `ties`, which names every unit of it once.' }),
      explanation: bilingual().meta({ description: 'With whom (up to 3 others by id; a larger tie by its size), on what total, and the rank shared.' }),
    })
    .nullable()
    .meta({ description: 'Units with the same total (to the hundredth) share a rank (1, 2, 2, 4); null when not tied.' });
  const ties = z
    .array(
      z.looseObject({
        group: count().meta({ description: 'Its index in this array (what a tied entry’s `tie.group` names).' }),
        rank: count(),
        total: z.number(),
        organizationIds: z.array(id()).meta({ description: 'Every unit of the tie, by organization id (the list’s order).' }),
      }),
    )
    .meta({ description: 'Each tie of the list once, best first: the units sharing one rank (two or more).' });
  const commended = z.looseObject({
    organizationId: id(),
    name: z.string(),
    county: z.string().nullable(),
    organizationType: z.enum(ORGANIZATION_TYPES),
    total: z.number(),
    rank: count().meta({ description: 'Among the units with at least one registered activity (overall, or of this type).' }),
    tie,
  });
  return z.looseObject({
    campaignId: id(),
    computedAt: instant(),
    indicators: z.array(
      z.looseObject({
        indicatorId: z.string(),
        name: bilingual(),
        weight: z.number(),
        computedShare: z.number(),
        metrics: z.array(z.string()),
        reviewerAsks: bilingual().optional().meta({ description: 'What the reviewer judges (indicators with computedShare < 1).' }),
      }),
    ),
    maxima: z.record(z.string(), z.number()).meta({ description: 'Per metric, the largest figure among the units (what each is divided by).' }),
    penalty: penaltySchema(),
    units: z.array(
      z.looseObject({
        organizationId: id(),
        name: z.string(),
        county: z.string().nullable(),
        type: z.enum(ORGANIZATION_TYPES),
        reviewed: z.boolean(),
        reviewWithheld: z.literal(true).optional().meta({
          description:
            'Present on the caller’s own unit when the caller is a reviewer and not an admin (as `GET …/review` refuses them its review): ' +
            'its reviewer scores, the points of each indicator with a reviewer share, and which reviewer scores are missing are left out.',
        }),
        figures: z.record(z.string(), z.number()).meta({ description: 'The raw figures (rules.ts `unitFigures`), per metric.' }),
        normalised: z.record(z.string(), z.number()).meta({ description: 'Each figure divided by the campaign’s maximum (the on-time rate as is), 0..1.' }),
        indicators: z.array(
          z.looseObject({
            indicatorId: z.string(),
            weight: z.number(),
            computedShare: z.number(),
            computed: z.number().nullable().meta({ description: 'Computed part, 0..1 (mean of the normalised metrics).' }),
            reviewer: z.number().nullable().meta({ description: 'The reviewer’s score, 0..100; null when not given or not asked.' }),
            score: z.number().nullable().meta({ description: 'Points, 0..weight, rounded half up to 0.01; null only where the unit has `reviewWithheld` and the indicator a reviewer share.' }),
          }),
        ),
        subtotal: z.number(),
        penalty: z.looseObject({
          flags: z.record(z.enum(FLAG_CODES), count()).meta({ description: 'Unwaived flags per code.' }),
          points: z.number(),
          capped: z.boolean(),
        }),
        total: z.number().meta({ description: 'max(0, subtotal − penalty points), 0..100.' }),
        rank: count(),
        tie,
        missing: z.array(
          z.looseObject({
            code: z.enum(['no-registered-activity', 'no-summary', 'reviewer-scores']),
            indicators: z.array(z.string()).optional(),
            message: bilingual(),
          }),
        ),
      }),
    ),
    ties,
    commendations: z.looseObject({
      units: z.array(commended).meta({ description: 'Best 10 ranks overall (a tie at the cut lengthens the list).' }),
      ties: ties.meta({ description: 'The ties of `commendations.units`, each once.' }),
      byType: z.array(z.looseObject({ organizationType: z.enum(ORGANIZATION_TYPES), units: z.array(commended), ties })).meta({
        description: 'Best 3 ranks of each organization type present, each list with its ties.',
      }),
      activities: z.array(
        z.looseObject({
          activityId: id(),
          title: z.string().nullable(),
          organizationId: id(),
          unitName: z.string(),
          county: z.string().nullable(),
          marks: count(),
          highlights: z.number().nullable().meta({ description: 'Its unit’s 效果亮点 reviewer score; null when not given, or when the unit has `reviewWithheld`.' }),
          unitTotal: z.number(),
          rank: count(),
          tie: z
            .looseObject({ group: count().meta({ description: 'Its index in `activityTies`.' }) })
            .nullable()
            .meta({ description: 'Activities equal on marks, 效果亮点 and unit total share a rank; null when not tied.' }),
        }),
      ).meta({ description: 'Best 10 ranks of the activities reviewers marked distinctive: by marks, then the unit’s 效果亮点 score, then its total.' }),
      activityTies: z
        .array(z.looseObject({ group: count(), rank: count(), activityIds: z.array(id()).meta({ description: 'Every activity of the tie (the list’s order).' }) }))
        .meta({ description: 'Each tie of `commendations.activities` once, best first.' }),
    }),
    measured: z.looseObject({
      method: z.literal('recomputed-on-read'),
      readMs: z.number(),
      scoreMs: z.number(),
      itemsRead: z.record(z.string(), count()),
    }),
  });
}

type ResponseSchemaName = keyof ReturnType<typeof responseSchemas>;
type SchemaName = RequestSchemaName | ResponseSchemaName;

const ref = (name: SchemaName): Json => ({ $ref: `#/components/schemas/${name}` });

/** Every schema of `registry` as JSON Schema 2020-12, cross-references as component `$ref`s. */
function convert(registry: z.core.$ZodRegistry<{ id: string }>, io: 'input' | 'output'): Record<string, Json> {
  const { schemas } = z.toJSONSchema(registry, {
    target: 'draft-2020-12',
    io,
    // Refinements and overwrites have no JSON Schema form: their base types stand for them.
    unrepresentable: 'any',
    uri: (name) => `#/components/schemas/${name}`,
  });
  // `$schema` is implied by OpenAPI 3.1; a fragment `$id` is not a valid 2020-12 `$id`.
  return Object.fromEntries(
    Object.entries(schemas).map(([name, { $schema: _s, $id: _i, ...schema }]) => [name, schema as Json]),
  );
}

/** The component schemas of `campaign`: requests (input) and responses (output). */
export function componentSchemas(campaign: Campaign): Record<SchemaName, Json> {
  const requests = z.registry<{ id: string }>();
  for (const [name, build] of Object.entries(REQUEST_SCHEMAS)) requests.add(build(campaign), { id: name });
  const responses = z.registry<{ id: string }>();
  for (const [name, schema] of Object.entries(responseSchemas(campaign))) responses.add(schema, { id: name });
  return { ...convert(requests, 'input'), ...convert(responses, 'output') } as Record<SchemaName, Json>;
}

// --- operations -----------------------------------------------------------------------------

type Tag = 'System' | 'Campaigns' | 'Activities' | 'Media' | 'Summaries' | 'Organizations' | 'Flags' | 'Reviews' | 'Exports';

const TAGS: Record<Tag, string> = {
  System: '系统 · Health and this document',
  Campaigns: '活动年度 · Campaigns: what a form needs',
  Activities: '活动报送 · Activities: register, publish, report results',
  Media: '图片视频与文档 · Photos, videos and documents (presigned uploads)',
  Summaries: '工作总结 · Organizations’ work summaries',
  Organizations: '组织单位 · Organizing units',
  Flags: '逾期与缺报 · Flags, waivers and extensions',
  Reviews: '评价 · Reviews and scores',
  Exports: '数据导出 · Exports for analysts',
};

/** A query parameter: its schema (per campaign) and what it means. */
interface QueryParam {
  readonly schema: (c: Campaign) => z.ZodType;
  readonly description: string;
}

/** One operation of the contract. */
export interface OperationSpec {
  readonly summary: { readonly zh: string; readonly en: string };
  readonly tags: readonly Tag[];
  /**
   * Roles that may call it (`x-roles`); `'anyone'` for public routes and `'signed-in'` for
   * any valid token. Scope (own unit, owner) is in `who`.
   */
  readonly roles: readonly Role[] | 'anyone' | 'signed-in';
  /** Who, in the contract's words (API.md "who" column). */
  readonly who: string;
  readonly description?: string;
  /** A JSON body: the named request schema. */
  readonly requestBody?: RequestSchemaName;
  /** Also accepts a `text/csv` body (described here). */
  readonly csvBody?: string;
  /** Replays of the same `Idempotency-Key` within 24 h return the first response. */
  readonly idempotent?: boolean;
  /** `If-Match`: always needed, needed once the resource exists, or optional (checked when sent). */
  readonly ifMatch?: 'required' | 'when-exists' | 'optional';
  /** `?limit=` and `?cursor=`. */
  readonly paged?: boolean;
  /** Filters in the query string. */
  readonly query?: Readonly<Record<string, QueryParam>>;
  /** 409 when the resource's state forbids it (e.g. submitting a registered activity). */
  readonly conflict?: boolean;
  /** Query parameters are validated like a body: a value that is not acceptable is a 422 naming it. */
  readonly validatesQuery?: boolean;
  /** The stored resource must satisfy this schema (`x-validates`), else 422. */
  readonly validates?: RequestSchemaName;
  readonly response: {
    readonly status: 200 | 201 | 202;
    readonly description: string;
    /** A component, or any JSON object. */
    readonly schema: ResponseSchemaName | 'object';
    readonly etag?: boolean;
    /** Template of the `Location` header, e.g. `/v1/activities/{activityId}`. */
    readonly location?: string;
    readonly cacheControl?: string;
  };
  /** A budget per caller: 429 with `Retry-After` when it is spent. */
  readonly rateLimited?: boolean;
  /** Further non-problem answers (e.g. the health check's 503). */
  readonly otherResponses?: Readonly<Record<string, { readonly description: string; readonly schema: ResponseSchemaName; readonly location?: string }>>;
}

const MANAGE = ['reviewer', 'admin'] as const satisfies readonly Role[];
const READERS = ['organizer', 'reviewer', 'admin'] as const satisfies readonly Role[];
const byId = (ids: (c: Campaign) => readonly string[]) => (c: Campaign) => choice(ids(c));

/** Every route of the contract (API.md "Resources and routes"), keyed `METHOD /path`. */
export const OPERATIONS = {
  'GET /health': {
    summary: { zh: '健康检查', en: 'Health check' },
    tags: ['System'],
    roles: 'anyone',
    who: 'anyone',
    description:
      '`{ "status": "ok" }` once every table, queue and bucket answers; 503 otherwise. The check asks each dependency a ' +
      'metadata question, so its report is reused for 10 seconds (`checkedAt` says when it was made, `Age` how long ago) and ' +
      'the route has a low throttle of its own. Probe `GET /health/live` for whether the API answers at all.',
    response: { status: 200, description: 'Every dependency answers.', schema: 'Health' },
    otherResponses: { '503': { description: 'Some dependency does not answer.', schema: 'Health' } },
  },
  'GET /health/live': {
    summary: { zh: '存活探测', en: 'Liveness probe' },
    tags: ['System'],
    roles: 'anyone',
    who: 'anyone',
    description:
      'Whether the API answers: `{ "status": "ok" }` without asking any dependency (no AWS call), for load balancers and uptime ' +
      'monitors. `GET /health` is the deep check.',
    response: { status: 200, description: 'The API answers.', schema: 'Liveness', cacheControl: 'no-store' },
  },
  'GET /v1/campaigns/{campaignId}': {
    summary: { zh: '查询活动年度（报送表单所需的一切）', en: 'Get a campaign: everything a form needs' },
    tags: ['Campaigns'],
    roles: 'anyone',
    who: 'anyone',
    description: 'A published or closed campaign (`status`). A draft is never public: it answers 404, as a missing campaign does.',
    response: { status: 200, description: 'Name, theme, period, milestones, themes, joint actions, counties, units.', schema: 'Campaign' },
  },
  'GET /v1/campaigns': {
    summary: { zh: '本市的活动季', en: 'List your city’s campaigns' },
    tags: ['Campaigns'],
    roles: 'signed-in',
    who: 'anyone signed in: their city’s published and closed campaigns; admins also its drafts',
    description: 'Newest year first. A city has a handful of campaigns: one page, `nextCursor` is always null.',
    response: { status: 200, description: 'The campaigns.', schema: 'CampaignList', cacheControl: 'private, no-store' },
  },
  'POST /v1/campaigns': {
    summary: { zh: '新建活动季（草稿）', en: 'Create a draft campaign' },
    tags: ['Campaigns'],
    roles: ['admin'],
    who: 'admin, of the campaign’s city',
    description:
      'Either a whole definition (validated with every cross-check; `cityId` must be your city: 422 `city_not_yours`), or `{ copyFrom, id, year? }`: ' +
      'a copy of a past campaign of your city with every date moved to the new year, the year in its name and brand replaced, and its units ' +
      '(from its definition and added since) carried over. The campaign is a draft (only admins see it) until published. An id taken: 409. Audited.',
    requestBody: 'CampaignCreate',
    idempotent: true,
    conflict: true,
    response: { status: 201, description: 'The stored draft.', schema: 'StoredCampaign', etag: true, location: '/v1/campaigns/{campaignId}/definition' },
  },
  'GET /v1/campaigns/{campaignId}/definition': {
    summary: { zh: '活动季定义（管理）', en: 'Get a campaign’s stored definition' },
    tags: ['Campaigns'],
    roles: ['admin'],
    who: 'admin, of the campaign’s city (another city’s campaign: 404)',
    response: { status: 200, description: 'The definition, its status and version.', schema: 'StoredCampaign', etag: true, cacheControl: 'private, no-store' },
  },
  'PATCH /v1/campaigns/{campaignId}/definition': {
    summary: { zh: '修改活动季定义', en: 'Edit a campaign' },
    tags: ['Campaigns'],
    roles: ['admin'],
    who: 'admin, of the campaign’s city',
    description:
      'A JSON merge patch of the definition; the result is validated whole. A draft may change anything but `id` and `cityId`. A published campaign ' +
      'keeps its id, city, year and time zone, never loses a county, theme, joint action or unit (`cannot_remove`), moves its dates only through ' +
      '`PUT …/milestones/{milestoneId}` (`use_milestone_route`), and keeps its indicators’ weights once a review exists (`weights_locked`). ' +
      'A closed campaign: 409 `campaign_closed`. Audited; other functions see the change within 30 s (ADR 0023).',
    requestBody: 'CampaignPatch',
    ifMatch: 'required',
    conflict: true,
    response: { status: 200, description: 'The campaign as stored.', schema: 'StoredCampaign', etag: true },
  },
  'POST /v1/campaigns/{campaignId}/publish': {
    summary: { zh: '发布活动季', en: 'Publish a campaign' },
    tags: ['Campaigns'],
    roles: ['admin'],
    who: 'admin, of the campaign’s city',
    description:
      'Its units, reviewers and analysts see it from now on, and its milestone and reminder schedules are made (one Scheduler group per campaign). ' +
      'Publishing a published campaign changes nothing; a closed one: 409. Audited.',
    requestBody: 'CampaignStatusChange',
    ifMatch: 'optional',
    conflict: true,
    response: { status: 200, description: 'The campaign as stored.', schema: 'StoredCampaign', etag: true },
  },
  'POST /v1/campaigns/{campaignId}/close': {
    summary: { zh: '结束活动季', en: 'Close a campaign' },
    tags: ['Campaigns'],
    roles: ['admin'],
    who: 'admin, of the campaign’s city',
    description:
      'Its data stays readable and exportable; every change to it answers 409 `campaign_closed`, and its schedules are removed. Closing a closed ' +
      'campaign changes nothing. Audited with the reason given.',
    requestBody: 'CampaignStatusChange',
    ifMatch: 'optional',
    response: { status: 200, description: 'The campaign as stored.', schema: 'StoredCampaign', etag: true },
  },
  'PUT /v1/campaigns/{campaignId}/milestones/{milestoneId}': {
    summary: { zh: '调整截止日期', en: 'Move a milestone’s due date' },
    tags: ['Campaigns'],
    roles: ['admin'],
    who: 'admin, of the campaign’s city',
    description:
      '`{ dueDate: "YYYY-MM-DD", reason }`: the milestone is due by the end of that day in the campaign’s zone. Only a milestone that has not passed ' +
      '(`milestone_passed`), to a date still ahead (`date_not_in_future`), keeping registration before completion. Audited with the reason; ' +
      'its schedules (and its reminders’) move with it. An unknown `milestoneId`: 404.',
    requestBody: 'MilestoneMove',
    ifMatch: 'optional',
    conflict: true,
    response: { status: 200, description: 'The campaign as stored.', schema: 'StoredCampaign', etag: true },
  },
  'POST /v1/campaigns/{campaignId}/activities': {
    summary: { zh: '创建活动草稿', en: 'Create a draft activity' },
    tags: ['Activities'],
    roles: ['organizer'],
    who: 'organizer (for its own unit)',
    requestBody: 'ActivityDraft',
    idempotent: true,
    response: { status: 201, description: 'The draft.', schema: 'Activity', etag: true, location: '/v1/activities/{activityId}' },
  },
  'GET /v1/campaigns/{campaignId}/activities': {
    summary: { zh: '活动列表', en: 'List activities' },
    tags: ['Activities'],
    roles: READERS,
    who: 'organizer (own unit), reviewer, admin',
    paged: true,
    query: {
      status: { schema: () => z.enum(ACTIVITY_STATUSES), description: 'Only activities in this status.' },
      county: { schema: byId((c) => c.counties.map((x) => x.id)), description: 'Only activities in this county/district.' },
      jointAction: { schema: byId((c) => c.jointActions.map((x) => x.id)), description: 'Only this joint action.' },
      format: { schema: () => z.enum(ACTIVITY_FORMATS), description: 'Only this format.' },
      organizationId: { schema: () => id(), description: 'Only this unit’s activities (reviewer, admin).' },
      flagged: { schema: () => z.enum(['true']), description: '`true`: only activities with an unwaived flag.' },
    },
    response: { status: 200, description: 'One page of activities.', schema: 'ActivityPage' },
  },
  'GET /v1/activities/{activityId}': {
    summary: { zh: '查看活动', en: 'Get an activity' },
    tags: ['Activities'],
    roles: READERS,
    who: 'owner, reviewer, admin (another unit’s activity answers 404)',
    response: { status: 200, description: 'The activity with its flags and media.', schema: 'Activity', etag: true },
  },
  'PATCH /v1/activities/{activityId}': {
    summary: { zh: '修改活动', en: 'Change an activity' },
    tags: ['Activities'],
    roles: ['organizer'],
    who: 'owner',
    description: 'JSON merge patch of draft or registered fields: a field left out stays, `null` removes it.',
    requestBody: 'ActivityPatch',
    ifMatch: 'required',
    conflict: true,
    response: { status: 200, description: 'The changed activity.', schema: 'Activity', etag: true },
  },
  'GET /v1/activities/{activityId}/history': {
    summary: { zh: '活动修改记录', en: 'An activity’s audit trail' },
    tags: ['Activities'],
    roles: READERS,
    who: 'owner, reviewer, admin',
    paged: true,
    response: { status: 200, description: 'Who changed what, when (field-level), oldest first, a page at a time (the trail grows with every change).', schema: 'ActivityHistory' },
  },
  'POST /v1/activities/{activityId}/submit': {
    summary: { zh: '登记发布活动', en: 'Register and publish an activity' },
    tags: ['Activities'],
    roles: ['organizer'],
    who: 'owner',
    description:
      'No body. The stored draft must satisfy `ActivitySubmission` (422 lists every missing or invalid field); ' +
      '`status` becomes `registered`, `submittedAt` is set and lateness flags are computed.',
    idempotent: true,
    ifMatch: 'optional',
    conflict: true,
    validates: 'ActivitySubmission',
    response: { status: 200, description: 'The registered activity with any lateness flags.', schema: 'Activity', etag: true },
  },
  'PUT /v1/activities/{activityId}/results': {
    summary: { zh: '填报活动成效', en: 'Report an activity’s progress and results' },
    tags: ['Activities'],
    roles: ['organizer'],
    who: 'owner',
    description: 'Replaces the results whole. The activity becomes `completed` once results satisfy the completion rule.',
    requestBody: 'Results',
    ifMatch: 'when-exists',
    conflict: true,
    response: { status: 200, description: 'The activity with its results; `ETag` is the results’ version.', schema: 'Activity', etag: true },
  },
  'POST /v1/activities/{activityId}/uploads': {
    summary: { zh: '申请上传图片、视频或文档', en: 'Presigned upload of a photo, video or document' },
    tags: ['Media'],
    roles: ['organizer'],
    who: 'owner',
    requestBody: 'UploadRequest',
    idempotent: true,
    description: 'A retry with the same `Idempotency-Key` answers with the same media item, presigned afresh (`Idempotent-Replayed: true`), so an upload that lost its answer is never a second file.',
    response: { status: 201, description: 'Where and how to POST the file.', schema: 'UploadTicket' },
  },
  'GET /v1/activities/{activityId}/media': {
    summary: { zh: '活动的图片、视频与文档', en: 'An activity’s media' },
    tags: ['Media'],
    roles: READERS,
    who: 'owner, reviewer, admin',
    response: { status: 200, description: 'Media with their status (`pending`, `accepted`, `rejected` + `reason`).', schema: 'MediaPage' },
  },
  'PUT /v1/campaigns/{campaignId}/organizations/{orgId}/summary': {
    summary: { zh: '提交工作总结', en: 'Put a unit’s work summary' },
    tags: ['Summaries'],
    roles: ['organizer'],
    who: 'that unit’s organizer',
    requestBody: 'Summary',
    ifMatch: 'when-exists',
    response: { status: 200, description: 'The summary as stored.', schema: 'SummaryView', etag: true },
  },
  'GET /v1/campaigns/{campaignId}/organizations/{orgId}/summary': {
    summary: { zh: '查看工作总结', en: 'Get a unit’s work summary' },
    tags: ['Summaries'],
    roles: READERS,
    who: 'that unit, reviewer, admin',
    response: { status: 200, description: 'The summary.', schema: 'SummaryView', etag: true },
  },
  'POST /v1/campaigns/{campaignId}/organizations/{orgId}/summary/uploads': {
    summary: { zh: '申请上传总结文档', en: 'Presigned upload of a summary document' },
    tags: ['Summaries', 'Media'],
    roles: ['organizer'],
    who: 'that unit’s organizer',
    requestBody: 'SummaryUploadRequest',
    idempotent: true,
    description: 'A retry with the same `Idempotency-Key` answers with the same media item, presigned afresh (`Idempotent-Replayed: true`), so an upload that lost its answer is never a second file.',
    response: { status: 201, description: 'Where and how to POST the document.', schema: 'UploadTicket' },
  },
  'GET /v1/campaigns/{campaignId}/organizations': {
    summary: { zh: '组织单位列表', en: 'List the organizing units' },
    tags: ['Organizations'],
    roles: 'signed-in',
    who: 'anyone signed in',
    paged: true,
    response: { status: 200, description: 'The units.', schema: 'OrganizationPage' },
  },
  'POST /v1/campaigns/{campaignId}/organizations': {
    summary: { zh: '添加组织单位（可批量导入 CSV）', en: 'Add organizing units (or import CSV)' },
    tags: ['Organizations'],
    roles: ['admin'],
    who: 'admin',
    requestBody: 'Organization',
    csvBody: 'Bulk import: a header row `name,county,type` and one unit per row, imported all rows or none.',
    idempotent: true,
    conflict: true,
    response: {
      status: 201,
      description: 'The unit added (JSON body) or every unit imported (CSV body, as a page).',
      schema: 'OrganizationView',
      location: '/v1/campaigns/{campaignId}/organizations/{orgId}',
    },
  },
  'PATCH /v1/campaigns/{campaignId}/organizations/{orgId}': {
    summary: { zh: '修改单位联系与通知设置', en: 'Change a unit’s contact and notification settings' },
    tags: ['Organizations'],
    roles: ['admin', 'organizer'],
    who: 'admin, that unit’s organizer',
    description:
      'JSON merge patch (`null` removes). Settings are versioned: a unit whose settings never changed is at ETag `"0"`; a stale If-Match answers 412 with the current ETag. `webhookUrl` must be https; private and loopback addresses are refused outside the local runtime.',
    requestBody: 'OrganizationSettings',
    ifMatch: 'required',
    response: { status: 200, description: 'The unit’s settings.', schema: 'OrganizationView', etag: true },
  },
  'GET /v1/campaigns/{campaignId}/organizations/{orgId}/inbox': {
    summary: { zh: '单位收件箱（提醒与通知）', en: 'A unit’s inbox: reminders and notices' },
    tags: ['Organizations'],
    roles: ['organizer', 'admin'],
    who: 'that unit, admin',
    paged: true,
    response: { status: 200, description: 'Messages, newest first.', schema: 'InboxPage' },
  },
  'GET /v1/campaigns/{campaignId}/organizations/{orgId}/status': {
    summary: { zh: '单位报送进度（首页）', en: 'A unit’s status: deadlines, what is missing, flags' },
    tags: ['Organizations'],
    roles: READERS,
    who: 'that unit’s organizer, reviewer, admin (an organizer of another unit: 404; analysts: 403)',
    description:
      'For each milestone the unit’s deadline (extensions granted to the unit included), whether it passed and the seconds left at ' +
      'the server’s clock; until then what is still missing, exactly as the reminders name it, with the reminder’s words. The unit’s ' +
      'flags (its activities’ and its own) as `GET …/flags` shapes them, each with what it means and how to clear it (zh, en). ' +
      'The unit’s activities counted by status.',
    response: { status: 200, description: 'The unit’s status.', schema: 'UnitStatus', cacheControl: 'no-store' },
  },
  'GET /v1/campaigns/{campaignId}/flags': {
    summary: { zh: '逾期与缺报标记', en: 'List flags' },
    tags: ['Flags'],
    roles: MANAGE,
    who: 'reviewer, admin',
    description: 'Oldest first (by `raisedAt`). A filter value that is not acceptable: 400 naming the parameter.',
    paged: true,
    query: {
      code: { schema: () => z.enum(FLAG_CODES), description: 'Only this flag code.' },
      organizationId: { schema: () => id(), description: 'Only this unit’s flags.' },
      milestone: { schema: () => z.enum(MILESTONE_IDS), description: 'Only this milestone.' },
      waived: { schema: () => z.enum(['true', 'false']), description: 'Only waived (`true`) or unwaived (`false`) flags.' },
    },
    response: { status: 200, description: 'One page of flags.', schema: 'FlagPage' },
  },
  'GET /v1/campaigns/{campaignId}/progress': {
    summary: { zh: '各单位报送进度一览', en: 'Every unit’s progress: the association’s board' },
    tags: ['Organizations'],
    roles: MANAGE,
    who: 'reviewer, admin (organizers, their own unit included, and analysts: 403)',
    description:
      'One item per organizing unit of the campaign (the definition’s and those added at run time), by `organizationId` ascending, ' +
      'with its counts: activities registered on time or late, results complete and late, the work summary, open and waived flags, ' +
      'the last change. Read from the progress read model (ADR 0021), never from the activities: it follows a change (a unit added ' +
      'too) within about a second. A `county` or `type` that is not the campaign’s: 422 naming each, with the accepted values.',
    paged: true,
    validatesQuery: true,
    query: {
      county: { schema: byId((c) => c.counties.map((x) => x.id)), description: 'Only units of this county/district.' },
      type: { schema: () => z.enum(ORGANIZATION_TYPES), description: 'Only units of this type.' },
    },
    response: { status: 200, description: 'One page of units with their counts.', schema: 'ProgressPage', cacheControl: 'no-store' },
  },
  'POST /v1/flags/{flagId}/waive': {
    summary: { zh: '豁免标记', en: 'Waive a flag' },
    tags: ['Flags'],
    roles: ['admin'],
    who: 'admin',
    description:
      'The flag stays, marked waived with `waivedReason`, `waivedBy` and `waivedAt`, and no longer counts as open ' +
      '(`?flagged=true`); its activity’s version goes up by one. A flag waived already: 409 with `errors[0].code` `flag_already_waived`.',
    requestBody: 'Waiver',
    conflict: true,
    response: { status: 200, description: 'The waived flag.', schema: 'Flag' },
  },
  'POST /v1/campaigns/{campaignId}/extensions': {
    summary: { zh: '批准延期', en: 'Grant an extension' },
    tags: ['Flags'],
    roles: ['admin'],
    who: 'admin',
    description:
      'Moves the unit’s (or one activity’s) deadline of `milestone` to `until` for lateness judged from now on. ' +
      'A unit not listed in the campaign: 422 `unknown_organization`; an `activityId` that is not that unit’s: 422 `unknown_activity`. Audited.',
    requestBody: 'Extension',
    idempotent: true,
    response: { status: 201, description: 'The extension.', schema: 'ExtensionView' },
  },
  'GET /v1/campaigns/{campaignId}/extensions': {
    summary: { zh: '延期记录', en: 'List extensions' },
    tags: ['Flags'],
    roles: MANAGE,
    who: 'reviewer, admin (organizers, their own unit included, and analysts: 403)',
    description:
      'Who granted which deadline to whom, when and why (`grantedBy`, `grantedAt`, times in the campaign’s zone). With `organizationId`, ' +
      'that unit’s grants, oldest first (a grant just made is listed); without, the campaign’s, by unit, then oldest first. ' +
      'An `organizationId` that is no unit id: 400.',
    paged: true,
    query: {
      organizationId: { schema: () => id(), description: 'Only this unit’s extensions.' },
    },
    response: { status: 200, description: 'One page of extensions.', schema: 'ExtensionPage' },
  },
  'PUT /v1/campaigns/{campaignId}/organizations/{orgId}/review': {
    summary: { zh: '评审打分与评语', en: 'Review a unit: qualitative scores and comment' },
    tags: ['Reviews'],
    roles: ['reviewer'],
    who: 'reviewer (not of the unit under review)',
    description:
      '`scores` has one score (0..100) per indicator the campaign leaves partly to the reviewer; `distinctiveActivityIds` marks ' +
      'activities of that unit as distinctive (特色鲜明、实效显著), each of them an activity of the unit (422 `unknown_activity` on ' +
      '`distinctiveActivityIds.<i>` otherwise). A PUT replaces the whole review. Only reviewers write reviews (403 for organizers, ' +
      'their own unit included, for admins without the reviewer role and for analysts); nobody reviews the unit they act for (403). ' +
      'A unit not listed in the campaign: 404. Audited (the stream’s audit trail, the reviewer as actor).',
    requestBody: 'Review',
    ifMatch: 'when-exists',
    response: { status: 200, description: 'The review as stored.', schema: 'ReviewView', etag: true },
  },
  'GET /v1/campaigns/{campaignId}/organizations/{orgId}/review': {
    summary: { zh: '查看评审打分与评语', en: 'Get a unit’s review' },
    tags: ['Reviews'],
    roles: MANAGE,
    who: 'reviewer (not of the unit under review), admin',
    description:
      'The review as stored, with its version as the `ETag` (send it as `If-Match` to change the review). Organizers, their own ' +
      'unit included, and analysts: 403; a reviewer acting for the unit: 403 (unless also an admin). A unit not listed in the ' +
      'campaign, or not reviewed yet: 404.',
    response: { status: 200, description: 'The review as stored.', schema: 'ReviewView', etag: true },
  },
  'GET /v1/campaigns/{campaignId}/scores': {
    summary: { zh: '评价得分与排名', en: 'Scores and ranks' },
    tags: ['Reviews'],
    roles: MANAGE,
    who: 'reviewer, admin (organizers, their own unit included, and analysts: 403)',
    description:
      'Recomputed on every read from the stored data (paged Queries of the campaign’s partitions, no Scan): per unit the raw ' +
      'figures, each indicator’s computed part, reviewer part and score, the penalty for unwaived flags, the total, the rank ' +
      '(equal totals share a rank; each tie is described once in `ties`, and a tied unit’s `tie.group` names it, so the answer grows ' +
      'with the number of units, not its square) and what is missing; plus the commendation list (best 10 overall, best 3 ' +
      'per organization type, the 10 most distinctive activities). Every unit of the campaign is listed, units with no activity ' +
      'included. A reviewer who is not an admin does not see the review of the unit they act for (as `GET …/review` refuses it): ' +
      'that unit carries `reviewWithheld`, its reviewer scores and the points of indicators with a reviewer share are null, and so ' +
      'is the 效果亮点 score of its distinctive activities. The formula and a worked example: docs/scoring.md. `measured` and the ' +
      '`Server-Timing` header say how long reading and scoring took.',
    response: { status: 200, description: 'Every unit’s scores and rank, and the commendation list.', schema: 'Scores', cacheControl: 'no-store' },
  },
  'POST /v1/campaigns/{campaignId}/exports': {
    summary: { zh: '发起数据导出', en: 'Start an export' },
    tags: ['Exports'],
    roles: ['admin', 'analyst'],
    who: 'admin, analyst',
    description:
      'One export at a time per campaign and format: while one is `queued` or `running`, a POST starts nothing and answers 200 ' +
      'with that export (whoever asked for it; `Location` names it), so repeating the request is harmless. A new job counts ' +
      'against the caller’s budget of 10 exports an hour; beyond it: 429 with `Retry-After` (seconds until the budget renews).',
    requestBody: 'ExportRequest',
    idempotent: true,
    rateLimited: true,
    response: { status: 202, description: 'The export started.', schema: 'ExportAccepted', location: '/v1/exports/{exportId}' },
    otherResponses: {
      '200': {
        description: 'An export of this campaign and format is already queued or running: this is it, and no new one started. `Location`: `/v1/exports/{exportId}`.',
        schema: 'ExportAccepted',
        location: '/v1/exports/{exportId}',
      },
    },
  },
  'GET /v1/campaigns/{campaignId}/exports': {
    summary: { zh: '导出记录与里程碑快照', en: 'List a campaign’s exports and milestone snapshots' },
    tags: ['Exports'],
    roles: ['admin', 'analyst'],
    who: 'admin, analyst (organizers and reviewers: 403)',
    description:
      'Newest request first: the exports people asked for and each milestone’s snapshot, with their state and rows per table, ' +
      'but no file URLs (`GET /v1/exports/{exportId}` signs them, valid 15 minutes). A filter value that is not acceptable: 400 ' +
      'naming the parameter.',
    paged: true,
    query: {
      kind: { schema: () => z.enum(EXPORT_KINDS), description: '`requested`: only exports asked for; `milestone`: only milestone snapshots.' },
      milestone: { schema: () => z.enum(MILESTONE_IDS), description: 'Only this milestone’s snapshot (not with `kind=requested`).' },
    },
    response: { status: 200, description: 'One page of exports.', schema: 'ExportPage', cacheControl: 'no-store' },
  },
  'GET /v1/exports/{exportId}': {
    summary: { zh: '查看导出结果', en: 'Get an export' },
    tags: ['Exports'],
    roles: ['admin', 'analyst'],
    who: 'admin, analyst',
    response: { status: 200, description: 'Its status and files.', schema: 'Export' },
  },
  'GET /v1/openapi.json': {
    summary: { zh: 'OpenAPI 文档', en: 'This OpenAPI 3.1 document' },
    tags: ['System'],
    roles: 'anyone',
    who: 'anyone',
    description: 'Its enumerations and limits are those of the home city’s newest published campaign (else its newest closed one): `info.x-campaign`.',
    response: { status: 200, description: 'The document.', schema: 'object', cacheControl: 'public, max-age=300' },
  },
} as const satisfies Record<`${HttpTrigger['method']} /${string}`, OperationSpec>;

/** `METHOD /path`, the key of {@link OPERATIONS}. */
export type OperationKey = keyof typeof OPERATIONS;

type HttpTriggerOf<F> = F extends { readonly triggers: readonly (infer T)[] } ? Extract<T, { readonly kind: 'http' }> : never;
type RouteKeyOf<T> = T extends { readonly method: infer M extends string; readonly path: infer P extends string } ? `${M} ${P}` : never;
/** The `METHOD /path` of every HTTP route in SciDay's topology. */
export type TopologyRouteKey = { [K in keyof SciDayTopology['functions']]: RouteKeyOf<HttpTriggerOf<SciDayTopology['functions'][K]>> }[keyof SciDayTopology['functions']];
/** Fails the type check when the topology has a route {@link OPERATIONS} does not describe. */
type _EveryTopologyRouteIsDescribed = Assert<[TopologyRouteKey] extends [OperationKey] ? true : false>;
type Assert<T extends true> = T;

const routeKey = (r: { method: string; path: string }): string => `${r.method} ${r.path}`;
const specOf = (key: string): OperationSpec | undefined => (OPERATIONS as Record<string, OperationSpec>)[key];

/** Routes of `t` that {@link OPERATIONS} does not describe (`METHOD /path`); empty for SciDay. */
export function undocumentedRoutes(t: Topology = sciDayTopology): string[] {
  return httpRoutes(t)
    .map(routeKey)
    .filter((key) => !specOf(key));
}

// --- parameters, headers, problem answers ---------------------------------------------------

const PATH_PARAMS: Record<string, string> = {
  campaignId: 'The campaign, e.g. `2021-xinxiang`.',
  activityId: 'The activity.',
  orgId: 'The organizing unit (`organizationId`).',
  flagId: 'The flag.',
  exportId: 'The export.',
  milestoneId: 'The milestone: `registration` or `completion`.',
};

/** Problem answers, by status: the component response name and when it happens. */
const PROBLEMS = {
  400: ['BadRequest', '请求参数不正确 · Malformed JSON, a bad query parameter, `If-Match` or `Idempotency-Key`'],
  401: ['Unauthorized', '未登录或登录凭证无效 · Missing or invalid bearer token'],
  403: ['Forbidden', '当前角色无权执行此操作 · The token’s roles may not do this'],
  404: ['NotFound', '未找到该资源 · Not found (another unit’s data answers 404 too)'],
  409: ['Conflict', '与当前状态冲突 · Conflicts with the current state, or the same `Idempotency-Key` is still in progress'],
  412: ['PreconditionFailed', '数据已被他人修改 · `If-Match` names a stale version (the answer carries the current `ETag`)'],
  413: ['ContentTooLarge', '请求体超过 256 KiB · Body over 256 KiB'],
  415: ['UnsupportedMediaType', '请求体必须是 JSON · Body is not `application/json`'],
  422: ['UnprocessableContent', '未通过校验 · Validation failed (`errors` lists every failing field), or an `Idempotency-Key` reused with a different body'],
  428: ['PreconditionRequired', '须附带 If-Match · `If-Match` is required'],
  429: ['TooManyRequests', '请求过于频繁 · Your budget for this is spent: retry after `Retry-After` seconds'],
} as const;
type ProblemStatus = keyof typeof PROBLEMS;

function components(campaign: Campaign): Json {
  const idSchema = z.toJSONSchema(id());
  delete (idSchema as Json).$schema;
  return {
    securitySchemes: {
      bearerAuth: {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description:
          'OIDC access token (Cognito by default; on the local runtime from `POST /local/token`). Claims: `sub`, `orgId` ' +
          `(the unit the user acts for) and \`roles\` (any of ${ROLES.map((r) => `\`${r}\``).join(', ')}).`,
      },
    },
    schemas: componentSchemas(campaign),
    parameters: {
      IdempotencyKey: {
        name: 'Idempotency-Key',
        in: 'header',
        required: false,
        description: 'A replay within 24 h returns the first response with `Idempotent-Replayed: true`; the same key with another body: 422; while the first is in progress: 409.',
        schema: { type: 'string', minLength: 1, maxLength: 64 },
      },
      Limit: { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 } },
      Cursor: {
        name: 'cursor',
        in: 'query',
        required: false,
        description: 'Opaque and signed: the `nextCursor` of the previous page of this same list (route, unit and filters); an edited one or one of another list is 400.',
        schema: { type: 'string' },
      },
      AcceptLanguage: {
        name: 'Accept-Language',
        in: 'header',
        required: false,
        description: 'Language of problem `title` and `message`: `zh-CN` (default) or `en`.',
        schema: { type: 'string', examples: ['zh-CN', 'en'] },
      },
      ...Object.fromEntries(
        Object.entries(PATH_PARAMS).map(([name, description]) => [
          name,
          { name, in: 'path', required: true, description, schema: idSchema, ...(name === 'campaignId' ? { example: campaign.id } : {}) },
        ]),
      ),
    },
    headers: {
      ETag: { description: 'The version, `"<version>"`: send it back as `If-Match`.', schema: { type: 'string', examples: ['"3"'] } },
      Location: { description: 'URL of the resource created.', schema: { type: 'string', format: 'uri-reference' } },
      IdempotentReplayed: { description: '`true` on a replayed response.', schema: { type: 'string', enum: ['true'] } },
      RetryAfter: { description: 'Seconds to wait before asking again.', schema: { type: 'string', pattern: '^[0-9]+$', examples: ['1800'] } },
    },
    responses: Object.fromEntries(
      Object.entries(PROBLEMS).map(([status, [name, description]]) => [
        name,
        {
          description,
          content: { 'application/problem+json': { schema: ref('Problem') } },
          ...(status === '412' ? { headers: { ETag: { $ref: '#/components/headers/ETag' } } } : {}),
          ...(status === '429' ? { headers: { 'Retry-After': { $ref: '#/components/headers/RetryAfter' } } } : {}),
        },
      ]),
    ),
  };
}

const paramRef = (name: string): Json => ({ $ref: `#/components/parameters/${name}` });

/** The OpenAPI operation of one topology route. */
function operation(route: HttpTrigger & { functionId: string }, spec: OperationSpec | undefined, campaign: Campaign): Json {
  const pathParams = [...route.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] ?? '');
  const security = route.public ? [] : [{ bearerAuth: [] }];
  if (!spec) {
    return {
      operationId: route.functionId,
      summary: route.functionId,
      'x-undocumented': true,
      security,
      parameters: pathParams.map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } })),
      responses: { default: { description: 'Not described yet.' } },
    };
  }
  const parameters: Json[] = pathParams.map((name) =>
    PATH_PARAMS[name] ? paramRef(name) : { name, in: 'path', required: true, schema: { type: 'string' } },
  );
  if (spec.idempotent) parameters.push(paramRef('IdempotencyKey'));
  if (spec.ifMatch) {
    parameters.push({
      name: 'If-Match',
      in: 'header',
      required: spec.ifMatch === 'required',
      description: {
        required: 'The `ETag` of the version being changed (412 when stale, 428 when missing).',
        'when-exists': 'The `ETag` of the version being replaced: required once it exists (412 when stale, 428 when missing).',
        optional: 'If sent, the `ETag` of the version read (412 when stale).',
      }[spec.ifMatch],
      schema: { type: 'string', examples: ['"3"'] },
    });
  }
  if (spec.paged) parameters.push(paramRef('Limit'), paramRef('Cursor'));
  for (const [name, q] of Object.entries(spec.query ?? {})) {
    const { $schema: _s, ...schema } = z.toJSONSchema(q.schema(campaign), { io: 'input', unrepresentable: 'any' });
    parameters.push({ name, in: 'query', required: false, description: q.description, schema });
  }
  parameters.push(paramRef('AcceptLanguage'));

  const hasBody = spec.requestBody !== undefined;
  const problems = new Set<ProblemStatus>();
  if (hasBody || spec.paged || spec.query || spec.ifMatch || spec.idempotent) problems.add(400);
  if (!route.public) problems.add(401);
  if (Array.isArray(spec.roles)) problems.add(403);
  if (pathParams.length > 0) problems.add(404);
  if (spec.conflict || spec.idempotent) problems.add(409);
  if (spec.ifMatch) problems.add(412);
  if (hasBody) problems.add(413).add(415);
  if (hasBody || spec.validates || spec.validatesQuery || spec.idempotent) problems.add(422);
  if (spec.ifMatch === 'required' || spec.ifMatch === 'when-exists') problems.add(428);
  if (spec.rateLimited) problems.add(429);

  const { response } = spec;
  const headers: Json = {
    ...(response.etag ? { ETag: { $ref: '#/components/headers/ETag' } } : {}),
    ...(response.location ? { Location: { $ref: '#/components/headers/Location' } } : {}),
    ...(spec.idempotent ? { 'Idempotent-Replayed': { $ref: '#/components/headers/IdempotentReplayed' } } : {}),
    ...(response.cacheControl ? { 'Cache-Control': { schema: { type: 'string', const: response.cacheControl } } } : {}),
  };
  const successSchema = response.schema === 'object' ? { type: 'object' } : ref(response.schema);
  const responses: Json = {
    [String(response.status)]: {
      description: response.location ? `${response.description} \`Location\`: \`${response.location}\`.` : response.description,
      ...(Object.keys(headers).length > 0 ? { headers } : {}),
      content: {
        'application/json': {
          schema: spec.csvBody && response.schema !== 'object' ? { oneOf: [successSchema, ref('OrganizationPage')] } : successSchema,
        },
      },
    },
    ...Object.fromEntries(
      Object.entries(spec.otherResponses ?? {}).map(([status, r]) => [
        status,
        {
          description: r.description,
          ...(r.location ? { headers: { Location: { $ref: '#/components/headers/Location' } } } : {}),
          content: { 'application/json': { schema: ref(r.schema) } },
        },
      ]),
    ),
    ...Object.fromEntries(
      [...problems].sort((a, b) => a - b).map((status) => [String(status), { $ref: `#/components/responses/${PROBLEMS[status][0]}` }]),
    ),
  };
  const roles = spec.roles === 'anyone' || spec.roles === 'signed-in' ? [spec.roles] : [...spec.roles];
  return {
    operationId: route.functionId,
    summary: `${spec.summary.zh} · ${spec.summary.en}`,
    description: [`**Who:** ${spec.who}.`, spec.description].filter(Boolean).join('\n\n'),
    tags: [...spec.tags],
    'x-roles': roles,
    ...(spec.validates ? { 'x-validates': ref(spec.validates) } : {}),
    security,
    parameters,
    ...(hasBody
      ? {
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: ref(spec.requestBody as RequestSchemaName) },
              ...(spec.csvBody ? { 'text/csv': { schema: { type: 'string', contentMediaType: 'text/csv', description: spec.csvBody } } } : {}),
            },
          },
        }
      : {}),
    responses,
  };
}

/** The OpenAPI 3.1 document of `campaign`, one operation per HTTP route of `t`. */
export function openApiDocument(campaign: Campaign, t: Topology = sciDayTopology): Json {
  const paths: Record<string, Json> = {};
  for (const route of httpRoutes(t)) {
    const item = (paths[route.path] ??= {});
    item[route.method.toLowerCase()] = operation(route, specOf(routeKey(route)), campaign);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'SciDay 全国科普日活动报送 API',
      version: '1.0.0',
      description:
        `SciDay collects, checks and scores the activities organizing units run for National Science ` +
        `Popularization Day (全国科普日). This document describes campaign \`${campaign.id}\` ` +
        `(${campaign.name.zh} · ${campaign.name.en}): its enumerations and limits are that campaign's.\n\n` +
        'JSON in and out (UTF-8); times are ISO 8601 with an offset, answered in the campaign’s zone. ' +
        'Errors are RFC 9457 problem details (`application/problem+json`) whose `title` and `message` follow ' +
        '`Accept-Language` (`zh-CN` by default, or `en`); a validation failure (422) lists every failing field. ' +
        'Unknown body fields are refused (`unrecognized_key`). Creating POSTs take an `Idempotency-Key`; ' +
        'activities, summaries and reviews carry a `version` and an `ETag`, and changing one needs `If-Match`. ' +
        'Lists take `?limit=` (1..100, default 20) and `?cursor=` and answer `{ items, nextCursor }`; a cursor is signed and ' +
        'valid only on the list that issued it (same route, unit and filters): any other is 400.',
      'x-campaign': campaign.id,
    },
    tags: Object.entries(TAGS).map(([name, description]) => ({ name, description })),
    security: [{ bearerAuth: [] }],
    paths,
    components: components(campaign),
  };
}

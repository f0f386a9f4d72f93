/**
 * The activity registration form (API.md, "Activity"), validated against one campaign: its
 * content themes, joint actions, counties and year. Three schemas per campaign:
 *
 * - `submit`: what `POST /activities/{id}/submit` needs. Required: `title`, `kind`,
 *   `jointAction` (when `kind` is `joint-action`), `contentThemes`, `format`, `startsAt`,
 *   `endsAt`, `county`, `expectedParticipants`, `venue` + `maxOnSite` + `epidemicPlan` (when
 *   `format` is `offline`/`hybrid`), `branded` (and `true`), `contact` (`name`, `phone`).
 *   Optional: `description`, `audiences`, `onlineUrl` (the completion milestone asks for it,
 *   not the registration), `volunteers`, `coOrganizers`, `contact.email`.
 * - `draft`: what a draft may hold (`POST .../activities`). Any field, nested ones included,
 *   may be missing, but each one present is valid, and the cross-field rules whose inputs are
 *   all present hold (a main venue names no joint action, `endsAt >= startsAt`,
 *   `maxOnSite <= expectedParticipants`). `branded` may be `false`.
 * - `patch`: a `PATCH` body: like `draft`, and `null` removes a field. The use case validates
 *   the merged activity with `draft` (or `submit`), since a rule's inputs may sit on both sides.
 *
 * Every schema is strict: unknown and server-owned fields (`id`, `status`, `flags`, ...) are
 * `unrecognized_key`. Cross-field rules run even when other fields fail, so one answer lists
 * every failing field. `venue`, `maxOnSite` and `epidemicPlan` are accepted (not required) on
 * an online activity: a studio may still have them, and a draft changing format keeps them.
 */
import * as z from '../domain/zod';
import type { Campaign } from '../domain/campaign';
import { customIssue } from '../domain/issues';
import type { ActivityFormat } from '../domain/activity';
import { parseInstant } from '../domain/time';
import {
  choice,
  contact,
  countyOf,
  decimal,
  distinctList,
  everyObject,
  fieldsOf,
  httpsUrl,
  instantInCampaignYear,
  integer,
  longText,
  patchShape,
  perCampaign,
  text,
} from './text';

/** How an activity reaches people (the domain's `ActivityFormat`, as a list). */
export const ACTIVITY_FORMATS = ['offline', 'online', 'hybrid'] as const satisfies readonly ActivityFormat[];

/** Formats with people on site: they need a venue, a crowd cap and an epidemic plan. */
export const ON_SITE_FORMATS: ReadonlySet<string> = new Set<ActivityFormat>(['offline', 'hybrid']);

/** Who an activity is for. */
export const AUDIENCES = ['rural', 'community', 'enterprise', 'school', 'public'] as const;
/** One of {@link AUDIENCES}. */
export type Audience = (typeof AUDIENCES)[number];

/** Limits of the form, in code points or units. */
export const ACTIVITY_LIMITS = {
  title: { min: 2, max: 100 },
  description: { max: 2000 },
  contentThemes: { min: 1, max: 6 },
  venueName: { min: 1, max: 100 },
  venueAddress: { min: 1, max: 200 },
  participants: { min: 0, max: 1_000_000 },
  epidemicPlan: { min: 20, max: 2000 },
  volunteerCount: { min: 0, max: 1_000_000 },
  volunteerHours: { min: 0, max: 10_000_000 },
  coOrganizers: { max: 20 },
  coOrganizer: { min: 1, max: 100 },
} as const;

/** The field schemas of the form, each on its own (nothing optional yet). */
function activityFields(campaign: Campaign) {
  const L = ACTIVITY_LIMITS;
  const instant = instantInCampaignYear(campaign);
  return {
    title: text(L.title),
    description: longText(L.description),
    kind: choice(campaign.activityKinds.map((k) => k.id)),
    jointAction: choice(campaign.jointActions.map((a) => a.id)),
    contentThemes: distinctList(choice(campaign.contentThemes.map((t) => t.id)), L.contentThemes),
    format: z.enum(ACTIVITY_FORMATS),
    startsAt: instant,
    endsAt: instant,
    county: countyOf(campaign),
    audiences: distinctList(z.enum(AUDIENCES), { max: AUDIENCES.length }),
    venue: z.strictObject({ name: text(L.venueName), address: text(L.venueAddress) }),
    expectedParticipants: integer(L.participants),
    maxOnSite: integer(L.participants),
    epidemicPlan: longText(L.epidemicPlan),
    onlineUrl: httpsUrl(),
    volunteers: z.strictObject({ count: integer(L.volunteerCount), hours: decimal(L.volunteerHours) }),
    coOrganizers: distinctList(text(L.coOrganizer), {
      max: L.coOrganizers.max,
      // 「ＡＢＣ学会」 and 「abc学会」 are one co-organizer.
      key: (name: string) => name.normalize('NFKC').toLowerCase(),
    }),
    branded: z.boolean(),
    contact: contact(),
  };
}

/** The object-level rules; `submit` adds the "required when..." ones. */
function activityRules(campaign: Campaign, mode: 'draft' | 'submit') {
  return (value: unknown, ctx: z.core.$RefinementCtx<unknown>): void => {
    const f = fieldsOf(value, ctx.issues);
    const kind = f.valid('kind') ? f.get<string>('kind') : undefined;
    if (kind === 'main-venue' && f.valid('jointAction')) ctx.addIssue(customIssue('joint_action_not_allowed', ['jointAction']));
    if (mode === 'submit' && kind === 'joint-action' && !f.present('jointAction')) {
      ctx.addIssue(customIssue('joint_action_required', ['jointAction']));
    }
    if (f.valid('startsAt') && f.valid('endsAt')) {
      const starts = parseInstant(f.get<string>('startsAt'));
      const ends = parseInstant(f.get<string>('endsAt'));
      if (starts && ends && ends < starts) ctx.addIssue(customIssue('ends_before_starts', ['endsAt']));
    }
    if (f.valid('maxOnSite') && f.valid('expectedParticipants')) {
      const expected = f.get<number>('expectedParticipants');
      if (f.get<number>('maxOnSite') > expected) {
        ctx.addIssue(customIssue('crowd_cap_exceeds_expected', ['maxOnSite'], { max: expected }));
      }
    }
    if (mode === 'submit' && f.valid('format') && ON_SITE_FORMATS.has(f.get<string>('format'))) {
      if (!f.present('venue')) ctx.addIssue(customIssue('venue_required', ['venue']));
      if (!f.present('maxOnSite')) ctx.addIssue(customIssue('crowd_cap_required', ['maxOnSite']));
      if (!f.present('epidemicPlan')) {
        ctx.addIssue(customIssue('epidemic_plan_required', ['epidemicPlan'], { min: ACTIVITY_LIMITS.epidemicPlan.min }));
      }
    }
    if (mode === 'submit' && f.valid('branded') && f.get<boolean>('branded') !== true) {
      ctx.addIssue(customIssue('branded_required', ['branded'], { brandZh: campaign.brand.zh, brandEn: campaign.brand.en }));
    }
  };
}

function buildActivitySchemas(campaign: Campaign) {
  const f = activityFields(campaign);
  const submit = z.strictObject({
    ...f,
    description: z.optional(f.description),
    jointAction: z.optional(f.jointAction),
    audiences: z.optional(f.audiences),
    venue: z.optional(f.venue),
    maxOnSite: z.optional(f.maxOnSite),
    epidemicPlan: z.optional(f.epidemicPlan),
    onlineUrl: z.optional(f.onlineUrl),
    volunteers: z.optional(f.volunteers),
    coOrganizers: z.optional(f.coOrganizers),
  }).check(z.superRefine(activityRules(campaign, 'submit'), everyObject));
  const draftFields = {
    ...f,
    venue: z.partial(f.venue),
    volunteers: z.partial(f.volunteers),
    contact: z.partial(f.contact),
  };
  const draft = z.partial(z.strictObject(draftFields)).check(z.superRefine(activityRules(campaign, 'draft'), everyObject));
  const patch = z.strictObject(patchShape(draftFields)).check(z.superRefine(activityRules(campaign, 'draft'), everyObject));
  return { draft, submit, patch };
}

/** The three activity schemas of one campaign. */
export type ActivitySchemas = ReturnType<typeof buildActivitySchemas>;
/** A draft activity's fields as validated (trimmed, normalised). */
export type ActivityDraft = z.output<ActivitySchemas['draft']>;
/** A submitted (registered) activity's fields as validated. */
export type ActivitySubmission = z.output<ActivitySchemas['submit']>;
/** A PATCH body as validated: `null` removes a field. */
export type ActivityPatch = z.output<ActivitySchemas['patch']>;

/**
 * `{ draft, submit, patch }` for `campaign` (built once per campaign object). Parse with
 * `safeParseFields` (shared/domain/issues.ts) to get every failing field as a FieldIssue.
 */
export const activitySchemas: (campaign: Campaign) => ActivitySchemas = perCampaign(buildActivitySchemas);

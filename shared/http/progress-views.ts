/**
 * A unit's progress as `GET …/progress` answers it (the `UnitProgress` schema of the OpenAPI
 * document): instants in the campaign's zone (`+08:00` for Asia/Shanghai) like the other views,
 * `null` where a unit has nothing yet.
 */
import * as z from '../domain/zod';
import type { Campaign } from '../domain/campaign';
import type { UnitProgress } from '../use-cases/get-progress';
import { organizationViewSchema } from './organization-views';
import { count, instant, type ViewOf } from '../schemas/output';
import { zoned } from './zoned-instant';

/** One row of the association's progress board: the unit as `GET …/organizations` lists it, with the read model's counts (ADR 0021). */
export const unitProgressViewSchema = z.meta(
  z.looseObject({
    ...organizationViewSchema.shape,
    activities: z.meta(
      z.looseObject({
        draft: z.meta(count(), { description: 'Activities still in draft (never submitted).' }),
        registered: z.meta(count(), { description: 'Activities registered: status `registered` or `completed`.' }),
        registeredOnTime: z.meta(count(), { description: '`registered` − `registeredLate`.' }),
        registeredLate: z.meta(count(), { description: 'Registered activities carrying a `registration-late` flag, waived or not.' }),
        resultsComplete: z.meta(count(), { description: 'Activities whose results meet the completion rule: status `completed`.' }),
        resultsLate: z.meta(count(), { description: '`results-late` flags of the unit’s activities, waived or not.' }),
      }),
      { description: 'The unit’s activities counted.' },
    ),
    summary: z.meta(
      z.looseObject({
        submitted: z.meta(z.boolean(), { description: 'The work summary is submitted.' }),
        submittedAt: z.meta(z.nullable(instant()), { description: 'When it was first submitted; `null` when not.' }),
        late: z.meta(z.boolean(), { description: 'A `summary-late` flag exists (waived or not).' }),
      }),
      { description: 'The unit’s work summary.' },
    ),
    flags: z.meta(
      z.looseObject({
        open: z.meta(count(), { description: 'Flags of the unit and of its activities not waived.' }),
        waived: z.meta(count(), { description: 'Flags of the unit and of its activities waived.' }),
      }),
      { description: 'Every flag of the unit, its activities’ included.' },
    ),
    lastChangeAt: z.meta(z.nullable(instant()), {
      description:
        'The latest `updatedAt` of the unit’s activities, results and summary (its own changes, not flags raised by jobs); `null` when it has none.',
    }),
  }),
  {
    description:
      'An organizing unit with its counts, from the progress read model (kept from the table’s stream: about a second behind a change). A unit with nothing yet has zeros, `false` and `null`.',
  },
);
export type UnitProgressView = ViewOf<typeof unitProgressViewSchema>;

export function unitProgressView(u: UnitProgress, campaign: Campaign): UnitProgressView {
  const zonedOrNull = (iso: string | undefined) => (iso ? zoned(iso, campaign) : null);
  return {
    organizationId: u.organizationId,
    name: u.name,
    ...(u.nameEn ? { nameEn: u.nameEn } : {}),
    county: u.county,
    type: u.type,
    activities: { ...u.activities },
    summary: { submitted: u.summary.submitted, submittedAt: zonedOrNull(u.summary.submittedAt), late: u.summary.late },
    flags: { ...u.flags },
    lastChangeAt: zonedOrNull(u.lastChangeAt),
  };
}

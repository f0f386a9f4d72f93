/**
 * A unit's status as the API answers it (`GET …/organizations/{orgId}/status`): instants in the
 * campaign's zone (`+08:00` for Asia/Shanghai) like the other views, each flag as everywhere
 * ({@link flagView}) with what it means and how to clear it ({@link FLAG_GUIDE}).
 */
import * as z from '../domain/zod';
import { MILESTONE_IDS } from '../domain/campaign';
import { FLAG_GUIDE } from '../domain/flag-guide';
import { flagSchema } from '../schemas/flag.schema';
import { id } from '../schemas/text';
import type { UnitStatus } from '../use-cases/get-unit-status';
import { flagView } from './flag-views';
import { reminderGapsSchema } from './inbox-views';
import { organizationViewSchema } from './organization-views';
import { bilingual, count, instant, type ViewOf } from '../schemas/output';
import { zoned } from './zoned-instant';

export const unitStatusViewSchema = z.looseObject({
  campaignId: id(),
  organization: organizationViewSchema,
  asOf: z.meta(instant(), { description: 'The server clock’s instant the answer was computed at (`secondsLeft` counts from it).' }),
  milestones: z.array(
    z.looseObject({
      milestone: z.enum(MILESTONE_IDS),
      name: bilingual(),
      dueDate: z.iso.date(),
      campaignDeadline: z.meta(instant(), { description: 'The campaign’s deadline: the last on-time instant of `dueDate`.' }),
      deadline: z.meta(instant(), { description: 'The unit’s deadline: the campaign’s, moved by the latest extension granted to the unit for this milestone.' }),
      extended: z.meta(z.boolean(), { description: '`deadline` differs from `campaignDeadline`.' }),
      passed: z.boolean(),
      secondsLeft: z.meta(count(), { description: 'Whole seconds from `asOf` until `deadline` ends, rounded up; 0 once passed.' }),
      gaps: z.meta(z.nullable(reminderGapsSchema()), {
        description: 'What the reminders name as still missing (the same reading); `null` once the deadline passed: the flags say the rest.',
      }),
      reminder: z.meta(z.nullable(z.looseObject({ title: bilingual(), text: bilingual() })), {
        description: 'The reminder’s words for `gaps`; `null` when nothing is missing or the deadline passed.',
      }),
    }),
  ),
  flags: z.meta(
    z.array(
      z.looseObject({
        ...flagSchema.shape,
        guide: z.meta(z.looseObject({ name: bilingual(), meaning: bilingual(), howToClear: bilingual() }), {
          description: 'What the code means and how to clear it (shared/domain/flag-guide.ts).',
        }),
      }),
    ),
    { description: 'The unit’s flags and its activities’: open first, then waived, each oldest first.' },
  ),
  activities: z.meta(z.looseObject({ draft: count(), registered: count(), completed: count() }), { description: 'The unit’s activities by status.' }),
});
export type UnitStatusView = ViewOf<typeof unitStatusViewSchema>;

export function unitStatusView(s: UnitStatus): UnitStatusView {
  const { campaign, organization: o } = s;
  return {
    campaignId: campaign.id,
    organization: {
      organizationId: o.organizationId,
      name: o.name,
      ...(o.nameEn ? { nameEn: o.nameEn } : {}),
      county: o.county,
      type: o.type,
    },
    asOf: zoned(s.asOf, campaign),
    milestones: s.milestones.map((m) => ({
      milestone: m.milestone,
      name: campaign.milestones[m.milestone].name,
      dueDate: campaign.milestones[m.milestone].dueDate,
      campaignDeadline: zoned(m.campaignDeadline, campaign),
      deadline: zoned(m.deadline, campaign),
      extended: m.extended,
      passed: m.passed,
      secondsLeft: m.secondsLeft,
      gaps: m.gaps,
      reminder: m.reminder,
    })),
    flags: s.flags.map((f) => ({ ...flagView(f, campaign), guide: FLAG_GUIDE[f.code] })),
    activities: { draft: s.activities.draft, registered: s.activities.registered, completed: s.activities.completed },
  };
}

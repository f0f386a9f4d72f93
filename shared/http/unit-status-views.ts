/**
 * A unit's status as the API answers it (`GET …/organizations/{orgId}/status`): instants in the
 * campaign's zone (`+08:00` for Asia/Shanghai) like the other views, each flag as everywhere
 * ({@link flagView}) with what it means and how to clear it ({@link FLAG_GUIDE}).
 */
import { FLAG_GUIDE } from '../domain/flag-guide';
import { formatInstant } from '../domain/time';
import type { UnitStatus } from '../use-cases/get-unit-status';
import { flagView } from './views';

export function unitStatusView(s: UnitStatus) {
  const { campaign, organization: o } = s;
  const zoned = (d: Date) => formatInstant(d, campaign.timeZone);
  return {
    campaignId: campaign.id,
    organization: {
      organizationId: o.organizationId,
      name: o.name,
      ...(o.nameEn ? { nameEn: o.nameEn } : {}),
      county: o.county,
      type: o.type,
    },
    asOf: zoned(s.asOf),
    milestones: s.milestones.map((m) => ({
      milestone: m.milestone,
      name: campaign.milestones[m.milestone].name,
      dueDate: campaign.milestones[m.milestone].dueDate,
      campaignDeadline: zoned(m.campaignDeadline),
      deadline: zoned(m.deadline),
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

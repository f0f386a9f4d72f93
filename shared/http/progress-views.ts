/**
 * A unit's progress as `GET …/progress` answers it (the `UnitProgress` schema of the OpenAPI
 * document): instants in the campaign's zone (`+08:00` for Asia/Shanghai) like the other views,
 * `null` where a unit has nothing yet.
 */
import type { Campaign } from '../domain/campaign';
import { formatInstant } from '../domain/time';
import type { UnitProgress } from '../use-cases/get-progress';

export function unitProgressView(u: UnitProgress, campaign: Campaign) {
  const zoned = (iso: string | undefined) => (iso ? formatInstant(new Date(iso), campaign.timeZone) : null);
  return {
    organizationId: u.organizationId,
    name: u.name,
    ...(u.nameEn ? { nameEn: u.nameEn } : {}),
    county: u.county,
    type: u.type,
    activities: { ...u.activities },
    summary: { submitted: u.summary.submitted, submittedAt: zoned(u.summary.submittedAt), late: u.summary.late },
    flags: { ...u.flags },
    lastChangeAt: zoned(u.lastChangeAt),
  };
}

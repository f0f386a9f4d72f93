/**
 * What the API answers: stored records in the contract's shape, times in the campaign's
 * zone (`+08:00` for Asia/Shanghai).
 */
import type { ActivityRecord, FlagRecord, ResultsRecord, SummaryRecord } from '../domain/activity';
import type { Campaign } from '../domain/campaign';
import { formatInstant } from '../domain/time';

const zoned = (iso: string | undefined, campaign: Campaign) => (iso ? formatInstant(new Date(iso), campaign.timeZone) : undefined);

/** A flag (API.md "Flags"), with `waivedAt` and `waivedBy` once waived; only the contract's fields. */
export function flagView(f: FlagRecord, campaign: Campaign) {
  return {
    flagId: f.flagId,
    code: f.code,
    campaignId: f.campaignId,
    organizationId: f.organizationId,
    ...(f.activityId ? { activityId: f.activityId } : {}),
    milestone: f.milestone,
    raisedAt: zoned(f.raisedAt, campaign),
    ...(f.lateBySeconds !== undefined ? { lateBySeconds: f.lateBySeconds } : {}),
    waived: f.waived,
    ...(f.waivedReason !== undefined ? { waivedReason: f.waivedReason } : {}),
    ...(f.waivedAt ? { waivedAt: zoned(f.waivedAt, campaign) } : {}),
    ...(f.waivedBy ? { waivedBy: f.waivedBy } : {}),
  };
}

export function resultsView(r: ResultsRecord, campaign: Campaign) {
  return { ...r, updatedAt: zoned(r.updatedAt, campaign) };
}

export function summaryView(s: SummaryRecord, campaign: Campaign) {
  return { ...s, submittedAt: zoned(s.submittedAt, campaign), updatedAt: zoned(s.updatedAt, campaign) };
}

export function activityView(a: ActivityRecord, flags: readonly FlagRecord[], campaign: Campaign, results?: ResultsRecord) {
  return {
    ...a.fields,
    id: a.activityId,
    activityId: a.activityId,
    campaignId: a.campaignId,
    organizationId: a.organizationId,
    status: a.status,
    version: a.version,
    createdAt: zoned(a.createdAt, campaign),
    updatedAt: zoned(a.updatedAt, campaign),
    ...(a.submittedAt ? { submittedAt: zoned(a.submittedAt, campaign) } : {}),
    ...(a.completedAt ? { completedAt: zoned(a.completedAt, campaign) } : {}),
    flags: flags.map((f) => flagView(f, campaign)),
    media: [],
    results: results ? resultsView(results, campaign) : null,
  };
}

/** Everything a registration form needs of a campaign. */
export function campaignView(campaign: Campaign, organizations: ReadonlyArray<{ organizationId: string; name: string; county: string; type: string }>) {
  return {
    id: campaign.id,
    campaignId: campaign.id,
    cityId: campaign.cityId,
    status: campaign.status,
    year: campaign.year,
    name: campaign.name,
    city: campaign.city,
    theme: campaign.theme,
    brand: campaign.brand,
    timeZone: campaign.timeZone,
    period: campaign.period,
    milestones: Object.values(campaign.milestones).map((m) => ({
      id: m.id,
      name: m.name,
      dueDate: m.dueDate,
      deadline: formatInstant(m.deadline, campaign.timeZone),
    })),
    activityKinds: campaign.activityKinds,
    contentThemes: campaign.contentThemes,
    jointActions: campaign.jointActions,
    counties: campaign.counties,
    indicators: campaign.indicators.map((i) => ({ id: i.id, name: i.name, weight: i.weight, computedShare: i.computedShare })),
    penalty: campaign.penalty,
    media: campaign.media,
    organizations: organizations.map((o) => ({ organizationId: o.organizationId, name: o.name, county: o.county, type: o.type })),
  };
}

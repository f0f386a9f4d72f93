/**
 * A flag as the API answers it everywhere (GET activity, the flags list, a waiver, a unit's
 * status): the contract's fields only, times in the campaign's zone. Its schema is the flag's
 * own (`flagSchema`, shared/schemas/flag.schema.ts).
 */
import type { FlagRecord } from '../domain/activity';
import type { Campaign } from '../domain/campaign';
import type { Flag } from '../schemas/flag.schema';
import { zoned } from './zoned-instant';

/** A flag (API.md "Flags"), with `waivedAt` and `waivedBy` once waived. */
export function flagView(f: FlagRecord, campaign: Campaign): Flag {
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

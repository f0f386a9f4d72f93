/**
 * The seed campaigns: the definitions the first start stores in the table (migration
 * `0003-seed-campaigns`, ADR 0023). After that, campaigns are data the association's admins
 * create through the API; handlers read the stored ones, never this module. Tests, benchmarks
 * and tools load them from here.
 */
import { loadCampaign, type Campaign } from '../domain/campaign';
import { xinxiang2021 } from './2021-xinxiang';

/** The definitions stored on first start. */
export const SEED_DEFINITIONS = [xinxiang2021] as const;

const campaigns: ReadonlyMap<string, Campaign> = new Map([xinxiang2021].map((d) => [d.id, loadCampaign(d)]));

/** The campaign with this id, or `undefined`. */
export const findCampaign = (campaignId: string): Campaign | undefined => campaigns.get(campaignId);

/** Ids of every campaign. */
export const campaignIds = (): string[] => [...campaigns.keys()];

/** Every campaign, in id order. */
export const allCampaigns = (): Campaign[] => [...campaigns.values()].sort((a, b) => a.id.localeCompare(b.id));

/**
 * Every campaign SciDay serves, loaded (validated) once through the same code. A new year
 * or a new city is a new definition file added here, never new rules.
 */
import { loadCampaign, type Campaign } from '../domain/campaign';
import { xinxiang2021 } from './2021-xinxiang';

const campaigns: ReadonlyMap<string, Campaign> = new Map([xinxiang2021].map((d) => [d.id, loadCampaign(d)]));

/** The campaign with this id, or `undefined`. */
export const findCampaign = (campaignId: string): Campaign | undefined => campaigns.get(campaignId);

/** Ids of every campaign. */
export const campaignIds = (): string[] => [...campaigns.keys()];

/** Every campaign, in id order. */
export const allCampaigns = (): Campaign[] => [...campaigns.values()].sort((a, b) => a.id.localeCompare(b.id));

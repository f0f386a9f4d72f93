/**
 * The seed campaigns as a fixed CampaignCatalog, for tests, benchmarks and tools. Handlers never
 * import this (a test checks their bundles): they read the stored campaigns through
 * `shared/clients/campaign-catalog.ts` (ADR 0023).
 */
import { fixedCampaignCatalog } from '../repositories/cached-campaign-catalog';
import type { CampaignCatalog } from '../repositories/campaign-repository';
import { allCampaigns } from './index';

export const campaignCatalog: CampaignCatalog = fixedCampaignCatalog(allCampaigns());

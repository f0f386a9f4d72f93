import type { CampaignCatalog } from '../use-cases/activity-access';
import { findCampaign } from './index';

/** The campaigns SciDay serves, as the use cases' CampaignCatalog port. */
export const campaignCatalog: CampaignCatalog = { find: findCampaign };

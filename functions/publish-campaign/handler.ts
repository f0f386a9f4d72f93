// (HTTP POST /v1/campaigns/{campaignId}/publish) --> setCampaignStatus('published') --> (main table; audited; the stream makes its schedules)
import { campaignStatusHandler } from '../../shared/http/campaign-status-route';

export const handler = campaignStatusHandler('publish-campaign', 'published');

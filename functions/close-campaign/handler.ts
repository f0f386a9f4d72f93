// (HTTP POST /v1/campaigns/{campaignId}/close) --> setCampaignStatus('closed') --> (main table; audited; the stream removes its schedules)
import { campaignStatusHandler } from '../../shared/http/campaign-status-route';

export const handler = campaignStatusHandler('close-campaign', 'closed');

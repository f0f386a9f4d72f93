/**
 * What every page shares, made once at start-up (main.ts): the configuration, the session,
 * the API client and the campaign with its form schemas.
 */
import { shallowRef } from 'vue';
import type { Campaign } from '../../shared/domain/campaign';
import { campaignToOpen } from '../../shared/domain/campaign-to-open';
import { createApi, ok, type Api, type CampaignView } from './api/client';
import type { Session } from './auth/session';
import { campaignFromView } from './campaign';
import type { WebConfig } from './config';

export interface AppContext {
  /** The configuration; `campaignId` is settled by {@link ensureCampaignId} before any signed-in page opens. */
  readonly config: WebConfig & { campaignId: string };
  readonly session: Session;
  readonly api: Api;
  /** Where the API lives (empty: this origin); links a calendar app follows are made absolute with it. */
  readonly apiBase: string;
}

let context: AppContext | undefined;

export function setContext(config: WebConfig, session: Session, baseUrl: string): AppContext {
  context = { config: { ...config, campaignId: config.campaignId ?? '' }, session, api: createApi(baseUrl, session), apiBase: baseUrl };
  campaignChoice = undefined;
  return context;
}

let campaignChoice: Promise<string> | undefined;

/**
 * The campaign the app works in: the configured one, else the newest published campaign of the
 * signed-in user's city (the API lists their city's only, newest year first), else their newest.
 * Needs a signed-in user; settled once.
 */
export function ensureCampaignId(): Promise<string> {
  const { api, config } = useContext();
  if (config.campaignId) return Promise.resolve(config.campaignId);
  campaignChoice ??= ok(api.GET('/v1/campaigns')).then(({ data }) => {
    const pick = campaignToOpen(data.items)?.campaignId;
    if (!pick) throw new Error('没有可用的活动季 / No campaign is open to you');
    config.campaignId = pick;
    return pick;
  });
  campaignChoice.catch(() => (campaignChoice = undefined));
  return campaignChoice;
}

export function useContext(): AppContext {
  if (!context) throw new Error('the app context is not set (main.ts sets it before mounting)');
  return context;
}

/** The campaign's public view and its domain form, loaded once. */
export const campaignState = shallowRef<{ view: CampaignView; campaign: Campaign } | undefined>(undefined);

let loading: Promise<{ view: CampaignView; campaign: Campaign }> | undefined;

export function loadCampaign(): Promise<{ view: CampaignView; campaign: Campaign }> {
  const { api } = useContext();
  loading ??= ensureCampaignId().then((campaignId) => ok(api.GET('/v1/campaigns/{campaignId}', { params: { path: { campaignId } } }))).then(({ data }) => {
    const state = { view: data, campaign: campaignFromView(data) };
    campaignState.value = state;
    return state;
  });
  loading.catch(() => (loading = undefined));
  return loading;
}

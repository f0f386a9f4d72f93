/**
 * What every page shares, made once at start-up (main.ts): the configuration, the session,
 * the API client and the campaign with its form schemas.
 */
import { shallowRef } from 'vue';
import type { Campaign } from '../../shared/domain/campaign';
import { createApi, ok, type Api, type CampaignView } from './api/client';
import type { Session } from './auth/session';
import { campaignFromView } from './campaign';
import type { WebConfig } from './config';

export interface AppContext {
  readonly config: WebConfig;
  readonly session: Session;
  readonly api: Api;
}

let context: AppContext | undefined;

export function setContext(config: WebConfig, session: Session, baseUrl: string): AppContext {
  context = { config, session, api: createApi(baseUrl, session) };
  return context;
}

export function useContext(): AppContext {
  if (!context) throw new Error('the app context is not set (main.ts sets it before mounting)');
  return context;
}

/** The campaign's public view and its domain form, loaded once. */
export const campaignState = shallowRef<{ view: CampaignView; campaign: Campaign } | undefined>(undefined);

let loading: Promise<{ view: CampaignView; campaign: Campaign }> | undefined;

export function loadCampaign(): Promise<{ view: CampaignView; campaign: Campaign }> {
  const { api, config } = useContext();
  loading ??= ok(api.GET('/v1/campaigns/{campaignId}', { params: { path: { campaignId: config.campaignId } } })).then(({ data }) => {
    const state = { view: data, campaign: campaignFromView(data) };
    campaignState.value = state;
    return state;
  });
  loading.catch(() => (loading = undefined));
  return loading;
}

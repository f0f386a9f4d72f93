/** The run-time configuration, read once from `/config.json` on the app's own origin. */
import * as z from '../../shared/domain/zod';
import { WebConfigSchema, type WebConfig } from '../../shared/schemas/web-config.schema';

export type { WebConfig };

export async function loadConfig(): Promise<WebConfig> {
  const res = await fetch('/config.json', { cache: 'no-store' });
  if (!res.ok) throw new Error(`/config.json: HTTP ${res.status}`);
  return z.parse(WebConfigSchema, await res.json());
}

/** Where the API lives: the same origin on one machine, `apiUrl` on AWS. */
export const apiBase = (config: WebConfig): string => (config.mode === 'oidc' ? config.apiUrl : '');

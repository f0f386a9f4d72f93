/**
 * The campaign catalog of a function (ADR 0023): one per process and table, so that every
 * handler of a process shares one cache (on one machine that is every handler, and an admin's
 * edit invalidates it for all of them).
 */
import { loadCampaignCacheTtlMs } from '../config';
import { CachedCampaignCatalog } from '../repositories/cached-campaign-catalog';
import { DynamoDbCampaignReads, DynamoDbCampaignStore } from '../repositories/campaign-repository';
import { documentClient, type ClientSettings } from './dynamodb';

const catalogs = new Map<string, CachedCampaignCatalog>();

/** The process's cached catalog over the main table `config.tables.main`. */
export function campaignCatalogOf(config: ClientSettings & { readonly tables: { readonly main: string } }): CachedCampaignCatalog {
  const key = config.tables.main;
  let catalog = catalogs.get(key);
  if (!catalog) {
    catalog = new CachedCampaignCatalog(new DynamoDbCampaignReads({ client: documentClient(config), tableName: key }), {
      ttlMs: loadCampaignCacheTtlMs(),
    });
    catalogs.set(key, catalog);
  }
  return catalog;
}

/** The store itself (the admin API reads and writes it directly, strongly consistent). */
export function campaignStoreOf(config: ClientSettings & { readonly tables: { readonly main: string } }): DynamoDbCampaignStore {
  return new DynamoDbCampaignStore({ client: documentClient(config), tableName: config.tables.main });
}

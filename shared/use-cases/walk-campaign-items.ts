/**
 * Every item of one campaign that can hold personal information, by Query (ADR 0047): the
 * partitions the export's readers read (activities, results, media, summaries, flags, units added,
 * reviews, extensions), then the unit settings and export jobs they do not. The walk the retention
 * purge scrubs and the ledger backfill (migration 0011) records; a page at a time.
 */
import type { ScoringSource } from '../export/readers';
import type { ItemKey } from '../repositories/keys';
import type { PersonalDataStore } from '../repositories/personal-data-repository';

const READERS = ['activities', 'results', 'media', 'summaries', 'flags', 'addedOrganizations', 'reviews', 'extensions'] as const;

/** One page of the walk: the reader that found it (progress logs name it) and its items' keys. */
export interface CampaignItemsPage {
  readonly reader: (typeof READERS)[number] | 'settings-and-exports';
  readonly keys: readonly ItemKey[];
}

export async function* campaignItemKeys(
  campaignId: string,
  deps: { readonly source: ScoringSource; readonly store: Pick<PersonalDataStore, 'campaignExtras'> },
): AsyncGenerator<CampaignItemsPage> {
  for (const reader of READERS) {
    for await (const page of deps.source[reader](campaignId)) yield { reader, keys: page.map((i) => ({ pk: String(i.pk), sk: String(i.sk) })) };
  }
  yield { reader: 'settings-and-exports', keys: await deps.store.campaignExtras(campaignId) };
}

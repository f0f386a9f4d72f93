/**
 * The daily retention purge (ADR 0047): a closed campaign's personal information goes
 * `retentionDays` after its close. No Scan at any size.
 *
 * Primary course:
 * 1. The campaigns due: Query `RETAIN#<yyyy-mm>` for this month and the {@link LOOKBACK_MONTHS}
 *    before it (a day or a month the job did not run is caught up), due by today, not yet purged.
 * 2. Per campaign, walk its partitions by Query ({@link campaignItemKeys}: the export's readers,
 *    plus its unit settings and export jobs), and scrub each page (`scrubItems`, marker `retention` with the campaign's id: every
 *    person pseudonymised, every contact removed), reporting progress page by page.
 * 3. Mark the campaign purged (the index item is audited like every item). A second run finds
 *    nothing due; a run cut short scrubs what is left (the marker makes the done items no-ops).
 */
import type { Clock } from '../domain/clock';
import type { ScrubMarker } from '../domain/personal-data';
import type { ScoringSource } from '../export/readers';
import type { ItemKey } from '../repositories/keys';
import type { RetentionIndex, RetentionRecord } from '../repositories/personal-data-repository';
import { scrubItems, type ScrubDeps } from './scrub-personal-data';
import { campaignItemKeys } from './walk-campaign-items';

/** How many months back the job looks for campaigns it has not purged yet. */
export const LOOKBACK_MONTHS = 24;

export interface PurgeDeps extends ScrubDeps {
  readonly index: RetentionIndex;
  readonly source: ScoringSource;
  readonly clock: Clock;
  /** Told after each page: the long job's progress (logs). */
  readonly progress?: (p: { campaignId: string; reader: string; items: number; scrubbed: number }) => void;
}

/** `yyyy-mm` of `now` and of the `n` months before it. */
function monthsBack(now: Date, n: number): string[] {
  return Array.from({ length: n + 1 }, (_, i) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - i, 1)).toISOString().slice(0, 7));
}

export async function purgeExpiredData(deps: PurgeDeps): Promise<{ campaigns: string[]; items: number; scrubbed: number }> {
  const now = deps.clock.now();
  const today = now.toISOString().slice(0, 10);
  const due = (await Promise.all(monthsBack(now, LOOKBACK_MONTHS).map((m) => deps.index.due(m, today)))).flat();
  let items = 0;
  let scrubbed = 0;
  for (const record of due) {
    const outcome = await purgeCampaign(record, deps);
    items += outcome.items;
    scrubbed += outcome.scrubbed;
    await deps.index.purged(record, deps.clock.now().toISOString());
  }
  return { campaigns: due.map((r) => r.campaignId), items, scrubbed };
}

async function purgeCampaign(record: RetentionRecord, deps: PurgeDeps): Promise<{ items: number; scrubbed: number }> {
  const marker: ScrubMarker = {
    kind: 'retention',
    ref: record.campaignId,
    by: 'system',
    at: deps.clock.now().toISOString(),
    pseudonyms: 'all',
    contacts: 'all',
  };
  let items = 0;
  let scrubbed = 0;
  const scrub = async (reader: string, keys: readonly ItemKey[]) => {
    const outcome = await scrubItems(keys, marker, deps);
    items += outcome.items;
    scrubbed += outcome.scrubbed;
    deps.progress?.({ campaignId: record.campaignId, reader, items, scrubbed });
  };
  for await (const page of campaignItemKeys(record.campaignId, deps)) await scrub(page.reader, page.keys);
  return { items, scrubbed };
}

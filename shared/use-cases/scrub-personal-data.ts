/**
 * Scrubs personal data from main-table items (ADR 0047): the one step erasure and retention share.
 *
 * Primary course:
 * 1. Read the items (consistent, 100 at a time); one deleted meanwhile is skipped (its trail stays
 *    as it was: ADR 0047, consequences).
 * 2. Plan each item's change (`scrubPlanOf`): marked actors become pseudonyms, a marked contact
 *    goes, the marker is set. An item carrying this scrub's marker already is left alone, so a
 *    second run changes nothing.
 * 3. Write each plan conditionally on the item as read; an item changed in between is read and
 *    planned again (a few times), so a concurrent edit neither loses its change nor keeps the contact.
 */
import type { Clock } from '../domain/clock';
import { scrubPlanOf, type Pseudonyms, type ScrubMarker } from '../domain/personal-data';
import type { ItemKey } from '../repositories/keys';
import type { PersonalDataStore } from '../repositories/personal-data-repository';

export interface ScrubDeps {
  readonly store: PersonalDataStore;
  readonly pseudonyms: Pseudonyms;
  readonly clock: Clock;
}

export interface ScrubOutcome {
  /** Items found at the keys given. */
  readonly items: number;
  /** Items changed by this run (the rest carried the marker already). */
  readonly scrubbed: number;
}

const ATTEMPTS = 5;

export async function scrubItems(subjects: readonly ItemKey[], marker: ScrubMarker, deps: ScrubDeps): Promise<ScrubOutcome> {
  let items = 0;
  let scrubbed = 0;
  for (let i = 0; i < subjects.length; i += 100) {
    for (const found of await deps.store.items(subjects.slice(i, i + 100))) {
      items += 1;
      let item: Record<string, unknown> | undefined = found;
      for (let attempt = 0; item; attempt += 1) {
        const plan = scrubPlanOf(item, marker, deps.pseudonyms);
        if (!plan) break;
        if (await deps.store.scrub(item, plan, deps.clock.now().toISOString())) {
          scrubbed += 1;
          break;
        }
        if (attempt + 1 >= ATTEMPTS) throw new Error(`item ${String(item.pk)} / ${String(item.sk)} kept changing during a scrub`);
        [item] = await deps.store.items([{ pk: String(item.pk), sk: String(item.sk) }]);
      }
    }
  }
  return { items, scrubbed };
}

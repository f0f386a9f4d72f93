/**
 * Keeps the public calendar (ADR 0044) from a batch of main-table changes.
 *
 * Primary course:
 * 1. Only activity items count; the others are skipped at once.
 * 2. Per activity, the places its published images in the batch stood at (an edit may move it to
 *    another county or start) are collected. One never published (a draft) is skipped: drafts are
 *    never public.
 * 3. The activity is read as stored now (strongly consistent); its public entry, if it is still
 *    published, is written, and every other place is deleted (withdrawn: every place).
 *
 * Converges: it writes the stored state, not the record's, so a retried batch changes nothing.
 * An activity that fails fails every record of it.
 */
import { publicEntryOf } from '../domain/public-activity';
import type { StoredItem } from '../domain/stored-item';
import type { PublicCalendarWriter, PublicSlot } from '../repositories/public-calendar-repository';
import type { ItemChange } from './record-audit-entry';

/** Activities read and written at once. */
const CONCURRENT = 8;

const slotId = (s: PublicSlot): string => `${s.campaignId}\n${s.county}\n${s.startsAt}\n${s.activityId}`;

export async function projectPublicCalendar(
  changes: readonly ItemChange[],
  deps: { calendar: PublicCalendarWriter; activityItems(activityIds: readonly string[]): Promise<StoredItem[]> },
): Promise<{ failed: ReadonlyMap<string, Error>; written: number }> {
  const touched = new Map<string, { eventIds: string[]; slots: Map<string, PublicSlot> }>();
  for (const change of changes) {
    const image = change.newImage ?? change.oldImage;
    if (image?.entity !== 'Activity' || typeof image.activityId !== 'string') continue;
    const work = touched.get(image.activityId) ?? { eventIds: [], slots: new Map<string, PublicSlot>() };
    work.eventIds.push(change.eventId);
    for (const entry of [publicEntryOf(change.oldImage), publicEntryOf(change.newImage)]) if (entry) work.slots.set(slotId(entry), entry);
    touched.set(image.activityId, work);
  }
  const queue = [...touched.entries()].filter(([, w]) => w.slots.size > 0);
  const failed = new Map<string, Error>();
  let written = 0;
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const [activityId, work] = next;
      try {
        const [stored] = await deps.activityItems([activityId]);
        const entry = publicEntryOf(stored);
        if (entry) await deps.calendar.put(entry);
        await Promise.all([...work.slots.entries()].filter(([id]) => !entry || id !== slotId(entry)).map(([, slot]) => deps.calendar.remove(slot)));
        written += 1;
      } catch (error) {
        for (const id of work.eventIds) failed.set(id, error instanceof Error ? error : new Error(String(error)));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENT, queue.length) }, worker));
  return { failed, written };
}

/**
 * Keeps the public calendar (ADR 0044) from a batch of main-table changes.
 *
 * Primary course:
 * 1. Only activity items count; the others are skipped at once.
 * 2. Per activity, the places its published images in the batch stood at (an edit may move it to
 *    another county or start) are collected. One never published (a draft) is skipped: drafts are
 *    never public.
 * 3. The activities are read as stored now (strongly consistent, one BatchGetItem per 100); each
 *    one's public entry, if it is still published, is written, and every other place is deleted
 *    (withdrawn: every place), in BatchWriteItems of 25 (a county's span grows once per batch).
 *
 * Converges: it writes the stored state, not the record's, so a retried batch changes nothing.
 * A failure fails every record of the batch's activities (the stream retries the batch).
 */
import { publicEntryOf, type PublicEntry } from '../domain/public-activity';
import type { StoredItem } from '../domain/stored-item';
import type { PublicCalendarWriter, PublicSlot } from '../repositories/public-calendar-repository';
import type { ItemChange } from './record-audit-entry';

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
  if (queue.length === 0) return { failed: new Map(), written: 0 };
  try {
    const stored = new Map((await deps.activityItems(queue.map(([id]) => id))).map((item) => [String(item.activityId), item]));
    const puts: PublicEntry[] = [];
    const removes: PublicSlot[] = [];
    for (const [activityId, work] of queue) {
      const entry = publicEntryOf(stored.get(activityId));
      if (entry) puts.push(entry);
      for (const [id, slot] of work.slots) if (!entry || id !== slotId(entry)) removes.push(slot);
    }
    await deps.calendar.apply({ puts, removes });
    return { failed: new Map(), written: queue.length };
  } catch (error) {
    // The batch's writes converge, so the whole batch is retried: every record of every activity in it fails.
    const failure = error instanceof Error ? error : new Error(String(error));
    return { failed: new Map(queue.flatMap(([, w]) => w.eventIds.map((id): [string, Error] => [id, failure]))), written: 0 };
  }
}

/** An activity's audit trail as the API answers it (`GET …/history`): times in the campaign's zone. */
import * as z from '../domain/zod';
import type { Campaign } from '../domain/campaign';
import { personal } from '../domain/privacy';
import type { AuditEntry } from '../repositories/audit-repository';
import { instant, type ViewOf } from '../schemas/output';
import { zoned } from './zoned-instant';

export const historyEntryViewSchema = z.looseObject({
  at: instant(),
  of: z.meta(z.enum(['activity', 'results']), { description: 'Whose trail: the activity’s or its results’.' }),
  actor: z.meta(z.string(), personal('actor', 'accountability')),
  action: z.enum(['created', 'updated', 'deleted']),
  changes: z.array(
    z.looseObject({
      path: z.string(),
      old: z.optional(z.meta(z.unknown(), personal('change-copy', 'accountability'))),
      new: z.optional(z.meta(z.unknown(), personal('change-copy', 'accountability'))),
    }),
  ),
});
export type HistoryEntryView = ViewOf<typeof historyEntryViewSchema>;

/** One entry of the trail, and whose trail it is on. */
export function historyEntryView(e: AuditEntry & { readonly of: 'activity' | 'results' }, campaign: Campaign): HistoryEntryView {
  return { at: zoned(e.at, campaign), of: e.of, actor: e.actor, action: e.action, changes: e.changes };
}

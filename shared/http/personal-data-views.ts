/** Access and erasure as the API answers them (ADR 0047): instants in UTC (a person spans campaigns). */
import * as z from '../domain/zod';
import { personal } from '../domain/privacy';
import type { ErasureRecord } from '../repositories/personal-data-repository';
import { ERASURE_MODES } from '../schemas/erasure.schema';
import { count, instant, type ViewOf } from '../schemas/output';
import type { MyData } from '../use-cases/get-my-data';

const itemKey = z.looseObject({ pk: z.string(), sk: z.string() });

/** An erasure as recorded: never the person's sub or contact, only their pseudonym. */
export const erasureViewSchema = z.looseObject({
  erasureId: z.uuid(),
  pseudonym: z.meta(z.string(), { description: 'Stands for the person from now on.', ...personal('actor', 'erasure-proof', 'proof') }),
  mode: z.enum(ERASURE_MODES),
  reason: z.string(),
  counts: z.looseObject({ items: count(), scrubbed: count(), notices: count(), budgets: count() }),
  requestedAt: instant(),
  requestedBy: z.meta(z.string(), personal('actor', 'accountability', 'proof')),
});
export type ErasureView = ViewOf<typeof erasureViewSchema>;

export function erasureView(e: ErasureRecord): ErasureView {
  return { erasureId: e.erasureId, pseudonym: e.pseudonym, mode: e.mode, reason: e.reason, counts: e.counts, requestedAt: e.requestedAt, requestedBy: e.requestedBy };
}

/** Everything held about the caller (`GET /v1/me/data`); each item and entry carries more than listed. */
export const myDataViewSchema = z.looseObject({
  sub: z.meta(z.string(), personal('actor', 'erasure-request', 'not-stored')),
  generatedAt: instant(),
  items: z.array(z.looseObject({ subject: itemKey, as: z.array(z.string()) })),
  auditEntries: z.array(z.looseObject({ subject: itemKey, actor: z.meta(z.string(), personal('actor', 'accountability')), at: instant() })),
  ownItems: z.array(z.looseObject({})),
});
export type MyDataView = ViewOf<typeof myDataViewSchema>;

export function myDataView(d: MyData): MyDataView {
  return {
    sub: d.sub,
    generatedAt: d.generatedAt,
    items: d.items.map((i) => ({ ...i, as: [...i.as] })),
    auditEntries: d.auditEntries.map((e) => ({ subject: e.subject, ...(e.entity ? { entity: e.entity } : {}), action: e.action, actor: e.actor, at: e.at, changes: [...e.changes] })),
    ownItems: [...d.ownItems],
  };
}

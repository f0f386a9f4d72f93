/**
 * `POST /v1/people/{sub}/erasure`: an admin erases a person's personal information on request
 * (PIPL, ADR 0047).
 *
 * Primary course:
 * 1. Only an admin (403). The body: `{ reason, mode, contacts? }` (422 naming each field).
 * 2. Find what holds the person, by Query, never a Scan: the person ledger (`PERSON#<sub>`: items
 *    whose actor attributes named them) and, for each contact given, the contact ledger
 *    (`CONTACT#<hash>`: items whose contact held it).
 * 3. A person is of one city (ADR 0024): an item of another city's campaign among them answers 404,
 *    as a person unknown to this admin.
 * 4. Scrub the items (`scrubItems`, marker `erasure` with this request's id): the person's sub
 *    becomes their pseudonym, the contacts given are removed. The audit writer then rewrites the
 *    items' trails and ledgers from the stream.
 * 5. The person's own items (privacy-notice acknowledgements at `PERSON#<sub>`, scrubbed in 4):
 *    `pseudonymise` keeps a copy under the pseudonym; both modes delete them at the sub. Their
 *    export budgets (`BUDGET#exports#<sub>`) are deleted.
 * 6. Record the erasure once (`ERASURE#<id>`, audited from the stream like every item); a retry
 *    with the same Idempotency-Key answers the first record, and steps 4 and 5 found nothing left.
 */
import { hasRole, type Principal } from '../auth/principal';
import type { Clock } from '../domain/clock';
import { safeParseFields } from '../domain/issues';
import { contactValuesOf, SCRUB_ATTRIBUTE, type ScrubMarker } from '../domain/personal-data';
import { ForbiddenError, InvalidInputError, NotFoundError } from '../errors';
import type { PersonalDataLedger } from '../repositories/audit-repository';
import type { CampaignCatalog } from '../repositories/campaign-repository';
import { keys } from '../repositories/keys';
import type { ErasureRecord } from '../repositories/personal-data-repository';
import { erasureRequestSchema } from '../schemas/erasure.schema';
import { campaignVisibleTo } from './activity-access';
import { scrubItems, type ScrubDeps } from './scrub-personal-data';
import { createOnce, randomWriteIdentity, type WriteIdentity } from './write-identity';

export interface ErasePersonDeps extends ScrubDeps {
  readonly ledger: PersonalDataLedger;
  readonly campaigns: CampaignCatalog;
  readonly clock: Clock;
  readonly newId?: () => string;
}

export async function erasePerson(
  input: { principal: Principal; sub: string; body: unknown; write?: WriteIdentity },
  deps: ErasePersonDeps,
): Promise<{ erasure: ErasureRecord; repeated: boolean }> {
  if (!hasRole(input.principal, 'admin')) throw new ForbiddenError('only an admin erases personal information');
  const parsed = safeParseFields(erasureRequestSchema, input.body);
  if (!parsed.success) throw new InvalidInputError('the erasure request is not valid', parsed.issues);
  const body = parsed.data;
  const write = input.write ?? randomWriteIdentity(deps.newId);
  const { pseudonyms } = deps;

  // 2. What holds the person.
  const contactHashes = contactValuesOf({ contact: body.contacts ?? {} }).map((v) => pseudonyms.contactHash(v.kind, v.value));
  const touches = (await Promise.all([deps.ledger.touchedBy(input.sub), ...contactHashes.map((h) => deps.ledger.touchedByContact(h))])).flat();

  // 3. Of this admin's city only.
  const campaignIds = [...new Set(touches.flatMap((t) => (t.campaignId ? [t.campaignId] : [])))];
  const campaigns = await Promise.all(campaignIds.map((id) => deps.campaigns.find(id)));
  if (campaigns.some((c) => c !== undefined && !campaignVisibleTo(input.principal, c))) throw new NotFoundError(`person ${input.sub} not found`);

  // 4. Scrub.
  const now = deps.clock.now().toISOString();
  const pseudonym = pseudonyms.pseudonymOf(input.sub);
  const marker: ScrubMarker = { kind: 'erasure', ref: write.id, by: input.principal.sub, at: now, pseudonyms: [pseudonym], contacts: contactHashes };
  const own = await deps.store.ownItems(input.sub);
  const subjects = [...touches.map((t) => t.subject), ...own.map((i) => ({ pk: String(i.pk), sk: String(i.sk) }))];
  const outcome = await scrubItems(subjects, marker, deps);

  // 5. The person's own items and budgets.
  const notices = await deps.store.ownItems(input.sub);
  for (const notice of notices) {
    const { [SCRUB_ATTRIBUTE]: _marker, ...kept } = notice;
    if (body.mode === 'pseudonymise') await deps.store.put({ ...kept, pk: keys.personItems(pseudonym), sub: pseudonym });
    await deps.store.delete({ pk: String(notice.pk), sk: String(notice.sk) });
  }
  const budgets = await deps.store.deleteBudgets(input.sub);

  // 6. The record.
  const erasure: ErasureRecord = {
    erasureId: write.id,
    pseudonym,
    mode: body.mode,
    reason: body.reason,
    counts: { items: outcome.items, scrubbed: outcome.scrubbed, notices: notices.length, budgets },
    requestedAt: now,
    requestedBy: input.principal.sub,
  };
  const { value, repeated } = await createOnce(
    write,
    erasure,
    () => deps.store.createErasure(erasure, write.token),
    () => deps.store.erasureCreatedBy(write.id, write.token),
  );
  return { erasure: value, repeated };
}

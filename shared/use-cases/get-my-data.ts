/**
 * `GET /v1/me/data`: everything SciDay holds about the caller, as one JSON download (PIPL right of
 * access, ADR 0047). "About them" is what their `sub` reaches without a Scan:
 * 1. the items the person ledger names (`PERSON#<sub>` in the audit table: items whose actor
 *    attributes named them), each with the attributes that name them and its contact (the
 *    contacts a person gives are on the items they write);
 * 2. the audit entries of those items that they made (Query by item, kept when the actor is them);
 * 3. their own items (`PERSON#<sub>` in the main table: privacy-notice acknowledgements).
 * Contacts a person gave on items they never wrote are found by phone or e-mail only: an admin's
 * erasure request can name them (ADR 0047).
 */
import type { Principal } from '../auth/principal';
import type { Clock } from '../domain/clock';
import { ACTOR_ATTRIBUTES } from '../domain/personal-data';
import type { AuditEntry, AuditRepository, PersonalDataLedger } from '../repositories/audit-repository';
import { recordOf, type ItemKey } from '../repositories/keys';
import type { PersonalDataStore } from '../repositories/personal-data-repository';

export interface MyData {
  readonly sub: string;
  readonly generatedAt: string;
  readonly items: ReadonlyArray<{
    readonly subject: ItemKey;
    readonly entity?: string;
    readonly campaignId?: string;
    readonly organizationId?: string;
    /** The attributes naming the person (`createdBy`, `updatedBy` …). */
    readonly as: readonly string[];
    /** A media item they uploaded: its file name as they uploaded it. */
    readonly fileName?: string;
    readonly contact?: unknown;
    readonly updatedAt?: string;
  }>;
  readonly auditEntries: readonly AuditEntry[];
  readonly ownItems: ReadonlyArray<Record<string, unknown>>;
}

export async function getMyData(
  input: { principal: Principal },
  deps: { ledger: PersonalDataLedger; audit: AuditRepository; store: PersonalDataStore; clock: Clock },
): Promise<MyData> {
  const { sub } = input.principal;
  const touches = await deps.ledger.touchedBy(sub);
  const [items, own, trails] = await Promise.all([
    deps.store.items(touches.map((t) => t.subject)),
    deps.store.ownItems(sub),
    Promise.all(touches.map((t) => deps.audit.trail(t.subject))),
  ]);
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return {
    sub,
    generatedAt: deps.clock.now().toISOString(),
    items: items.map((item) => ({
      subject: { pk: String(item.pk), sk: String(item.sk) },
      ...(str(item.entity) ? { entity: str(item.entity) } : {}),
      ...(str(item.campaignId) ? { campaignId: str(item.campaignId) } : {}),
      ...(str(item.organizationId) ? { organizationId: str(item.organizationId) } : {}),
      as: ACTOR_ATTRIBUTES.filter((a) => item[a] === sub),
      ...(item.createdBy === sub && str(item.fileName) ? { fileName: str(item.fileName) } : {}),
      ...(item.contact !== undefined ? { contact: item.contact } : {}),
      ...(str(item.updatedAt) ? { updatedAt: str(item.updatedAt) } : {}),
    })),
    auditEntries: trails.flat().filter((e) => e.actor === sub),
    ownItems: own.map((i) => recordOf<Record<string, unknown>>(i)),
  };
}

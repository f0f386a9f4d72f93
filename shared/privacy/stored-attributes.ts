/**
 * Personal information held in attributes no request or answer schema declares: who created,
 * changed, waived, granted, reviewed or requested something (`…By`, the audit trail's `actor`),
 * the caller in key values (idempotency records, export budgets), and the privacy notice's
 * acknowledgements. Fields a schema declares are marked there instead (`z.meta(field, personal(…))`);
 * together they are the inventory docs/privacy.md is generated from (ADR 0046).
 * test/unit/privacy/inventory.test.ts fails when a repository or domain record names a `…By`
 * attribute this list does not.
 */
import { personal, type PersonalTag } from '../domain/privacy';

/** One stored attribute holding personal information. */
export interface StoredAttribute {
  /** Table and item, as docs/data-model.md names them. */
  readonly item: string;
  /** The attribute, or where in the key the value sits. */
  readonly attribute: string;
  readonly tag: PersonalTag;
  /** Who can read it, and through what (most are read by no route at all). */
  readonly readers: string;
}

const actor = personal('actor', 'accountability').personal;
const NO_ROUTE = 'no route answers it; operators with table access (AWS account)';
const HISTORY = 'as `actor` in `GET /v1/activities/{activityId}/history` (owner, reviewer, admin)';
const ANSWERED = 'answered under the same name (see the API table)';

/** Every stored-only attribute holding personal information, by item. */
export const STORED_PERSONAL_ATTRIBUTES: readonly StoredAttribute[] = [
  { item: 'main: Activity', attribute: 'createdBy', tag: actor, readers: NO_ROUTE },
  { item: 'main: Activity', attribute: 'updatedBy', tag: actor, readers: HISTORY },
  { item: 'main: Results of an activity', attribute: 'updatedBy', tag: actor, readers: HISTORY },
  { item: 'main: Work summary', attribute: 'updatedBy', tag: actor, readers: NO_ROUTE },
  { item: 'main: Media item', attribute: 'createdBy', tag: actor, readers: NO_ROUTE },
  { item: 'main: Unit settings', attribute: 'updatedBy', tag: actor, readers: NO_ROUTE },
  { item: 'main: Unit added at run time', attribute: 'listedBy', tag: actor, readers: NO_ROUTE },
  { item: 'main: Flag', attribute: 'waivedBy', tag: actor, readers: ANSWERED },
  { item: 'main: Review of a unit', attribute: 'reviewedBy', tag: actor, readers: ANSWERED },
  { item: 'main: Review of a unit', attribute: 'updatedBy', tag: actor, readers: NO_ROUTE },
  { item: 'main: Extension', attribute: 'grantedBy', tag: actor, readers: ANSWERED },
  { item: 'main: Export job', attribute: 'requestedBy', tag: actor, readers: ANSWERED },
  { item: 'main: Export job', attribute: 'updatedBy', tag: actor, readers: NO_ROUTE },
  {
    item: 'main: export budget (`BUDGET#exports#<sub>`)',
    attribute: '`pk` (the caller’s `sub`)',
    tag: personal('actor', 'rate-limit', 'budget-window').personal,
    readers: NO_ROUTE,
  },
  { item: 'main: Campaign definition', attribute: 'createdBy', tag: actor, readers: ANSWERED },
  { item: 'main: Campaign definition', attribute: 'updatedBy', tag: actor, readers: ANSWERED },
  {
    item: 'main: Privacy notice acknowledgement (`PERSON#<sub>` / `NOTICE#<version>`)',
    attribute: '`sub`, `version`, `acknowledgedAt`',
    tag: personal('acknowledgement', 'notice-record', 'person').personal,
    readers: 'the person only, `GET /v1/me/privacy-notice` (the `sub` comes from the token)',
  },
  { item: 'audit: change of an item', attribute: 'actor', tag: actor, readers: HISTORY },
  {
    item: 'audit: change of an item',
    attribute: '`changes[].old`, `changes[].new` (copies of `contact` when it changes; `webhookUrl` only sealed, ADR 0048)',
    tag: personal('change-copy', 'accountability').personal,
    readers: 'an activity’s changes in `GET …/history`; a unit’s settings changes: no route',
  },
  {
    item: 'idempotency: HTTP record',
    attribute: '`id` (route, path, the caller’s `sub`, `Idempotency-Key`)',
    tag: personal('actor', 'exactly-once', 'idempotency-window').personal,
    readers: NO_ROUTE,
  },
  {
    item: 'idempotency: HTTP record',
    attribute: '`data` (the first answer, replayed to the same caller: may copy a `contact` or a `fileName`; ADR 0047)',
    tag: personal('change-copy', 'exactly-once', 'idempotency-window').personal,
    readers: 'the caller who sent the same `Idempotency-Key` again within 24 h',
  },
  {
    item: 'audit: person ledger (`PERSON#<sub>` / `TOUCH#<item>`)',
    attribute: '`pk` (the `sub`), and which items named them',
    tag: personal('actor', 'erasure-request', 'while-held').personal,
    readers: 'the person, through `GET /v1/me/data`; an admin’s erasure (ADR 0047)',
  },
  {
    item: 'audit: contact ledger (`CONTACT#<hash>` / `TOUCH#<item>`)',
    attribute: '`pk` (a keyed hash of a phone or e-mail, never the value)',
    tag: personal('phone', 'erasure-request', 'while-held').personal,
    readers: 'an admin’s erasure, which names the phone or e-mail (ADR 0047)',
  },
  {
    item: 'main: any item scrubbed (`scrub`)',
    attribute: '`scrub` (pseudonyms and contact hashes removed, who asked, when; never a value)',
    tag: personal('actor', 'erasure-proof', 'proof').personal,
    readers: NO_ROUTE,
  },
  {
    item: 'CloudWatch Logs: the HTTP API’s access log',
    attribute: '`ip` (the caller’s address), `path` (may hold a `sub`: `/v1/people/{sub}/erasure`)',
    tag: personal('ip-address', 'operate', 'access-log').personal,
    readers: 'operators with the log group (AWS account)',
  },
];

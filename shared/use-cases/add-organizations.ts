/**
 * Adds organizing units to a campaign: one, a JSON list, or a CSV import, all or none.
 *
 * Primary course:
 * 1. The campaign exists and the caller may see it (404 also for another city's campaign), it is
 *    not closed (409 `campaign_closed`), and the caller is an admin (403), before the body is read.
 * 2. Every unit is validated first with `organizationSchemas(campaign).create`; a name that
 *    another unit of the same county already has (listed, or earlier in the request) is
 *    `duplicate_item`. Any failure: 422 listing every failing field, and nothing is written.
 * 3. Each unit gets a server id `<county>-<8 random base32 characters>`, e.g. `hongqi-7k2m9xqa`.
 * 4. All units are written in one transaction (so at most 100 per request: `too_many`).
 *
 * Paths of issues: a single JSON unit as the schema names them (`county`); a JSON list with
 * the item's index first (`2.county`, 0-based as JSON); a CSV import `rows.<n>.<column>`,
 * `n` the 1-based data row (the record after the header; blank records keep their number but
 * are skipped), the column by its English name (`rows.2.county`, `rows.3.contactPhone`), and
 * header problems as `header.<column>` (a missing column) or `header.<k>` (the k-th heading).
 *
 * The CSV import: columns `name,county,type[,contactName,contactPhone,contactEmail]` or their
 * Chinese headings `名称,县区,类型,联系人,联系电话,邮箱`, in any order (headings compared
 * without case, spaces, `_` or `-`). Cells are trimmed, and an empty cell is an absent value.
 * Since a sheet in Chinese names counties and types in Chinese, a county cell may also be the
 * county's Chinese name (`红旗区`) and a type cell one of {@link TYPE_LABELS}.
 */
import { createHash, randomBytes } from 'node:crypto';
import { hasRole, type Principal } from '../auth/principal';
import type { Campaign, OrganizationType } from '../domain/campaign';
import type { Clock } from '../domain/clock';
import { safeParseFields, type FieldIssue } from '../domain/issues';
import { ForbiddenError, InvalidInputError } from '../errors';
import {
  MAX_ORGANIZATIONS_PER_ADD,
  type NewOrganization,
  type Organization,
  type OrganizationRegistry,
} from '../repositories/organization-repository';
import { organizationSchemas, type OrganizationInput } from '../schemas/organization.schema';
import { campaignFor } from './activity-access';
import type { CampaignCatalog } from '../repositories/campaign-repository';
import { createOnce, randomWriteIdentity, type Created, type WriteIdentity } from './write-identity';

/** The body as the HTTP edge read it: JSON (one unit or a list) or the records of a CSV. */
export type UnitsBody =
  | { readonly format: 'json'; readonly value: unknown }
  | { readonly format: 'csv'; readonly records: ReadonlyArray<readonly string[]> };

export interface AddOrganizationsDeps {
  readonly campaigns: CampaignCatalog;
  readonly organizations: OrganizationRegistry;
  readonly clock: Clock;
  /** The random part of a new id (8 lower-case base32 characters by default). */
  readonly newSuffix?: () => string;
}

/** Most units one request adds (one DynamoDB transaction). */
export const MAX_UNITS_PER_REQUEST = MAX_ORGANIZATIONS_PER_ADD;

/** CSV columns: the English name (also the name in issue paths) and the Chinese heading. */
export const CSV_COLUMNS = [
  { field: 'name', zh: '名称', required: true },
  { field: 'county', zh: '县区', required: true },
  { field: 'type', zh: '类型', required: true },
  { field: 'contactName', zh: '联系人', required: false },
  { field: 'contactPhone', zh: '联系电话', required: false },
  { field: 'contactEmail', zh: '邮箱', required: false },
] as const;
type CsvField = (typeof CSV_COLUMNS)[number]['field'];

/** Chinese labels a CSV may use for a unit's type (the type's id is accepted too). */
export const TYPE_LABELS: Readonly<Record<string, OrganizationType>> = {
  科协: 'association',
  部门: 'department',
  政府部门: 'department',
  党委政府部门: 'department',
  学会: 'society',
  协会: 'society',
  研究会: 'society',
  企业: 'enterprise',
  学校: 'school',
  科研院所: 'research-institute',
  科普场馆: 'venue',
  科普基地: 'venue',
  其他: 'other',
};

/** Where a zod path of the unit schema points in the request. */
const CSV_PATHS: Readonly<Record<string, CsvField>> = {
  name: 'name',
  county: 'county',
  type: 'type',
  contact: 'contactName',
  'contact.name': 'contactName',
  'contact.phone': 'contactPhone',
  'contact.email': 'contactEmail',
};

interface Candidate {
  readonly value: unknown;
  /** The request path of a path inside the unit (`''` is the unit itself). */
  readonly at: (path: string) => string;
}

const join = (prefix: string, path: string): string => (path === '' ? prefix : `${prefix}.${path}`);
const heading = (s: string): string => s.normalize('NFKC').replace(/[\s_-]+/g, '').toLowerCase();
/** Two names are the same unit's when they match ignoring width, case and white space. */
const nameKey = (county: string, name: string): string => `${county}\u0000${name.normalize('NFKC').replace(/\s+/g, '').toLowerCase()}`;

const BASE32 = '0123456789abcdefghjkmnpqrstvwxyz'; // Crockford's: no i, l, o, u
function randomSuffix(): string {
  return [...randomBytes(8)].map((b) => BASE32[b % 32]).join('');
}

/** The n-th suffix of a keyed request: the same on every retry of it. */
function derivedSuffix(writeId: string, n: number): string {
  return [...createHash('sha256').update(`${writeId}#${n}`).digest().subarray(0, 8)].map((b) => BASE32[b % 32]).join('');
}

function invalid(issues: FieldIssue[]): never {
  throw new InvalidInputError('the units are not valid; nothing was added', issues);
}

interface Candidates {
  readonly candidates: Candidate[];
  /** Issues found while reading the body (cells beyond the columns). */
  readonly issues: FieldIssue[];
}

function jsonCandidates(value: unknown): Candidates {
  if (!Array.isArray(value)) return { candidates: [{ value, at: (p) => p }], issues: [] };
  if (value.length === 0) invalid([{ path: '', code: 'too_few', params: { min: 1 } }]);
  if (value.length > MAX_UNITS_PER_REQUEST) invalid([{ path: '', code: 'too_many', params: { max: MAX_UNITS_PER_REQUEST } }]);
  return { candidates: value.map((item, i) => ({ value: item, at: (p) => join(String(i), p) })), issues: [] };
}

/** The columns of a CSV header, or 422 naming every problem of it. */
function csvColumns(header: readonly string[]): Array<CsvField | undefined> {
  const byHeading = new Map<string, CsvField>(
    CSV_COLUMNS.flatMap((c) => [[heading(c.field), c.field] as const, [heading(c.zh), c.field] as const]),
  );
  const issues: FieldIssue[] = [];
  const columns: Array<CsvField | undefined> = [];
  header.forEach((raw, k) => {
    const text = raw.trim();
    if (text === '' && k === header.length - 1 && k > 0) return; // a trailing comma
    const field = byHeading.get(heading(text));
    if (!field) issues.push({ path: `header.${k + 1}`, code: 'unrecognized_key', params: { key: text } });
    else if (columns.includes(field)) issues.push({ path: `header.${k + 1}`, code: 'duplicate_item', params: { value: text } });
    else columns[k] = field;
  });
  for (const c of CSV_COLUMNS) {
    if (c.required && !columns.includes(c.field)) issues.push({ path: `header.${c.field}`, code: 'required' });
  }
  if (issues.length > 0) invalid(issues);
  return columns;
}

function csvCandidates(records: ReadonlyArray<readonly string[]>, campaign: Campaign): Candidates {
  const [header = [], ...rows] = records;
  const columns = csvColumns(header);
  const counties = new Map(campaign.counties.map((c) => [c.name.zh, c.id]));
  const candidates: Candidate[] = [];
  const issues: FieldIssue[] = [];
  rows.forEach((cells, index) => {
    const n = index + 1;
    if (cells.every((c) => c.trim() === '')) return; // a blank record keeps its number
    const cell: Partial<Record<CsvField, string>> = {};
    let beyond = false;
    cells.forEach((raw, k) => {
      const text = raw.trim();
      const field = columns[k];
      if (text === '') return;
      if (field) cell[field] = text;
      else beyond = true;
    });
    if (beyond) issues.push({ path: `rows.${n}`, code: 'too_many', params: { max: header.length } });
    const hasContact = cell.contactName !== undefined || cell.contactPhone !== undefined || cell.contactEmail !== undefined;
    const value = {
      name: cell.name,
      county: cell.county === undefined ? undefined : (counties.get(cell.county) ?? cell.county),
      type: cell.type === undefined ? undefined : (TYPE_LABELS[cell.type] ?? cell.type),
      ...(hasContact
        ? { contact: { name: cell.contactName, phone: cell.contactPhone, ...(cell.contactEmail !== undefined ? { email: cell.contactEmail } : {}) } }
        : {}),
    };
    candidates.push({ value, at: (p) => join(`rows.${n}`, CSV_PATHS[p] ?? p) });
  });
  if (candidates.length === 0) invalid([{ path: 'rows', code: 'too_few', params: { min: 1 } }]);
  if (candidates.length > MAX_UNITS_PER_REQUEST) invalid([{ path: 'rows', code: 'too_many', params: { max: MAX_UNITS_PER_REQUEST } }]);
  return { candidates, issues };
}

/** Validates every candidate, then names duplicates: the units, or 422 with every issue. */
function validate(read: Candidates, campaign: Campaign, listed: readonly Organization[]): OrganizationInput[] {
  const { create } = organizationSchemas(campaign);
  const issues: FieldIssue[] = [...read.issues];
  const units: OrganizationInput[] = [];
  const seen = new Set<string>();
  for (const o of listed) {
    seen.add(nameKey(o.county, o.name));
    if (o.nameEn) seen.add(nameKey(o.county, o.nameEn));
  }
  for (const c of read.candidates) {
    const parsed = safeParseFields(create, c.value);
    if (parsed.success) units.push(parsed.data);
    else issues.push(...parsed.issues.map((i) => ({ ...i, path: c.at(i.path) })));
    // Duplicates are named even when other fields of the unit fail: every issue at once.
    const fields: Record<string, unknown> = typeof c.value === 'object' && c.value !== null ? (c.value as Record<string, unknown>) : {};
    const name = create.shape.name.safeParse(fields.name);
    const county = create.shape.county.safeParse(fields.county);
    if (name.success && county.success) {
      const key = nameKey(county.data, name.data);
      if (seen.has(key)) issues.push({ path: c.at('name'), code: 'duplicate_item', params: { value: name.data } });
      seen.add(key);
    }
  }
  if (issues.length > 0) invalid(issues);
  return units;
}

export async function addOrganizations(
  input: { principal: Principal; campaignId: string; body: () => UnitsBody; write?: WriteIdentity },
  deps: AddOrganizationsDeps,
): Promise<Created<NewOrganization[]>> {
  const campaign = await campaignFor(input.principal, deps.campaigns, input.campaignId, { write: true });
  if (!hasRole(input.principal, 'admin')) throw new ForbiddenError('only admins add organizing units');
  const write = input.write ?? randomWriteIdentity();
  // A retry of a request whose units are stored answers with them (their names are taken now).
  if (write.keyed) {
    const earlier = await deps.organizations.addedBy(campaign, write.token);
    if (earlier.length > 0) return { value: earlier, repeated: true };
  }
  const body = input.body();
  const read = body.format === 'json' ? jsonCandidates(body.value) : csvCandidates(body.records, campaign);
  const listed = await deps.organizations.list(campaign);
  const valid = validate(read, campaign, listed);

  const taken = new Set(listed.map((o) => o.organizationId));
  // Keyed: suffixes derived from the request, so a retry proposes the same ids (ADR 0025).
  let drawn = 0;
  const suffix = deps.newSuffix ?? (write.keyed ? () => derivedSuffix(write.id, (drawn += 1)) : randomSuffix);
  const newId = (county: string): string => {
    for (let attempt = 0; attempt < 10; attempt += 1) {
      const id = `${county.slice(0, 55)}-${suffix()}`; // within the 64 characters of an id
      if (!taken.has(id)) {
        taken.add(id);
        return id;
      }
    }
    throw new Error('no free organization id after 10 attempts');
  };
  const now = deps.clock.now().toISOString();
  const units: NewOrganization[] = valid.map((u) => ({
    organizationId: newId(u.county),
    name: u.name,
    county: u.county,
    type: u.type,
    listedAt: now,
    listedBy: input.principal.sub,
    ...(u.contact ? { contact: { name: u.contact.name, phone: u.contact.phone, ...(u.contact.email ? { email: u.contact.email } : {}) } } : {}),
  }));
  return createOnce(
    write,
    units,
    () => deps.organizations.add(campaign, units, write.token),
    async () => {
      const earlier = await deps.organizations.addedBy(campaign, write.token);
      return earlier.length > 0 ? earlier : undefined;
    },
  );
}

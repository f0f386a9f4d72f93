// The personal-information inventory is complete (PIPL, issue 21 item 1; ADR 0046): every field the
// contract, the queue messages and the exports declare is either marked `personal` where it is
// declared or reviewed as not personal (shared/privacy/not-personal.ts), so a new field fails here
// until someone classifies it; and docs/privacy.md is what the generator renders now.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from '../../../shared/domain/zod';
import { findCampaign } from '../../../shared/campaigns/index';
import { PERSONAL_CATEGORIES, PERSONAL_PURPOSES, PERSONAL_RETENTIONS, personal } from '../../../shared/domain/privacy';
import { contact } from '../../../shared/schemas/text';
import { inventory, type InventoryField } from '../../../shared/privacy/inventory';
import { LOOKS_PERSONAL, NOT_PERSONAL, NOT_PERSONAL_BECAUSE } from '../../../shared/privacy/not-personal';
import { PRIVACY_DOC_CAMPAIGN, PRIVACY_DOC_PATH, renderPrivacyDoc } from '../../../shared/privacy/privacy-doc';
import { STORED_PERSONAL_ATTRIBUTES } from '../../../shared/privacy/stored-attributes';

const campaign = findCampaign(PRIVACY_DOC_CAMPAIGN)!;
const fields = inventory(campaign);
const key = (f: Pick<InventoryField, 'source' | 'path'>): string => `${f.source} ${f.path}`;
/** The last name of a path: `items[].contact.phone` → `phone`. */
const lastName = (path: string): string => path.replace(/\[\]|\.\*/g, '').split('.').pop() ?? path;

/** Fields declared but neither marked nor reviewed (what a new field looks like). */
function unclassified(all: readonly InventoryField[], reviewed: Record<string, readonly string[]>): string[] {
  return all.filter((f) => !f.tag && !(reviewed[f.source] ?? []).includes(f.path)).map(key);
}

describe('Personal-information inventory', () => {
  it('finds the contract, the messages, the exports and the stored attributes', () => {
    // Assess
    const sources = new Set(fields.map((f) => f.source.split(':')[0]));
    expect([...sources].sort()).toEqual(['export', 'message', 'openapi', 'stored']);
    expect(fields.filter((f) => f.tag).length).toBeGreaterThan(40);
  });

  it('classifies every declared field: marked personal, or reviewed as not personal', () => {
    expect(unclassified(fields, NOT_PERSONAL)).toEqual([]);
  });

  it('fails on a new field until it is classified', () => {
    // Prepare: a contract with one more answered field, as a new view field would add.
    const withNew = [...fields, { source: 'openapi:Activity', path: 'reporterNickname' }];
    // Act / Assess
    expect(unclassified(withNew, NOT_PERSONAL)).toEqual(['openapi:Activity reporterNickname']);
    expect(unclassified(withNew, { ...NOT_PERSONAL, 'openapi:Activity': [...(NOT_PERSONAL['openapi:Activity'] ?? []), 'reporterNickname'] })).toEqual([]);
  });

  it('lists no reviewed field that is gone or that is marked personal', () => {
    // Prepare
    const unmarked = new Set(fields.filter((f) => !f.tag).map(key));
    // Act
    const stale = Object.entries(NOT_PERSONAL).flatMap(([source, paths]) => paths.map((path) => `${source} ${path}`)).filter((k) => !unmarked.has(k));
    // Assess
    expect(stale).toEqual([]);
  });

  it('says why each reviewed field whose name looks personal is not', () => {
    // Act
    const unexplained = Object.entries(NOT_PERSONAL).flatMap(([source, paths]) =>
      paths.filter((p) => LOOKS_PERSONAL.test(lastName(p)) && !NOT_PERSONAL_BECAUSE[lastName(p)]).map((p) => `${source} ${p}`),
    );
    // Assess
    expect(unexplained).toEqual([]);
  });

  it('marks the contact, the webhook URL and every account id the API answers', () => {
    // Prepare
    const tagOf = (source: string, path: string) => fields.find((f) => f.source === source && f.path === path)?.tag?.category;
    // Assess
    expect(tagOf('openapi:ActivitySubmission', 'contact.name')).toBe('contact-name');
    expect(tagOf('openapi:ActivitySubmission', 'contact.phone')).toBe('phone');
    expect(tagOf('openapi:Activity', 'contact.email')).toBe('email');
    expect(tagOf('openapi:OrganizationSettings', 'webhookUrl')).toBe('secret');
    expect(tagOf('openapi:OrganizationSettingsView', 'webhookUrl')).toBe('secret');
    expect(tagOf('message:Notification', 'webhookUrl')).toBe('secret');
    expect(tagOf('openapi:ActivityHistory', 'items[].actor')).toBe('actor');
    for (const f of fields.filter((x) => /By$/.test(lastName(x.path)))) expect([key(f), f.tag?.category]).toEqual([key(f), 'actor']);
  });

  it('tags with words of the vocabulary only (the marks survive the JSON Schema conversion as plain data)', () => {
    for (const f of fields.filter((x) => x.tag)) {
      expect([key(f), f.tag!.category in PERSONAL_CATEGORIES, f.tag!.purpose in PERSONAL_PURPOSES, f.tag!.retention in PERSONAL_RETENTIONS]).toEqual([key(f), true, true, true]);
    }
  });

  it('keeps the marks on contact() wherever it is reused, optional or partial', () => {
    // Act
    const schema = z.toJSONSchema(z.strictObject({ c: z.optional(z.nullable(z.partial(contact()))) }), { io: 'input' });
    // Assess
    expect(JSON.stringify(schema)).toContain(JSON.stringify(personal('phone', 'reach-contact')).slice(1, -1));
  });

  it('declares every `…By` attribute the records and repositories name as stored personal information', () => {
    // Prepare: functions, not attributes: `itemCreatedBy`/`addedBy` read by create token,
    // `registeredBy(activity, deadline)` is a milestone rule; `erasureCreatedBy` reads by create token, `touchedBy` is the person ledger's read.
    const functions = new Set(['itemCreatedBy', 'addedBy', 'registeredBy', 'erasureCreatedBy', 'touchedBy']);
    const declared = new Set(STORED_PERSONAL_ATTRIBUTES.map((a) => a.attribute.replace(/`/g, '')));
    const named = new Set<string>();
    for (const dir of ['shared/domain', 'shared/repositories']) {
      for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
        for (const m of readFileSync(join(dir, file), 'utf8').matchAll(/\b([a-z][A-Za-z]*By)\b/g)) named.add(m[1]!);
      }
    }
    // Act
    const undeclared = [...named].filter((n) => !functions.has(n) && !declared.has(n));
    // Assess
    expect(undeclared).toEqual([]);
  });

  it('docs/privacy.md is what `npm run docs:privacy` generates from the marks', () => {
    expect(readFileSync(PRIVACY_DOC_PATH, 'utf8')).toBe(renderPrivacyDoc(campaign));
  });
});

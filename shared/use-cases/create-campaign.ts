/**
 * Creates a draft campaign (admin, own city; ADR 0023), either from a JSON definition or as a copy
 * of a past campaign a year on.
 *
 * Primary course (definition):
 * 1. The caller is an admin; the body is a valid definition (every failing field at once).
 * 2. Its `cityId` is the caller's city.
 * 3. It is stored as a draft at version 1 (409 when the id is taken); the stream audits it.
 *
 * Alternative course (copy, body `{ copyFrom, id, year? }`):
 * 1. The template is a campaign of the caller's city.
 * 2. Every date moves by the years between the template and `year` (default: the next year; a
 *    29 February becomes the 28th); the year in its names and brand follows.
 * 3. Its units are carried over: those of its definition and those added at run time.
 * 4. The copy must be valid as it stands (the theme, for one, is the template's until edited).
 */
import { randomWriteIdentity, type Created, type WriteIdentity } from './write-identity';
import type { Principal } from '../auth/principal';
import type { CampaignDefinition } from '../domain/campaign';
import { safeParseFields } from '../domain/issues';
import { campaignCopySchema } from '../schemas/campaign.schema';
import { ISO_DATE } from '../domain/time';
import { InvalidInputError, KeyTakenError, NotFoundError } from '../errors';
import type { StoredCampaign } from '../repositories/campaign-repository';
import { managedCampaign, requireAdmin, validDefinition, type CreateCampaignDeps } from './campaign-admin';


/** `date` (YYYY-MM-DD) moved by `years`; 29 February becomes the 28th in a common year. */
export function shiftYears(date: string, years: number): string {
  const m = ISO_DATE.exec(date);
  if (!m) return date;
  const year = Number(m[1]) + years;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const day = m[2] === '02' && m[3] === '29' && !leap ? '28' : m[3];
  return `${year}-${m[2]}-${day}`;
}

/** The template's definition a year (or `year - template.year` years) on, with `units` as its organizations. */
export function copyDefinition(
  template: CampaignDefinition,
  id: string,
  year: number,
  units: CampaignDefinition['organizations'],
): CampaignDefinition {
  const years = year - template.year;
  const text = (b: { zh: string; en: string }) => ({
    zh: b.zh.replaceAll(String(template.year), String(year)),
    en: b.en.replaceAll(String(template.year), String(year)),
  });
  return {
    ...template,
    id,
    year,
    name: text(template.name),
    brand: text(template.brand),
    period: { start: shiftYears(template.period.start, years), end: shiftYears(template.period.end, years) },
    milestones: template.milestones.map((m) => ({ ...m, dueDate: shiftYears(m.dueDate, years) })),
    organizations: units,
  };
}

export async function createCampaign(
  input: { principal: Principal; body: unknown; write?: WriteIdentity },
  deps: CreateCampaignDeps,
): Promise<Created<StoredCampaign>> {
  requireAdmin(input.principal);
  const isCopy = typeof input.body === 'object' && input.body !== null && 'copyFrom' in input.body;
  let definition: CampaignDefinition;
  let copiedFrom: string | undefined;
  if (isCopy) {
    const parsed = safeParseFields(campaignCopySchema, input.body);
    if (!parsed.success) throw new InvalidInputError('the copy request is not valid', parsed.issues);
    const template = await managedCampaign(input.principal, deps.store, parsed.data.copyFrom).catch((error: unknown) => {
      if (!(error instanceof NotFoundError)) throw error;
      throw new InvalidInputError('no such template', [
        { path: 'copyFrom', code: 'unknown_campaign', params: { value: parsed.data.copyFrom } },
      ], { cause: error });
    });
    const units = (await deps.organizations.list(template.campaign)).map((o) => ({
      organizationId: o.organizationId,
      name: { zh: o.name, en: o.nameEn ?? o.name },
      county: o.county,
      type: o.type,
    }));
    definition = validDefinition(
      copyDefinition(template.definition, parsed.data.id, parsed.data.year ?? template.definition.year + 1, units),
      'the copied campaign is not valid: fix the template or create it from a definition',
    );
    copiedFrom = template.definition.id;
  } else {
    definition = validDefinition(input.body);
  }
  if (definition.cityId !== input.principal.city) {
    throw new InvalidInputError('not your city', [{ path: 'cityId', code: 'city_not_yours', params: { city: input.principal.city } }]);
  }
  const token = input.write?.token ?? randomWriteIdentity().token;
  const fresh = {
    definition,
    status: 'draft' as const,
    at: deps.clock.now().toISOString(),
    by: input.principal.sub,
    ...(copiedFrom ? { copiedFrom } : {}),
  };
  try {
    const stored = await deps.store.create(fresh, token);
    deps.cache?.invalidate(definition.id);
    return { value: stored, repeated: false };
  } catch (error) {
    // The id is the body's, not the key's: a taken id is 409 unless this request stored it (ADR 0025).
    if (!(error instanceof KeyTakenError)) throw error;
    const earlier = await deps.store.createdBy(definition.id, token);
    if (!earlier) throw error;
    return { value: earlier, repeated: true };
  }
}

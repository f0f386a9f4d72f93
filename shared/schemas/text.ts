/**
 * Field builders shared by every request schema: trimmed text measured in code points,
 * mainland phone numbers, https URLs, email, ISO instants, ids, integers, distinct lists and
 * campaign choices, plus the helpers object-level (cross-field) rules use.
 *
 * Normalisation, decided once here:
 * - Text (titles, names, descriptions) is trimmed (`String.prototype.trim`, which also removes
 *   the ideographic space U+3000) and otherwise kept exactly as typed: full-width letters in a
 *   title stay full-width. Lengths count Unicode code points, so an emoji or a CJK character is
 *   one (zod 4.6's `z.minLength`/`z.maxLength` count code points, like JSON Schema's `minLength`;
 *   the tests pin it).
 * - Machine-like values typed by people (phone numbers, URLs, email) are NFKC-normalised
 *   first, so full-width digits, letters and punctuation from a Chinese IME
 *   (`０３７３－５８２０６５６`) read as their ASCII forms.
 * - Ids and enum values are not normalised: clients pick them from lists.
 * - Instants keep the client's string (trimmed); rules parse it with `parseInstant`.
 */
import * as z from '../domain/zod';
import type { Campaign } from '../domain/campaign';
import { customIssue, issueParams } from '../domain/issues';
import { personal } from '../domain/privacy';
import { parseInstant } from '../domain/time';
import { refuseHiddenCharacters, type TextLines } from '../domain/text-hygiene';

/** zod's own email format (the pattern of `z.email()`), checked once the length is known to be fine. */
const EMAIL_FORMAT = z.email();

/** Unicode code points in `s`: an emoji or a CJK character counts one. */
export const codePointLength = (s: string): number => [...s].length;

/** Options of {@link text}. */
export interface TextOptions {
  /** Fewest code points after trimming (default 0). */
  readonly min?: number;
  /** Most code points after trimming. */
  readonly max: number;
  /**
   * `single` (the default: titles, names, venues, contacts, reasons) refuses line breaks;
   * `multi` (descriptions, plans, summaries, comments) keeps them.
   */
  readonly lines?: TextLines;
}

/**
 * A string trimmed of surrounding white space, `min..max` code points long afterwards, with no
 * control, bidirectional-override or zero-width character (`hidden_character`) and, unless
 * `lines` is `multi`, no line break (`line_break_not_allowed`): see shared/domain/text-hygiene.ts.
 */
export function text({ min = 0, max, lines = 'single' }: TextOptions): z.ZodMiniString<string> {
  const trimmed = z.string().check(z.trim());
  return (min > 0 ? trimmed.check(z.minLength(min)) : trimmed).check(z.maxLength(max), z.superRefine(refuseHiddenCharacters(lines)));
}

/** A multi-line {@link text}: keeps line breaks and tabs, still refuses hidden characters. */
export const longText = (options: Omit<TextOptions, 'lines'>): z.ZodMiniString<string> => text({ ...options, lines: 'multi' });

/** NFKC (full-width → ASCII) and trim: for values people type but machines read. */
const nfkcTrim = (s: string): string => s.normalize('NFKC').trim();

// --- phone -------------------------------------------------------------------------

/** Dash look-alikes NFKC keeps (‐ ‑ ‒ – — ― −): typed as hyphens, read as hyphens. */
const DASHES = /[\u2010-\u2015\u2212]/g;
/** A mobile number with an optional country prefix (+86, 0086, 86), separators removed. */
const MOBILE = /^(?:\+86|0086|86)?(1[3-9]\d{9})$/;
/**
 * A landline: area code (010 and 02x have three digits, every other one four), an optional
 * hyphen, a 7–8 digit number and an optional extension after a hyphen (1–6 digits). Because
 * the area code's length is known from its digits, `03735820656` reads unambiguously.
 */
const LANDLINE = /^(0(?:10|2\d|[3-9]\d{2}))-?(\d{7,8})(?:-(\d{1,6}))?$/;
/** The canonical forms {@link normalizePhone} produces. */
const CANONICAL_PHONE = /^(?:1[3-9]\d{9}|0(?:10|2\d|[3-9]\d{2})-\d{7,8}(?:-\d{1,6})?)$/;

/**
 * The canonical form of a mainland phone number, or `undefined` if `raw` is not one.
 *
 * - Mobile: `1[3-9]` + 9 digits, optionally prefixed `+86`/`0086`/`86`; spaces and hyphens are
 *   removed → `13800138000`.
 * - Landline: `0373-5820656`, `0373 5820656`, `03735820656`, `(0373)5820656` → `0373-5820656`.
 *   An extension is allowed after a hyphen (`0373-5820656-123`, kept): offices answer through
 *   switchboards, and a hyphen is how an extension is written on Chinese letterheads. Words
 *   such as 转 or "ext" are not accepted, so no phone number ever contains a letter.
 *
 * Input is NFKC-normalised first: `０３７３－５８２０６５６` → `0373-5820656`.
 */
export function normalizePhone(raw: string): string | undefined {
  if (raw.length > 64) return undefined;
  const s = nfkcTrim(raw)
    .replace(DASHES, '-')
    .replace(/\s+/g, '')
    .replace(/^\((0\d{2,3})\)-?/, '$1-');
  const mobile = MOBILE.exec(s.replace(/-/g, ''));
  if (mobile) return mobile[1];
  const landline = LANDLINE.exec(s);
  if (!landline) return undefined;
  const [, area, number, extension] = landline;
  return extension ? `${area}-${number}-${extension}` : `${area}-${number}`;
}

/** A mainland mobile or landline number, normalised by {@link normalizePhone} (`invalid_phone`). */
export function phone(): z.ZodMiniString<string> {
  return z.meta(
    z.string().check(
      z.overwrite((s) => normalizePhone(s) ?? s),
      z.refine((s) => CANONICAL_PHONE.test(s), issueParams('invalid_phone')),
    ),
    { examples: ['13800138000', '0373-5820656'] },
  );
}

// --- URL, email -----------------------------------------------------------------------

/** Longest URL accepted, in code points. */
export const MAX_URL_LENGTH = 2048;

/** The parsed URL, or `undefined` when `s` is not an absolute URL. */
function parseUrl(s: string): URL | undefined {
  return URL.canParse(s) ? new URL(s) : undefined;
}

/**
 * An absolute `https` URL (NFKC-normalised and trimmed; otherwise kept as typed, so a Chinese
 * path stays readable), at most {@link MAX_URL_LENGTH} code points. `http:` and any other
 * scheme → `https_required`; not a URL, no host, or user info in it → `invalid_url`.
 */
export function httpsUrl(): z.ZodMiniString<string> {
  return z.meta(
    z.string().check(
      z.overwrite(nfkcTrim),
      z.maxLength(MAX_URL_LENGTH),
      z.superRefine((s, ctx) => {
        if (s.length > MAX_URL_LENGTH && codePointLength(s) > MAX_URL_LENGTH) return; // too_long said it
        const url = parseUrl(s);
        if (!url || url.username !== '' || url.password !== '') ctx.addIssue(customIssue('invalid_url'));
        else if (url.protocol !== 'https:') ctx.addIssue(customIssue('https_required'));
        else if (url.hostname === '') ctx.addIssue(customIssue('invalid_url'));
      }),
    ),
    { format: 'uri' },
  );
}

/** The key two URLs are "the same" by (scheme and host lower-cased, `/` path added...). */
export const urlKey = (s: string): string => parseUrl(s)?.href ?? s;

/** An email address (NFKC-normalised and trimmed, at most 254 characters; `invalid_email`). */
export function email(): z.ZodMiniString<string> {
  return z.meta(
    z.string().check(
      z.overwrite(nfkcTrim),
      z.maxLength(254),
      // Too long is `too_long` alone (and keeps the regex away from huge input).
      z.refine((s) => codePointLength(s) > 254 || EMAIL_FORMAT.safeParse(s).success, issueParams('invalid_email')),
    ),
    { format: 'email' },
  );
}

// --- instants --------------------------------------------------------------------------

/**
 * An ISO 8601 instant with an offset or `Z` (`2021-09-24T23:59:59+08:00`), a real calendar
 * time (`invalid_instant`). The output is the client's string, trimmed.
 */
export function isoInstant(): z.ZodMiniString<string> {
  return z.meta(
    z.string().check(
      z.trim(),
      z.refine((s) => parseInstant(s) !== undefined, issueParams('invalid_instant')),
    ),
    { format: 'date-time' },
  );
}

/** An {@link isoInstant} inside the campaign's year in its own time zone (`outside_campaign_year`). */
export function instantInCampaignYear(campaign: Campaign): z.ZodMiniString<string> {
  return isoInstant().check(z.superRefine((s, ctx) => {
    const instant = parseInstant(s);
    if (instant && (instant < campaign.yearStart || instant > campaign.yearEnd)) {
      ctx.addIssue(customIssue('outside_campaign_year', [], { year: campaign.year }));
    }
  }));
}

// --- ids, numbers, choices ----------------------------------------------------------------

/** What every id of ours looks like (slugs, ULIDs, UUIDs all fit). */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** An id: 1–64 letters, digits, `-` or `_`, not starting with `-`/`_` (`invalid_id`). */
export function id(): z.ZodMiniString<string> {
  return z.meta(z.string().check(z.refine((s) => ID_PATTERN.test(s), issueParams('invalid_id'))), { pattern: ID_PATTERN.source });
}

/** Options of {@link integer} and {@link decimal}: inclusive bounds. */
export interface RangeOptions {
  readonly min: number;
  readonly max: number;
}

/**
 * An integer in `min..max` (`not_integer`, `too_small`, `too_big`). Deliberately not zod's
 * `z.int()`: that issue aborts the whole parse, and object-level rules would then not run.
 */
export function integer({ min, max }: RangeOptions): z.ZodMiniNumber<number> {
  return z.meta(
    z.number().check(
      z.refine((n) => Number.isInteger(n), issueParams('not_integer')),
      z.gte(min),
      z.lte(max),
    ),
    { type: 'integer' },
  );
}

/** A (finite) number in `min..max`. */
export const decimal = ({ min, max }: RangeOptions): z.ZodMiniNumber<number> => z.number().check(z.gte(min), z.lte(max));

/** One of `ids` (`invalid_option`, listing them). */
export const choice = (ids: readonly string[]) => z.enum(ids as [string, ...string[]]);

/** One of the campaign's counties/districts (`unknown_county`, listing them). */
export function countyOf(campaign: Campaign): z.ZodMiniString<string> {
  const ids = campaign.counties.map((c) => c.id);
  const known = new Set(ids);
  return z.meta(
    z.string().check(z.superRefine((s, ctx) => {
      if (!known.has(s)) ctx.addIssue(customIssue('unknown_county', [], { value: s, options: ids.join(', ') }));
    })),
    { enum: ids },
  );
}

// --- lists ------------------------------------------------------------------------------

/** Options of {@link distinctList}. */
export interface ListOptions<T> {
  /** Fewest items (default 0). */
  readonly min?: number;
  /** Most items. */
  readonly max: number;
  /** What makes two items the same (default: the item itself). */
  readonly key?: (item: T) => unknown;
}

/** Top-level keys (or indexes) below which an issue was already raised. */
function failedKeys(issues: ReadonlyArray<{ readonly path?: readonly PropertyKey[] | undefined }>): Set<PropertyKey> {
  return new Set(issues.flatMap((i) => (i.path && i.path.length > 0 ? [i.path[0] as PropertyKey] : [])));
}

/**
 * An array of `min..max` distinct items (`too_few`, `too_many`, and `duplicate_item` on each
 * later copy, e.g. `contentThemes.2`). Items that are themselves invalid are not compared.
 * The maximum is our own check, not zod's `z.maxLength()`, which aborts the parse of an oversized
 * array (and with it every object-level rule).
 */
export function distinctList<T extends z.ZodMiniType>(item: T, { min = 0, max, key }: ListOptions<z.output<T>>): z.ZodMiniArray<T> {
  const list = z.array(item);
  return z.meta(
    (min > 0 ? list.check(z.minLength(min)) : list).check(z.superRefine((items, ctx) => {
      if (items.length > max) ctx.addIssue({ code: 'too_big', origin: 'array', maximum: max, inclusive: true, input: items });
      const failed = failedKeys(ctx.issues);
      const seen = new Set<unknown>();
      items.forEach((value, index) => {
        if (failed.has(index)) return;
        const k = key ? key(value) : value;
        if (seen.has(k)) ctx.addIssue(customIssue('duplicate_item', [index], { value: String(value) }));
        seen.add(k);
      });
    }, { when: (payload) => Array.isArray(payload.value) })),
    { maxItems: max, uniqueItems: true },
  );
}

// --- object-level rules --------------------------------------------------------------------

/**
 * `superRefine` params for an object-level rule: run whenever the input is an object, even
 * when some fields failed, so one answer lists every failing field.
 */
export const everyObject = {
  when: (payload: z.core.ParsePayload): boolean =>
    typeof payload.value === 'object' && payload.value !== null && !Array.isArray(payload.value),
};

/** What an object-level rule may rely on: which fields are present, and which are valid too. */
export interface Fields {
  /** The field is there (neither absent, `undefined` nor `null`). */
  present(key: string): boolean;
  /** The field is there and passed its own schema: its value is the parsed one. */
  valid(key: string): boolean;
  /** The field's value (only meaningful when {@link Fields.valid}). */
  get<T>(key: string): T;
}

/** {@link Fields} of `value` given the issues raised so far (the refinement ctx's `issues`). */
export function fieldsOf(value: unknown, issues: ReadonlyArray<{ readonly path?: readonly PropertyKey[] | undefined }>): Fields {
  const record = value as Record<string, unknown>;
  const failed = failedKeys(issues);
  const present = (key: string): boolean => record[key] !== undefined && record[key] !== null;
  return {
    present,
    valid: (key) => present(key) && !failed.has(key),
    get: <T>(key: string) => record[key] as T,
  };
}

// --- shared objects -------------------------------------------------------------------------

/**
 * A contact person: `{ name (1..50), phone, email? }` (an activity's or a unit's), each field
 * personal information (docs/privacy.md).
 */
export const contact = () =>
  z.strictObject({
    name: z.meta(text({ min: 1, max: 50 }), personal('contact-name', 'reach-contact')),
    phone: z.meta(phone(), personal('phone', 'reach-contact')),
    email: z.optional(z.meta(email(), personal('email', 'reach-contact'))),
  });

/** `reason` of a waiver or an extension: 5..500 code points, trimmed, one line. */
export const reason = (): z.ZodMiniString<string> => text({ min: 5, max: 500 });

/**
 * Every field of `shape` made `z.optional(z.nullable(…))`: the shape of a PATCH body, where a
 * field left out stays as it is and `null` removes it (JSON Merge Patch, RFC 7396, except
 * that a nested object given replaces the stored one whole).
 */
export function patchShape<S extends Record<string, z.ZodMiniType>>(
  shape: S,
): { [K in keyof S]: z.ZodMiniOptional<z.ZodMiniNullable<S[K]>> } {
  return Object.fromEntries(Object.entries(shape).map(([key, schema]) => [key, z.optional(z.nullable(schema))])) as {
    [K in keyof S]: z.ZodMiniOptional<z.ZodMiniNullable<S[K]>>;
  };
}

/**
 * Memoises a per-campaign schema builder: each campaign object's schemas are built once.
 *
 * @example
 * export const extensionSchema = perCampaign(buildExtensionSchema);
 */
export function perCampaign<T>(build: (campaign: Campaign) => T): (campaign: Campaign) => T {
  const cache = new WeakMap<Campaign, T>();
  return (campaign) => {
    let built = cache.get(campaign);
    if (built === undefined) {
      built = build(campaign);
      cache.set(campaign, built);
    }
    return built;
  };
}

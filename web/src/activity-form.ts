/**
 * The registration form's values as people type them, and their API shape. Pure functions,
 * tested without a browser (test/unit/web/activity-form.test.ts):
 * - {@link toApiFields}: the form → the API's activity fields (empty ones left out, times in
 *   the campaign's zone with its offset, co-organizers one per line);
 * - {@link fromApiFields}: an activity from the API → the form;
 * - {@link patchBetween}: the PATCH body that turns the saved fields into the current ones
 *   (`null` removes a field);
 * - {@link formFieldOf}: where an API issue path (`venue.name`, `coOrganizers.2`) shows.
 */
import { formatInstant, parseInstant, zonedInstant } from '../../shared/domain/time';

export interface ActivityFormValues {
  title: string;
  description: string;
  kind: string;
  jointAction: string;
  contentThemes: string[];
  format: string;
  startsAt: string;
  endsAt: string;
  county: string;
  audiences: string[];
  venueName: string;
  venueAddress: string;
  expectedParticipants: number | undefined;
  maxOnSite: number | undefined;
  epidemicPlan: string;
  onlineUrl: string;
  volunteerCount: number | undefined;
  volunteerHours: number | undefined;
  coOrganizers: string;
  branded: boolean;
  contactName: string;
  contactPhone: string;
  contactEmail: string;
}

export type FormField = keyof ActivityFormValues;

export const emptyActivityForm = (): ActivityFormValues => ({
  title: '',
  description: '',
  kind: '',
  jointAction: '',
  contentThemes: [],
  format: '',
  startsAt: '',
  endsAt: '',
  county: '',
  audiences: [],
  venueName: '',
  venueAddress: '',
  expectedParticipants: undefined,
  maxOnSite: undefined,
  epidemicPlan: '',
  onlineUrl: '',
  volunteerCount: undefined,
  volunteerHours: undefined,
  coOrganizers: '',
  branded: false,
  contactName: '',
  contactPhone: '',
  contactEmail: '',
});

/** Formats with people on site (venue, crowd cap, epidemic plan). */
export const isOnSite = (format: string): boolean => format === 'offline' || format === 'hybrid';
/** Formats with an online event (its URL). */
export const isOnline = (format: string): boolean => format === 'online' || format === 'hybrid';

/** `2021-09-15T09:30` typed in a `datetime-local` input → `2021-09-15T09:30:00+08:00`. */
export function localInputToInstant(value: string, timeZone: string): string | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})/.exec(value);
  if (!m) return undefined;
  const instant = zonedInstant(m[1] ?? '', timeZone, { hour: Number(m[2]), minute: Number(m[3]), second: 0, ms: 0 });
  return formatInstant(instant, timeZone);
}

/** An instant from the API → what a `datetime-local` input shows, in the campaign's zone. */
export function instantToLocalInput(iso: string | undefined, timeZone: string): string {
  const instant = iso ? parseInstant(iso) : undefined;
  return instant ? formatInstant(instant, timeZone).slice(0, 16) : '';
}

const text = (s: string): string | undefined => (s.trim() === '' ? undefined : s);
const defined = <T extends object>(o: T): Partial<T> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

/** The API's activity fields from the form; what is empty is left out (a draft may lack anything). */
export function toApiFields(v: ActivityFormValues, timeZone: string): Record<string, unknown> {
  const venue = defined({ name: text(v.venueName), address: text(v.venueAddress) });
  const volunteers = defined({ count: v.volunteerCount, hours: v.volunteerHours });
  const contact = defined({ name: text(v.contactName), phone: text(v.contactPhone), email: text(v.contactEmail) });
  const coOrganizers = v.coOrganizers
    .split('\n')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  return defined({
    title: text(v.title),
    description: text(v.description),
    kind: text(v.kind),
    jointAction: v.kind === 'joint-action' ? text(v.jointAction) : undefined,
    contentThemes: v.contentThemes.length ? [...v.contentThemes] : undefined,
    format: text(v.format),
    startsAt: v.startsAt ? (localInputToInstant(v.startsAt, timeZone) ?? v.startsAt) : undefined,
    endsAt: v.endsAt ? (localInputToInstant(v.endsAt, timeZone) ?? v.endsAt) : undefined,
    county: text(v.county),
    audiences: v.audiences.length ? [...v.audiences] : undefined,
    venue: Object.keys(venue).length ? venue : undefined,
    expectedParticipants: v.expectedParticipants ?? undefined,
    maxOnSite: v.maxOnSite ?? undefined,
    epidemicPlan: text(v.epidemicPlan),
    onlineUrl: text(v.onlineUrl),
    volunteers: Object.keys(volunteers).length ? volunteers : undefined,
    coOrganizers: coOrganizers.length ? coOrganizers : undefined,
    branded: v.branded ? true : undefined,
    contact: Object.keys(contact).length ? contact : undefined,
  });
}

/** The form from an activity's fields as the API answers them. */
export function fromApiFields(a: Record<string, unknown>, timeZone: string): ActivityFormValues {
  const s = (k: string) => (typeof a[k] === 'string' ? (a[k] as string) : '');
  const n = (x: unknown) => (typeof x === 'number' ? x : undefined);
  const venue = (a.venue ?? {}) as Record<string, unknown>;
  const volunteers = (a.volunteers ?? {}) as Record<string, unknown>;
  const contact = (a.contact ?? {}) as Record<string, unknown>;
  const str = (x: unknown) => (typeof x === 'string' ? x : '');
  return {
    title: s('title'),
    description: s('description'),
    kind: s('kind'),
    jointAction: s('jointAction'),
    contentThemes: Array.isArray(a.contentThemes) ? a.contentThemes.map(String) : [],
    format: s('format'),
    startsAt: instantToLocalInput(s('startsAt') || undefined, timeZone),
    endsAt: instantToLocalInput(s('endsAt') || undefined, timeZone),
    county: s('county'),
    audiences: Array.isArray(a.audiences) ? a.audiences.map(String) : [],
    venueName: str(venue.name),
    venueAddress: str(venue.address),
    expectedParticipants: n(a.expectedParticipants),
    maxOnSite: n(a.maxOnSite),
    epidemicPlan: s('epidemicPlan'),
    onlineUrl: s('onlineUrl'),
    volunteerCount: n(volunteers.count),
    volunteerHours: n(volunteers.hours),
    coOrganizers: Array.isArray(a.coOrganizers) ? a.coOrganizers.map(String).join('\n') : '',
    branded: a.branded === true,
    contactName: str(contact.name),
    contactPhone: str(contact.phone),
    contactEmail: str(contact.email),
  };
}

/** The PATCH body from `saved` to `current` API fields: changed ones set, removed ones `null`. */
export function patchBetween(saved: Record<string, unknown>, current: Record<string, unknown>): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(current)) if (JSON.stringify(saved[k]) !== JSON.stringify(v)) patch[k] = v;
  for (const k of Object.keys(saved)) if (!(k in current)) patch[k] = null;
  return patch;
}

const NESTED: Record<string, Record<string, FormField>> = {
  venue: { name: 'venueName', address: 'venueAddress' },
  volunteers: { count: 'volunteerCount', hours: 'volunteerHours' },
  contact: { name: 'contactName', phone: 'contactPhone', email: 'contactEmail' },
};

/** The form field an API issue path belongs to (`venue` → venueName, `coOrganizers.2` → coOrganizers). */
export function formFieldOf(path: string): FormField | undefined {
  const [head = '', sub] = path.split('.');
  const nested = NESTED[head];
  if (nested) return nested[sub ?? ''] ?? (Object.values(nested)[0] as FormField);
  return head in emptyActivityForm() ? (head as FormField) : undefined;
}

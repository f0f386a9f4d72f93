/**
 * The body of `POST /v1/people/{sub}/erasure` (ADR 0047): `{ reason, mode, contacts? }`. `contacts`
 * names the phone and/or e-mail the person gave as a contact, so that every item holding it is
 * found (a contact is not tied to a `sub`); normalised as stored.
 */
import * as z from 'zod';
import { email, phone, reason } from './text';

export const ERASURE_MODES = ['erase', 'pseudonymise'] as const;

export const erasureRequestSchema = z.strictObject({
  reason: reason(),
  mode: z.enum(ERASURE_MODES).meta({
    description:
      '`erase`: the person’s own items (privacy-notice acknowledgements) are deleted; `pseudonymise`: they are kept under the pseudonym. ' +
      'Both replace the person’s `sub` by the pseudonym everywhere and remove the contacts named.',
  }),
  contacts: z.strictObject({ phone: phone().optional(), email: email().optional() }).optional(),
});

/** An erasure request as validated. */
export type ErasureRequest = z.output<typeof erasureRequestSchema>;

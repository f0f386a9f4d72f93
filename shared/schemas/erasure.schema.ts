/**
 * The body of `POST /v1/people/{sub}/erasure` (ADR 0047): `{ reason, mode, contacts? }`. `contacts`
 * names the phone and/or e-mail the person gave as a contact, so that every item holding it is
 * found (a contact is not tied to a `sub`); normalised as stored.
 */
import * as z from '../domain/zod';
import { personal } from '../domain/privacy';
import { email, phone, reason } from './text';

export const ERASURE_MODES = ['erase', 'pseudonymise'] as const;

export const erasureRequestSchema = z.strictObject({
  reason: reason(),
  /** `erase` deletes the person's notice acknowledgements, `pseudonymise` keeps them under the pseudonym. */
  mode: z.enum(ERASURE_MODES),
  contacts: z.optional(z.strictObject({
    phone: z.optional(z.meta(phone(), personal('phone', 'erasure-request', 'not-stored'))),
    email: z.optional(z.meta(email(), personal('email', 'erasure-request', 'not-stored'))),
  })),
});

/** An erasure request as validated. */
export type ErasureRequest = z.output<typeof erasureRequestSchema>;

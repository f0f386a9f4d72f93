/** What `GET /health/live` answers: the API answers; no dependency is asked (ADR 0033). */
import * as z from '../domain/zod';
import type { ViewOf } from '../schemas/output';

export const livenessSchema = z.meta(z.looseObject({ status: z.literal('ok') }), { description: 'The API answers. No dependency is asked: `GET /health` does that.' });

/** The body's type; the body itself is in ./liveness-body.ts, which loads no zod. */
export type LivenessView = ViewOf<typeof livenessSchema>;

/** What `GET /health/live` answers: the API answers; no dependency is asked (ADR 0033). */
import * as z from 'zod';
import type { ViewOf } from '../schemas/output';

export const livenessSchema = z.looseObject({ status: z.literal('ok') }).meta({ description: 'The API answers. No dependency is asked: `GET /health` does that.' });

export const LIVENESS = { status: 'ok' } as const satisfies ViewOf<typeof livenessSchema>;

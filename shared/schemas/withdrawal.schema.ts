/** The body of `POST /v1/activities/{activityId}/withdraw`: an optional `{ reason }`, 1..500 code points. */
import * as z from '../domain/zod';
import { text } from './text';

/** Why an organizer withdraws a registered activity (kept with it; never public). */
export const withdrawalSchema = z.strictObject({ reason: z.optional(text({ min: 1, max: 500, lines: 'multi' })) });

/** A withdrawal as validated. */
export type WithdrawalInput = z.output<typeof withdrawalSchema>;

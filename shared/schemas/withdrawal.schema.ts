/** The body of `POST /v1/activities/{activityId}/withdraw`: an optional `{ reason }`, 1..500 code points. */
import * as z from 'zod';
import { text } from './text';

/** Why an organizer withdraws a registered activity (kept with it; never public). */
export const withdrawalSchema = z.strictObject({ reason: text({ min: 1, max: 500, lines: 'multi' }).optional() });

/** A withdrawal as validated. */
export type WithdrawalInput = z.output<typeof withdrawalSchema>;

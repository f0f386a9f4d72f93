/** The body of `POST /v1/flags/{flagId}/waive`: `{ reason }`, 5..500 code points. */
import * as z from '../domain/zod';
import { reason } from './text';

/** Why an admin waives a flag. */
export const waiverSchema = z.strictObject({ reason: reason() });

/** A waiver as validated. */
export type WaiverInput = z.output<typeof waiverSchema>;

/**
 * Messages on the `exports` queue, version 1: one export job to run. `record-changes` (its dispatch-exports part) sends one
 * for every export item the main table's stream shows created (by the API or a milestone);
 * `run-export` consumes them. The job's details live in its item, so the message names only its
 * id, and a duplicated or replayed message finds the job done and does nothing.
 */
import * as z from '../../shared/domain/zod';

export const ExportRequestV1Schema = z.strictObject({
  version: z.literal(1),
  exportId: z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/)),
});

export type ExportRequestV1 = z.output<typeof ExportRequestV1Schema>;
export const parseExportRequest = (body: string): ExportRequestV1 => ExportRequestV1Schema.parse(JSON.parse(body));

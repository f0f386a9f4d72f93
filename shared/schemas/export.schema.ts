/**
 * The body of `POST /v1/campaigns/{campaignId}/exports`: `{ format: "parquet" | "csv",
 * language?: "zh" | "en" }`. `language` is the CSV header's (Chinese by default); Parquet columns
 * always carry the data dictionary's names.
 */
import * as z from '../domain/zod';
import { EXPORT_FORMATS } from '../export/export-record';

export const exportRequestSchema = z.strictObject({
  format: z.enum(EXPORT_FORMATS),
  language: z.meta(z.optional(z.enum(['zh', 'en'])), {
    description: 'The CSV header’s language: `zh` (the default) or `en`. Parquet columns always carry the data dictionary’s names.',
  }),
});

export type ExportRequest = z.output<typeof exportRequestSchema>;

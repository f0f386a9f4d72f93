/**
 * An organizing unit's work summary (`PUT /v1/campaigns/{c}/organizations/{o}/summary`):
 * `{ text, documentMediaIds? }`. Whether the ids name accepted documents of that unit is the
 * use case's question.
 */
import * as z from '../domain/zod';
import { distinctList, id, longText } from './text';

/** Limits of the summary. */
export const SUMMARY_LIMITS = {
  text: { min: 20, max: 20_000 },
  documentMediaIds: { max: 10 },
} as const;

/** The summary body: 20..20000 code points of text (trimmed), up to 10 distinct document ids. */
export const summarySchema = z.strictObject({
  text: longText(SUMMARY_LIMITS.text),
  documentMediaIds: z.optional(distinctList(id(), SUMMARY_LIMITS.documentMediaIds)),
});

/** A work summary as validated. */
export type SummaryInput = z.output<typeof summarySchema>;

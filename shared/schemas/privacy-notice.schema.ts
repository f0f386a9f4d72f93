/** The body of `PUT /v1/me/privacy-notice`: `{ version }`, the notice version the person read. */
import * as z from '../domain/zod';
import { text } from './text';

/** An acknowledgement of the privacy notice; whether `version` is the current one is the use case's question. */
export const noticeAcknowledgementSchema = z.strictObject({
  version: z.meta(text({ min: 1, max: 32 }), { description: 'The `version` of the notice read (`GET /v1/me/privacy-notice`).', examples: ['2026-12-01'] }),
});

/** An acknowledgement as validated. */
export type NoticeAcknowledgementInput = z.output<typeof noticeAcknowledgementSchema>;

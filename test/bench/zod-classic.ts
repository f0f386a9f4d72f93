/** Bundle-size probe: a small schema with classic zod imported as shared/ imports it (`{ z }`). Twin of zod-mini.ts. */
import { z } from 'zod';

const Schema = z.object({
  title: z.string().trim().min(1).max(100),
  format: z.enum(['offline', 'online', 'hybrid']),
  expectedParticipants: z.int().min(0),
});

export const handler = async (event: { body?: string }) => {
  const parsed = Schema.safeParse(JSON.parse(event.body ?? '{}'));
  return { statusCode: parsed.success ? 200 : 422, body: JSON.stringify(parsed.success ? parsed.data : parsed.error.issues) };
};

/** Bundle-size probe: the schema of zod-classic.ts written with `zod/mini`. */
import * as z from 'zod/mini';

const Schema = z.object({
  title: z.string().check(z.trim(), z.minLength(1), z.maxLength(100)),
  format: z.enum(['offline', 'online', 'hybrid']),
  expectedParticipants: z.int().check(z.minimum(0)),
});

export const handler = async (event: { body?: string }) => {
  const parsed = Schema.safeParse(JSON.parse(event.body ?? '{}'));
  return { statusCode: parsed.success ? 200 : 422, body: JSON.stringify(parsed.success ? parsed.data : parsed.error.issues) };
};

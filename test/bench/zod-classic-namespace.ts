/** Bundle-size probe: zod-classic.ts with the namespace import zod documents (`import * as z`), which esbuild can tree-shake. */
import * as z from 'zod';

const Schema = z.object({
  title: z.string().trim().min(1).max(100),
  format: z.enum(['offline', 'online', 'hybrid']),
  expectedParticipants: z.int().min(0),
});

export const handler = async (event: { body?: string }) => {
  const parsed = Schema.safeParse(JSON.parse(event.body ?? '{}'));
  return { statusCode: parsed.success ? 200 : 422, body: JSON.stringify(parsed.success ? parsed.data : parsed.error.issues) };
};

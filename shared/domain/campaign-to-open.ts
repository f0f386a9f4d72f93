// Pure and import-free: the web app's first chunk loads it (no zod).
/**
 * The campaign a city's users work in when none is named (ADR 0023): the newest published one,
 * else the newest. The web app (after sign-in) and the local `/config.json` (before it) both ask.
 */
export function campaignToOpen<T extends { readonly status: string; readonly year: number }>(campaigns: readonly T[]): T | undefined {
  const newest = [...campaigns].sort((a, b) => b.year - a.year);
  return newest.find((c) => c.status === 'published') ?? newest[0];
}

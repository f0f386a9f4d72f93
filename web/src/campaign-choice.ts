/** Which campaign the web app opens when the deployment names none (ADR 0023). Pure: no DOM, no API. */

/** The campaign to open among a city's: the newest published, else the newest. */
export function pickCampaign(items: ReadonlyArray<{ readonly campaignId: string; readonly status: string; readonly year: number }>): string | undefined {
  const newest = [...items].sort((a, b) => b.year - a.year);
  return (newest.find((c) => c.status === 'published') ?? newest[0])?.campaignId;
}

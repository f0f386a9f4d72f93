/**
 * What the association's console pages share: every page of a list, the units' names, the
 * milestones' names, how late a flag is and an error in words.
 */
import { computed } from 'vue';
import { ApiError, OfflineError } from '../../api/client';
import { campaignState } from '../../context';
import { pick, t } from '../../i18n';

/** Every page of a `{ items, nextCursor }` list, following `nextCursor` (at most `maxPages`). */
export async function allPages<T>(page: (cursor?: string) => Promise<{ items: T[]; nextCursor: string | null }>, maxPages = 50): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  for (let n = 0; n < maxPages; n += 1) {
    const answer = await page(cursor);
    items.push(...answer.items);
    if (!answer.nextCursor) break;
    cursor = answer.nextCursor;
  }
  return items;
}

/** The campaign's units by id: `{ name, county }` (the units added at run time included). */
export const units = computed(() => new Map((campaignState.value?.view.organizations ?? []).map((o) => [o.organizationId, o])));

/** A unit's name, or its id when the campaign does not list it. */
export const unitLabel = (orgId: string): string => units.value.get(orgId)?.name ?? orgId;

/** A milestone's name in the page's language. */
export const milestoneLabel = (id: string): string => {
  const m = campaignState.value?.view.milestones.find((x) => x.id === id);
  return m ? pick(m.name) : id;
};

/** The campaign's time zone (Asia/Shanghai: 北京时间). */
export const timeZone = computed(() => campaignState.value?.campaign.timeZone ?? 'Asia/Shanghai');

/** `逾期 2 天 3 小时` / `2 d 3 h late`. */
export function lateBy(seconds: number): string {
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.max(1, Math.ceil((seconds % 3600) / 60));
  if (d > 0) return t(`逾期 ${d} 天 ${h} 小时`, `${d} d ${h} h late`);
  if (h > 0) return t(`逾期 ${h} 小时 ${Math.floor((seconds % 3600) / 60)} 分`, `${h} h ${Math.floor((seconds % 3600) / 60)} min late`);
  return t(`逾期 ${m} 分钟`, `${m} min late`);
}

/** An error from the API or the network in words for an alert. */
export function errorText(e: unknown): string {
  if (e instanceof OfflineError) return t('无法连接服务器，请检查网络后重试。', 'Cannot reach the server: check the connection and try again.');
  // The problem's title follows Accept-Language; its detail is for developers.
  if (e instanceof ApiError) return e.message;
  return String(e instanceof Error ? e.message : e);
}

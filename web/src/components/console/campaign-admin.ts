/**
 * The campaigns page's rules (活动季, ADR 0023), pure: which actions a campaign offers, the id a
 * copy is proposed under, which deadlines may still move (by the server's clock, which the local
 * runtime simulates), today's date in the campaign's zone for the date picker, the theme patch
 * the reason's "required" wording, and the list as this page's own writes left it. No DOM, no API.
 */
import type { Bilingual } from '../../../../shared/domain/campaign';
import type { FieldIssue } from '../../../../shared/domain/issues';
import { ISO_DATE, endOfLocalDay, formatInstant } from '../../../../shared/domain/time';

export type CampaignStatus = 'draft' | 'published' | 'closed';

/** What the page reads of an item of `GET /v1/campaigns`. */
export interface CampaignItem {
  readonly campaignId: string;
  readonly cityId: string;
  readonly year: number;
  readonly status: CampaignStatus;
  readonly name: Bilingual;
  readonly theme: Bilingual;
  readonly milestones: ReadonlyArray<{ readonly id: string; readonly name: Bilingual; readonly dueDate: string; readonly deadline: string }>;
}

/** The id a copy of `c` is proposed under: the next year's, `2022-xinxiang` for 2021's. */
export const nextCampaignId = (c: Pick<CampaignItem, 'year' | 'cityId'>): string => `${c.year + 1}-${c.cityId}`;

/** A past or running campaign is a template for next year's; a draft is not (finish it first). */
export const canCopy = (c: Pick<CampaignItem, 'status'>): boolean => c.status !== 'draft';

/** `草稿` / `已发布` / `已结束` (shown with `pick`). */
export const CAMPAIGN_STATUS_NAMES: Readonly<Record<CampaignStatus, Bilingual>> = {
  draft: { zh: '草稿', en: 'Draft' },
  published: { zh: '已发布', en: 'Published' },
  closed: { zh: '已结束', en: 'Closed' },
};

/** The tag's colour: a draft asks for attention, a published campaign runs, a closed one is over. */
export function campaignStatusType(status: CampaignStatus): 'warning' | 'success' | 'info' {
  return status === 'draft' ? 'warning' : status === 'published' ? 'success' : 'info';
}

/**
 * The milestones of a published campaign whose deadline is still ahead at `nowMs` (the server's
 * clock): only those may move (`milestone_passed` otherwise). A draft's dates change with the
 * draft, a closed campaign's never.
 */
export function movableMilestones<C extends Pick<CampaignItem, 'status' | 'milestones'>>(c: C, nowMs: number): C['milestones'][number][] {
  if (c.status !== 'published') return [];
  return c.milestones.filter((m) => Date.parse(m.deadline) > nowMs);
}

/** `YYYY-MM-DD` of the instant `ms` in `timeZone` (the earliest due date a move may name). */
export function localDate(ms: number, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date(ms));
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/**
 * How far the server's clock is from the browser's, from an instant the server answered with
 * (`asOf`) and when the answer arrived: 0 when the server said nothing usable.
 */
export function clockOffset(serverInstant: string | undefined, receivedAtMs: number): number {
  const at = serverInstant ? Date.parse(serverInstant) : NaN;
  return Number.isFinite(at) ? at - receivedAtMs : 0;
}

/** The merge patch that sets the theme typed (trimmed), or undefined when it is what is stored. */
export function themePatch(stored: Bilingual, typed: Bilingual): { theme: Bilingual } | undefined {
  const theme = { zh: typed.zh.trim(), en: typed.en.trim() };
  return theme.zh === stored.zh && theme.en === stored.en ? undefined : { theme };
}

/**
 * What the server would refuse in a new due date, found before sending it: a day already over
 * (`today` by the server's clock; `nowText` is the time shown in the message), or registration
 * after completion. A date that is not YYYY-MM-DD is the schema's to say.
 */
export function dueDateIssues(
  c: Pick<CampaignItem, 'milestones'>,
  milestoneId: string,
  dueDate: string,
  today: string,
  nowText: string,
): FieldIssue[] {
  if (!ISO_DATE.test(dueDate)) return [];
  if (dueDate < today) return [{ path: 'dueDate', code: 'date_not_in_future', params: { now: nowText } }];
  const dueOf = (id: string) => c.milestones.find((m) => m.id === id)?.dueDate;
  const completion = dueOf('completion');
  const registration = dueOf('registration');
  if ((milestoneId === 'registration' && completion && dueDate > completion) || (milestoneId === 'completion' && registration && dueDate < registration)) {
    return [{ path: 'dueDate', code: 'registration_after_completion' }];
  }
  return [];
}

/** An empty text reads "required", not "at least 1 character" (the schema's `min(1)`). */
export const requiredWhenEmpty = (issues: readonly FieldIssue[]): FieldIssue[] =>
  issues.map((i) => (i.code === 'too_short' && i.params?.min === 1 ? { path: i.path, code: 'required' } : i));

/** What a write answered (`StoredCampaign`), as far as the page reads it. */
export interface StoredLike {
  readonly status: CampaignStatus;
  readonly definition: {
    readonly id: string;
    readonly cityId: string;
    readonly year: number;
    readonly [key: string]: unknown;
  };
}

/**
 * The list item of a campaign a write answered with: its milestones' deadlines are the end of
 * their due dates in the campaign's zone, as `GET /v1/campaigns` gives them.
 */
export function itemFromStored(stored: StoredLike): CampaignItem {
  const d = stored.definition as StoredLike['definition'] & {
    name: Bilingual;
    theme: Bilingual;
    timeZone: string;
    milestones: ReadonlyArray<{ id: string; name: Bilingual; dueDate: string }>;
  };
  return {
    campaignId: d.id,
    cityId: d.cityId,
    year: d.year,
    status: stored.status,
    name: d.name,
    theme: d.theme,
    milestones: d.milestones.map((m) => ({
      id: m.id,
      name: m.name,
      dueDate: m.dueDate,
      deadline: formatInstant(endOfLocalDay(m.dueDate, d.timeZone), d.timeZone),
    })),
  };
}

/** How long this page trusts what its own writes answered over the list (the API's other functions cache campaigns for 30 s, ADR 0023). */
export const WRITTEN_TRUSTED_MS = 60_000;

/**
 * The list as the page shows it: each campaign this page changed in the last
 * {@link WRITTEN_TRUSTED_MS} as the write answered (added when the list does not have it yet),
 * newest year first.
 */
export function withWritten<T extends CampaignItem>(
  listed: readonly T[],
  written: ReadonlyMap<string, { readonly item: CampaignItem; readonly atMs: number }>,
  nowMs: number,
): CampaignItem[] {
  const fresh = new Map([...written].filter(([, w]) => nowMs - w.atMs < WRITTEN_TRUSTED_MS).map(([id, w]) => [id, w.item]));
  const items: CampaignItem[] = listed.map((c) => fresh.get(c.campaignId) ?? c);
  for (const [id, item] of fresh) if (!listed.some((c) => c.campaignId === id)) items.push(item);
  return items.sort((a, b) => b.year - a.year || a.campaignId.localeCompare(b.campaignId));
}

// The campaigns page's rules (活动季), without a browser: what a campaign offers, the id a copy is
// proposed under, which deadlines may still move by the server's clock, today's date in Beijing,
// the theme patch, the reason's "required", and the list as the page's own writes left it.
import { xinxiang2021 } from '../../../shared/campaigns/2021-xinxiang';
import { loadCampaign } from '../../../shared/domain/campaign';
import { safeParseFields } from '../../../shared/domain/issues';
import { formatInstant } from '../../../shared/domain/time';
import * as z from '../../../shared/domain/zod';
import { campaignStatusChangeSchema, milestoneMoveSchema } from '../../../shared/schemas/campaign.schema';
import {
  CAMPAIGN_STATUS_NAMES, WRITTEN_TRUSTED_MS, campaignStatusType, canCopy, clockOffset, dueDateIssues, itemFromStored, localDate, movableMilestones, nextCampaignId,
  requiredWhenEmpty, themePatch, withWritten, type CampaignItem,
} from '../../../web/src/components/console/campaign-admin';

const TZ = 'Asia/Shanghai';
const item2021 = (status: CampaignItem['status'] = 'published'): CampaignItem => itemFromStored({ status, definition: { ...xinxiang2021 } });
const at = (iso: string) => Date.parse(iso);

describe('Module: web campaign admin (活动季)', () => {
  it('proposes next year’s id for a copy, and copies only a published or closed campaign', () => {
    expect(nextCampaignId({ year: 2021, cityId: 'xinxiang' })).toBe('2022-xinxiang');
    expect(canCopy({ status: 'published' })).toBe(true);
    expect(canCopy({ status: 'closed' })).toBe(true);
    expect(canCopy({ status: 'draft' })).toBe(false);
    expect(CAMPAIGN_STATUS_NAMES.draft).toEqual({ zh: '草稿', en: 'Draft' });
    expect(CAMPAIGN_STATUS_NAMES.published.zh).toBe('已发布');
    expect(CAMPAIGN_STATUS_NAMES.closed.zh).toBe('已结束');
    expect([campaignStatusType('draft'), campaignStatusType('published'), campaignStatusType('closed')]).toEqual(['warning', 'success', 'info']);
  });

  it('lists a stored campaign as GET /v1/campaigns does: deadlines at the end of the due day, Beijing time', () => {
    const item = item2021();
    const campaign = loadCampaign(xinxiang2021);
    expect(item).toMatchObject({ campaignId: '2021-xinxiang', cityId: 'xinxiang', year: 2021, status: 'published', theme: xinxiang2021.theme });
    expect(item.milestones.map((m) => [m.id, m.dueDate, m.deadline])).toEqual([
      ['registration', '2021-09-24', formatInstant(campaign.milestones.registration.deadline, TZ)],
      ['completion', '2021-10-22', formatInstant(campaign.milestones.completion.deadline, TZ)],
    ]);
    expect(new Date(item.milestones[0]!.deadline).toISOString()).toBe('2021-09-24T15:59:59.999Z');
  });

  it('moves only a published campaign’s deadlines still ahead by the server’s clock', () => {
    const published = item2021();
    // 25 September 2021 (the local runtime's simulated clock): registration passed, completion ahead.
    expect(movableMilestones(published, at('2021-09-25T09:00:00+08:00')).map((m) => m.id)).toEqual(['completion']);
    expect(movableMilestones(published, at('2021-09-20T09:00:00+08:00')).map((m) => m.id)).toEqual(['registration', 'completion']);
    // At the deadline's very instant it has passed.
    expect(movableMilestones(published, Date.parse(published.milestones[1]!.deadline)).map((m) => m.id)).toEqual([]);
    expect(movableMilestones(item2021('draft'), at('2021-09-20T09:00:00+08:00'))).toEqual([]);
    expect(movableMilestones(item2021('closed'), at('2021-09-20T09:00:00+08:00'))).toEqual([]);
  });

  it('reads the server’s clock from an instant it answered with, and today’s date in Beijing', () => {
    expect(clockOffset('2021-09-25T09:00:00+08:00', at('2026-12-01T00:00:00Z'))).toBe(at('2021-09-25T01:00:00Z') - at('2026-12-01T00:00:00Z'));
    expect(clockOffset(undefined, 123)).toBe(0);
    expect(clockOffset('not a date', 123)).toBe(0);
    // 00:30 in Beijing is still the day before in UTC.
    expect(localDate(at('2021-09-24T16:30:00Z'), TZ)).toBe('2021-09-25');
    expect(localDate(at('2021-09-24T15:30:00Z'), TZ)).toBe('2021-09-24');
  });

  it('finds before sending what the server would refuse in a new due date: a day over, registration after completion', () => {
    const published = item2021();
    const today = '2021-09-25';
    // Today is still ahead (due by its end); yesterday is not.
    expect(dueDateIssues(published, 'completion', '2021-09-25', today, '2021年9月25日 09:00')).toEqual([]);
    expect(dueDateIssues(published, 'completion', '2021-09-24', today, '2021年9月25日 09:00')).toEqual([
      { path: 'dueDate', code: 'date_not_in_future', params: { now: '2021年9月25日 09:00' } },
    ]);
    // Registration may be due the day completion is, not after; completion not before registration.
    expect(dueDateIssues(published, 'registration', '2021-10-22', '2021-09-20', '')).toEqual([]);
    expect(dueDateIssues(published, 'registration', '2021-10-23', '2021-09-20', '')).toEqual([{ path: 'dueDate', code: 'registration_after_completion' }]);
    expect(dueDateIssues(published, 'completion', '2021-09-23', '2021-09-20', '')).toEqual([{ path: 'dueDate', code: 'registration_after_completion' }]);
    // Not a date: the schema's finding (invalid_date), not this one's.
    expect(dueDateIssues(published, 'completion', '2021-9-1', today, '')).toEqual([]);
  });

  it('patches the theme only when it changed, trimmed', () => {
    const stored = { zh: '百年再出发，迈向高水平科技自立自强', en: 'A new start' };
    expect(themePatch(stored, { zh: ` ${stored.zh} `, en: stored.en })).toBeUndefined();
    expect(themePatch(stored, { zh: ' 喜迎二十大，科普新征程 ', en: stored.en })).toEqual({ theme: { zh: '喜迎二十大，科普新征程', en: 'A new start' } });
  });

  it('says an empty reason is required, and leaves every other finding as the API’s schema made it', () => {
    const move = safeParseFields(milestoneMoveSchema, { dueDate: '2022-9-26', reason: '   ' });
    expect(move.success).toBe(false);
    if (move.success) return;
    expect(requiredWhenEmpty(move.issues)).toEqual(
      expect.arrayContaining([{ path: 'reason', code: 'required' }, expect.objectContaining({ path: 'dueDate', code: 'invalid_date' })]),
    );
    const close = safeParseFields(z.required(campaignStatusChangeSchema), { reason: '' });
    expect(close.success || requiredWhenEmpty(close.issues)).toEqual([{ path: 'reason', code: 'required' }]);
    const long = safeParseFields(z.required(campaignStatusChangeSchema), { reason: 'x'.repeat(501) });
    expect(long.success || requiredWhenEmpty(long.issues).map((i) => i.code)).toEqual(['too_long']);
  });

  it('shows what its own writes answered until the list has caught up (another function’s cache), newest year first', () => {
    const listed = [item2021()];
    const draft = itemFromStored({ status: 'draft', definition: { ...xinxiang2021, id: '2022-xinxiang', year: 2022, theme: { zh: '喜迎二十大，科普新征程', en: 'A new journey' } } });
    const now = at('2026-12-01T00:00:00Z');
    const written = new Map([['2022-xinxiang', { item: draft, atMs: now - 1_000 }]]);
    expect(withWritten(listed, written, now).map((c) => [c.campaignId, c.status])).toEqual([
      ['2022-xinxiang', 'draft'],
      ['2021-xinxiang', 'published'],
    ]);
    // The list says otherwise (another admin’s change): the write’s answer still wins while the caches may be behind …
    const published = { ...draft, status: 'published' as const };
    expect(withWritten([published, ...listed], written, now).find((c) => c.campaignId === '2022-xinxiang')?.status).toBe('draft');
    // … and the list alone once it is older than the caches.
    expect(withWritten([published, ...listed], written, now + WRITTEN_TRUSTED_MS).find((c) => c.campaignId === '2022-xinxiang')?.status).toBe('published');
    expect(withWritten(listed, new Map(), now)).toEqual(listed);
  });
});
